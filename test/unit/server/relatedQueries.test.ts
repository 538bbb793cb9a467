// The related-papers index is rebuilt a slice at a time after every change of the library: meanwhile the queries
// answer from the previous library's index (never waiting for the build), and only the very first one waits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readArxivJsonl } from '../../../src/core/formats/arxiv';
import { LibraryStore } from '../../../src/core/libraryStore';
import type { CorpusSource, Paper } from '../../../src/core/paper';
import { relatedQueries } from '../../../src/server/relatedQueries';
import { corpusPath } from '../corpora';

const arxivFile = corpusPath('arxiv', 'arxiv-metadata-0704-first2000.jsonl');
const arxiv: CorpusSource = { file: arxivFile, format: 'arxiv-jsonl', ...readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile) };

const QUOKKA: Paper = {
  key: 'quokka2024',
  type: 'article',
  title: 'Quokka burrows and marsupial foraging on Rottnest Island',
  abstract: 'We count quokka burrows across Rottnest Island and relate marsupial foraging to the island vegetation.',
  authors: [{ family: 'Writer', given: 'A.' }],
  fields: {},
  origin: { file: '/work/paper/references.bib', line: 1 },
};
const mine: CorpusSource = { file: '/work/paper/references.bib', format: 'bibtex', papers: [QUOKKA], problems: [] };
const WRITING = 'Quokka burrows on Rottnest Island tell how marsupial foraging follows the island vegetation.';

describe('related queries while the library changes', () => {
  it('answer from the previous index while the new one builds, and from the new one once it is built', async () => {
    const store = new LibraryStore();
    await store.setSource({ ...arxiv, papers: arxiv.papers.slice(0, 1500) }, 1);
    // A turn at every pause of the build: it never ends in the turn it started, however fast the machine.
    const queries = relatedQueries(store.library, undefined, 0);
    // The first query has no index to answer from: it waits for the first build.
    const before = await queries.relatedText(WRITING, 'markdown', 5);
    expect(before.length).toBeGreaterThan(0);
    expect(before.map((hit) => hit.paper.key)).not.toContain('quokka2024');

    await store.setSource(mine, 0);
    // The build of the changed library's index yields between slices: the previous index answers at once.
    const during = await queries.relatedText(WRITING, 'markdown', 5);
    expect(during.map((hit) => hit.paper.key)).toEqual(before.map((hit) => hit.paper.key));
    expect(queries.builtModel()).toBeUndefined();

    await queries.prepareRelated();
    const after = await queries.relatedText(WRITING, 'markdown', 5);
    expect(after[0].paper.key).toBe('quokka2024');
    expect(queries.builtModel()?.paperCount).toBe(store.library.size);
  });

  it('ends with the index of the library’s papers when the library changes during a build', async () => {
    const store = new LibraryStore();
    await store.setSource({ ...arxiv, papers: arxiv.papers.slice(0, 1500) }, 1);
    // A turn at every pause of the build: it never ends in the turn it started, however fast the machine.
    const queries = relatedQueries(store.library, undefined, 0);
    const built = queries.prepareRelated();
    await store.setSource(mine, 0);
    await built;
    expect(queries.builtModel()?.paperCount).toBe(1501);
    expect((await queries.relatedText(WRITING, 'markdown', 1))[0].paper.key).toBe('quokka2024');
  });
});
