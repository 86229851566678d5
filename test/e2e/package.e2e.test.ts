// What `npm pack` ships: the tarball a user installs with `npm install ./clicktrail-<version>.tgz`
// until the package is on the registry. A fresh clone has no dist/: prepack must build it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const ROOT_PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// Every subpath the package exports, by its file name in dist/ (index, kinesis, react...).
const ENTRIES = Object.values(ROOT_PKG.exports as Record<string, { import?: { default: string } }>)
  .map((e) => e.import?.default.match(/^\.\/dist\/(\w+)\.js$/)?.[1])
  .filter(Boolean) as string[];
// npm pack --json prints the prepack script's output first, then the JSON.
const packed = (cwd: string, ...args: string[]) => {
  const out = '\n' + execFileSync('npm', ['pack', '--json', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.slice(out.lastIndexOf('\n[')))[0] as { filename: string; files: { path: string }[] };
};

describe('the npm package', () => {
  it('holds the ESM, CommonJS, both kinds of types and the <script> builds, and no sources or tests', () => {
    const files = packed(ROOT, '--dry-run', '--ignore-scripts').files.map((f) => f.path);
    expect(ENTRIES.length).toBeGreaterThan(8);
    for (const e of ENTRIES) for (const ext of ['js', 'cjs', 'd.ts', 'd.cts']) expect(files).toContain(`dist/${e}.${ext}`);
    for (const f of ['dist/clicktrail.min.js', 'dist/clicktrail.full.min.js', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) expect(files).toContain(f);
    expect(files.filter((f) => !f.startsWith('dist/') && !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(f))).toEqual([]);
  });

  it('is built by prepack when packed from a fresh clone with no dist/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clicktrail-pack-'));
    try {
      // The repository's files as a clone has them (tracked and new ones, not ignored ones),
      // with the installed node_modules linked in: what `git clone && npm ci` leaves.
      const list = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
      for (const f of list) if (existsSync(join(ROOT, f)) && !f.startsWith('examples/')) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      expect(existsSync(join(dir, 'dist'))).toBe(false);
      const { filename, files } = packed(dir, '--pack-destination', dir);
      const inTarball = execFileSync('tar', ['tzf', join(dir, filename)], { encoding: 'utf8' }).split('\n');
      expect(files.map((f) => f.path)).toContain('dist/clicktrail.min.js');
      for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.cts', 'dist/clicktrail.min.js']) expect(inTarball).toContain(`package/${f}`);
      expect(dirname(filename)).toBe('.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
