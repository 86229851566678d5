import { ProductList } from '@/lib/list';
import { products } from '@/lib/products';

export default function Shop() {
  return <ProductList id="shop" title="Shop" products={products} />;
}
