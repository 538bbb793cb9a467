// `npm run test:vscode`: the extension-host suite (test/vscode/suite) in a desktop VS Code that
// @vscode/test-electron downloads (so only where VS Code can be downloaded; `npm test` runs the same suite inside
// code-server instead, see test/e2e/lib/host-suite.mjs). Builds the extension, opens a fresh copy of examples/
// with Paperlens loaded from this folder, and exits with the suite's verdict.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main() {
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
  if (built.status !== 0) return built.status ?? 1;
  const runDir = await mkdtemp(join(tmpdir(), 'paperlens-vscode-'));
  const workspace = join(runDir, 'examples');
  await cp(join(repo, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(runDir, 'user-data')],
    });
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
