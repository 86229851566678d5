import type { Tracker } from '../../src/core/types';
declare const t: Tracker;
t.track('add_to_cart', { items: [{ item_id: 'a', quantity: 1 }], currency: 'EUR', value: 3 });
// @ts-expect-error
t.track('add_to_cart', { item: [] });
// @ts-expect-error
t.track('add_to_cart', { items: [{ item_id: 'a' }], curency: 'EUR' });
t.track('promo_clicked', { promoId: 'spring' });
