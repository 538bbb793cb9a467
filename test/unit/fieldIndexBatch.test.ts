// addInOneBatch must leave the fields index exactly as MiniSearch's own add() would, term order included: the
// library builds with it, and saved snapshots, searches and incremental changes all read that state.
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { addInOneBatch } from '../../src/core/fieldSearch';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { FIELD_INDEX_FIELDS, fieldText, processTerm, tokenize } from '../../src/core/libraryIndex';
import { loadCorpusFiles } from '../../src/core/load';
import type { Paper } from '../../src/core/paper';
import { corpusPath } from './corpora';

describe('addInOneBatch', async () => {
  const [tugboat] = await loadCorpusFiles([corpusPath('large', 'tugboat.bib')]);
  const arxivFile = corpusPath('arxiv', 'arxiv-metadata-0704-first2000.jsonl');
  const papers: Paper[] = [...tugboat.papers, ...readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile).papers];
  const fieldsIndex = () =>
    new MiniSearch<number>({
      idField: 'id',
      fields: FIELD_INDEX_FIELDS,
      extractField: (id, field) => (field === 'id' ? id : (fieldText(papers[id], field as (typeof FIELD_INDEX_FIELDS)[number]) ?? '')),
      tokenize,
      processTerm,
      autoVacuum: false,
    });
  const ids = papers.map((_, id) => id);

  /**
   * Every paper, by add() one at a time and by addInOneBatch as the store indexes a change: in chunks that share
   * what they found of the tree, `betweenBatches` run on both indexes after each.
   */
  const bothIndexes = (betweenBatches: (index: MiniSearch<number>, start: number) => void = () => undefined) => {
    const added = fieldsIndex();
    const batched = fieldsIndex();
    const seen = new Map();
    for (let start = 0; start < ids.length; start += 1_000) {
      const batch = ids.slice(start, start + 1_000);
      for (const id of batch) added.add(id);
      addInOneBatch(batched, batch, seen);
      for (const index of [added, batched]) betweenBatches(index, start);
    }
    return { added, batched };
  };

  it('leaves the index as add() of each paper in turn does, with papers discarded between batches', () => {
    // A change between two batches: discarded papers leave dirt and gaps in the short ids.
    const { added, batched } = bothIndexes((index, start) => index.discard(start + 3));
    expect(batched.documentCount).toBe(papers.length - Math.ceil(papers.length / 1_000));
    expect(JSON.stringify(batched.toJSON())).toBe(JSON.stringify(added.toJSON()));
    for (const query of ['knuth typesetting', 'tugboat 1985', 'quantum chromodynamics', 'beeton']) {
      expect(batched.search(query, { prefix: true }).slice(0, 20)).toEqual(added.search(query, { prefix: true }).slice(0, 20));
    }
  });

  it('stays as add() leaves it through discards, a vacuum and the same papers added again', async () => {
    const { added, batched } = bothIndexes();
    // Every third paper out and back in (as a changed source is re-read): new short ids, after a vacuum that deletes
    // postings as it goes through them.
    const changed = ids.filter((id) => id % 3 === 0);
    for (const index of [added, batched]) {
      for (const id of changed) index.discard(id);
      await index.vacuum();
    }
    expect(batched.dirtCount).toBe(0);
    expect(JSON.stringify(batched.toJSON())).toBe(JSON.stringify(added.toJSON()));
    for (const id of changed) added.add(id);
    addInOneBatch(batched, changed);
    expect(batched.documentCount).toBe(papers.length);
    expect(JSON.stringify(batched.toJSON())).toBe(JSON.stringify(added.toJSON()));
    for (const query of ['knuth typesetting', 'tugboat 1985', 'quantum chromodynamics', 'beeton']) {
      expect(batched.search(query, { prefix: true, fuzzy: 0.2 }).slice(0, 20)).toEqual(added.search(query, { prefix: true, fuzzy: 0.2 }).slice(0, 20));
    }
  });

  it('refuses a paper already in the index, as add() does', () => {
    const index = fieldsIndex();
    addInOneBatch(index, [0, 1]);
    expect(() => addInOneBatch(index, [2, 1])).toThrow('MiniSearch: duplicate ID 1');
  });
});
