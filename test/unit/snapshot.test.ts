import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { readListing } from '../../src/core/formats/listing';
import { Library } from '../../src/core/library';
import type { CorpusSource } from '../../src/core/paper';
import { hashText, readSnapshot, SNAPSHOT_VERSION } from '../../src/core/snapshot';
import { corpusPath } from './corpora';

const listingFile = path.resolve(__dirname, '../../corpus/papers.txt');
const arxivFile = corpusPath('arxiv/arxiv-metadata-0704-first2000.jsonl');
const sources: CorpusSource[] = [
  { file: listingFile, format: 'listing', ...readListing(readFileSync(listingFile, 'utf8'), listingFile) },
  { file: arxivFile, format: 'arxiv-jsonl', ...readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile) },
];
// The same paper twice, so the snapshot must carry the dropped duplicate's origin.
sources.push({ file: 'again.txt', format: 'listing', papers: [{ ...sources[0].papers[3], origin: { file: 'again.txt', line: 1 } }], problems: [] });


// Two papers under one key in one file, both kept, and the same paper again under it: marks and origins must survive.
const sameKeyFile = 'mendeley.bib';
sources.push({
  file: sameKeyFile,
  format: 'bibtex',
  papers: [
    { key: 'Smith2020', type: 'article', title: 'Keys that collide', authors: [], year: '2020', fields: {}, origin: { file: sameKeyFile, line: 1 } },
    { key: 'Smith2020', type: 'article', title: 'Sediment transport', authors: [], year: '2020', fields: {}, origin: { file: sameKeyFile, line: 9 } },
    { key: 'Smith2020', type: 'article', title: 'Keys That Collide', authors: [], year: '2020', fields: {}, origin: { file: sameKeyFile, line: 17 } },
  ],
  problems: [],
});
const built = Library.build(sources);
const snapshot = built.toSnapshot();

describe('Library snapshots', () => {
  it('restore the same papers, keys, origins and sources', () => {
    const restored = Library.fromSnapshot(snapshot);
    expect(restored).toBeDefined();
    expect(restored!.size).toBe(built.size);
    expect(restored!.papers()).toEqual(built.papers());
    expect(restored!.sources).toEqual(built.sources);
    expect(restored!.origins('hypernetworks')).toEqual([
      { file: listingFile, line: 7 },
      { file: 'again.txt', line: 1 },
    ]);
    expect(restored!.byKey('Streinu2007Sparsity')?.title).toBe('Sparsity-certifying Graph Decompositions');
  });

  it('restore the papers kept apart under one key, each marked with the other', () => {
    const restored = Library.fromSnapshot(snapshot)!;
    expect(restored.papersWithKey('smith2020')).toEqual(built.papersWithKey('smith2020'));
    expect(restored.papersWithKey('smith2020').map((paper) => [paper.title, paper.sameKey?.map((other) => other.origin.line)])).toEqual([
      ['Keys that collide', [9]],
      ['Sediment transport', [1]],
    ]);
    expect(restored.origins('Smith2020')).toEqual([{ file: sameKeyFile, line: 1 }, { file: sameKeyFile, line: 17 }]);
    const inFile = (paper: { origin: { file: string } }) => paper.origin.file === sameKeyFile;
    expect(restored.search('sediment transport', { limit: 5, filter: inFile }).map((hit) => hit.paper.origin)).toEqual([{ file: sameKeyFile, line: 9 }]);
  });

  it('search exactly as the library they were made from', () => {
    const restored = Library.fromSnapshot(snapshot)!;
    for (const query of ['graph anomaly detection', 'balazs 2007', 'hypernetwrks', 'streinu20', 'muller']) {
      const before = built.search(query, { limit: 10 });
      const after = restored.search(query, { limit: 10 });
      expect(after.map((hit) => [hit.paper.key, hit.terms])).toEqual(before.map((hit) => [hit.paper.key, hit.terms]));
      // Scores agree to rounding: the restored index sums the same floats in another order.
      after.forEach((hit, index) => expect(hit.score).toBeCloseTo(before[index].score, 9));
    }
  });

  it('start with a header line naming format, version and options hash', () => {
    const header = JSON.parse(snapshot.slice(0, snapshot.indexOf('\n')));
    expect(header).toMatchObject({ format: 'paperlens-library', version: SNAPSHOT_VERSION });
    expect(header.optionsHash).toMatch(/^[0-9a-f]{8}$/);
  });

  it('are refused when built with other options, of another version, or damaged', () => {
    expect(Library.fromSnapshot(snapshot, { keyFormula: 'authYear' })).toBeUndefined();
    expect(Library.fromSnapshot(snapshot.replace(`"version":${SNAPSHOT_VERSION}`, `"version":${SNAPSHOT_VERSION + 1}`))).toBeUndefined();
    expect(Library.fromSnapshot(snapshot.slice(0, snapshot.length / 2))).toBeUndefined();
    expect(Library.fromSnapshot('')).toBeUndefined();
    expect(Library.fromSnapshot('not json\n{}')).toBeUndefined();
  });

  it('of an empty library restore an empty library', () => {
    const empty = Library.fromSnapshot(Library.empty().toSnapshot());
    expect(empty?.size).toBe(0);
    expect(empty?.search('graph')).toEqual([]);
  });
});

describe('snapshot helpers', () => {
  it('hash text stably and distinctly', () => {
    expect(hashText('')).toBe('811c9dc5');
    expect(hashText('abc')).toBe(hashText('abc'));
    expect(hashText('abc')).not.toBe(hashText('abd'));
  });

  it('reject a body without papers', () => {
    const header = snapshot.slice(0, snapshot.indexOf('\n'));
    const hash = JSON.parse(header).optionsHash;
    expect(readSnapshot(`${header}\n{"sources":[]}`, hash)).toBeUndefined();
    expect(readSnapshot(snapshot, hash)?.sources.map((state) => state.source.papers.length)).toEqual([198, 2000, 1, 3]);
  });
});
