// Installs and builds examples/next-shopcart for its end-to-end test, only when needed: `npm ci`
// when its node_modules is missing or older than its lockfile, `next build` when its build is
// missing or older than a source file of the example or of clicktrail's adapters it bundles.
// Run by `npm test` after the root build (the example depends on clicktrail as file:../..).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const APP = 'examples/next-shopcart';
const mtime = (f) => (existsSync(f) ? statSync(f).mtimeMs : 0);
const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.next' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : mtime(p));
  }
  return t;
};
const run = (cmd, args) => {
  console.log(`${APP}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: APP, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) process.exit(r.status || 1);
};

const installed = join(APP, 'node_modules/.package-lock.json');
if (mtime(installed) < mtime(join(APP, 'package-lock.json'))) run('npm', ['ci', '--no-audit', '--no-fund']);
else console.log(`${APP}: installed`);

const built = join(APP, '.next/BUILD_ID');
if (mtime(built) < Math.max(newest(APP), newest('src'))) run(process.execPath, ['node_modules/next/dist/bin/next', 'build']);
else console.log(`${APP}: built`);
