/**
 * One line item in GA4's e-commerce shape.
 * @public
 */
export interface CommerceItem {
  item_id: string;
  item_name?: string;
  price?: number;
  quantity?: number;
  item_brand?: string;
  item_category?: string;
  item_category2?: string;
  item_category3?: string;
  item_category4?: string;
  item_category5?: string;
  item_variant?: string;
  discount?: number;
  coupon?: string;
  index?: number;
  item_list_id?: string;
  item_list_name?: string;
  affiliation?: string;
  location_id?: string;
  promotion_id?: string;
  promotion_name?: string;
  creative_name?: string;
  creative_slot?: string;
}

/** @public */
export interface ItemsPayload {
  items: CommerceItem[];
  currency?: string;
  value?: number;
}

/** @public */
export interface PromotionPayload {
  items?: CommerceItem[];
  promotion_id?: string;
  promotion_name?: string;
  creative_name?: string;
  creative_slot?: string;
}

/**
 * The GA4 e-commerce events and their properties: `tracker.track()` is checked against this map.
 * @public
 */
export interface CommerceEvents {
  view_item_list: { items: CommerceItem[]; item_list_id?: string; item_list_name?: string };
  select_item: { items: CommerceItem[]; item_list_id?: string; item_list_name?: string };
  view_item: ItemsPayload;
  add_to_cart: ItemsPayload;
  remove_from_cart: ItemsPayload;
  view_cart: ItemsPayload;
  begin_checkout: ItemsPayload & { coupon?: string };
  add_shipping_info: ItemsPayload & { coupon?: string; shipping_tier?: string };
  add_payment_info: ItemsPayload & { coupon?: string; payment_type?: string };
  purchase: ItemsPayload & { transaction_id: string; coupon?: string; shipping?: number; tax?: number; affiliation?: string };
  refund: Partial<ItemsPayload> & { transaction_id: string; currency?: string; value?: number; coupon?: string; shipping?: number; tax?: number };
  search: { search_term: string };
  add_to_wishlist: ItemsPayload;
  remove_from_wishlist: ItemsPayload;
  view_promotion: PromotionPayload;
  select_promotion: PromotionPayload;
}

/**
 * Properties for event `N`: the GA4 shape for the e-commerce names, any object otherwise.
 * @public
 */
export type EventProperties<N extends string> = N extends keyof CommerceEvents
  ? CommerceEvents[N]
  : Record<string, unknown>;
