// The library's answers about one of two papers under one key (a Mendeley export), named by where it was read: the
// paper itself, and the papers similar to it — those of the Search view's "Similar papers" and the Related view's
// "Similar". Without an origin, or with one that names no paper of the key, the key's first paper answers.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../src/core/library';
import { loadCorpusFiles } from '../../../src/core/load';
import type { CorpusSource, Paper } from '../../../src/core/paper';
import { libraryQueries } from '../../../src/server/libraryQueries';

const file = path.resolve(__dirname, '../../fixtures/library/mendeley-same-key.bib');
const FIRST = { file, line: 6 };
const SECOND = { file, line: 19 };

/** Two papers near each of the two: river sediments, and keys that collide. */
const neighbour = (key: string, title: string, abstract: string, line: number): Paper => ({
  key,
  type: 'article',
  title,
  abstract,
  authors: [{ family: 'Other', given: 'A.' }],
  fields: {},
  origin: { file: '/work/neighbours.bib', line },
});
const neighbours: CorpusSource = {
  file: '/work/neighbours.bib',
  format: 'bibtex',
  papers: [
    neighbour('rivers2019', 'Sediment transport in braided river channels', 'River sediments move through braided channels.', 1),
    neighbour('keys2021', 'Citation keys that collide in reference managers', 'Reference managers name entries by author and year, and keys collide.', 8),
  ],
  problems: [],
};

describe('queries about one of two papers under one key', async () => {
  const [mendeley] = await loadCorpusFiles([file]);
  const queries = libraryQueries(Library.build([mendeley, neighbours]));

  it('answer the paper read at the origin, else the first under the key', () => {
    expect(queries.byKey('Smith2020', SECOND)?.title).toBe('Sediment transport in braided rivers');
    expect(queries.byKey('smith2020', SECOND)?.origin).toEqual(SECOND);
    for (const origin of [undefined, FIRST, { file, line: 20 }, { file: '/elsewhere/mendeley.bib', line: 19 }]) {
      expect(queries.byKey('Smith2020', origin)?.title, JSON.stringify(origin)).toBe('Keys that collide in reference managers');
    }
  });

  it("list the second paper's similar papers for the Search view, itself left out", async () => {
    const similar = await queries.similar('Smith2020', 2, undefined, SECOND);
    expect(similar[0].paper.key).toBe('rivers2019');
    expect(similar.map((hit) => hit.paper.origin)).not.toContainEqual(SECOND);
    const ofFirst = await queries.similar('Smith2020', 2);
    expect(ofFirst[0].paper.key).toBe('keys2021');
    expect(ofFirst.map((hit) => hit.paper.origin)).not.toContainEqual(FIRST);
  });

  it("list the second paper's similar papers for the Related view, itself left out", async () => {
    const similar = await queries.relatedSimilar('Smith2020', 2, SECOND);
    expect(similar[0].paper.key).toBe('rivers2019');
    expect(similar.map((hit) => hit.paper.origin)).not.toContainEqual(SECOND);
    expect((await queries.relatedSimilar('Smith2020', 2, { file, line: 20 }))[0].paper.key).toBe('keys2021');
  });
});
