// LibraryIndex's merge decides again only what a change reaches (the entries that share a key, DOI or title with
// what arrived, moved or left). After any sequence of changes it must hold exactly the library a build from scratch
// of the same sources holds: the same papers in the same order, keys, dropped duplicates, marks and problems.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeKey } from '../../src/core/citekey';
import { LibraryIndex, type PrioritisedSource } from '../../src/core/libraryIndex';
import { loadCorpusFiles } from '../../src/core/load';
import type { CorpusSource, Origin, Paper } from '../../src/core/paper';
import { corpusPath } from './corpora';

/** A small seeded generator (mulberry32): the same sequence of changes on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A source of `papers` in this order, each on its own lines of `file` as a .bib would have them. */
function sourceOf(file: string, papers: readonly Paper[]): CorpusSource {
  return { file, format: 'bibtex', papers: papers.map((paper, index) => ({ ...paper, origin: { file, line: index * 7 + 1 } })), problems: [] };
}

const place = (origin: Origin): string => `${origin.file}:${origin.line}`;

/** What a caller can learn of the library, with generated keys reduced to their formula's part. */
function contents(index: LibraryIndex, sources: readonly CorpusSource[]) {
  const ownKeys = new Set(sources.flatMap((source) => source.papers.map((paper) => paper.key.toLowerCase())).filter((key) => key !== ''));
  const idOf = new Map([...index.papers].map(([id, paper]) => [paper, id]));
  return {
    papers: index.papersInOrder().map((paper) => ({
      ...paper,
      key: ownKeys.has(paper.key.toLowerCase()) ? paper.key : makeKey(paper),
      duplicates: index.duplicateOrigins(idOf.get(paper) as number).map(place),
    })),
    sources: index.sources,
  };
}

describe('LibraryIndex merges a change as a build from scratch would', async () => {
  const [tugboat] = await loadCorpusFiles([corpusPath('large/tugboat.bib')]);
  const [mendeley] = await loadCorpusFiles([path.resolve(__dirname, '../fixtures/library/mendeley-same-key.bib')]);

  it('through random additions, removals, moves and reprioritisations of entries and sources', () => {
    const next = random(12);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    /** A paper of the real corpus as a change might bring it: as is, without its key, or another paper under its key. */
    const variant = (): Paper => {
      const paper = pick(tugboat.papers);
      const roll = next();
      if (roll < 0.2) return { ...paper, key: '' };
      if (roll < 0.3) return { ...paper, title: `${paper.title} revisited`, doi: undefined };
      return paper;
    };
    const files = ['/bib/mine.bib', '/bib/tugboat.bib', '/bib/copies.bib', '/bib/mendeley.bib'];
    const papers = new Map<string, Paper[]>([
      [files[0], Array.from({ length: 30 }, variant)],
      [files[1], tugboat.papers.filter(() => next() < 0.8)],
      [files[2], Array.from({ length: 200 }, variant)],
      [files[3], mendeley.papers],
    ]);
    const priorities = new Map(files.map((file, at) => [file, at]));
    const present = new Set(files);
    const current = (): PrioritisedSource[] =>
      files.filter((file) => present.has(file)).map((file) => ({ source: sourceOf(file, papers.get(file) as Paper[]), priority: priorities.get(file) as number }));

    const index = LibraryIndex.empty();
    index.setSources(current());
    for (let step = 0; step < 60; step++) {
      const file = pick(files);
      const list = [...(papers.get(file) as Paper[])];
      const roll = next();
      if (roll < 0.1 && present.has(file)) {
        present.delete(file);
        index.removeSources([file]);
      } else {
        // Distinct priorities: between equal ones the order of arrival decides, which a fresh build does not replay.
        if (roll < 0.2) priorities.set(file, Math.floor(next() * 8) * files.length + files.indexOf(file));
        else if (roll < 0.3 && list.length > 1) {
          const [a, b] = [Math.floor(next() * list.length), Math.floor(next() * list.length)];
          [list[a], list[b]] = [list[b], list[a]];
        } else {
          for (let change = Math.floor(next() * 4); change >= 0; change--) {
            if (next() < 0.5 && list.length > 0) list.splice(Math.floor(next() * list.length), 1);
            else list.splice(Math.floor(next() * (list.length + 1)), 0, next() < 0.5 ? variant() : pick(list.length > 0 ? list : tugboat.papers));
          }
        }
        papers.set(file, list);
        present.add(file);
        index.setSources([{ source: sourceOf(file, list), priority: priorities.get(file) as number }]);
      }
      const sources = current();
      const fresh = LibraryIndex.empty();
      fresh.setSources(sources);
      const [actual, expected] = [contents(index, sources.map((source) => source.source)), contents(fresh, sources.map((source) => source.source))];
      // The order first: a difference there shows as one line, not as every paper after it.
      expect(actual.papers.map((paper) => place(paper.origin)), `after step ${step}`).toEqual(expected.papers.map((paper) => place(paper.origin)));
      expect(actual, `after step ${step}`).toEqual(expected);
    }
  });

  it('keeps the first of a paper entered twice after the two swap places in their file', () => {
    const file = '/bib/mendeley.bib';
    const [smithA, smithB, vaswani, vaswaniAgain, knuth] = mendeley.papers;
    const index = LibraryIndex.empty();
    index.setSources([{ source: sourceOf(file, mendeley.papers), priority: 0 }]);
    const swapped = sourceOf(file, [smithA, smithB, vaswaniAgain, vaswani, knuth]);
    index.setSources([{ source: swapped, priority: 0 }]);
    const fresh = LibraryIndex.empty();
    fresh.setSources([{ source: swapped, priority: 0 }]);
    expect(contents(index, [swapped])).toEqual(contents(fresh, [swapped]));
    expect(index.papersInOrder().map((paper) => [paper.key, paper.origin.line, paper.abstract !== undefined])).toEqual([
      ['Smith2020', 1, true],
      ['Smith2020', 8, true],
      ['Vaswani2017', 15, true],
      ['Knuth1984', 29, false],
    ]);
  });
});
