// `npm run test:load`: shows that the tests do not depend on an idle machine. It keeps every core busy with
// busy-looping child processes and runs the whole `npm test` three times in a row, printing each run's verdict;
// it exits 0 only when every run passed.
//
//   node scripts/load-check.mjs [--runs N] [--busy N]      (defaults: 3 runs, one busy process per core)
//
// PAPERLENS_E2E_LOCK=<file> runs each run under that lock (`flock <file> node scripts/load-check.mjs --one-run
// …`), for machines where end-to-end runs take turns; the busy processes only run while a run holds it. Each run's whole output goes to
// a log file whose path is printed; the test lines and verdicts are printed as they come.
//
// The end-to-end time limits only catch hangs; with every core taken they are multiplied by 3
// (PAPERLENS_E2E_TIMEOUT_SCALE, unless set): what this check looks for is a test that depends on timing, which
// fails however long it is given.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(import.meta.url);
const repo = resolve(dirname(script), '..');
/** Lines of `npm test` worth showing live: vitest's totals, each e2e test's verdict and the final tallies. */
const SHOWN = /^\s*(✓|✗|Test Files|Tests\s|Duration)|\d+ passed, \d+ failed|^\S.*\.spec|^(package|00-|e2e run took)/;

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive whole number`);
  return value;
}

/** The busy processes of the current run, ended on every way out (also Ctrl+C). */
const busyChildren = new Set();

/** Starts `count` processes that each keep one core at 100 %; returns a function that ends them (by pid). */
function keepCoresBusy(count) {
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  for (const child of children) busyChildren.add(child);
  return () => {
    for (const child of children) {
      if (child.exitCode === null) child.kill('SIGKILL');
      busyChildren.delete(child);
    }
  };
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.log(`${signal}: stopping the busy processes; the checks so far are not a verdict`);
    for (const child of busyChildren) child.kill('SIGKILL');
    process.exit(130);
  });
}

/** Run `run` of `runs` in a child process that holds the lock file (flock(1)) from start to end; resolves with its exit code. */
function underLock(lock, { run, runs, busy, logDir }) {
  const args = [lock, process.execPath, script, '--one-run', '--run', String(run), '--runs', String(runs), '--busy', String(busy), '--log-dir', logDir];
  const child = spawn('flock', args, { stdio: 'inherit' });
  return new Promise((resolveRun) => child.once('exit', (code, signal) => resolveRun(code ?? (signal ? 128 : 1))));
}

/** One run of npm test beside `busy` busy-looping processes; prints and returns its exit code. */
async function oneRun({ run, runs, busy, logDir }) {
  const stopBusy = keepCoresBusy(busy);
  const started = Date.now();
  const logFile = join(logDir, `run-${run}.log`);
  let code;
  try {
    console.log(`run ${run}/${runs}: npm test under load`);
    code = await runTests(logFile, `  [${run}] `);
  } finally {
    stopBusy();
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`run ${run}/${runs}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${minutes} min; log ${logFile}`);
  return code;
}

/** Runs `npm test` once, its output to `logFile`, the lines worth seeing to the console; resolves with its exit code. */
function runTests(logFile, prefix) {
  const log = createWriteStream(logFile);
  const env = { ...process.env, PAPERLENS_E2E_TIMEOUT_SCALE: process.env.PAPERLENS_E2E_TIMEOUT_SCALE || '3' };
  const child = spawn('npm', ['test'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log, { end: false });
    createInterface({ input: stream }).on('line', (line) => {
      // Vitest colours its summary; the pattern matches the plain text.
      const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
      if (SHOWN.test(plain)) console.log(`${prefix}${plain}`);
    });
  }
  return new Promise((resolveRun) =>
    child.once('exit', (code, signal) => {
      log.end();
      resolveRun(code ?? (signal ? 128 : 1));
    }),
  );
}

async function main() {
  const runs = option('--runs', 3);
  const busy = option('--busy', availableParallelism());
  if (process.argv.includes('--one-run')) {
    const logDir = process.argv[process.argv.indexOf('--log-dir') + 1];
    return oneRun({ run: option('--run', 1), runs, busy, logDir });
  }
  const lock = process.env.PAPERLENS_E2E_LOCK;
  const logDir = await mkdtemp(join(tmpdir(), 'paperlens-load-check-'));
  console.log(`${runs} runs of npm test, each with ${busy} busy-looping processes beside it (${availableParallelism()} cores); logs in ${logDir}`);
  const verdicts = [];
  for (let run = 1; run <= runs; run++) {
    const code = lock ? await underLock(lock, { run, runs, busy, logDir }) : await oneRun({ run, runs, busy, logDir });
    verdicts.push(code === 0);
  }
  const passed = verdicts.filter(Boolean).length;
  console.log(`${passed} of ${runs} runs of npm test passed under load`);
  return passed === runs ? 0 : 1;
}

process.exitCode = await main();
