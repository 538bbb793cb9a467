// Writing-aware ranking against judged sets written as researchers write (test/fixtures/related): 60 paragraphs
// and 80 citation sentences, each about one paper of the bundled corpus or the arXiv sample, searched together
// (2,198 papers). Scores are printed by set and difficulty, for the ranking and for a plain BM25 query with the
// raw text; the floors are asserted. The same with the ACL anthology as distractors: bench/related.bench.mjs.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArxivJsonl } from '../../../src/core/formats/arxiv';
import { readListing } from '../../../src/core/formats/listing';
import { Library } from '../../../src/core/library';
import { RelatedIndex } from '../../../src/core/related/rank';
import {
  Bm25Baseline,
  EVALUATION_SETS,
  rankWithBaseline,
  rankWithRelated,
  readEvaluationSet,
  scoresOf,
  scoreTable,
  sharedPhrases,
  type EvaluationSet,
  type Outcome,
} from './evaluation';

const listingFile = path.resolve(__dirname, '../../../corpus/papers.txt');
const arxivFile = path.resolve(__dirname, '../../../../shared/corpora/arxiv/arxiv-metadata-0704-first2000.jsonl');

describe('writing-aware ranking on the evaluation sets (2,198 papers)', () => {
  const library = Library.build([
    { file: listingFile, format: 'listing', ...readListing(readFileSync(listingFile, 'utf8'), listingFile) },
    { file: arxivFile, format: 'arxiv-jsonl', ...readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile) },
  ]);
  const index = RelatedIndex.build(library.papers());
  const baseline = new Bm25Baseline(library.papers());
  const sets = Object.fromEntries(EVALUATION_SETS.map((set) => [set, readEvaluationSet(set)])) as Record<EvaluationSet, ReturnType<typeof readEvaluationSet>>;
  const results = Object.fromEntries(
    EVALUATION_SETS.map((set) => [
      set,
      { related: sets[set].map((item) => rankWithRelated(index, item)), baseline: sets[set].map((item) => rankWithBaseline(baseline, item)) },
    ]),
  ) as Record<EvaluationSet, { related: Outcome[]; baseline: Outcome[] }>;
  const misses = EVALUATION_SETS.flatMap((set) => results[set].related.filter((outcome) => outcome.rank !== 1));
  console.log(
    `writing-aware ranking, ${library.size} papers:\n${scoreTable(results)}\n` +
      misses.map((miss) => `  ${miss.item.id} (${miss.item.difficulty}) ${miss.item.key} at rank ${miss.rank || '> 10'}, first ${miss.first}`).join('\n'),
  );

  it('has at least 60 paragraphs and 80 sentences, in LaTeX and Markdown, at every difficulty, about papers of the library', () => {
    expect(sets.paragraphs.length).toBeGreaterThanOrEqual(60);
    expect(sets.sentences.length).toBeGreaterThanOrEqual(80);
    for (const set of EVALUATION_SETS) {
      expect(new Set(sets[set].map((item) => item.language))).toEqual(new Set(['latex', 'markdown']));
      expect(new Set(sets[set].map((item) => item.difficulty))).toEqual(new Set(['easy', 'medium', 'hard']));
      expect(sets[set].filter((item) => !library.byKey(item.key)).map((item) => item.id)).toEqual([]);
    }
    // Targets from both corpora: the dense physics sample is where the hard cases are.
    const origins = new Set(sets.paragraphs.concat(sets.sentences).map((item) => (library.byKey(item.key)?.origin.file === arxivFile ? 'arxiv' : 'bundled')));
    expect(origins).toEqual(new Set(['arxiv', 'bundled']));
  });

  it('writes every text in other words than its target: no three-word phrase of its title and abstract', () => {
    const copied = EVALUATION_SETS.flatMap((set) =>
      sets[set]
        .map((item) => ({ id: item.id, phrases: sharedPhrases(item.text, library.byKey(item.key)!) }))
        .filter((item) => item.phrases.length > 0),
    );
    expect(copied).toEqual([]);
  });

  it('knows a copied phrase when it sees one (the check above can fail)', () => {
    const paper = library.byKey('rayleighquotientgraph')!;
    expect(sharedPhrases('Spectral energy tells anomalous graphs apart.', paper)).toEqual([]);
    expect(sharedPhrases('We study graph-level anomaly detection.', paper)).toContain('graph level anomaly');
    expect(sharedPhrases('detection of anomalies at the graph level', paper)).toEqual([]);
  });

  it('sentences carry their citation as a marker, paragraphs hold other citations and math', () => {
    expect(sets.sentences.filter((item) => !/\\cite\{\?\}|\[@\?\]/.test(item.text)).map((item) => item.id)).toEqual([]);
    expect(sets.paragraphs.filter((item) => /\\cite|@\w/.test(item.text)).length).toBeGreaterThanOrEqual(50);
    expect(sets.paragraphs.filter((item) => /\$/.test(item.text)).length).toBeGreaterThanOrEqual(10);
  });

  for (const set of EVALUATION_SETS) {
    it(`${set}: the target first for at least 95%, in the top 5 for at least 99%`, () => {
      const scores = scoresOf(results[set].related);
      expect(scores.recallAt1).toBeGreaterThanOrEqual(0.95);
      expect(scores.recallAt5).toBeGreaterThanOrEqual(0.99);
    });

    it(`${set}: never below the BM25 baseline`, () => {
      const mine = scoresOf(results[set].related);
      const theirs = scoresOf(results[set].baseline);
      expect(mine.recallAt1).toBeGreaterThanOrEqual(theirs.recallAt1);
      expect(mine.recallAt5).toBeGreaterThanOrEqual(theirs.recallAt5);
      expect(mine.mrr).toBeGreaterThanOrEqual(theirs.mrr);
    });
  }
});
