// The incremental library: after any sequence of source changes it must be the library a fresh build of the same
// sources gives (papers, keys, origins, summaries, search results), and it must answer while it indexes.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { readListing } from '../../src/core/formats/listing';
import { Library } from '../../src/core/library';
import { LibraryIndex } from '../../src/core/libraryIndex';
import { LibraryStore, type StoreEvent } from '../../src/core/libraryStore';
import { loadCorpusFiles } from '../../src/core/load';
import type { CorpusSource, Paper } from '../../src/core/paper';
import { makeKey } from '../../src/core/citekey';

const listingFile = path.resolve(__dirname, '../../corpus/papers.txt');
const arxivFile = path.resolve(__dirname, '../../../shared/corpora/arxiv/arxiv-metadata-0704-first2000.jsonl');
const tugboatFile = path.resolve(__dirname, '../../../shared/corpora/large/tugboat.bib');
const listing: CorpusSource = { file: listingFile, format: 'listing', ...readListing(readFileSync(listingFile, 'utf8'), listingFile) };
const arxiv: CorpusSource = { file: arxivFile, format: 'arxiv-jsonl', ...readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile) };

function paper(overrides: Partial<Paper>): Paper {
  return { key: '', type: 'article', title: '', authors: [], fields: {}, origin: { file: 'my.bib', line: 1 }, ...overrides };
}

function source(file: string, papers: Paper[]): CorpusSource {
  return { file, format: 'bibtex', papers: papers.map((p, index) => ({ ...p, origin: { file, line: index * 5 + 1 } })), problems: [] };
}

/** arXiv's papers from `start`, `count` of them, as the file would read after an export changed it. */
function arxivSlice(start: number, count: number): CorpusSource {
  return { ...arxiv, papers: arxiv.papers.slice(start, start + count) };
}

const QUERIES = ['graph anomaly detection', 'balazs 2007', 'hypernetwrks', 'quantum chromo', 'networks', 'streinu20', 'muller', 'lattice gauge theory', 'typeset'];

/** Where a paper was read: what identifies it whatever key it was given. */
const placeOf = (paper: Paper): string => `${paper.origin.file}:${paper.origin.line}`;

/**
 * The store's library and a fresh build of `sources` agree on everything a caller can ask, but for one thing:
 * a generated key, once given, stays while its paper stays, so its disambiguation suffix may differ from the one
 * a fresh build would give ("…measurementa" where the paper that had "…measurement" left).
 */
function expectSameAsFreshBuild(library: Library, sources: CorpusSource[]): void {
  const fresh = Library.build(sources);
  expect(library.size).toBe(fresh.size);
  expect(library.papers().map(placeOf)).toEqual(fresh.papers().map(placeOf));
  expect(library.sources).toEqual(fresh.sources);
  const ownKeys = new Set(sources.flatMap((source) => source.papers.map((paper) => paper.key)).filter((key) => key !== ''));
  library.papers().forEach((paper, position) => {
    const expected = fresh.papers()[position];
    if (ownKeys.has(expected.key)) expect(paper.key).toBe(expected.key);
    else expect(paper.key.startsWith(makeKey(expected))).toBe(true);
    if (position % 97 === 0) {
      expect({ ...paper, key: '' }).toEqual({ ...expected, key: '' });
      expect(library.byKey(paper.key)).toBe(paper);
      expect(library.origins(paper.key)).toEqual(fresh.origins(expected.key));
    }
  });
  for (const query of QUERIES) {
    const expected = fresh.searchPage(query, { limit: 15 });
    const actual = library.searchPage(query, { limit: 15 });
    expect(actual.total).toBe(expected.total);
    expect(actual.hits.map((hit) => [placeOf(hit.paper), hit.terms])).toEqual(expected.hits.map((hit) => [placeOf(hit.paper), hit.terms]));
    // Scores agree to rounding: the incremental index summed the same lengths in another order.
    actual.hits.forEach((hit, index) => expect(Math.abs(hit.score - expected.hits[index].score)).toBeLessThan(1e-9 * expected.hits[index].score));
  }
}

afterEach(() => vi.restoreAllMocks());

describe('LibraryStore', () => {
  const mine = source('my.bib', [
    // The same paper as arXiv's first (title and year), under the user's own key: it shadows arXiv's copy.
    paper({ key: 'Balazs07', title: arxiv.papers[0].title, year: arxiv.papers[0].year, authors: arxiv.papers[0].authors }),
    paper({ key: 'mine2024', title: 'Graph anomaly detection for my thesis', year: '2024' }),
  ]);

  it('is the fresh build of its sources after adding, replacing and removing them', async () => {
    const store = new LibraryStore();
    await store.setSource(arxivSlice(0, 1000), 2);
    await store.setSource(listing, 1);
    await store.setSource(mine, 0);
    await store.idle();
    expectSameAsFreshBuild(store.library, [mine, listing, arxivSlice(0, 1000)]);
    expect(store.library.byKey('Balazs07')?.origin.file).toBe('my.bib');
    expect(store.library.origins('Balazs07')).toEqual([{ file: 'my.bib', line: 1 }, { file: arxivFile, line: 1 }]);

    // The shadowed arXiv copy comes back when the user's .bib goes, under its generated key.
    await store.removeSource('my.bib');
    await store.idle();
    expectSameAsFreshBuild(store.library, [listing, arxivSlice(0, 1000)]);
    expect(store.library.byKey('balazs2007calculation')?.origin.file).toBe(arxivFile);
    expect(store.library.byKey('Balazs07')).toBeUndefined();

    const kept = store.library.papers().filter((paper) => paper.origin.file === arxivFile && paper.origin.line > 600);
    await store.setSource(arxivSlice(500, 1500), 2);
    await store.setSource(mine, 0);
    await store.idle();
    expectSameAsFreshBuild(store.library, [mine, listing, arxivSlice(500, 1500)]);
    // Papers that stayed keep their keys and their objects: nothing about them was re-indexed.
    for (const paper of kept) expect(store.library.byKey(paper.key)).toBe(paper);
  });

  it('adds one entry appended to a small .bib without touching the rest', async () => {
    const store = new LibraryStore();
    await store.setSources([
      { source: mine, priority: 0 },
      { source: arxiv, priority: 1 },
    ]);
    const appended = source('my.bib', [...mine.papers, paper({ key: 'vaswani2017', title: 'Attention Is All You Need', year: '2017' })]);
    const update = await store.setSource(appended, 0);
    expect(update).toMatchObject({ added: 1, removed: 0, rebuilt: false });
    expect(store.library.search('attention all you need', { limit: 1 })[0].paper.key).toBe('vaswani2017');
    await store.idle();
    expectSameAsFreshBuild(store.library, [appended, arxiv]);
  });

  it('marks the papers of one file under one key, and unmarks them when a change leaves one', async () => {
    const smith = (title: string) => paper({ key: 'Smith2020', title, year: '2020' });
    const one = source('mendeley.bib', [smith('Keys that collide'), paper({ key: 'knuth1984', title: 'The TeXbook' })]);
    const store = new LibraryStore();
    await store.setSources([{ source: one, priority: 0 }, { source: listing, priority: 1 }]);
    const marks = () => store.library.papersWithKey('smith2020').map((p) => [p.title, p.origin.line, p.sameKey?.map((other) => [other.title, other.origin.line])]);
    // Another paper under the key, prepended: both kept, the moved one marked with its new line.
    const two = source('mendeley.bib', [smith('Sediment transport'), smith('Keys that collide'), paper({ key: 'knuth1984', title: 'The TeXbook' })]);
    await store.setSource(two, 0);
    expect(marks()).toEqual([
      ['Sediment transport', 1, [['Keys that collide', 6]]],
      ['Keys that collide', 6, [['Sediment transport', 1]]],
    ]);
    expect(store.library.sources[0].problems.map((problem) => problem.line)).toEqual([6]);
    await store.idle();
    expectSameAsFreshBuild(store.library, [two, listing]);
    await store.setSource(one, 0);
    expect(marks()).toEqual([['Keys that collide', 1, undefined]]);
    expect(store.library.sources[0].problems).toEqual([]);
    await store.idle();
    expectSameAsFreshBuild(store.library, [one, listing]);
  });

  it('replaced many times, a source of thousands of papers searches as a fresh build', async () => {
    const [tugboat] = await loadCorpusFiles([tugboatFile]);
    expect(tugboat.papers.length).toBeGreaterThan(2000);
    const store = new LibraryStore({ chunkSize: 700 });
    await store.setSources([
      { source: mine, priority: 0 },
      { source: tugboat, priority: 1 },
      { source: arxiv, priority: 2 },
    ]);
    let current = arxiv;
    for (let round = 0; round < 12; round++) {
      current = round % 3 === 2 ? arxiv : arxivSlice((round * 137) % 900, 1100);
      // Not awaited one by one: changes queue up behind each other and behind the abstracts' indexing.
      void store.setSource(current, 2);
      if (round % 4 === 3) void store.setSource(round % 8 === 3 ? tugboatWithout(tugboat, round) : tugboat, 1);
    }
    await store.setSource(current, 2);
    await store.setSource(tugboat, 1);
    await store.idle();
    expectSameAsFreshBuild(store.library, [mine, tugboat, current]);
  });

  it('answers queries between chunks of a large change', async () => {
    const store = new LibraryStore({ chunkSize: 200 });
    await store.setSource(mine, 0);
    const answers: number[] = [];
    const adding = store.setSource(arxiv, 1);
    // Queries arriving while the 2,000 papers are indexed (as messages would, between macrotasks).
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      answers.push(store.library.search('thesis').length);
    }
    const update = await adding;
    expect(answers.every((count) => count === 1)).toBe(true);
    expect(update.added).toBe(1999);
    expect(store.library.search('balazs 2007 calculation', { limit: 1 })[0].paper.key).toBe('Balazs07');
  });

  it('indexes fields first and abstracts behind them, reporting progress', async () => {
    const events: StoreEvent[] = [];
    const store = new LibraryStore({ chunkSize: 500, onEvent: (event) => events.push(event) });
    await store.setSource(arxiv, 0);
    // Searchable by title and author at once; an abstract-only phrase only once the abstracts are in.
    expect(store.library.search('balazs calculation', { limit: 1 })[0].paper.key).toBe('balazs2007calculation');
    const abstractOnly = 'perturbative quantum chromodynamics';
    expect(store.library.abstractsIndexed).toBe(false);
    await store.abstractsIndexed();
    expect(store.library.abstractsIndexed).toBe(true);
    expect(store.library.search(abstractOnly, { limit: 1 })[0].paper.key).toBe('balazs2007calculation');
    expect(events.filter((event) => event.type === 'progress' && event.phase === 'fields').map((event) => event.type === 'progress' && event.done)).toEqual([500, 1000, 1500, 2000]);
    expect(events.filter((event) => event.type === 'progress').at(-1)).toEqual({ type: 'progress', phase: 'abstracts', done: 2000, total: 2000 });
  });

  it('rebuilds from its sources when an incremental update fails', async () => {
    const events: StoreEvent[] = [];
    const store = new LibraryStore({ onEvent: (event) => events.push(event) });
    await store.setSources([
      { source: mine, priority: 0 },
      { source: listing, priority: 1 },
    ]);
    vi.spyOn(LibraryIndex.prototype, 'discard').mockImplementationOnce(() => {
      throw new Error('TypeError: Cannot read properties of undefined (reading keys)');
    });
    const update = await store.setSource(arxiv, 2);
    expect(update.rebuilt).toBe(true);
    expect(events).toContainEqual({ type: 'rebuilding', reason: 'TypeError: Cannot read properties of undefined (reading keys)' });
    await store.idle();
    expectSameAsFreshBuild(store.library, [mine, listing, arxiv]);
  });
});

/** tugboat.bib with some entries taken out, as a file being edited. */
function tugboatWithout(tugboat: CorpusSource, round: number): CorpusSource {
  return { ...tugboat, papers: tugboat.papers.filter((_, index) => index % 10 !== round % 10) };
}

describe('papersWithKeyPrefix', () => {
  it('finds keys by prefix in any case, in library order, through changes', async () => {
    const store = new LibraryStore();
    await store.setSources([
      { source: source('a.bib', [paper({ key: 'Smith2020b', title: 'B' }), paper({ key: 'smith2019', title: 'A' }), paper({ key: 'jones2020', title: 'C' })]), priority: 0 },
      { source: listing, priority: 1 },
    ]);
    const keys = (prefix: string, limit = 10) => store.library.papersWithKeyPrefix(prefix, limit).map((p) => p.key);
    expect(keys('SMITH')).toEqual(['Smith2020b', 'smith2019']);
    expect(keys('smith', 1)).toEqual(['Smith2020b']);
    expect(keys('hypernet')).toEqual(store.library.papers().filter((p) => p.key.startsWith('hypernet')).map((p) => p.key));
    expect(keys('zzz')).toEqual([]);
    await store.setSource(source('a.bib', [paper({ key: 'smith2019', title: 'A' }), paper({ key: 'smithers2021', title: 'D' })]), 0);
    expect(keys('smith')).toEqual(['smith2019', 'smithers2021']);
    expect(keys('jones')).toEqual([]);
  });
});
