// @vitest-environment node
// @aws-sdk/client-kinesis is an optional peer dependency: an app that uses clicktrail/kinesis
// without it gets a message that says what to install, through onError, and no throw. The
// package is installed from its files (not linked, so our own node_modules cannot leak in).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clicktrail-no-sdk-'));
  const pkg = join(dir, 'node_modules', 'clicktrail');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  // Its dependencies are there, as npm would install them; the optional peer is not.
  for (const dep of ['idb-keyval', 'web-vitals']) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clicktrail/kinesis without @aws-sdk/client-kinesis installed', () => {
  it('reports through onError that @aws-sdk/client-kinesis must be installed, and keeps the events', () => {
    writeFileSync(
      join(dir, 'app.mjs'),
      `import { createTracker } from 'clicktrail';
       import { kinesisSink } from 'clicktrail/kinesis';
       const errors = [];
       const t = createTracker({
         appId: 'nosdk',
         sink: kinesisSink({ streamName: 's', region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
         onError: (e) => errors.push({ code: e.code, message: e.message }),
       });
       t.track('view_item', { i: 1 });
       const first = await t.flush();
       const second = await t.flush();
       console.log(JSON.stringify({ first, second, errors }));
       process.exit(0);`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['app.mjs'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!);
    expect(out.first).toMatchObject({ sent: 0, failed: 1, queued: 1 });
    expect(out.second).toMatchObject({ sent: 0, queued: 1 });
    expect(out.errors.length).toBeGreaterThanOrEqual(1);
    for (const e of out.errors) {
      expect(e.code).toBe('sink_failed');
      expect(e.message).toMatch(/@aws-sdk\/client-kinesis is not installed; clicktrail\/kinesis needs it: npm install @aws-sdk\/client-kinesis/);
    }
  });

  it('lets an HTTP-only app bundle and run with no AWS SDK at all', async () => {
    writeFileSync(join(dir, 'http.js'), `import { createTracker, httpSink } from 'clicktrail'; window.t = createTracker({ sink: httpSink({ url: '/e' }) });`);
    const r = await build({ entryPoints: [join(dir, 'http.js')], bundle: true, write: false, format: 'esm', absWorkingDir: dir, logLevel: 'silent' });
    expect(r.errors).toEqual([]);
  });

  it('fails an app\u2019s bundle that imports clicktrail/kinesis at build time, naming the package to install', async () => {
    writeFileSync(join(dir, 'kin.js'), `import { kinesisSink } from 'clicktrail/kinesis'; window.k = kinesisSink;`);
    const r = build({ entryPoints: [join(dir, 'kin.js')], bundle: true, splitting: true, outdir: join(dir, 'out'), format: 'esm', absWorkingDir: dir, logLevel: 'silent' });
    await expect(r).rejects.toThrow(/Could not resolve "@aws-sdk\/client-kinesis"/);
  });
});
