// The index worker's warm-start cache: a snapshot is reused only for exactly the same files, key formula and
// extension version, and a cache that cannot be written does not fail the load.
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../src/core/library';
import { loadLibrary } from '../../src/worker/buildSnapshot';
import type { IndexRequest } from '../../src/worker/protocol';

const entry = (key: string, year: string) => `@article{${key},\n  author = {Doe, Jane},\n  title = {Graphs},\n  year = {${year}}\n}\n`;

let folder: string;
let bib: string;
let request: IndexRequest;
/** Loads the library as the library worker does, and saves its snapshot for the next load. */
const build = async (changes: Partial<IndexRequest> = {}) => {
  const loaded = await loadLibrary({ ...request, ...changes }, () => undefined);
  return { ...loaded, cacheWarning: await loaded.saveSnapshot() };
};
const yearIn = (library: Library) => library.byKey('doe2020')?.year;

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'paperlens-snapshot-'));
  bib = path.join(folder, 'refs.bib');
  writeFileSync(bib, entry('doe2020', '2020'));
  request = { files: [bib], keyFormula: 'authYearTitle', cacheDir: path.join(folder, 'cache'), cacheTag: '1.0.0' };
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('loadLibrary', () => {
  it('reuses the snapshot for unchanged files and re-reads a changed one', async () => {
    expect((await build()).fromCache).toBe(false);
    expect((await build()).fromCache).toBe(true);
    writeFileSync(bib, entry('doe2020', '2021'));
    // A different modification time, even at the same size.
    utimesSync(bib, new Date(), new Date(Date.now() + 5_000));
    const changed = await build();
    expect(changed.fromCache).toBe(false);
    expect(yearIn(changed.library)).toBe('2021');
  });

  it('re-reads after an update of the extension (another cache tag) and when told to ignore the cache', async () => {
    const mtime = 1_700_000_000; // whole seconds, so it can be set again exactly
    utimesSync(bib, mtime, mtime);
    await build();
    expect((await build({ cacheTag: '1.0.1' })).fromCache).toBe(false);
    expect((await build({ cacheTag: '1.0.1' })).fromCache).toBe(true);
    // A rewrite at the same size within the modification time's resolution keeps the fingerprint: the snapshot
    // is stale and only ignoreCache (what reloads after a file change use) reads the new text.
    writeFileSync(bib, entry('doe2020', '1999'));
    utimesSync(bib, mtime, mtime);
    expect(yearIn((await build({ cacheTag: '1.0.1' })).library)).toBe('2020');
    const ignored = await build({ cacheTag: '1.0.1', ignoreCache: true });
    expect(ignored.fromCache).toBe(false);
    expect(yearIn(ignored.library)).toBe('1999');
  });

  it('still returns the library when the cache cannot be written, and says why', async () => {
    const notAFolder = path.join(folder, 'file');
    writeFileSync(notAFolder, '');
    const result = await build({ cacheDir: notAFolder });
    expect(yearIn(result.library)).toBe('2020');
    expect(result.cacheWarning).toMatch(/could not save the snapshot/);
  });

  it('leaves no partial file behind', async () => {
    await build();
    expect(readdirSync(path.join(folder, 'cache'))).toEqual(['library-snapshot.json']);
  });
});
