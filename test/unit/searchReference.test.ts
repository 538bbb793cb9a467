// Library.search reads the fields index without MiniSearch's result objects (fieldSearch.ts), scores into arrays
// by paper id and keeps only the best in a heap. This test holds it to the plain way it replaced: MiniSearch's own
// search for the fields, every abstract match in a Map, all matches sorted. Over the bundled corpus and the arXiv
// sample (2,198 papers), with a few hundred queries made from their titles, abstracts, authors and years as a
// person types them (partial last words, misspellings): the same papers in the same order with the same scores,
// the same matched words, the same totals.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SearchResult } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { readListing } from '../../src/core/formats/listing';
import { Library, type SearchPage } from '../../src/core/library';
import { FIELD_INDEX_FIELDS, LibraryIndex, processTerm, tokenize } from '../../src/core/libraryIndex';
import type { CorpusSource, Paper } from '../../src/core/paper';
import { corpusPath } from './corpora';
import { randomSource } from './random';

const listingFile = path.resolve(__dirname, '../../corpus/papers.txt');
const arxivFile = corpusPath('arxiv/arxiv-metadata-0704-first2000.jsonl');
const sources: CorpusSource[] = [
  { file: listingFile, format: 'listing', ...readListing(readFileSync(listingFile, 'utf8'), listingFile) },
  { file: arxivFile, format: 'arxiv-jsonl', ...readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile) },
];

const data = LibraryIndex.empty();
const { added } = data.setSources(sources.map((source, priority) => ({ source, priority })));
data.indexFields(added);
data.indexAbstracts(added);
const library = new Library(data);

const BOOST = { title: 3, authors: 3, key: 3, keywords: 1.5, year: 1, venue: 1, abstract: 1 };

interface Scored {
  score: number;
  matched: Set<string>;
}

/** One query term the plain way: MiniSearch's search over the fields, then the abstract words, into a Map. */
function referenceTermScores(term: string, prefix: boolean, fuzzy: number | false): Map<number, Scored> {
  const scores = new Map<number, Scored>();
  const add = (id: number, score: number, matched: string[]) => {
    const known = scores.get(id);
    if (!known) scores.set(id, { score, matched: new Set(matched) });
    else {
      known.score += score;
      for (const one of matched) known.matched.add(one);
    }
  };
  const results: SearchResult[] = data.fieldIndex.search(term, { fields: FIELD_INDEX_FIELDS, boost: BOOST, prefix, fuzzy, maxFuzzy: 2 });
  // MiniSearch returns them by score; the abstracts add to each paper after its fields, as Library does.
  for (const result of results) add(result.id as number, result.score, result.terms);
  data.abstractIndex.scoreTerm(term, BOOST.abstract, (id, score) => add(id, score, [term]));
  if (prefix) {
    for (const longer of data.abstractIndex.termsWithPrefix(term, 20)) {
      const weight = (BOOST.abstract * 0.375 * term.length) / (term.length + 0.3 * (longer.length - term.length));
      data.abstractIndex.scoreTerm(longer, weight, (id, score) => add(id, score, [longer]));
    }
  }
  return scores;
}

interface Ranked {
  id: number;
  score: number;
  matched: Set<string>;
}

/** Every paper matching all (or some but not all) of the terms, scored as MiniSearch combines terms, all sorted. */
function referenceRanking(perTerm: Map<number, Scored>[], all: boolean): Ranked[] {
  const ids = new Set(perTerm.flatMap((scores) => [...scores.keys()]));
  const ranked: Ranked[] = [];
  for (const id of ids) {
    let score = 0;
    let count = 0;
    const matched = new Set<string>();
    for (const scores of perTerm) {
      const found = scores.get(id);
      if (!found) continue;
      score += found.score;
      count++;
      for (const one of found.matched) matched.add(one);
    }
    if ((count === perTerm.length) === all) ranked.push({ id, score: score * count, matched });
  }
  return ranked.sort((a, b) => b.score - a.score || data.positionOf(a.id) - data.positionOf(b.id));
}

function referenceSearch(query: string, limit: number): { keys: string[]; scores: number[]; matched: string[][]; total: number } {
  const complete = /\s$/.test(query);
  const terms = tokenize(query).flatMap((token) => processTerm(token) ?? []);
  const perTerm = terms.map((term, position) =>
    referenceTermScores(term, !complete && position === terms.length - 1 && term.length >= 3, term.length >= 5 ? 0.2 : false),
  );
  const allWords = referenceRanking(perTerm, true);
  let results = allWords.slice(0, limit);
  let total = allWords.length;
  if (results.length < limit && terms.length > 1) {
    const someWords = referenceRanking(perTerm, false);
    total += someWords.length;
    let fallback = someWords.slice(0, limit - results.length);
    const ceiling = allWords.at(-1)?.score;
    if (ceiling !== undefined && fallback.length > 0 && fallback[0].score >= ceiling) {
      const scale = (ceiling / fallback[0].score) * 0.9;
      fallback = fallback.map((result) => ({ ...result, score: result.score * scale }));
    }
    results = [...results, ...fallback];
  }
  return {
    keys: results.map((result) => (data.papers.get(result.id) as Paper).key),
    scores: results.map((result) => result.score),
    matched: results.map((result) => [...result.matched].sort()),
    total,
  };
}

/** Queries aimed at random papers, each typed keystroke by keystroke from its third letter, some misspelt. */
function typedQueries(count: number): string[] {
  const random = randomSource(7);
  const papers = library.papers();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const typed: string[] = [];
  for (let q = 0; q < count; q++) {
    const paper = pick(papers);
    const from = random() < 0.5 || !paper.abstract ? paper.title : paper.abstract;
    const words = from.split(/[^A-Za-z]+/).filter((word) => word.length >= 3);
    const query: string[] = [];
    if (random() < 0.3 && paper.authors.length > 0) query.push(paper.authors[0].family);
    const length = 1 + Math.floor(random() * 3);
    while (query.length < length && words.length > 0) query.push(words.splice(Math.floor(random() * words.length), 1)[0]);
    if (random() < 0.2 && paper.year) query.push(paper.year);
    const long = query.findIndex((word) => word.length >= 6);
    if (random() < 0.3 && long >= 0) {
      const word = query[long];
      const at = 1 + Math.floor(random() * (word.length - 2));
      query[long] = word.slice(0, at) + word.slice(at + 1);
    }
    const text = query.join(' ');
    for (let end = 3; end <= text.length; end += 1 + Math.floor(random() * 3)) typed.push(text.slice(0, end));
    typed.push(`${text} `);
  }
  return typed;
}

function asReference(page: SearchPage) {
  return {
    keys: page.hits.map((hit) => hit.paper.key),
    scores: page.hits.map((hit) => hit.score),
    total: page.total,
  };
}

describe('Library.search against the plain search it replaced', () => {
  const queries = typedQueries(150);

  it('ranks the same papers with the same scores and totals for every keystroke', () => {
    expect(queries.length).toBeGreaterThan(800);
    for (const query of queries) {
      for (const limit of [20, 50]) {
        const reference = referenceSearch(query, limit);
        const { keys, scores, matched, total } = reference;
        const page = library.searchPage(query, { limit });
        expect(asReference(page), `${query} (limit ${limit})`).toEqual({ keys, scores, total });
        // The words highlighted are the paper's spellings of the matched index terms.
        page.hits.forEach((hit, rank) => {
          const written = new Set(hit.terms.map((term) => tokenize(term).join('')));
          for (const term of written) expect(matched[rank], `${query}: ${hit.paper.key}`).toContain(term);
        });
      }
    }
  });

  it('finds the matched terms MiniSearch reports, abstracts included', () => {
    const page = library.searchPage('spectr', { limit: 5 });
    const reference = referenceSearch('spectr', 5);
    expect(page.hits.map((hit) => hit.paper.key)).toEqual(reference.keys);
    for (const [rank, hit] of page.hits.entries()) {
      expect(hit.terms.length).toBeGreaterThan(0);
      for (const term of hit.terms) expect(reference.matched[rank]).toContain(tokenize(term).join(''));
    }
  });

  it('keeps the papers the filter refuses out of the ranking and the total', () => {
    const positions = new Map(library.papers().map((paper, position) => [paper, position]));
    const odd = (paper: Paper) => (positions.get(paper) as number) % 2 === 1;
    const everything = library.searchPage('quantum', { limit: library.size });
    const filtered = library.searchPage('quantum', { limit: 10, filter: odd });
    const expected = everything.hits.filter((hit) => odd(hit.paper));
    expect(expected.length).toBeGreaterThan(10);
    expect(filtered.hits.map((hit) => hit.paper.key)).toEqual(expected.slice(0, 10).map((hit) => hit.paper.key));
    expect(filtered.total).toBe(expected.length);
  });
});
