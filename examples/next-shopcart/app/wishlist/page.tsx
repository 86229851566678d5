'use client';
import { ProductGrid } from '@/components/product-card';
import { useIsClient } from '@/components/buttons';
import useStore from '@/lib/store';

export default function Wishlist() {
  const favorites = useStore((s) => s.favoriteProduct);
  const client = useIsClient();
  return (
    <>
      <h1>Wishlist</h1>
      {client && favorites.length ? <ProductGrid products={favorites} /> : <p>No favourites yet.</p>}
    </>
  );
}
