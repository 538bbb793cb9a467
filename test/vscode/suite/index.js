// @ts-check
// The extension-host suite's entry: mocha over every test/vscode/suite/*.test.js, run INSIDE the extension host of
// a VS Code that has Paperlens installed and the examples workspace open. Two callers:
//   - @vscode/test-electron (`npm run test:vscode`, test/vscode/run-electron.mjs) calls run(): resolves when every
//     test passed, rejects otherwise;
//   - the test-runner extension (test/vscode/runner) calls runSuite() in code-server and writes its result to a
//     file the end-to-end runner reads.
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const Mocha = require('mocha');

/** Generous: the machine's two cores are shared, and the first answer waits for the library to load. */
const TEST_TIMEOUT = 120_000;

/**
 * Runs the suite; `onLine` gets one line per finished test ("✓ title (1.2 s)" or "✗ title — message"), as it
 * finishes. Resolves with { passed, failed, tests: [{ title, passed, durationMs, error? }] }; never rejects for
 * a failed test.
 * @param {{ onLine?: (line: string) => void }} [options]
 */
function runSuite({ onLine = () => {} } = {}) {
  const mocha = new Mocha({ ui: 'tdd', timeout: TEST_TIMEOUT, color: false, reporter: Mocha.reporters.Base });
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, file));
  /** @type {{ title: string, passed: boolean, durationMs: number, error?: string }[]} */
  const tests = [];
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve({ passed: tests.filter((test) => test.passed).length, failed: tests.filter((test) => !test.passed).length, tests }));
    runner.on('pass', (test) => {
      tests.push({ title: test.fullTitle(), passed: true, durationMs: test.duration ?? 0 });
      onLine(`✓ ${test.fullTitle()} (${((test.duration ?? 0) / 1000).toFixed(1)} s)`);
    });
    runner.on('fail', (test, error) => {
      const message = error instanceof Error ? error.stack ?? error.message : String(error);
      tests.push({ title: test.fullTitle(), passed: false, durationMs: test.duration ?? 0, error: message });
      onLine(`✗ ${test.fullTitle()}\n${message.replace(/^/gm, '    ')}`);
    });
  });
}

/** The @vscode/test-electron entry point. */
async function run() {
  const result = await runSuite({ onLine: (line) => console.log(line) });
  console.log(`${result.passed} passed, ${result.failed} failed`);
  if (result.failed > 0) throw new Error(`${result.failed} extension-host test(s) failed`);
}

module.exports = { run, runSuite };
