import Link from 'next/link';
import type { Product } from '@/lib/products';
import { AddToCartButton, FavoriteButton } from './buttons';

export function ProductCard({ product }: { product: Product }) {
  return (
    <li className="card" data-product={product.slug.current}>
      <FavoriteButton product={product} />
      <Link href={`/product/${product.slug.current}`}>{product.name}</Link>
      <p>
        ${product.price} <small>{product.brand}</small>
      </p>
      <AddToCartButton product={product} />
    </li>
  );
}

export function ProductGrid({ products }: { products: Product[] }) {
  return (
    <ul className="grid">
      {products.map((p) => (
        <ProductCard key={p._id} product={p} />
      ))}
    </ul>
  );
}
