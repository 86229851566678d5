import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  reactStrictMode: true,
  // This folder has its own lockfile; without this Next picks the repository root as the workspace.
  outputFileTracingRoot: here,
  eslint: { ignoreDuringBuilds: true },
  webpack(config) {
    // "clicktrail": "file:../.." is a symlink to the repository, whose node_modules has its own
    // react and no next. Resolve bare imports from this app's node_modules first, so that
    // clicktrail/react and clicktrail/next share the app's React and Next.
    config.resolve.modules = [`${here}/node_modules`, ...(config.resolve.modules || ['node_modules'])];
    return config;
  },
};
