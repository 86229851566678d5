// PageViews' own logic (one page_view per URL, StrictMode, Suspense) with next/navigation's two
// hooks played by a tiny router; the real App Router is exercised in test/e2e/next-shopcart.
import { act, cleanup, render } from '@testing-library/react';
import { createContext, StrictMode, useContext, useState } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureTracker } from '../../support/capture-tracker';

const Url = createContext({ path: '/', search: '' });
vi.mock('next/navigation', () => ({
  usePathname: () => useContext(Url).path,
  useSearchParams: () => new URLSearchParams(useContext(Url).search),
}));

const { PageViews } = await import('../../../src/adapters/next');
const { ClicktrailProvider } = await import('../../../src/adapters/react');

afterEach(cleanup);

function App({ tracker, go }: { tracker: any; go: (fn: (u: { path: string; search: string }) => void) => void }) {
  const [url, setUrl] = useState({ path: '/', search: '' });
  const [, tick] = useState(0);
  go((u) => (u.path === '' ? tick((n) => n + 1) : setUrl(u)));
  return (
    <Url.Provider value={url}>
      <ClicktrailProvider tracker={tracker}>
        <PageViews properties={{ app: 'shop' }} />
      </ClicktrailProvider>
    </Url.Provider>
  );
}

describe('PageViews', () => {
  it('sends one page_view per URL under StrictMode, none for re-renders', async () => {
    const { tracker, sent } = captureTracker();
    let navigate!: (u: { path: string; search: string }) => void;
    render(
      <StrictMode>
        <App tracker={tracker} go={(fn) => (navigate = fn)} />
      </StrictMode>,
    );
    // As the App Router does: the history call, then the render with the new URL.
    const go = (path: string, search: string, how: 'pushState' | 'replaceState' = 'pushState') =>
      act(() => {
        history[how](null, '', path + (search ? '?' + search : ''));
        navigate({ path, search });
      });
    act(() => navigate({ path: '', search: '' })); // a re-render, same URL
    go('/shop', '');
    go('/shop', 'brand=sony', 'replaceState');
    act(() => navigate({ path: '/shop', search: 'brand=sony' }));
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties])).toEqual([
      ['page_view', { navigationType: 'load', app: 'shop' }],
      ['page_view', { navigationType: 'push', app: 'shop' }],
      ['page_view', { navigationType: 'replace', app: 'shop' }],
    ]);
  });

  it('uses the tracker prop over the provider\'s, without a provider warning, and renders nothing on the server', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const own = captureTracker();
    render(<PageViews tracker={own.tracker} />);
    expect((await own.sent()).map((e) => [e.name, e.properties])).toEqual([['page_view', { navigationType: 'load' }]]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(renderToString(<PageViews />).replace(/<!--.*?-->/g, '')).toBe('');
  });
});
