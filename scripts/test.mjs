// `npm test`: every check, in order, on a fresh clone after `npm ci` with nothing else run first.
// A failing step does not hide the ones after it (size-limit still runs when a test fails);
// the exit code is 1 when any step failed, and the summary names them.
import { spawnSync } from 'node:child_process';

const bin = (name, ...args) => [process.execPath, [`node_modules/${name}`, ...args]];
const STEPS = [
  // Everything below needs dist/: when the build fails, nothing else can say anything useful.
  { name: 'build', cmd: ['npm', ['run', 'build']], required: true },
  { name: 'typecheck', cmd: bin('typescript/bin/tsc', '-p', 'tsconfig.test.json') },
  { name: 'unit', cmd: bin('vitest/vitest.mjs', 'run', '--project', 'unit') },
  // Installs and builds examples/next-shopcart when it is missing or stale (its e2e test needs it).
  { name: 'examples', cmd: [process.execPath, ['scripts/prepare-examples.mjs']] },
  { name: 'e2e', cmd: bin('vitest/vitest.mjs', 'run', '--project', 'e2e') },
  { name: 'engines', cmd: bin('vitest/vitest.mjs', 'run', '--project', 'engines') },
  { name: 'size', cmd: bin('size-limit/bin.js') },
  // What `npm pack` ships, and its types under every TypeScript resolution (attw).
  { name: 'package', cmd: [process.execPath, ['scripts/check-package.mjs']] },
  { name: 'api docs', cmd: [process.execPath, ['scripts/api-docs.mjs', '--check']] },
];

const only = process.argv.slice(2);
const failed = [];
for (const step of STEPS) {
  if (only.length && !only.includes(step.name)) continue;
  console.log(`\n── ${step.name} ──`);
  const started = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd[1], { stdio: 'inherit', shell: process.platform === 'win32' });
  const ok = r.status === 0;
  console.log(`── ${step.name}: ${ok ? 'passed' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(0)} s ──`);
  if (!ok) {
    failed.push(step.name);
    if (step.required) break;
  }
}
console.log(failed.length ? `\nnpm test: FAILED: ${failed.join(', ')}` : '\nnpm test: every step passed');
process.exit(failed.length ? 1 : 0);
