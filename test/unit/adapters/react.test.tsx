import { act, cleanup, render } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClicktrailProvider, TrackView, useIdentify, useTracker, useTrackView } from '../../../src/adapters/react';
import { captureTracker } from '../../support/capture-tracker';

afterEach(cleanup);

const item = { item_id: 'p-watch', item_name: 'Smart Watch', price: 120 };

describe('ClicktrailProvider and useTracker', () => {
  it('gives components the provider\'s tracker', () => {
    const { tracker } = captureTracker();
    let seen: unknown;
    const Probe = () => ((seen = useTracker()), null);
    render(<ClicktrailProvider tracker={tracker}><Probe /></ClicktrailProvider>);
    expect(seen).toBe(tracker);
  });

  it('gives null outside a provider, with one console warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let seen: unknown = 'unset';
    const Probe = () => ((seen = useTracker()), null);
    render(<><Probe /><Probe /></>);
    expect(seen).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});

describe('TrackView and useTrackView', () => {
  it('sends view_item once under StrictMode\'s double mount', async () => {
    const { tracker, sent } = captureTracker();
    render(
      <StrictMode>
        <ClicktrailProvider tracker={tracker}>
          <TrackView event="view_item" properties={{ items: [item], currency: 'USD', value: 120 }} />
        </ClicktrailProvider>
      </StrictMode>,
    );
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties])).toEqual([['view_item', { items: [item], currency: 'USD', value: 120 }]]);
  });

  it('sends again when the properties change or the component mounts anew, not on re-render', async () => {
    const { tracker, sent } = captureTracker();
    let setId!: (id: string) => void;
    let rerender!: () => void;
    const Page = () => {
      const [id, set] = useState('a');
      const [, tick] = useState(0);
      setId = set;
      rerender = () => tick((n) => n + 1);
      return <TrackView event="view_item" properties={{ items: [{ item_id: id }] }} />;
    };
    const view = render(<ClicktrailProvider tracker={tracker}><Page /></ClicktrailProvider>);
    act(() => rerender());
    act(() => setId('b'));
    view.unmount();
    render(<ClicktrailProvider tracker={tracker}><Page /></ClicktrailProvider>);
    const ids = (await sent()).map((e) => e.properties.items[0].item_id);
    expect(ids).toEqual(['a', 'b', 'a']);
  });

  it('waits for a tracker that the provider gets after the first render', async () => {
    const { tracker, sent } = captureTracker();
    const Probe = () => (useTrackView('home_view', { section: 'banner' }), null);
    const view = render(<ClicktrailProvider tracker={null}><Probe /></ClicktrailProvider>);
    view.rerender(<ClicktrailProvider tracker={tracker}><Probe /></ClicktrailProvider>);
    expect((await sent()).map((e) => [e.name, e.properties])).toEqual([['home_view', { section: 'banner' }]]);
  });

  it('renders on the server without a tracker and without touching window', () => {
    const html = renderToString(
      <ClicktrailProvider tracker={null}>
        <TrackView event="view_item" properties={{ items: [item] }} />
        <p>page</p>
      </ClicktrailProvider>,
    );
    expect(html).toBe('<p>page</p>');
  });
});

describe('useIdentify', () => {
  it('identifies a signed-in user once, ignores loading, and resets on sign-out', async () => {
    const { tracker, sent } = captureTracker();
    const Auth = (p: { userId: string | null | undefined }) => (useIdentify(p.userId), null);
    const view = render(<ClicktrailProvider tracker={tracker}><Auth userId={undefined} /></ClicktrailProvider>);
    view.rerender(<ClicktrailProvider tracker={tracker}><Auth userId="sub-123" /></ClicktrailProvider>);
    expect(tracker.ids().userId).toBe('sub-123');
    const anonymous = tracker.ids().anonymousId;
    view.unmount();
    // A reload with the same signed-in user: the tracker already knows them.
    const again = render(<ClicktrailProvider tracker={tracker}><Auth userId="sub-123" /></ClicktrailProvider>);
    again.rerender(<ClicktrailProvider tracker={tracker}><Auth userId={null} /></ClicktrailProvider>);
    expect(tracker.ids().userId).toBeNull();
    expect(tracker.ids().anonymousId).not.toBe(anonymous);
    expect((await sent()).map((e) => [e.name, e.userId])).toEqual([['identify', 'sub-123']]);
  });
});
