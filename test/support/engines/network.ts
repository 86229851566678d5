import { connect, createServer, type Socket } from 'node:net';

export interface DeadSwitch {
  /** http://127.0.0.1:port of the switch: load pages and send events through it. */
  url: string;
  /** true: every open connection is reset and new ones are refused, as on a dead network. */
  setDead(dead: boolean): void;
  close(): Promise<void>;
}

/**
 * A TCP relay in front of a test server that can play a dead network, for every engine alike.
 * Browser offline switches differ by build (Chromium 150 reports navigator.onLine === true after
 * a reload under context.setOffline(true); classic WebDriver has none), but a reset connection
 * is the same everywhere.
 */
export async function deadSwitch(targetPort: number): Promise<DeadSwitch> {
  let dead = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (dead) return void client.resetAndDestroy();
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const done = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    setDead(value) {
      dead = value;
      if (value) for (const s of open) s.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of open) s.destroy();
        server.close(() => ok());
      }),
  };
}
