'use client';
import Link from 'next/link';
import { useAuth } from '@/lib/auth';
import useStore from '@/lib/store';
import { useIsClient } from './buttons';

export function Header() {
  const items = useStore((s) => s.items);
  const favorites = useStore((s) => s.favoriteProduct);
  const client = useIsClient();
  const { isSignedIn, signIn, signOut } = useAuth();
  const count = client ? items.reduce((n, i) => n + i.quantity, 0) : 0;
  return (
    <header>
      <Link href="/">Shopcart</Link>
      <nav>
        <Link href="/shop">Shop</Link>
        <Link href="/wishlist">Wishlist ({client ? favorites.length : 0})</Link>
        <Link href="/cart" data-test="cart-link">
          Cart (<span data-test="cart-count">{count}</span>)
        </Link>
        <button onClick={isSignedIn ? signOut : signIn}>{isSignedIn ? 'Sign out' : 'Sign in'}</button>
      </nav>
    </header>
  );
}
