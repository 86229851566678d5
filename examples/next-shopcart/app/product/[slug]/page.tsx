import { TrackView } from 'clicktrail/react';
import { toItem } from 'clicktrail/zustand';
import { notFound } from 'next/navigation';
import { AddToCartButton, FavoriteButton } from '@/components/buttons';
import { productBySlug, products } from '@/lib/products';

export const generateStaticParams = () => products.map((p) => ({ slug: p.slug.current }));

// A server component: TrackView is a client component that sends view_item once per visit.
export default async function ProductPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const product = productBySlug(slug);
  if (!product) notFound();
  const item = toItem(product).item!;
  return (
    <article className="card" data-product={slug}>
      <TrackView event="view_item" properties={{ currency: 'USD', value: product.price, items: [item] }} />
      <FavoriteButton product={product} />
      <h1>{product.name}</h1>
      <p>{product.description}</p>
      <p>
        <strong>${product.price}</strong> <s>${product.price + (product.discount * product.price) / 100}</s>
      </p>
      <AddToCartButton product={product} />
    </article>
  );
}
