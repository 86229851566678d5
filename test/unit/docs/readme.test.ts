// The README and the examples tell a newcomer the truth about installing and running things.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the README', () => {
  it('starts with the demo command and the test command, both real scripts', () => {
    const first = readme.split('\n').slice(0, 6).join('\n');
    expect(first).toContain('npm ci && npm run demo');
    expect(first).toContain('npm test ');
    expect(pkg.scripts.demo).toBeTruthy();
    expect(pkg.scripts.test).toBe('node scripts/test.mjs');
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  it('installs from a tarball or the repository, not from a registry or CDN that has no copy', () => {
    expect(readme).not.toMatch(/unpkg\.com|jsdelivr\.net/);
    expect(readme).not.toMatch(/^npm install clicktrail\b/m);
    expect(readme).toContain('npm install ../clicktrail/clicktrail-0.1.0.tgz');
    expect(readme).toContain(`clicktrail-${pkg.version}.tgz`);
  });

  it('opens with a getting-started path before the reference', () => {
    const order = ['## Getting started', '**1. Install.**', '**2. See your first event.**', '**3. Go to production.**', '## Quick start', '## API'];
    const at = order.map((h) => readme.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});

describe('the examples', () => {
  it.each(readdirSync(join(ROOT, 'examples')).filter((d) => !d.startsWith('.')))('%s has a README saying how to run it', (dir) => {
    const file = join(ROOT, 'examples', dir, 'README.md');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/```sh\n[\s\S]*?\b(npm|node)\b/);
  });
});
