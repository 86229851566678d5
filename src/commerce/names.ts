/** GA4 names → Segment's e-commerce spec names. */
export const SEGMENT_NAMES: Record<string, string> = {
  view_item_list: 'Product List Viewed',
  select_item: 'Product Clicked',
  view_item: 'Product Viewed',
  add_to_cart: 'Product Added',
  remove_from_cart: 'Product Removed',
  view_cart: 'Cart Viewed',
  begin_checkout: 'Checkout Started',
  add_shipping_info: 'Checkout Step Completed',
  add_payment_info: 'Payment Info Entered',
  purchase: 'Order Completed',
  refund: 'Order Refunded',
  search: 'Products Searched',
  add_to_wishlist: 'Product Added to Wishlist',
  remove_from_wishlist: 'Product Removed from Wishlist',
  view_promotion: 'Promotion Viewed',
  select_promotion: 'Promotion Clicked',
};

/** What types cannot catch in a commerce payload, for the debug log. */
export function commerceProblems(name: string, p: Record<string, unknown>): string[] {
  const out: string[] = [];
  const items = p.items;
  if (Array.isArray(items)) {
    if (items.length > 200) out.push(`${name} has ${items.length} items; GA4 takes at most 200`);
    items.forEach((it, i) => {
      const q = it && (it as { quantity?: unknown }).quantity;
      if (typeof q === 'number' && !(q >= 0)) out.push(`${name}: items[${i}].quantity is ${q}`);
    });
  }
  if (p.value !== undefined && !p.currency) out.push(`${name} has a value but no currency`);
  return out;
}
