// Packs what `npm publish` would ship (from the dist/ just built: --ignore-scripts skips the
// prepack rebuild) and runs @arethetypeswrong/cli on the tarball: every entry must resolve with
// the right types under node10, node16 (from CommonJS and from ESM) and bundler resolution.
// This is `attw --pack`, minus the second build its `npm pack` would run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'temp/pack';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const [info] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { encoding: 'utf8' }));
const tarball = join(dir, info.filename);
console.log(`${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} kB`);
const r = spawnSync(process.execPath, ['node_modules/@arethetypeswrong/cli/dist/index.js', tarball, '--format', 'table-flipped'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
