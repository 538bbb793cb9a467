// The abstracts' index must score as MiniSearch scores one field (the fields index's scores are added to it),
// through additions, discards and vacuums, and come back whole from its saved state.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { AbstractIndex } from '../../src/core/abstractIndex';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { processTerm, tokenize } from '../../src/core/terms';

const arxivFile = path.resolve(__dirname, '../../../shared/corpora/arxiv/arxiv-metadata-0704-first2000.jsonl');
const abstracts = readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile).papers.map((paper) => paper.abstract ?? '');
const TERMS = ['quantum', 'graph', 'chromodynamics', 'lattice', 'we', 'nosuchterm', '2007'];

function miniSearchOver(ids: number[]): MiniSearch<number> {
  const index = new MiniSearch<number>({ idField: 'id', fields: ['abstract'], extractField: (id, field) => (field === 'id' ? id : abstracts[id]), tokenize, processTerm });
  index.addAll(ids);
  return index;
}

function scores(index: AbstractIndex, term: string): Map<number, number> {
  const found = new Map<number, number>();
  index.scoreTerm(term, 1, (id, score) => found.set(id, score));
  return found;
}

function expectSameScores(index: AbstractIndex, reference: MiniSearch<number>): void {
  for (const term of TERMS) {
    const expected = new Map(reference.search(term, { prefix: false, fuzzy: false }).map((result) => [result.id as number, result.score]));
    const actual = scores(index, term);
    expect([...actual.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
    for (const [id, score] of expected) expect(Math.abs((actual.get(id) as number) - score)).toBeLessThan(1e-9 * score);
  }
}

describe('AbstractIndex', () => {
  const all = abstracts.map((_, id) => id);

  it('scores each term as a MiniSearch index of the abstract field does', () => {
    const index = new AbstractIndex((id) => abstracts[id]);
    for (const id of all) index.add(id);
    expect(index.documentCount).toBe(2000);
    expect(scores(index, 'chromodynamics').size).toBeGreaterThan(0);
    expectSameScores(index, miniSearchOver(all));
  });

  it('drops discarded documents at once and scores as a fresh index of the rest, before and after a vacuum', () => {
    const index = new AbstractIndex((id) => abstracts[id]);
    for (const id of all) index.add(id);
    const gone = new Set(all.filter((id) => id % 3 === 0));
    for (const id of gone) index.discard(id);
    const rest = all.filter((id) => !gone.has(id));
    expect(index.dirtCount).toBe(gone.size);
    expectSameScores(index, miniSearchOver(rest));
    index.vacuum();
    expect(index.dirtCount).toBe(0);
    expectSameScores(index, miniSearchOver(rest));
    expect(() => index.discard(0)).toThrow(/not in the index/);
  });

  it('comes back from its state whole, and grows after', () => {
    const index = new AbstractIndex((id) => abstracts[id]);
    for (const id of all.slice(0, 1500)) index.add(id);
    index.discard(7);
    const restored = AbstractIndex.fromState(JSON.parse(JSON.stringify(index.toState())), (id) => abstracts[id]);
    const reference = miniSearchOver(all.slice(0, 1500).filter((id) => id !== 7));
    expectSameScores(restored, reference);
    for (const id of all.slice(1500)) restored.add(id);
    reference.addAll(all.slice(1500));
    expectSameScores(restored, reference);
    expect(() => AbstractIndex.fromState({ ...index.toState(), lengths: [1] }, (id) => abstracts[id])).toThrow(/damaged/);
  });
});
