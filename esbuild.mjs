// One build script for every bundle: the extension host entry, the CLI, the language server, the index worker and the
// search webview. `--watch` rebuilds on change; `--production` minifies and drops source maps.
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// citation-js's fetch plugins spawn process.execPath with a worker file a bundle lacks; nothing here
// fetches over the network, so the modules are replaced by an empty one.
const noNetworkFetch = {
  name: 'no-network-fetch',
  setup(build) {
    build.onResolve({ filter: /^(sync-fetch|fetch-ponyfill|isomorphic-fetch|node-fetch)$/ }, (args) => ({
      path: args.path,
      namespace: 'no-network-fetch',
    }));
    build.onLoad({ filter: /.*/, namespace: 'no-network-fetch' }, () => ({
      contents: 'module.exports = function () { throw new Error("Paperlens does not fetch over the network"); };',
      loader: 'js',
    }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  plugins: [noNetworkFetch],
};

/** The webview views' scripts: plain browser bundles. */
const webview = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
};

const entries = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/server/entry.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['src/worker/libraryWorker.ts'], outfile: 'dist/libraryWorker.js' },
  { ...webview, entryPoints: ['src/webview/search.ts'], outfile: 'dist/webview/search.js' },
  { ...webview, entryPoints: ['src/webview/related.ts'], outfile: 'dist/webview/related.js' },
].filter((options) => existsSync(options.entryPoints[0]));

// A release build starts from an empty dist/, so no stale file from a dev build can reach the package.
if (production) rmSync('dist', { recursive: true, force: true });

if (watch) {
  for (const options of entries) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(entries.map((options) => esbuild.build(options)));
}
