// Starts examples/collector/server.mjs as `npm run demo` does (without the build step), on a port
// the OS picks, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './browser';

export interface Demo {
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  readonly out: string;
  /** The kinesalite endpoint, with --sink kinesis. */
  kinesis?: string;
  stop(): Promise<void>;
}

export async function startDemo(args: string[] = []): Promise<Demo> {
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['examples/collector/server.mjs', ...args], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await waitFor('the demo server to print its URL', () => out.match(/clicktrail demo: (http:\/\/127\.0\.0\.1:\d+)\//)?.[1], 30_000);
    const kinesis = args.includes('kinesis') ? await waitFor('the kinesalite endpoint', () => out.match(/kinesalite (http:\/\/127\.0\.0\.1:\d+)/)?.[1]) : undefined;
    return {
      url,
      kinesis,
      get out() {
        return out;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${out}`);
  }
}
