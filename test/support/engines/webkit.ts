import { freePort, spawnTracked, startXvfb, stop } from './processes';
import type { Engine, EngineOptions, EnginePage } from './types';

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver, with plain HTTP WebDriver calls. MiniBrowser
 * has no headless mode (it refuses --headless, and without a display the new-session request
 * hangs), so it runs under an Xvfb started here. Classic WebDriver gives no console: pages
 * report their errors to the test server instead (see test/support/pages.ts).
 */
export async function openWebKit(o: EngineOptions = {}): Promise<Engine> {
  if (o.profileDir) throw new Error('WebKit: MiniBrowser in automation mode keeps no storage between sessions, no profile to keep');
  const xvfb = await startXvfb();
  let driver: ReturnType<typeof spawnTracked> | undefined;
  let session = '';
  try {
    const port = await freePort();
    driver = spawnTracked('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
      stdio: 'ignore',
      env: { ...process.env, DISPLAY: xvfb.display },
    });
    const base = `http://127.0.0.1:${port}`;
    // One WebDriver command at a time: a command for one tab must not run while another tab
    // is the current window.
    let chain: Promise<unknown> = Promise.resolve();
    const serial = <T>(work: () => Promise<T>): Promise<T> => {
      const next = chain.then(work, work);
      chain = next.catch(() => undefined);
      return next;
    };
    async function call(method: string, path: string, body?: unknown): Promise<any> {
      const res = await fetch(base + path, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json: any = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
      return json.value;
    }
    for (let i = 0; ; i++) {
      try {
        await call('GET', '/status');
        break;
      } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const created = await call('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: process.env.MINIBROWSER_PATH || MINIBROWSER, args: ['--automation'] },
        },
      },
    });
    session = created.sessionId;
    const s = `/session/${session}`;
    const version = `WebKitGTK ${created.capabilities?.browserVersion ?? ''}`.trim();
    // The session's first window stays open on about:blank: a session whose last window
    // closes ends, and tests close tabs.
    const keeper: string = await call('GET', `${s}/window`);
    let current = keeper;
    const use = async (handle: string) => {
      if (current !== handle) await call('POST', `${s}/window`, { handle });
      current = handle;
    };

    const engine: Engine = {
      name: 'webkit',
      version,
      async newPage() {
        const handle: string = (await serial(() => call('POST', `${s}/window/new`, { type: 'tab' }))).handle;
        const on = <T>(work: () => Promise<T>) => serial(async () => (await use(handle), work()));
        const page: EnginePage = {
          goto: (url) => on(() => call('POST', `${s}/url`, { url })),
          evaluate: (fn, arg) =>
            on(async () => {
              // WebKit serialises the result with the page's JSON after done() returns: a page
              // that defines toJSON on Object.prototype or Array.prototype (Prototype.js) would
              // turn it into its own string, so those are set aside until the next task.
              const script = `const done = arguments[arguments.length - 1];
                const finish = (r) => {
                  const protos = [Array.prototype, Object.prototype];
                  const own = protos.map((p) => Object.getOwnPropertyDescriptor(p, 'toJSON'));
                  protos.forEach((p, i) => own[i] && delete p.toJSON);
                  done(r);
                  setTimeout(() => protos.forEach((p, i) => own[i] && Object.defineProperty(p, 'toJSON', own[i])));
                };
                Promise.resolve().then(() => (${fn})(arguments[0])).then(
                  (v) => finish({ ok: v === undefined ? null : v }), (e) => finish({ error: String(e && e.stack || e) }));`;
              const r = await call('POST', `${s}/execute/async`, { script, args: [arg ?? null] });
              if (r && 'error' in r) throw new Error(r.error);
              return r?.ok ?? undefined;
            }),
          click: (selector) =>
            on(async () => {
              const el = await call('POST', `${s}/element`, { using: 'css selector', value: selector });
              await call('POST', `${s}/element/${el[ELEMENT]}/click`, {});
            }),
          url: () => on(() => call('GET', `${s}/url`)),
          close: () =>
            on(async () => {
              await call('DELETE', `${s}/window`);
              // WebDriver has no current window after closing it: back to the blank one.
              await call('POST', `${s}/window`, { handle: keeper });
              current = keeper;
            }),
        };
        return page;
      },
      // Classic WebDriver has no network emulation: tests emulate a dead network at the server.
      setOffline: async () => false,
      pageErrors: () => [],
      async close() {
        await call('DELETE', s).catch(() => undefined);
        await stop(driver);
        await stop(xvfb.process);
      },
    };
    return engine;
  } catch (e) {
    await stop(driver);
    await stop(xvfb.process);
    throw e;
  }
}

