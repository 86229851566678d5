// @vitest-environment node
// What an app's bundler makes of the built package: an HTTP-only app carries no AWS SDK, and a
// Kinesis app loads the SDK in a chunk of its own, on the first flush. Bundles dist/ with esbuild
// the way an app would (package "exports" resolved through node_modules/clicktrail).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clicktrail-bundle-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'clicktrail'), 'dir');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Chunk {
  file: string;
  text: string;
  inputs: string[];
  brotli: number;
}

/** Bundles `source` as an app would (ESM, code splitting, minified) and splits the output into
 * what the page loads up front (the entry and its static imports) and what loads later. */
async function bundle(name: string, source: string): Promise<{ initial: Chunk[]; lazy: Chunk[] }> {
  const entry = join(dir, `${name}.js`);
  writeFileSync(entry, source);
  const outdir = join(dir, `out-${name}`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outdir,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: dir,
  });
  const outputs: Metafile['outputs'] = result.metafile.outputs;
  const chunk = (file: string): Chunk => {
    const text = readFileSync(join(dir, file), 'utf8');
    return { file, text, inputs: Object.keys(outputs[file].inputs), brotli: brotliCompressSync(text).length };
  };
  const start = Object.keys(outputs).find((f) => outputs[f].entryPoint && f.endsWith('.js'))!;
  const initial = new Set<string>();
  const visit = (f: string) => {
    if (initial.has(f)) return;
    initial.add(f);
    for (const i of outputs[f].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(start);
  const js = Object.keys(outputs).filter((f) => f.endsWith('.js'));
  return { initial: js.filter((f) => initial.has(f)).map(chunk), lazy: js.filter((f) => !initial.has(f)).map(chunk) };
}

const SDK = /@aws-sdk|PutRecords|KinesisClient|Kinesis_20131202|amazonaws/;
const sum = (chunks: Chunk[]) => chunks.reduce((n, c) => n + c.brotli, 0);

describe('the AWS SDK in app bundles', () => {
  it('leaves every trace of the AWS SDK out of an app that uses only the HTTP sink', async () => {
    const { initial, lazy } = await bundle(
      'http-app',
      `import { createTracker, httpSink } from 'clicktrail';
       window.tracker = createTracker({ sink: httpSink({ url: '/v1/events' }) });`,
    );
    const all = [...initial, ...lazy];
    expect(all.length).toBeGreaterThan(0);
    // The tracker and the HTTP sink really are in it.
    expect(initial.map((c) => c.text).join('')).toMatch(/ClicktrailError[\s\S]*keepalive/);
    for (const c of all) {
      expect(c.text).not.toMatch(SDK);
      expect(c.inputs.filter((i) => /@aws-sdk|@smithy|dist\/(kinesis|chunks\/(kinesis|sender))/.test(i))).toEqual([]);
    }
  });

  it('keeps the SDK out of a Kinesis app\u2019s first script and loads it in a chunk of its own', async () => {
    const { initial, lazy } = await bundle(
      'kinesis-app',
      `import { createTracker } from 'clicktrail';
       import { kinesisSink } from 'clicktrail/kinesis';
       window.tracker = createTracker({ sink: kinesisSink({ streamName: 's', region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }) });`,
    );
    const first = initial.map((c) => c.text).join('\n');
    // (The one mention allowed: the message that says to install the SDK when it is missing.)
    expect(first.replace(/"@aws-sdk\/client-kinesis is not installed[^"]*"/, '')).not.toMatch(SDK);
    expect(initial.flatMap((c) => c.inputs).filter((i) => /@aws-sdk|@smithy/.test(i))).toEqual([]);
    expect(first).toMatch(/import\("\.\/[^"]+\.js"\)/);
    expect(first).toContain('kinesis');

    const sdk = lazy.find((c) => c.text.includes('PutRecords'));
    expect(sdk).toBeDefined();
    expect(sdk!.inputs.some((i) => i.includes('@aws-sdk/client-kinesis'))).toBe(true);
    // Modular imports: PutRecords is the only command that comes along.
    const commands = lazy.flatMap((c) => c.inputs).filter((i) => /client-kinesis\/dist-es\/commands\//.test(i));
    expect(commands.map((i) => i.replace(/.*\//, ''))).toEqual(['PutRecordsCommand.js']);

    // size-limit leaves peer dependencies out, so the AWS SDK's share of the budget is checked here.
    expect(sum(lazy)).toBeLessThan(60 * 1024);
    const http = await bundle('http-only', `import { createTracker, httpSink } from 'clicktrail'; window.t = createTracker({ sink: httpSink({ url: '/e' }) });`);
    // eslint-disable-next-line no-console
    console.log(
      `kinesis app, brotli: first script ${sum(initial)} B (the same app with httpSink instead: ${sum(http.initial)} B); ` +
        `loaded on first flush ${sum(lazy)} B in ${lazy.length} chunks`,
    );
  });
});
