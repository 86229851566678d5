import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

// One line per public subpath: the key is the file name in dist/, the value its source.
// package.json "exports", .size-limit.json and scripts/build-types.mjs list the same entries.
export const entries = {
  index: 'src/index.ts',
  vitals: 'src/capture/web-vitals.ts',
  zustand: 'src/adapters/zustand.ts',
  react: 'src/adapters/react.tsx',
  next: 'src/adapters/next.tsx',
  kinesis: 'src/sinks/kinesis.ts',
  dom: 'src/adapters/dom.ts',
  datalayer: 'src/adapters/datalayer.ts',
  segment: 'src/segment.ts',
};

// Optional runtime packages stay imports: the app's bundler resolves them (and splits the
// lazily imported AWS SDK into its own chunk).
const external = (id) =>
  /^(@aws-sdk|@smithy|web-vitals|react|react-dom|next|zustand|idb-keyval)(\/|$)/.test(id);

// Rollup drops module-level directives; React server components need 'use client' on these entries.
const useClient = {
  name: 'use-client',
  banner: (c) => (/adapters[\\/](react|next)\.tsx$/.test(c.facadeModuleId || '') ? "'use client';" : ''),
  onLog: (level, log) => !(log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('use client')),
};

const ts = () => typescript({ tsconfig: './tsconfig.json', declaration: false, outDir: undefined, rootDir: undefined });

export default [
  {
    input: entries,
    external,
    plugins: [ts(), useClient],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
    ],
  },
  {
    input: 'src/browser.ts',
    plugins: [resolve({ browser: true }), ts()],
    output: { file: 'dist/clicktrail.min.js', format: 'iife', inlineDynamicImports: true, plugins: [terser({ format: { comments: false } })] },
  },
  {
    // The full <script> build: browser.ts plus the DOM, dataLayer and capture plugins.
    input: 'src/browser-full.ts',
    plugins: [resolve({ browser: true }), ts()],
    output: { file: 'dist/clicktrail.full.min.js', format: 'iife', inlineDynamicImports: true, plugins: [terser({ format: { comments: false } })] },
  },
];
