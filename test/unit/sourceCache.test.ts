// Parsed sources cached by fingerprint, and half-written files kept from replacing good papers.
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LibraryStore, type StoreEvent } from '../../src/core/libraryStore';
import type { CorpusSource } from '../../src/core/paper';
import { RelatedModel } from '../../src/core/related';
import { incompleteReason, SourceCache } from '../../src/core/sourceCache';
import { corpusPath } from './corpora';

const entry = (key: string, title: string) => `@article{${key},\n  author = {Doe, Jane},\n  title = {${title}},\n  year = {2020}\n}\n`;
const entries = (count: number) => Array.from({ length: count }, (_, index) => entry(`doe${index}`, `Graphs part ${index}`)).join('\n');

let folder: string;
let bib: string;
let cacheDir: string;

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'paperlens-sources-'));
  bib = path.join(folder, 'refs.bib');
  cacheDir = path.join(folder, 'cache');
  writeFileSync(bib, entries(3));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('SourceCache', () => {
  it('parses a file once and serves unchanged bytes from the cache, whatever its modification time', async () => {
    const cache = new SourceCache(cacheDir, '1.0.0');
    const first = await cache.read(bib);
    expect(first.fromCache).toBe(false);
    expect(first.source.papers.map((paper) => paper.key)).toEqual(['doe0', 'doe1', 'doe2']);
    expect(first.fingerprint).toMatchObject({ file: bib, size: entries(3).length });
    expect(readdirSync(cacheDir).filter((name) => name.endsWith('.source.json'))).toHaveLength(1);

    const again = await new SourceCache(cacheDir, '1.0.0').read(bib);
    expect(again.fromCache).toBe(true);
    expect(again.source).toEqual(first.source);

    // Touched, not changed: the content hash decides.
    utimesSync(bib, new Date(), new Date(Date.now() + 10_000));
    expect((await cache.read(bib)).fromCache).toBe(true);
  });

  it('parses again a changed file (even at the same size and time), and after an update of the readers', async () => {
    const cache = new SourceCache(cacheDir, '1.0.0');
    const mtime = 1_700_000_000;
    utimesSync(bib, mtime, mtime);
    await cache.read(bib);
    writeFileSync(bib, entries(3).replace('Graphs part 1', 'Graphs part X'));
    utimesSync(bib, mtime, mtime);
    const changed = await cache.read(bib);
    expect(changed.fromCache).toBe(false);
    expect(changed.source.papers[1].title).toBe('Graphs part X');
    expect((await new SourceCache(cacheDir, '1.0.1').read(bib)).fromCache).toBe(false);
  });

  it('reads a missing file as a source with one problem, and works without a folder', async () => {
    const missing = await new SourceCache(cacheDir).read(path.join(folder, 'gone.bib'));
    expect(missing.fingerprint).toBeUndefined();
    expect(missing.source.papers).toEqual([]);
    expect(missing.source.problems).toEqual([{ file: path.join(folder, 'gone.bib'), line: 0, message: 'file not found' }]);
    const uncached = new SourceCache(undefined);
    expect((await uncached.read(bib)).fromCache).toBe(false);
    expect((await uncached.read(bib)).fromCache).toBe(false);
  });
});

describe('incompleteReason', () => {
  const source = (papers: number, problems: number): CorpusSource => ({
    file: 'x.bib',
    format: 'bibtex',
    papers: Array.from({ length: papers }, (_, index) => ({ key: `k${index}`, type: 'article', title: 't', authors: [], fields: {}, origin: { file: 'x.bib', line: index } })),
    problems: Array.from({ length: problems }, () => ({ file: 'x.bib', line: 1, message: 'unterminated entry' })),
  });

  it('flags an empty or truncated read of a file that had papers', () => {
    expect(incompleteReason(source(0, 0), source(10, 0))).toBe('no papers where there were 10');
    expect(incompleteReason(source(3, 1), source(10, 0))).toBe('3 papers where there were 10, with 1 problem(s)');
  });

  it('accepts a first read, a clean shrink and a small loss', () => {
    expect(incompleteReason(source(0, 1), undefined)).toBeUndefined();
    expect(incompleteReason(source(3, 0), source(10, 0))).toBeUndefined();
    expect(incompleteReason(source(9, 1), source(10, 0))).toBeUndefined();
  });
});

describe('LibraryStore.loadFile', () => {
  it('keeps the papers of a half-written file and takes the file once it is complete', async () => {
    const events: StoreEvent[] = [];
    const store = new LibraryStore({ sourceCache: new SourceCache(cacheDir), retryMs: 30, onEvent: (event) => events.push(event) });
    expect(await store.loadFile(bib, 0)).toMatchObject({ status: 'set', fromCache: false, update: { added: 3 } });
    // An export rewriting the file, caught after its first entry and half of the second.
    const full = entries(12);
    writeFileSync(bib, full.slice(0, full.indexOf('Graphs part 1')));
    const load = await store.loadFile(bib, 0);
    expect(load).toEqual({ status: 'retrying', reason: expect.stringMatching(/^1 papers where there were 3, with \d problem/), attempt: 1, retryInMs: 30 });
    expect(store.library.size).toBe(3);
    writeFileSync(bib, full);
    await waitFor(() => store.library.size === 12);
    expect(store.library.byKey('doe11')?.title).toBe('Graphs part 11');
    expect(events.filter((event) => event.type === 'incomplete')).toHaveLength(1);
    store.dispose();
  });

  it('takes a file that stays empty after its retries, and a removal cancels a pending retry', async () => {
    const store = new LibraryStore({ retryMs: 10, retries: 2 });
    await store.loadFile(bib, 0);
    writeFileSync(bib, '');
    expect((await store.loadFile(bib, 0)).status).toBe('retrying');
    expect(store.library.size).toBe(3);
    await waitFor(() => store.library.size === 0);

    await store.loadFile(bib, 0);
    writeFileSync(bib, entries(3));
    await store.loadFile(bib, 0);
    writeFileSync(bib, '');
    expect((await store.loadFile(bib, 0)).status).toBe('retrying');
    await store.removeSource(bib);
    writeFileSync(bib, entries(5));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.library.size).toBe(0);
    store.dispose();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('LibraryStore warm start', () => {
  const arxivFile = corpusPath('arxiv', 'arxiv-metadata-0704-first2000.jsonl');

  it('restores the saved library without reading a paper, and a changed file costs only itself', async () => {
    const snapshot = path.join(folder, 'snapshot');
    const store = new LibraryStore({ sourceCache: new SourceCache(cacheDir) });
    await store.loadFile(bib, 0);
    await store.loadFile(arxivFile, 1);
    await store.idle();
    await store.save(snapshot, '1.0.0');

    const events: StoreEvent[] = [];
    const restored = await LibraryStore.restore(snapshot, { onEvent: (event) => events.push(event) }, '1.0.0');
    expect(restored).toBeDefined();
    const warm = restored!;
    expect(warm.library.papers()).toEqual(store.library.papers());
    expect(warm.library.sources).toEqual(store.library.sources);
    expect(warm.library.abstractsIndexed).toBe(true);
    for (const query of ['graph anomaly', 'balazs 2007', 'perturbative chromodynamics', 'doe graphs']) {
      expect(warm.library.search(query).map((hit) => [hit.paper.key, hit.score])).toEqual(store.library.search(query).map((hit) => [hit.paper.key, hit.score]));
    }
    expect(await warm.loadFile(arxivFile, 1)).toEqual({ status: 'unchanged' });
    expect(await warm.loadFile(bib, 0)).toEqual({ status: 'unchanged' });

    writeFileSync(bib, `${entries(3)}\n${entry('vaswani2017', 'Attention Is All You Need')}`);
    const load = await warm.loadFile(bib, 0);
    expect(load).toMatchObject({ status: 'set', fromCache: false, update: { added: 1, removed: 0, rebuilt: false } });
    expect(warm.library.search('attention all you need', { limit: 1 })[0].paper.key).toBe('vaswani2017');
    expect(events.filter((event) => event.type === 'progress')).toEqual([]);
  });

  it('refuses a snapshot of other options, another tag or a damaged folder, and says why', async () => {
    const snapshot = path.join(folder, 'snapshot');
    const store = new LibraryStore();
    await store.loadFile(bib, 0);
    await store.save(snapshot, '1.0.0');
    const reasons: string[] = [];
    const onEvent = (event: StoreEvent) => {
      if (event.type === 'snapshotIgnored') reasons.push(event.reason);
    };
    expect(await LibraryStore.restore(snapshot, { onEvent }, '1.0.0')).toBeDefined();
    expect(await LibraryStore.restore(snapshot, { keyFormula: 'authYear', onEvent }, '1.0.0')).toBeUndefined();
    expect(await LibraryStore.restore(snapshot, { onEvent }, '1.0.1')).toBeUndefined();
    expect(await LibraryStore.restore(path.join(folder, 'nothing'), { onEvent }, '1.0.0')).toBeUndefined();
    writeFileSync(path.join(snapshot, 'source-0-abstracts.bin'), 'abc');
    expect(await LibraryStore.restore(snapshot, { onEvent }, '1.0.0')).toBeUndefined();
    writeFileSync(path.join(snapshot, 'source-0-papers.json'), '[{"key":');
    expect(await LibraryStore.restore(snapshot, { onEvent }, '1.0.0')).toBeUndefined();
    // No snapshot at all is no reason to say anything.
    expect(reasons).toEqual([
      'it was built with other options (key formula)',
      'it was written by another version of Paperlens (1.0.0)',
      'a part is damaged (a binary part has a broken length)',
      expect.stringMatching(/^a part is damaged \(.*JSON.*\)$/),
    ]);
  });

  it('trusts a file whose size and old modification time are unchanged without reading it, a recent time never', async () => {
    const snapshot = path.join(folder, 'snapshot');
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    utimesSync(bib, hourAgo, hourAgo);
    const store = new LibraryStore();
    await store.loadFile(bib, 0);
    await store.save(snapshot, '1.0.0');
    // Other bytes of the same size, the time put back: the stamp holds, so the file is not even read.
    writeFileSync(bib, entries(3).replace('Graphs part 1', 'Graphs part 9'));
    utimesSync(bib, hourAgo, hourAgo);
    const restored = (await LibraryStore.restore(snapshot, {}, '1.0.0'))!;
    expect(await restored.loadFile(bib, 0)).toEqual({ status: 'unchanged' });
    // Touched: read and hashed, and these bytes are not those the papers came from.
    const now = Date.now() / 1000;
    utimesSync(bib, now, now);
    expect(await restored.loadFile(bib, 0)).toMatchObject({ status: 'set', update: { added: 1, removed: 1 } });
    expect(restored.library.byKey('doe1')?.title).toBe('Graphs part 9');

    // Modified just before it was hashed: a write in the same tick could keep size and time, so it is hashed again.
    const recent = (Date.now() - 100) / 1000;
    utimesSync(bib, recent, recent);
    const fresh = new LibraryStore();
    await fresh.loadFile(bib, 0);
    writeFileSync(bib, entries(3).replace('Graphs part 1', 'Graphs part 8'));
    utimesSync(bib, recent, recent);
    expect(await fresh.loadFile(bib, 0)).toMatchObject({ status: 'set', update: { added: 1, removed: 1 } });
    expect(fresh.library.byKey('doe1')?.title).toBe('Graphs part 8');
  });

  it('keeps the related-papers model with the library when it was built for these papers', async () => {
    const snapshot = path.join(folder, 'snapshot');
    const store = new LibraryStore();
    await store.loadFile(bib, 0);
    await store.loadFile(arxivFile, 1);
    const model = RelatedModel.build(store.library.papers());
    await store.save(snapshot, '1.0.0', model);
    const restored = (await LibraryStore.restore(snapshot, {}, '1.0.0'))!;
    const warm = await restored.takeRestoredRelated();
    expect(warm?.toJSON()).toEqual(model.toJSON());
    expect(await restored.takeRestoredRelated()).toBeUndefined();

    // A model of the papers before a change does not fit the library saved after it: not written.
    writeFileSync(bib, entries(4));
    await store.loadFile(bib, 0);
    await store.save(snapshot, '1.0.0', model);
    const changed = (await LibraryStore.restore(snapshot, {}, '1.0.0'))!;
    expect(changed.library.size).toBe(store.library.size);
    expect(await changed.takeRestoredRelated()).toBeUndefined();
  });

  it('builds the related-papers model again when its saved parts are damaged, and restores the library all the same', async () => {
    const snapshot = path.join(folder, 'snapshot');
    const store = new LibraryStore();
    await store.loadFile(arxivFile, 1);
    await store.save(snapshot, '1.0.0', RelatedModel.build(store.library.papers()));
    writeFileSync(path.join(snapshot, 'related-head.json'), '{"version":');
    const restored = (await LibraryStore.restore(snapshot, {}, '1.0.0'))!;
    expect(restored.library.size).toBe(store.library.size);
    expect(await restored.takeRestoredRelated()).toBeUndefined();
  });
});
