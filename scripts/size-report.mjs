// Where the bytes of an entry go: `node scripts/size-report.mjs dist/index.js "{ createTracker, httpSink }"`.
import { build } from 'esbuild';
import zlib from 'node:zlib';
const [file = 'dist/index.js', names = '*'] = process.argv.slice(2);
const contents = names === '*' ? `export * from './${file}'` : `export ${names} from './${file}'`;
const r = await build({ stdin: { contents, resolveDir: process.cwd() }, bundle: true, minify: true, format: 'esm', write: false, metafile: true });
const out = r.outputFiles[0].contents;
console.log('minified', out.length, 'brotli', zlib.brotliCompressSync(out).length);
const inputs = Object.values(r.metafile.outputs)[0].inputs;
for (const [k, v] of Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) console.log(String(v.bytesInOutput).padStart(7), k);
