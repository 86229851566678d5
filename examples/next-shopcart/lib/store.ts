// The Shopcart template's store.ts: cart and favourites in one zustand store, persisted to
// localStorage under "cart-store". Nothing here knows about analytics.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Product } from './products';

export interface CartItem {
  product: Product;
  quantity: number;
}

interface StoreState {
  items: CartItem[];
  addItem: (product: Product) => void;
  removeItem: (productId: string) => void;
  deleteCartProduct: (productId: string) => void;
  resetCart: () => void;
  getTotalPrice: () => number;
  getSubTotalPrice: () => number;
  getItemCount: (productId: string) => number;
  getGroupedItems: () => CartItem[];
  favoriteProduct: Product[];
  addToFavorite: (product: Product) => Promise<void>;
  removeFromFavorite: (productId: string) => void;
}

const useStore = create<StoreState>()(
  persist(
    (set, get) => ({
      items: [],
      favoriteProduct: [],
      addItem: (product) =>
        set((state) => {
          const existingItem = state.items.find((item) => item.product._id === product._id);
          if (existingItem) {
            return {
              items: state.items.map((item) =>
                item.product._id === product._id ? { ...item, quantity: item.quantity + 1 } : item,
              ),
            };
          }
          return { items: [...state.items, { product, quantity: 1 }] };
        }),
      removeItem: (productId) =>
        set((state) => ({
          items: state.items.reduce((acc, item) => {
            if (item.product._id === productId) {
              if (item.quantity > 1) acc.push({ ...item, quantity: item.quantity - 1 });
            } else {
              acc.push(item);
            }
            return acc;
          }, [] as CartItem[]),
        })),
      deleteCartProduct: (productId) =>
        set((state) => ({ items: state.items.filter(({ product }) => product?._id !== productId) })),
      resetCart: () => set({ items: [] }),
      getTotalPrice: () =>
        get().items.reduce((total, item) => total + (item.product.price ?? 0) * item.quantity, 0),
      getSubTotalPrice: () =>
        get().items.reduce((total, item) => {
          const price = item.product.price ?? 0;
          const discount = ((item.product.discount ?? 0) * price) / 100;
          return total + (price + discount) * item.quantity;
        }, 0),
      getItemCount: (productId) => get().items.find((item) => item.product._id === productId)?.quantity || 0,
      getGroupedItems: () => get().items,
      addToFavorite: (product) =>
        new Promise<void>((resolve) => {
          set((state) => {
            const isFavorite = state.favoriteProduct.some((item) => item._id === product._id);
            return {
              favoriteProduct: isFavorite
                ? state.favoriteProduct.filter((item) => item._id !== product._id)
                : [...state.favoriteProduct, { ...product }],
            };
          });
          resolve();
        }),
      removeFromFavorite: (productId) =>
        set((state) => ({ favoriteProduct: state.favoriteProduct.filter((item) => item?._id !== productId) })),
    }),
    { name: 'cart-store' },
  ),
);

export default useStore;
