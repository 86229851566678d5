import { SEGMENT_NAMES } from './commerce/names';

/**
 * GA4 e-commerce event names → Segment's e-commerce spec names (`add_to_cart` → `Product Added`,
 * `purchase` → `Order Completed`...), for `createTracker({ eventNames: segmentNames })`.
 * @public
 */
export const segmentNames: Readonly<Record<string, string>> = SEGMENT_NAMES;
