// Saving the library in slices: the fields index written from MiniSearch's state reads back as toJSON() would; a
// change of the sources overtakes a save (nothing written, the previous snapshot kept); abstract indexing waits
// for a save; abandoned .partial folders of crashed saves go.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import MiniSearch, { type Options } from 'minisearch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fieldIndexHeadJson, fieldIndexTermsJson, loadFieldIndex, type StoredFieldIndexHead, type StoredTerm } from '../../src/core/fieldIndexJson';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { loadCorpusFiles } from '../../src/core/load';
import { LibraryStore } from '../../src/core/libraryStore';
import { renderBibtex } from '../../src/core/bibtex-render';
import { papersFingerprint } from '../../src/core/related/model';
import { SlicedWork, WorkOvertaken } from '../../src/core/slicedWork';
import { papersFingerprintInSlices } from '../../src/core/snapshot';
import type { Paper } from '../../src/core/paper';
import { corpusPath } from './corpora';

const arxivFile = corpusPath('arxiv', 'arxiv-metadata-0704-first2000.jsonl');
const entry = (key: string, title: string) => `@article{${key},\n  author = {Doe, Jane},\n  title = {${title}},\n  year = {2020}\n}\n`;

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'paperlens-save-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** The texts of fieldIndexHeadJson and fieldIndexTermsJson, parsed (the terms in parts of 100, as a save splits them) and loaded. */
async function writtenAndLoaded(index: MiniSearch<number>, work: SlicedWork, options: Options<number>): Promise<{ reloaded: MiniSearch<number>; terms: StoredTerm[] }> {
  const terms: StoredTerm[] = [];
  for await (const batch of fieldIndexTermsJson(index, work)) terms.push(...batch.map((text) => JSON.parse(text) as StoredTerm));
  const head = JSON.parse(await fieldIndexHeadJson(index, work)) as StoredFieldIndexHead;
  const parts = Array.from({ length: Math.ceil(terms.length / 100) }, (_, part) => terms.slice(part * 100, part * 100 + 100));
  return { reloaded: loadFieldIndex(head, parts, options), terms };
}

describe('the fields index written in slices', () => {
  // Whitespace tokens keep quotes, backslashes and TeX in the terms: the JSON text must escape them as toJSON's does.
  const options = { fields: ['title', 'abstract'], tokenize: (text: string) => text.split(/\s+/) };
  const papers = readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile).papers;
  interface Article {
    id: number;
    title: string;
    abstract: string;
  }
  const build = () => {
    const index = new MiniSearch<Article>(options);
    index.addAll(papers.map((paper, id) => ({ id, title: paper.title, abstract: paper.abstract ?? '' })));
    index.add({ id: papers.length, title: 'He said "quoted" back\\slash naïve 𝔸lgebra', abstract: '' });
    // Discarded, not vacuumed: dirt and gaps in the short ids, as a library has after changes.
    for (let id = 0; id < papers.length; id += 40) index.discard(id);
    return index as unknown as MiniSearch<number>;
  };

  it('reads back into a MiniSearch that equals the original and answers exactly as it does', async () => {
    const original = build();
    // A turn after every term and document: the radix tree's iterator resumes across thousands of turns.
    const { reloaded, terms } = await writtenAndLoaded(original, new SlicedWork(undefined, 0), options as Options<number>);
    expect(terms.some(([term]) => term === '"quoted"')).toBe(true);
    // Its whole state is the original's: documents, lengths, dirt, every term's postings, as toJSON() writes them.
    // loadJS builds its radix tree anew (terms come out of it in another order, scores sum in another order), as
    // this reload does: both answer alike, and find what the original finds.
    const fromToJSON = MiniSearch.loadJS(original.toJSON(), options);
    expect(JSON.stringify(reloaded.toJSON())).toBe(JSON.stringify(fromToJSON.toJSON()));
    const inTermOrder = (index: MiniSearch<number>) => {
      const json = index.toJSON();
      return JSON.stringify({ ...json, index: json.index.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) });
    };
    expect(inTermOrder(reloaded)).toBe(inTermOrder(original));
    expect(reloaded.dirtCount).toBeGreaterThan(0);
    for (const query of ['graph anomaly', 'quantum chromodynamics', 'naïve', 'perturbativ', 'galaxxy clusters']) {
      const results = (index: MiniSearch<number>) => index.search(query, { prefix: true, fuzzy: 0.2 }).map((hit) => [hit.id, hit.score]);
      expect(results(reloaded)).toEqual(results(fromToJSON));
      const ids = (index: MiniSearch<number>) => new Set(results(index).map(([id]) => id));
      expect(ids(reloaded)).toEqual(ids(original));
      expect(ids(reloaded).size).toBeGreaterThan(0);
    }
    // Changed after the reload as the original would be: discard, add and vacuum keep working on the filled maps.
    const changed = reloaded as unknown as MiniSearch<Article>;
    changed.discard(1);
    changed.add({ id: 1, title: 'graph anomaly detection, Paperlensian', abstract: '' });
    await changed.vacuum();
    expect(changed.search('Paperlensian').map((hit) => hit.id)).toEqual([1]);
  });

  it('stops at the first turn after a change, before it reads the index again', async () => {
    const index = build();
    let changed = false;
    const terms = fieldIndexTermsJson(index, new SlicedWork(() => changed, 0));
    expect((await terms.next()).value).toHaveLength(1);
    changed = true;
    await expect(terms.next()).rejects.toBeInstanceOf(WorkOvertaken);
  });
});

describe('the related model fitting the library', () => {
  it('is told by a fingerprint made in slices that equals papersFingerprint', async () => {
    const papers = readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile).papers;
    expect(await papersFingerprintInSlices(papers, new SlicedWork(undefined, 0))).toBe(papersFingerprint(papers));
    expect(await papersFingerprintInSlices(papers.slice(1), new SlicedWork())).toBe(papersFingerprint(papers.slice(1)));
    expect(await papersFingerprintInSlices([], new SlicedWork())).toBe(papersFingerprint([]));
  });
});

describe('LibraryStore.save', () => {
  const partials = () => readdirSync(folder).filter((name) => name.endsWith('.partial'));

  it('is overtaken by a change of the sources: it writes nothing, and the previous snapshot stays and reads back', async () => {
    const bib = path.join(folder, 'refs.bib');
    writeFileSync(bib, entry('doe2020', 'Graphs of citations'));
    const snapshot = path.join(folder, 'snapshot');
    const store = new LibraryStore();
    await store.loadFile(bib, 0);
    await store.loadFile(arxivFile, 1);
    await store.abstractsIndexed();
    expect(await store.save(snapshot, '1.0.0')).toBe(true);
    const queries = ['graph anomaly', 'balazs 2007', 'perturbative chromodynamics', 'doe graphs', 'attention all you need'];
    const resultsOf = (store_: LibraryStore) => queries.map((query) => store_.library.search(query).map((hit) => [hit.paper.key, hit.score]));
    const before = resultsOf(store);
    const savedFiles = readdirSync(snapshot).sort();

    const [bibSource] = await loadCorpusFiles([bib]);
    const attention = { ...bibSource.papers[0], key: 'vaswani2017', title: 'Attention Is All You Need', fields: {}, origin: { file: bib, line: 7 } };
    const saving = store.save(snapshot, '1.0.0');
    const partial = path.join(folder, `snapshot.${process.pid}-${threadId}.partial`);
    // A cite while the save writes (its manifest, the last part, not yet written): in the same turn as the check.
    while (!(existsSync(partial) && !existsSync(path.join(partial, 'manifest.json')))) await new Promise((resolve) => setImmediate(resolve));
    const cited = store.setSource({ ...bibSource, papers: [...bibSource.papers, attention] }, 0);
    expect(await saving).toBe(false);
    await cited;
    expect(store.library.byKey('vaswani2017')).toBeDefined();
    expect(partials()).toEqual([]);
    expect(readdirSync(snapshot).sort()).toEqual(savedFiles);
    const previous = (await LibraryStore.restore(snapshot, {}, '1.0.0'))!;
    expect(previous.library.byKey('vaswani2017')).toBeUndefined();
    expect(resultsOf(previous)).toEqual(before);

    // Saved again, the change is in.
    expect(await store.save(snapshot, '1.0.0')).toBe(true);
    const after = (await LibraryStore.restore(snapshot, {}, '1.0.0'))!;
    expect(after.library.papers()).toEqual(store.library.papers());
    expect(resultsOf(after)).toEqual(resultsOf(store));
    expect(after.library.search('attention all you need', { limit: 1 })[0].paper.key).toBe('vaswani2017');
  });

  it('restores every paper as it was read, its fields in their order: the entry a cite adds is the same after a warm start', async () => {
    const snapshot = path.join(folder, 'snapshot');
    const files = [corpusPath('large', 'tugboat.bib'), corpusPath('edge', 'biblatex-examples.bib'), arxivFile];
    const store = new LibraryStore();
    for (const [priority, file] of files.entries()) await store.loadFile(file, priority);
    await store.abstractsIndexed();
    expect(await store.save(snapshot, '1.0.0')).toBe(true);
    const restored = (await LibraryStore.restore(snapshot, {}, '1.0.0'))!;
    const papers = store.library.papers();
    expect(papers.length).toBeGreaterThan(4_000);
    // JSON text, not toEqual: the order of a paper's fields is the order its BibTeX entry is written in.
    const differing = (describe: (paper: Paper) => string) => {
      const after = restored.library.papers();
      return papers.flatMap((paper, at) => (describe(paper) === describe(after[at]) ? [] : [[describe(paper), describe(after[at])]])).slice(0, 2);
    };
    expect(restored.library.size).toBe(papers.length);
    expect(differing((paper) => JSON.stringify(paper))).toEqual([]);
    expect(differing(renderBibtex)).toEqual([]);
    expect(restored.library.sources).toEqual(store.library.sources);
  });

  it('is not overtaken by abstracts still being indexed: they wait, and the restored library indexes the rest', async () => {
    const snapshot = path.join(folder, 'snapshot');
    const store = new LibraryStore({ chunkSize: 100 });
    await store.loadFile(arxivFile, 1);
    expect(store.library.abstractsIndexed).toBe(false);
    expect(await store.save(snapshot)).toBe(true);
    await store.abstractsIndexed();
    const restored = (await LibraryStore.restore(snapshot))!;
    await restored.abstractsIndexed();
    for (const query of ['graph anomaly', 'perturbative chromodynamics', 'dark matter halo']) {
      expect(restored.library.search(query).map((hit) => [hit.paper.key, hit.score])).toEqual(store.library.search(query).map((hit) => [hit.paper.key, hit.score]));
    }
  });

  it('removes the .partial folders of saves that crashed, and leaves those a running save may still write', async () => {
    const bib = path.join(folder, 'refs.bib');
    writeFileSync(bib, entry('doe2020', 'Graphs of citations'));
    const store = new LibraryStore();
    await store.loadFile(bib, 0);
    const snapshot = path.join(folder, 'snapshot');
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    const partial = (name: string, modified?: number) => {
      mkdirSync(path.join(folder, name));
      writeFileSync(path.join(folder, name, 'source-0.json'), '{}');
      if (modified !== undefined) utimesSync(path.join(folder, name), modified, modified);
    };
    // Linux pids stop at 2^22: no process has this one.
    partial('snapshot.4194305-1.partial');
    // This process, another (crashed) worker thread, an hour ago.
    partial(`snapshot.${process.pid}-${threadId + 1000}.partial`, hourAgo);
    // This process, another thread, writing now.
    partial(`snapshot.${process.pid}-${threadId + 1001}.partial`);
    // Another folder's.
    partial('other.4194305-1.partial');
    expect(await store.save(snapshot)).toBe(true);
    expect(partials().sort()).toEqual(['other.4194305-1.partial', `snapshot.${process.pid}-${threadId + 1001}.partial`]);
    expect((await LibraryStore.restore(snapshot))!.library.byKey('doe2020')).toBeDefined();
  });
});
