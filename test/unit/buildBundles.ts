// vitest globalSetup: the server tests drive the bundles users run (dist/server.js, dist/libraryWorker.js), built
// once here before any test file starts. Built per file, a second build could rewrite dist/ while another file's
// server was starting from it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function buildBundles(): void {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
}
