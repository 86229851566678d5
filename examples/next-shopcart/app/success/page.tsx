'use client';
import { untracked } from 'clicktrail/zustand';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect } from 'react';
import useStore from '@/lib/store';

function Order() {
  const orderNumber = useSearchParams().get('orderNumber');
  useEffect(() => {
    // The cart is emptied because it was bought, not because items were removed: no remove_from_cart.
    untracked(useStore, () => useStore.getState().resetCart());
  }, []);
  return (
    <>
      <h1>Thank you for your order!</h1>
      <p>
        Order number: <strong data-test="order">{orderNumber}</strong>
      </p>
      <Link href="/">Continue shopping</Link>
    </>
  );
}

export default function Success() {
  return (
    <Suspense fallback={null}>
      <Order />
    </Suspense>
  );
}
