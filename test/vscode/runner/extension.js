// @ts-check
// The extension-host suite inside code-server, where @vscode/test-electron cannot start VS Code: test/e2e/run.mjs
// installs this extension beside Paperlens and starts code-server with three variables. Activated at startup in
// every window, it acts only in the window whose workspace folder is PAPERLENS_HOST_TESTS_WORKSPACE: it loads the
// suite entry PAPERLENS_HOST_TESTS_SUITE (test/vscode/suite/index.js, the same one test-electron runs), runs it,
// and writes { passed, failed, tests, lines } as JSON to PAPERLENS_HOST_TESTS_RESULTS (written whole, then
// renamed into place, so the reader never sees half of it).
const { renameSync, writeFileSync } = require('node:fs');
const vscode = require('vscode');

function activate() {
  const { PAPERLENS_HOST_TESTS_SUITE: suite, PAPERLENS_HOST_TESTS_RESULTS: results, PAPERLENS_HOST_TESTS_WORKSPACE: workspace } = process.env;
  if (!suite || !results || !workspace) return;
  if (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath !== workspace) return;
  void runAndReport(suite, results);
}

/**
 * @param {string} suite
 * @param {string} results
 */
async function runAndReport(suite, results) {
  /** @type {string[]} */
  const lines = [];
  let outcome;
  try {
    outcome = await require(suite).runSuite({ onLine: (/** @type {string} */ line) => lines.push(line) });
  } catch (error) {
    lines.push(`✗ (running the suite) ${error instanceof Error ? error.stack : String(error)}`);
    outcome = { passed: 0, failed: 1, tests: [] };
  }
  writeFileSync(`${results}.partial`, `${JSON.stringify({ ...outcome, lines }, null, 2)}\n`);
  renameSync(`${results}.partial`, results);
}

module.exports = { activate, deactivate() {} };
