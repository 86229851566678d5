// Installs the benchmark's peers into test/bench/node_modules when they are missing, so that
// the root install stays lean. Run by `npm run bench`.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const deps = Object.keys(JSON.parse(readFileSync(dir + 'package.json', 'utf8')).dependencies);
const missing = deps.filter((d) => !existsSync(`${dir}node_modules/${d}/package.json`));
// BENCH_SDKS=clicktrail,bare needs no peer: no install (and no registry) for that quick run.
const own = ['clicktrail', 'bare'];
const peers = process.env.BENCH_SDKS ? process.env.BENCH_SDKS.split(',').some((n) => !own.includes(n.trim())) : true;
if (missing.length && peers) {
  console.log(`bench: installing ${missing.join(', ')} into test/bench/`);
  execSync(existsSync(dir + 'package-lock.json') ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', { cwd: dir, stdio: 'inherit' });
}
