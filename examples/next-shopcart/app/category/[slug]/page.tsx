import { notFound } from 'next/navigation';
import { ProductList } from '@/lib/list';
import { categories, products, slugify } from '@/lib/products';

export const generateStaticParams = () => categories.map((c) => ({ slug: slugify(c) }));

export default async function Category({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const name = categories.find((c) => slugify(c) === slug);
  if (!name) notFound();
  return <ProductList id={`category-${slug}`} title={name} products={products.filter((p) => p.categories.includes(name))} />;
}
