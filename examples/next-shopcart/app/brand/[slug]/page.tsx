import { notFound } from 'next/navigation';
import { ProductList } from '@/lib/list';
import { brands, products, slugify } from '@/lib/products';

export const generateStaticParams = () => brands.map((b) => ({ slug: slugify(b) }));

export default async function Brand({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const name = brands.find((b) => slugify(b) === slug);
  if (!name) notFound();
  return <ProductList id={`brand-${slug}`} title={name} products={products.filter((p) => p.brand === name)} />;
}
