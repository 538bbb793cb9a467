// The extension-host suite (test/vscode/suite) inside code-server: the test-runner extension (test/vscode/runner)
// is packaged and installed beside Paperlens; code-server gets the variables that tell it which window runs the
// suite and where to write the results; a window opened on its own copy of examples/ runs it; this reads the
// results file, prints one line per test and returns the tally.
import { spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIMEOUT_SCALE } from '../harness.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const runnerDir = join(repo, 'test', 'vscode', 'runner');
const suiteEntry = join(repo, 'test', 'vscode', 'suite', 'index.js');
/** The name a spec filter matches (`node test/e2e/run.mjs extension-host`) and the heading of its lines. */
export const HOST_SUITE_NAME = 'extension-host';
/** The whole suite, the window's start and the library's first load included, on a loaded machine. */
const HOST_SUITE_TIMEOUT = 600_000 * TIMEOUT_SCALE;

/** Packages the test-runner extension into `vsix`; throws with vsce's output when that fails. */
export function packageRunner(vsix) {
  const vsce = join(repo, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsix], {
    cwd: runnerDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`vsce package of ${runnerDir} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
}

/** The variables code-server passes to its extension hosts: which window runs the suite, and where its results go. */
export function hostSuiteEnv({ workspace, results }) {
  return { PAPERLENS_HOST_TESTS_SUITE: suiteEntry, PAPERLENS_HOST_TESTS_WORKSPACE: workspace, PAPERLENS_HOST_TESTS_RESULTS: results };
}

/**
 * Opens a window on `workspace` (with `openWindow`, which resolves once the workbench shows) and waits until the
 * runner has written `results`. Prints each test's line under `print`; returns { passed, failed, window }.
 * A suite that writes no results in time counts as one failure, with the reason.
 */
export async function runHostSuite({ openWindow, workspace, results, print }) {
  const started = Date.now();
  const window = await openWindow(workspace);
  let written = null;
  while (!written) {
    written = await stat(results).catch(() => null);
    if (written) break;
    if (Date.now() - started > HOST_SUITE_TIMEOUT) {
      print(`  ✗ the suite wrote no results within ${HOST_SUITE_TIMEOUT / 1000} s (${results})`);
      return { passed: 0, failed: 1, window };
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  const outcome = JSON.parse(await readFile(results, 'utf8'));
  for (const line of outcome.lines) print(line.replace(/^/gm, '  '));
  print(`  ${HOST_SUITE_NAME}: ${outcome.passed} passed, ${outcome.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { passed: outcome.passed, failed: outcome.failed, window };
}
