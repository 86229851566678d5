'use client';
// AddToCartButton, QuantityButtons and FavoriteButton as in the template: they only call the
// store. trackCart turns what they do into add_to_cart, remove_from_cart and wishlist events.
import { useEffect, useState } from 'react';
import type { Product } from '@/lib/products';
import useStore from '@/lib/store';

// The store is restored from localStorage in the browser only: render cart state after mount.
export function useIsClient() {
  const [client, setClient] = useState(false);
  useEffect(() => setClient(true), []);
  return client;
}

export function QuantityButtons({ product }: { product: Product }) {
  const { addItem, removeItem, getItemCount } = useStore();
  const count = getItemCount(product._id);
  return (
    <span className="qty">
      <button aria-label={`Remove one ${product.name}`} data-test="minus" onClick={() => removeItem(product._id)} disabled={count === 0}>
        −
      </button>
      <span data-test="count">{count}</span>
      <button aria-label={`Add one ${product.name}`} data-test="plus" onClick={() => addItem(product)}>
        +
      </button>
    </span>
  );
}

export function AddToCartButton({ product }: { product: Product }) {
  const { addItem, getItemCount } = useStore();
  const client = useIsClient();
  if (!client) return <button disabled>Add to cart</button>;
  return getItemCount(product._id) > 0 ? (
    <QuantityButtons product={product} />
  ) : (
    <button data-test="add" onClick={() => addItem(product)}>
      Add to cart
    </button>
  );
}

export function FavoriteButton({ product }: { product: Product }) {
  const { favoriteProduct, addToFavorite } = useStore();
  const client = useIsClient();
  const on = client && favoriteProduct.some((p) => p._id === product._id);
  return (
    <button
      className="heart"
      data-test="heart"
      aria-pressed={on}
      aria-label={on ? `Remove ${product.name} from wishlist` : `Add ${product.name} to wishlist`}
      onClick={() => addToFavorite(product)}
    >
      {on ? '♥' : '♡'}
    </button>
  );
}
