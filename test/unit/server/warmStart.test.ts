// The warm start as the language server drives it: a LibraryHost with its library worker (the dist/ bundle) loads
// .bib files, the worker saves the library in the cache folder, and a second host on the same folder starts from
// that snapshot without reading the files again, then reads only what changed meanwhile.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LibraryStatus } from '../../../src/protocol';
import { LibraryHost } from '../../../src/server/libraryHost';
import { REPO } from './lspClient';

const WORKER = path.join(REPO, 'dist', 'libraryWorker.js');

function entries(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, index) => `@article{${prefix}${index},\n  title = {Paper ${index} of ${prefix} on graph anomalies},\n  author = {Doe, Jane},\n  year = {2020}\n}\n`).join('\n');
}

/** A host on `files` with the cache in `cacheDir`, its log lines and statuses kept; `ready` waits for a ready status. */
function startHost(files: string[], cacheDir: string) {
  const lines: string[] = [];
  const statuses: LibraryStatus[] = [];
  const waiters: (() => void)[] = [];
  const note = (line: string) => {
    lines.push(line);
    for (const wake of waiters.splice(0)) wake();
  };
  const host = new LibraryHost({
    workerFile: WORKER,
    cacheDir,
    cacheTag: 'test-1',
    plan: async () => ({ files, keyFormula: 'authYearTitle', unwatched: [] }),
    fallback: () => {
      throw new Error('no query is asked before the library is ready');
    },
    status: (status) => {
      statuses.push(status);
      note(`status ${status.kind}`);
    },
    changed: () => undefined,
    log: { info: note, warn: (line) => note(`warn ${line}`), error: (line) => note(`error ${line}`) },
  });
  /** Resolves with the first log line from `from` on that contains `text`. */
  const logLine = async (text: string, from = 0): Promise<string> => {
    for (;;) {
      const found = lines.slice(from).find((line) => line.includes(text));
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  host.start();
  return { host, lines, statuses, logLine };
}

let folder: string;
let cacheDir: string;
let first: string;
let second: string;
const hosts: LibraryHost[] = [];

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'paperlens-warm-'));
  cacheDir = path.join(folder, 'cache');
  first = path.join(folder, 'first.bib');
  second = path.join(folder, 'second.bib');
  writeFileSync(first, entries('first', 3));
  writeFileSync(second, entries('second', 2));
});

afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose();
  rmSync(folder, { recursive: true, force: true });
});

/** A cold load of both files, until the worker has saved the library. */
async function coldLoad(): Promise<void> {
  const cold = startHost([first, second], cacheDir);
  hosts.push(cold.host);
  expect(await cold.logLine('Library ready:')).not.toContain('(snapshot)');
  expect(await cold.logLine('Library saved for the next start:')).toMatch(/^Library saved for the next start: 5 papers in \d+ ms$/);
  cold.host.dispose();
}

describe('warm start of the library worker', () => {
  it('starts from the saved library, reading no file that did not change', async () => {
    await coldLoad();
    const warm = startHost([first, second], cacheDir);
    hosts.push(warm.host);
    expect(await warm.logLine('Library ready:')).toMatch(/^Library ready: 5 papers, 0 problem\(s\), \d+ ms \(snapshot\)$/);
    expect(warm.statuses.at(-1)).toMatchObject({ kind: 'ready', size: 5, sources: 2, fromSnapshot: true });
    expect(await warm.host.queries.byKey('second1')).toMatchObject({ key: 'second1', title: 'Paper 1 of second on graph anomalies' });
    // Both files are checked (hashed) after ready: neither is read again, and the saved library is not written again.
    await warm.logLine('Every file is as the saved library read it: nothing to save');
    expect(warm.lines.filter((line) => line.startsWith('Library updated') || line.startsWith('Library saved'))).toEqual([]);
  }, 60_000);

  it('reads again only the file that changed while no session watched it, and drops the papers of a removed one', async () => {
    await coldLoad();
    writeFileSync(first, entries('first', 4));
    const warm = startHost([first, second], cacheDir);
    hosts.push(warm.host);
    expect(await warm.logLine('Library ready:')).toContain('5 papers, 0 problem(s)');
    expect(await warm.logLine('Library updated:')).toMatch(/^Library updated: first\.bib \+1 −0 in \d+ ms; 6 papers$/);
    expect(await warm.host.queries.byKey('first3')).toMatchObject({ key: 'first3' });
    await warm.logLine('Library saved for the next start: 6 papers');
    expect(warm.lines.filter((line) => line.startsWith('Library updated'))).toHaveLength(1);
    warm.host.dispose();

    // The settings dropped second.bib: the restored library loses its papers before it answers.
    const fewer = startHost([first], cacheDir);
    hosts.push(fewer.host);
    expect(await fewer.logLine('Library ready:')).toMatch(/^Library ready: 4 papers, 0 problem\(s\), \d+ ms \(snapshot\)$/);
    expect(await fewer.host.queries.byKey('second0')).toBeUndefined();
    expect(await fewer.host.queries.has(['first0', 'first3', 'second1'])).toEqual([1, 1, 0]);
  }, 90_000);

  it('reads every file when the saved library is damaged, and says so', async () => {
    await coldLoad();
    writeFileSync(path.join(cacheDir, 'library', 'source-0.json'), '{"source":');
    const warm = startHost([first, second], cacheDir);
    hosts.push(warm.host);
    expect(await warm.logLine('The saved library in')).toMatch(/was ignored \(a part is damaged \(.+\)\); every file is read$/);
    expect(await warm.logLine('Library ready:')).toMatch(/^Library ready: 5 papers, 0 problem\(s\), \d+ ms$/);
    expect(await warm.host.queries.has(['first2', 'second1'])).toEqual([1, 1]);
  }, 60_000);

  it('discards the saved library on Rebuild Library', async () => {
    await coldLoad();
    const warm = startHost([first, second], cacheDir);
    hosts.push(warm.host);
    expect(await warm.logLine('Library ready:')).toContain('(snapshot)');
    const before = warm.lines.length;
    expect(await warm.host.rebuild()).toMatchObject({ kind: 'ready', size: 5 });
    expect(await warm.logLine('Library ready:', before)).toMatch(/^Library ready: 5 papers, 0 problem\(s\), \d+ ms$/);
  }, 60_000);
});
