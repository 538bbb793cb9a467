// `npm run test:e2e`: packages the extension, checks the .vsix holds only what runs, installs it into a fresh
// code-server, runs the extension-host suite (test/vscode/suite, through the test-runner extension installed
// beside it; see lib/host-suite.mjs), then every test/e2e/*.spec.mjs in alphabetical order in headless Chromium.
// The spec API and the test context are documented at the top of harness.mjs. Arguments narrow the run to specs
// whose file name contains one of them: `node test/e2e/run.mjs foundation` (`extension-host` names the suite).
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureHarness, MissingPrerequisite } from '../../scripts/e2e-env.mjs';
import { DETERMINISTIC_USER_SETTINGS, freePort, installExtension, startCodeServer, writeUserSettings } from '../../scripts/code-server.mjs';
import { createContext, DEFAULT_TEST_TIMEOUT, latestWindowLogs, selectors, takeScreenshot, tailOfLogs, TIMEOUT_SCALE, UI_TIMEOUT } from './harness.mjs';
import { HOST_SUITE_NAME, hostSuiteEnv, packageRunner, runHostSuite } from './lib/host-suite.mjs';
import { checkVsixContents, listZip } from './lib/vsix.mjs';

const e2eDir = dirname(fileURLToPath(import.meta.url));
const repo = resolve(e2eDir, '..', '..');
const screenshotsDir = join(e2eDir, 'screenshots');
const vsix = join(repo, 'paperlens.vsix');
/** The workbench takes ~13 s to appear on this kind of machine; leave room for a busy one. */
const WINDOW_TIMEOUT = 120_000 * TIMEOUT_SCALE;

const print = (line) => console.log(line);
const cleanups = [];
let interrupted = false;
let keepRunDir = false;
/** Verdicts so far; module-level so that a crash of the runner itself still ends with the summary line. */
let passed = 0;
let failed = 0;

async function main() {
  const started = Date.now();
  // `node test/e2e/run.mjs cite` runs only the specs whose file name contains "cite" (npm test passes none).
  const only = process.argv.slice(2);
  if (only.length && process.env.CI) {
    console.error(`Under CI every spec runs; remove the arguments (${only.join(' ')}).`);
    return 1;
  }
  let harness;
  try {
    harness = ensureHarness({ log: print });
  } catch (error) {
    if (error instanceof MissingPrerequisite) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  print('package');
  const packageStarted = Date.now();
  const packaged = spawnSync('npm', ['run', 'package'], { cwd: repo, encoding: 'utf8' });
  if (packaged.status !== 0) {
    print(`  ✗ npm run package exits 0 (exit ${packaged.status})`);
    print(indent(`${packaged.stdout}${packaged.stderr}`, 6));
    print('0 passed, 1 failed');
    return 1;
  }
  const entries = await listZip(vsix);
  print(indent(entries.map((entry) => `${String(entry.size).padStart(9)}  ${entry.name}`).join('\n'), 6));
  const problems = checkVsixContents(entries);
  if (problems.length) {
    print(`  ✗ the .vsix holds only what runs (${seconds(Date.now() - packageStarted)})`);
    print(indent(problems.join('\n'), 6));
    print('0 passed, 1 failed');
    return 1;
  }
  print(`  ✓ the .vsix holds only what runs (${seconds(Date.now() - packageStarted)})`);
  passed = 1;

  const selected = (name) => only.length === 0 || only.some((part) => name.includes(part));
  const specs = (await readdir(e2eDir))
    .filter((name) => name.endsWith('.spec.mjs') && selected(name))
    .sort();
  const withHostSuite = selected(HOST_SUITE_NAME);
  const runDir = await mkdtemp(join(tmpdir(), 'paperlens-e2e-'));
  // Removed last, after the server has stopped; kept when something failed: the server log, every window's
  // logs and the workspaces as the tests left them.
  cleanups.push(() => (keepRunDir ? Promise.resolve() : rm(runDir, { recursive: true, force: true })));
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  await writeUserSettings(userDataDir, DETERMINISTIC_USER_SETTINGS);
  await mkdir(extensionsDir, { recursive: true });
  await rm(screenshotsDir, { recursive: true, force: true });
  print(installExtension(harness, { vsix, userDataDir, extensionsDir }).split('\n').pop());
  const hostWorkspace = join(runDir, 'workspaces', HOST_SUITE_NAME);
  const hostResults = join(runDir, 'extension-host-results.json');
  if (withHostSuite) {
    const runnerVsix = join(runDir, 'paperlens-test-runner.vsix');
    packageRunner(runnerVsix);
    print(installExtension(harness, { vsix: runnerVsix, userDataDir, extensionsDir }).split('\n').pop());
    await cp(join(repo, 'examples'), hostWorkspace, { recursive: true });
  }

  const serverLog = join(runDir, 'code-server.log');
  const server = await startCodeServer(harness, {
    userDataDir,
    extensionsDir,
    port: await freePort(0),
    logFile: serverLog,
    env: withHostSuite ? hostSuiteEnv({ workspace: hostWorkspace, results: hostResults }) : {},
  });
  cleanups.push(() => server.stop());
  const browser = await chromium.launch({
    executablePath: harness.chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  cleanups.push(() => browser.close());
  print(`code-server ${server.url} (pid ${server.pid}), Chromium ${browser.version()}, run folder ${runDir}`);

  if (withHostSuite && !interrupted) {
    print(`${HOST_SUITE_NAME} (test/vscode/suite, mocha inside the extension host)`);
    const host = await runHostSuite({ openWindow: (workspace) => openWindow(browser, server.url, workspace), workspace: hostWorkspace, results: hostResults, print })
      .catch((error) => ({ passed: 0, failed: 1, window: null, error }));
    passed += host.passed;
    failed += host.failed;
    if (host.error) print(indent(`✗ ${host.error.stack ?? host.error}`, 2));
    if (host.failed > 0) print(indent(`logs (tail):\n${await tailOfLogs(await latestWindowLogs(userDataDir), 40)}`, 6));
    await host.window?.context.close();
  }

  for (const spec of specs) {
    if (interrupted) break;
    const specName = spec.replace(/\.spec\.mjs$/, '');
    print(specName);
    let module;
    try {
      module = await import(pathToFileURL(join(e2eDir, spec)).href);
      if (!Array.isArray(module.tests) || module.tests.length === 0) throw new Error('exports no `tests` array');
    } catch (error) {
      failed++;
      print(`  ✗ (loading the spec) — ${error.message}`);
      continue;
    }
    const workspace = join(runDir, 'workspaces', specName);
    await cp(join(repo, 'examples'), workspace, { recursive: true });
    for (const [rel, text] of Object.entries(module.workspaceFiles ?? {})) {
      await mkdir(dirname(join(workspace, rel)), { recursive: true });
      await writeFile(join(workspace, rel), text);
    }

    let window = null;
    for (const test of module.tests) {
      if (interrupted) break;
      const testStarted = Date.now();
      try {
        window ??= await openWindow(browser, server.url, workspace);
        const ctx = createContext({ page: window.page, workspace, specName, userDataDir, screenshotsDir, print });
        await withTimeout(Promise.resolve().then(() => test.run(ctx)), test.timeout ? test.timeout * TIMEOUT_SCALE : DEFAULT_TEST_TIMEOUT, test.name);
        passed++;
        print(`  ✓ ${test.name} (${seconds(Date.now() - testStarted)})`);
      } catch (error) {
        if (interrupted) break; // the browser was closed under the test: not a verdict on it
        failed++;
        print(`  ✗ ${test.name} (${seconds(Date.now() - testStarted)})`);
        print(indent(error.stack ?? String(error), 6));
        if (window) {
          const shot = await takeScreenshot(window.page, screenshotsDir, `${specName}--${test.name}--failure`).catch(() => null);
          if (shot) print(`      screenshot: ${shot}`);
          // A timed-out test may still be acting on this window: the next test gets a fresh one.
          await window.context.close().catch(() => {});
          window = null;
        }
        print(indent(`logs (tail):\n${await tailOfLogs(await latestWindowLogs(userDataDir), 40)}`, 6));
      }
    }
    await window?.context.close();
  }

  if (interrupted) return 130;
  if (failed > 0) {
    keepRunDir = true;
    print(`Logs and workspaces of this run: ${runDir} (code-server.log, user-data/logs, workspaces)`);
  }
  print(`e2e run took ${seconds(Date.now() - started)}`);
  print(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** A fresh browser page on the workspace, once the workbench has rendered its status bar. */
async function openWindow(browser, url, workspace) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  // Playwright's own limit (30 s) for an action without one is too short for a loaded machine.
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  // The page's load event can take longer than Playwright's navigation limit on a loaded machine: wait for the
  // navigation to commit, then for the workbench itself.
  await page.goto(`${url}?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'commit', timeout: WINDOW_TIMEOUT });
  await page.locator(selectors.workbench).waitFor({ state: 'visible', timeout: WINDOW_TIMEOUT });
  // The status bar comes last; a window reopened after a failure may restore another sidebar than the Explorer.
  await page.locator(selectors.statusBarEntry).first().waitFor({ state: 'visible', timeout: WINDOW_TIMEOUT });
  return { context, page };
}

function withTimeout(promise, ms, name) {
  // A test that times out keeps running until its window closes; its late failure must not crash the runner.
  promise.catch(() => {});
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const indent = (text, spaces) => text.replace(/^/gm, ' '.repeat(spaces));

async function cleanUp() {
  while (cleanups.length) await cleanups.pop()().catch(() => {});
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    interrupted = true;
    print(`${signal}: stopping code-server and Chromium`);
    cleanUp().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  keepRunDir = true;
  console.error(error.stack ?? String(error));
  print(`${passed} passed, ${failed + 1} failed`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
