// The Shopcart template's cart store (store.ts), reproduced with real zustand for the adapter tests.
import { createStore, type StateCreator } from 'zustand/vanilla';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export interface Product {
  _id?: string;
  name: string;
  slug?: { current: string };
  price?: number | string;
  discount?: number;
  variant?: string;
  brand?: string;
  categories?: string[];
}
export interface CartItem {
  product: Product;
  quantity: number;
}
export interface StoreState {
  items: CartItem[];
  addItem: (product: Product) => void;
  removeItem: (productId: string) => void;
  deleteCartProduct: (productId: string) => void;
  resetCart: () => void;
  favoriteProduct: Product[];
  addToFavorite: (product: Product) => Promise<void>;
  removeFromFavorite: (productId: string) => void;
}

const shopcart: StateCreator<StoreState> = (set) => ({
  items: [],
  favoriteProduct: [],
  addItem: (product) =>
    set((state) => {
      const existing = state.items.find((i) => i.product._id === product._id);
      if (existing) {
        return { items: state.items.map((i) => (i.product._id === product._id ? { ...i, quantity: i.quantity + 1 } : i)) };
      }
      return { items: [...state.items, { product, quantity: 1 }] };
    }),
  removeItem: (productId) =>
    set((state) => ({
      items: state.items.reduce((acc, item) => {
        if (item.product._id === productId) {
          if (item.quantity > 1) acc.push({ ...item, quantity: item.quantity - 1 });
        } else acc.push(item);
        return acc;
      }, [] as CartItem[]),
    })),
  deleteCartProduct: (productId) => set((state) => ({ items: state.items.filter(({ product }) => product?._id !== productId) })),
  resetCart: () => set({ items: [] }),
  addToFavorite: (product) =>
    new Promise<void>((resolve) => {
      set((state) => {
        const isFavorite = state.favoriteProduct.some((i) => i._id === product._id);
        return {
          favoriteProduct: isFavorite ? state.favoriteProduct.filter((i) => i._id !== product._id) : [...state.favoriteProduct, { ...product }],
        };
      });
      resolve();
    }),
  removeFromFavorite: (productId) => set((state) => ({ favoriteProduct: state.favoriteProduct.filter((i) => i?._id !== productId) })),
});

/** A vanilla store, no persistence. */
export const vanillaShopcart = () => createStore<StoreState>()(shopcart);

/** The template's hook: `create` + `persist` to localStorage under `cart-store`. */
export const persistedShopcart = (options: { skipHydration?: boolean } = {}) =>
  create<StoreState>()(persist(shopcart, { name: 'cart-store', storage: createJSONStorage(() => localStorage), ...options }));

export const watch: Product = {
  _id: 'p-watch',
  name: 'Smart Watch',
  slug: { current: 'smart-watch' },
  price: 120,
  discount: 10,
  variant: 'gadget',
  brand: 'Apple',
  categories: ['Watches'],
};
export const kettle: Product = {
  _id: 'p-kettle',
  name: 'Kettle',
  slug: { current: 'kettle' },
  price: 35,
  discount: 0,
  variant: 'appliances',
  brand: 'Philips',
  categories: ['Kitchen'],
};
