// The catalogue, in the Sanity-like shape the Shopcart template keeps after its move to Prisma.
export interface Product {
  _id: string;
  name: string;
  slug: { current: string };
  description: string;
  price: number;
  discount: number;
  stock: number;
  status: 'new' | 'hot' | 'sale';
  variant: string;
  isFeatured: boolean;
  images: string[];
  brand: string;
  categories: string[];
}

const p = (
  _id: string, name: string, price: number, discount: number, variant: string, brand: string,
  categories: string[], status: Product['status'] = 'new',
): Product => ({
  _id,
  name,
  slug: { current: name.toLowerCase().replace(/[^a-z0-9]+/g, '-') },
  description: `${name} by ${brand}.`,
  price,
  discount,
  stock: 20,
  status,
  variant,
  isFeatured: status === 'hot',
  images: [],
  brand,
  categories,
});

export const products: Product[] = [
  p('prd-watch', 'Smart Watch', 120, 10, 'gadget', 'Apple', ['Watches', 'Gadgets'], 'hot'),
  p('prd-phone', 'Android Phone', 499, 50, 'gadget', 'Samsung', ['Mobiles']),
  p('prd-buds', 'Wireless Earbuds', 79, 0, 'gadget', 'Sony', ['Headphones', 'Gadgets'], 'sale'),
  p('prd-kettle', 'Electric Kettle', 35, 5, 'appliances', 'Philips', ['Kitchen']),
  p('prd-blender', 'Power Blender', 89, 0, 'appliances', 'Philips', ['Kitchen'], 'hot'),
  p('prd-laptop', 'Laptop 14', 999, 100, 'gadget', 'Lenovo', ['Laptops']),
  p('prd-fridge', 'Mini Fridge', 249, 20, 'refrigerators', 'Samsung', ['Appliances']),
  p('prd-camera', 'Action Camera', 199, 0, 'gadget', 'Sony', ['Cameras'], 'sale'),
];

export const slugify = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
export const categories = [...new Set(products.flatMap((x) => x.categories))];
export const brands = [...new Set(products.map((x) => x.brand))];
export const productBySlug = (slug: string) => products.find((x) => x.slug.current === slug);
