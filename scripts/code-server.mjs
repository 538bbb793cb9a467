// Runs code-server (from scripts/e2e-env.mjs) for the end-to-end tests and for `npm start`: installs a .vsix
// into a given extensions folder, starts the server on 127.0.0.1, and stops it with every process it started.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Settings that keep the workbench quiet and the same on every start. */
export const DETERMINISTIC_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.accessibilitySupport': 'off',
  'window.commandCenter': false,
  // code-server's extension host otherwise scans /proc for listening ports every few seconds (findCandidatePorts):
  // profiled in scale.spec, a third of a second of stat calls per ten seconds plus their garbage, on the thread
  // Paperlens's event-loop delay is measured on. A desktop VS Code's local extension host does no such scan.
  'remote.autoForwardPorts': false,
};

/** Creates <userDataDir>/User/settings.json (and the folders) with the given settings. */
export async function writeUserSettings(userDataDir, settings) {
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await writeFile(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** The common arguments: where code-server keeps its state, and no phoning home. */
function baseArgs({ userDataDir, extensionsDir }) {
  return [
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    // Without its own config file code-server writes ~/.config/code-server/config.yaml with a password.
    '--config', join(userDataDir, 'code-server.yaml'),
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

/**
 * code-server without the VSCODE_* variables of a VS Code terminal this may run in (they redirect its CLI), plus
 * `extra` (its extension hosts inherit them).
 */
function serverEnv(extra = {}) {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VSCODE_'))), ...extra };
}

export function installExtension(harness, { vsix, userDataDir, extensionsDir }) {
  const result = spawnSync(
    harness.node,
    [harness.codeServerEntry, ...baseArgs({ userDataDir, extensionsDir }), '--install-extension', vsix, '--force'],
    { encoding: 'utf8', env: serverEnv() },
  );
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server could not install ${vsix} (exit ${result.status}):\n${output}`);
  }
  return output.trim();
}

/** A TCP port free on 127.0.0.1: `preferred` or the next free one after it; 0 asks the system for any. */
export async function freePort(preferred = 0) {
  for (let port = preferred; ; port++) {
    const bound = await new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const { port: actual } = server.address();
        server.close(() => resolve(actual));
      });
    });
    if (bound) return bound;
    if (preferred === 0) throw new Error('No free port on 127.0.0.1');
  }
}

/**
 * Starts code-server on 127.0.0.1:<port> without authentication and waits until it answers; `env` adds
 * variables to its environment and so to its extension hosts'.
 * Returns { url, pid, stop(), exited } ; `stop()` ends its whole process group and resolves when it is gone.
 */
export async function startCodeServer(harness, { userDataDir, extensionsDir, port, logFile, folder, env = {}, timeout = 60_000 }) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const args = [
    harness.codeServerEntry,
    ...baseArgs({ userDataDir, extensionsDir }),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(folder ? [folder] : []),
  ];
  // Its own process group, so stop() reaches the extension host and helpers it forks too.
  const child = spawn(harness.node, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv(env) });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stopped = false;
  const stop = async () => {
    if (stopped) return exited;
    stopped = true;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return exited; // already gone
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone between the two signals
      }
    }, 5_000);
    const result = await exited;
    clearTimeout(killer);
    log.end();
    return result;
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + timeout;
  let exitedEarly = null;
  exited.then((result) => (exitedEarly = result));
  for (;;) {
    if (exitedEarly) throw new Error(`code-server exited (${JSON.stringify(exitedEarly)}) before answering; see ${logFile}`);
    try {
      const response = await fetch(`${url}healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeout} ms; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, pid: child.pid, stop, exited };
}
