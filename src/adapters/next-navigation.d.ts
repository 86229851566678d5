// The two hooks of next/navigation that adapters/next.tsx uses. next is an optional peer
// dependency and is not installed in this repository; the app's own next provides the code.
declare module 'next/navigation' {
  export function usePathname(): string | null;
  export function useSearchParams(): { toString(): string } | null;
}
