import Link from 'next/link';
import { ProductGrid } from '@/components/product-card';
import { brands, categories, products, slugify } from '@/lib/products';

export default function Home() {
  return (
    <>
      <h1>Shopcart</h1>
      <ProductGrid products={products} />
      <h2>Categories</h2>
      <p>
        {categories.map((c) => (
          <Link key={c} href={`/category/${slugify(c)}`} style={{ marginRight: 12 }}>
            {c}
          </Link>
        ))}
      </p>
      <h2>Brands</h2>
      <p>
        {brands.map((b) => (
          <Link key={b} href={`/brand/${slugify(b)}`} style={{ marginRight: 12 }}>
            {b}
          </Link>
        ))}
      </p>
    </>
  );
}
