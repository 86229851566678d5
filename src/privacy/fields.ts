// GA4's e-commerce event parameters and item fields, and the data-ct-* names domCommerce reads
// (data-ct-brand → item_brand...), in snake case: the data-ct-* attributes and dataLayer
// `ecommerce` keys that pass without being listed in `privacy`.
const GA4 = new Set(
  ('event view items item_list item_list_id item_list_name currency value transaction_id coupon shipping tax affiliation ' +
    'payment_type shipping_tier creative_name creative_slot promotion_id promotion_name location_id search_term method ' +
    'content_type item_id item_name price quantity discount index brand category category2 category3 category4 category5 ' +
    'variant item_brand item_category item_category2 item_category3 item_category4 item_category5 item_variant').split(' '),
);

const snake = (k: string) => k.replace(/-/g, '_');

/**
 * Whether a field may pass: one of GA4's, or named in `extra` (kebab or snake case), or `extra`
 * holds `'*'`. `extra` is the tracker's `privacy.dataAttributes` or `privacy.ecommerceKeys`.
 */
export const allowed = (key: string, extra: unknown): boolean =>
  GA4.has(snake(key)) || (Array.isArray(extra) && extra.some((e) => e == '*' || snake(String(e)) == snake(key)));
