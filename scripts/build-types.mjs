// Emits declarations with tsc, then lets api-extractor roll up one .d.ts per public entry point
// and compare its API report in etc/ with the checked-in one. `--local` (npm run api) accepts a
// changed report; without it (CI, npm test) a changed public API fails the build.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { entries } from '../rollup.config.mjs';

const local = process.argv.includes('--local');
rmSync('temp/types', { recursive: true, force: true });
rmSync('temp/api', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--emitDeclarationOnly'], { stdio: 'inherit' });

let failed = false;
for (const name of Object.keys(entries)) {
  const base = ExtractorConfig.loadFile('api-extractor.json');
  base.mainEntryPointFilePath = `<projectFolder>/temp/types/${entries[name].replace(/^src\//, '').replace(/\.tsx?$/, '.d.ts')}`;
  base.apiReport.reportFileName = name === 'index' ? 'clicktrail' : `clicktrail-${name}`;
  base.dtsRollup.untrimmedFilePath = `<projectFolder>/dist/${name}.d.ts`;
  base.docModel = { enabled: true, apiJsonFilePath: `<projectFolder>/temp/api/${base.apiReport.reportFileName}.api.json` };
  const config = ExtractorConfig.prepare({
    configObject: base,
    configObjectFullPath: process.cwd() + '/api-extractor.json',
    packageJsonFullPath: process.cwd() + '/package.json',
  });
  const result = Extractor.invoke(config, { localBuild: local, showVerboseMessages: false });
  copyFileSync(`dist/${name}.d.ts`, `dist/${name}.d.cts`);
  if (!result.succeeded) {
    failed = true;
    console.error(`api-extractor: ${name}: ${result.errorCount} errors, ${result.warningCount} warnings` +
      (result.apiReportChanged ? ' (the API report changed: review it and run `npm run api`)' : ''));
  }
}
if (failed) process.exit(1);
