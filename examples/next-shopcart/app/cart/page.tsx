'use client';
import { useTracker } from 'clicktrail/react';
import { toItem } from 'clicktrail/zustand';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { FavoriteButton, QuantityButtons, useIsClient } from '@/components/buttons';
import useStore from '@/lib/store';

export default function CartPage() {
  const { items, deleteCartProduct, resetCart, getTotalPrice } = useStore();
  const tracker = useTracker();
  const router = useRouter();
  const client = useIsClient();
  const [busy, setBusy] = useState(false);
  if (!client) return <h1>Cart</h1>;
  if (!items.length) {
    return (
      <>
        <h1>Cart</h1>
        <p>Your cart is empty. <Link href="/">Continue shopping</Link></p>
      </>
    );
  }

  // The template simulates payment with a timer, then goes to /success?orderNumber=…
  const checkout = () => {
    const lines = items.map((i) => toItem(i.product, undefined, i.quantity).item!);
    const payload = { currency: 'USD', value: getTotalPrice(), items: lines };
    tracker?.track('begin_checkout', payload);
    setBusy(true);
    setTimeout(() => {
      const orderNumber = `ORD-${Date.now().toString(36).toUpperCase()}`;
      tracker?.track('purchase', { ...payload, transaction_id: orderNumber });
      router.push(`/success?orderNumber=${orderNumber}`);
    }, 300);
  };

  return (
    <>
      <h1>Cart</h1>
      <table>
        <tbody>
          {items.map(({ product, quantity }) => (
            <tr key={product._id} data-line={product.slug.current}>
              <td>
                <Link href={`/product/${product.slug.current}`}>{product.name}</Link>
              </td>
              <td>${product.price}</td>
              <td>
                <QuantityButtons product={product} />
              </td>
              <td>${product.price * quantity}</td>
              <td style={{ position: 'relative', width: 32 }}>
                <FavoriteButton product={product} />
              </td>
              <td>
                <button onClick={() => deleteCartProduct(product._id)}>Delete</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Total: <strong data-test="total">${getTotalPrice()}</strong>
      </p>
      <button onClick={() => confirm('Reset the cart?') && resetCart()}>Reset cart</button>{' '}
      <button data-test="checkout" disabled={busy} onClick={checkout}>
        {busy ? 'Processing…' : 'Checkout'}
      </button>
    </>
  );
}
