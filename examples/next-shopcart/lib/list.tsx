import { TrackView } from 'clicktrail/react';
import { toItem } from 'clicktrail/zustand';
import { ProductGrid } from '@/components/product-card';
import type { Product } from './products';

// A product list page with its view_item_list event.
export function ProductList({ id, title, products }: { id: string; title: string; products: Product[] }) {
  const items = products.map((p, index) => ({ ...toItem(p).item!, index, item_list_id: id, item_list_name: title }));
  return (
    <>
      <h1>{title}</h1>
      <TrackView event="view_item_list" properties={{ item_list_id: id, item_list_name: title, items }} />
      <ProductGrid products={products} />
    </>
  );
}
