// `npm start`: builds and packages Paperlens, then opens examples/ with it. With the desktop `code` CLI on PATH
// that is an Extension Development Host; without it, a local code-server (VS Code in the browser, installed once
// into the same cache as the end-to-end tests) with the packaged .vsix installed, until Ctrl+C. It serves VS Code
// to the user's own browser, so it needs no Chromium; a system package code-server's install needs is named, with
// the command that installs it, before anything is built or downloaded.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHarness, MissingPrerequisite, missingPrerequisites, prerequisiteMessage } from './e2e-env.mjs';
import { DETERMINISTIC_USER_SETTINGS, freePort, installExtension, startCodeServer, writeUserSettings } from './code-server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(repo, 'examples');
const PREFERRED_PORT = 8080;

function hasDesktopCode() {
  const probe = spawnSync('code', ['--version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

async function main() {
  const desktop = hasDesktopCode();
  const missing = desktop ? [] : missingPrerequisites({ forTests: false });
  if (missing.length) {
    console.error(prerequisiteMessage(missing));
    return 1;
  }
  const packaged = spawnSync('npm', ['run', 'package'], { cwd: repo, stdio: 'inherit' });
  if (packaged.status !== 0) return packaged.status ?? 1;

  if (desktop) {
    console.log('Opening examples/ in an Extension Development Host (desktop VS Code).');
    const code = spawn('code', [`--extensionDevelopmentPath=${repo}`, examples], { stdio: 'inherit' });
    return new Promise((resolveExit) => code.once('exit', (status) => resolveExit(status ?? 0)));
  }

  let harness;
  try {
    harness = ensureHarness({ forTests: false });
  } catch (error) {
    if (!(error instanceof MissingPrerequisite)) throw error;
    console.error(error.message);
    return 1;
  }
  // A fresh profile each start: stale lock files from an earlier, killed server cannot get in the way.
  const runDir = await mkdtemp(join(tmpdir(), 'paperlens-start-'));
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  await writeUserSettings(userDataDir, DETERMINISTIC_USER_SETTINGS);
  installExtension(harness, { vsix: join(repo, 'paperlens.vsix'), userDataDir, extensionsDir });
  const logFile = join(runDir, 'code-server.log');
  const server = await startCodeServer(harness, {
    userDataDir,
    extensionsDir,
    port: await freePort(PREFERRED_PORT),
    logFile,
    folder: examples,
  });

  const interrupted = new Promise((resolveSignal) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => resolveSignal(signal));
  });
  console.log(`Paperlens is running in code-server (VS Code in the browser). Open:\n\n  ${server.url}?folder=${encodeURIComponent(examples)}\n`);
  console.log(`Server log: ${logFile}\nPress Ctrl+C to stop.`);
  const ended = await Promise.race([interrupted, server.exited.then((exit) => ({ exit }))]);
  if (ended.exit) {
    console.error(`code-server exited (${ended.exit.signal ?? `code ${ended.exit.code}`}); see ${logFile}`);
    return 1;
  }
  console.log('\nStopping code-server …');
  await server.stop();
  await rm(runDir, { recursive: true, force: true });
  return 0;
}

process.exitCode = await main();
