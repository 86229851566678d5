import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Every process an engine starts, so that none outlives the test run, even when vitest exits
// on a failure without running afterAll.
const live = new Set<ChildProcess>();
let hooked = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, signal); // its own process group: the browser it spawned goes too
  } catch {
    child.kill(signal);
  }
}

/** Starts `command` in its own process group, remembered until it exits. */
export function spawnTracked(command: string, args: string[], options: Parameters<typeof spawn>[2] = {}): ChildProcess {
  if (!hooked) {
    hooked = true;
    const killAll = () => live.forEach((c) => killGroup(c, 'SIGKILL'));
    process.once('exit', killAll);
    // A worker stopped by a signal emits no 'exit': kill, then let the signal do what it does.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        killAll();
        process.kill(process.pid, signal);
      });
    }
  }
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if the group is still there after `graceMs`. */
export async function stop(child: ChildProcess | undefined, graceMs = 2000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
  killGroup(child, 'SIGKILL'); // children left in the group after the leader went
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Starts `Xvfb -displayfd 3` and resolves to its display (":N") once it is ready. */
export async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const child = spawnTracked('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const display = await new Promise<string>((ok, fail) => {
    let out = '';
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(':' + out.trim());
    });
    child.once('exit', (code) => fail(new Error(`Xvfb exited (${code}): ${err.slice(-500)}`)));
    setTimeout(() => fail(new Error('Xvfb gave no display within 10 s')), 10_000).unref();
  });
  return { display, process: child };
}

/** The processes of group `pgid` (a child started detached leads its own): pid and command line. */
export function groupMembers(pgid: number): { pid: number; args: string[] }[] {
  const out: { pid: number; args: string[] }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // pid (name) state ppid pgrp ...: the name may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      out.push({ pid: Number(d), args: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
