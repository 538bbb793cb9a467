// The evaluation sets of writing-aware ranking and how they are scored: shared by evaluation.test.ts (2,198 papers)
// and bench/related.bench.mjs (the same with the ACL anthology's 88k papers as distractors).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import MiniSearch from 'minisearch';
import type { DocumentLanguage } from '../../../src/core/documents/citations';
import type { Paper } from '../../../src/core/paper';
import { proseText } from '../../../src/core/related/prose';
import type { RelatedIndex } from '../../../src/core/related/rank';

export type Difficulty = 'easy' | 'medium' | 'hard';

/** One judged text: a paragraph about one paper, or a sentence citing one paper (its citation a `?` marker). */
export interface EvaluationItem {
  id: string;
  /** The paper the text is about. */
  key: string;
  language: DocumentLanguage;
  difficulty: Difficulty;
  text: string;
}

export const EVALUATION_SETS = ['paragraphs', 'sentences'] as const;
export type EvaluationSet = (typeof EVALUATION_SETS)[number];

/** `directory`: where the sets are; the benchmark (an ES module, run from the repository root) names it. */
export function readEvaluationSet(set: EvaluationSet, directory = path.resolve(__dirname, '../../fixtures/related')): EvaluationItem[] {
  return readFileSync(path.join(directory, `${set}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EvaluationItem);
}

/** Function words: a phrase of them ("in the", "the number of") is no phrase of the paper. */
const FUNCTION_WORDS = new Set(
  'a an and are as at be but by for from has have in into is it its of on or that the their then there these this to was we were which with our via towards toward than can using based'.split(' '),
);

function normalisedWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 || /\d/.test(word));
}

function trigramsOf(words: string[]): string[] {
  const trigrams: string[] = [];
  for (let i = 0; i + 2 < words.length; i++) trigrams.push(words.slice(i, i + 3).join(' '));
  return trigrams;
}

/**
 * The three-word phrases a text shares with a paper's title and abstract, on normalised words (lower case, accents
 * folded, punctuation and single letters dropped): every run of three words with at least two that are not
 * function words, and every run of three words once function words are removed ("detection of anomalies in
 * graphs" holds "detection anomalies graphs").
 */
export function sharedPhrases(text: string, paper: Paper): string[] {
  const phrases = (words: string[]): Set<string> =>
    new Set([
      ...trigramsOf(words).filter((trigram) => trigram.split(' ').filter((word) => !FUNCTION_WORDS.has(word)).length >= 2),
      ...trigramsOf(words.filter((word) => !FUNCTION_WORDS.has(word))),
    ]);
  const target = phrases(normalisedWords(`${paper.title}\n${paper.abstract ?? ''}`));
  return [...phrases(normalisedWords(text))].filter((phrase) => target.has(phrase));
}

/** The baseline: one MiniSearch OR query with the raw text over title and abstract (BM25). */
export class Bm25Baseline {
  private readonly index: MiniSearch<number>;

  constructor(private readonly papers: readonly Paper[]) {
    this.index = new MiniSearch<number>({
      idField: 'id',
      fields: ['title', 'abstract'],
      extractField: (position, field) => (field === 'id' ? position : (papers[position] as unknown as Record<string, string>)[field] ?? ''),
    });
    this.index.addAll(papers.map((_, position) => position));
  }

  rank(text: string, limit: number): Paper[] {
    return this.index
      .search(text, { combineWith: 'OR' })
      .slice(0, limit)
      .map((result) => this.papers[result.id as number]);
  }
}

export interface Outcome {
  item: EvaluationItem;
  /** 1-based rank of the target in the top 10, 0 when not there. */
  rank: number;
  first: string;
}

export interface Scores {
  count: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}

const DEPTH = 10;

export function rankWithRelated(index: RelatedIndex, item: EvaluationItem): Outcome {
  // As the editor reads it: the prose of the text, markup and citations blanked.
  const hits = index.related(proseText(item.text, item.language), { limit: DEPTH });
  const keys = hits.map((hit) => hit.paper.key);
  return { item, rank: keys.indexOf(item.key) + 1, first: keys[0] ?? '' };
}

export function rankWithBaseline(baseline: Bm25Baseline, item: EvaluationItem): Outcome {
  const keys = baseline.rank(item.text, DEPTH).map((paper) => paper.key);
  return { item, rank: keys.indexOf(item.key) + 1, first: keys[0] ?? '' };
}

export function scoresOf(outcomes: Outcome[]): Scores {
  const count = outcomes.length;
  const share = (test: (outcome: Outcome) => boolean): number => (count === 0 ? 0 : outcomes.filter(test).length / count);
  return {
    count,
    recallAt1: share((outcome) => outcome.rank === 1),
    recallAt5: share((outcome) => outcome.rank >= 1 && outcome.rank <= 5),
    mrr: count === 0 ? 0 : outcomes.reduce((sum, outcome) => sum + (outcome.rank > 0 ? 1 / outcome.rank : 0), 0) / count,
  };
}

/** Rows "set · difficulty: ranker r@1 r@5 MRR | baseline r@1 r@5 MRR", for the log and the README. */
export function scoreTable(results: Record<EvaluationSet, { related: Outcome[]; baseline: Outcome[] }>): string {
  const format = (scores: Scores): string =>
    `${scores.recallAt1.toFixed(3)}  ${scores.recallAt5.toFixed(3)}  ${scores.mrr.toFixed(3)}`;
  const lines = ['set         difficulty    n   related: r@1   r@5    MRR  | BM25: r@1   r@5    MRR'];
  for (const set of EVALUATION_SETS) {
    const { related, baseline } = results[set];
    for (const difficulty of ['all', 'easy', 'medium', 'hard'] as const) {
      const pick = (outcomes: Outcome[]): Outcome[] => outcomes.filter((outcome) => difficulty === 'all' || outcome.item.difficulty === difficulty);
      const mine = scoresOf(pick(related));
      lines.push(
        `${set.padEnd(11)} ${difficulty.padEnd(10)} ${String(mine.count).padStart(4)}   ${format(mine)}  |      ${format(scoresOf(pick(baseline)))}`,
      );
    }
  }
  return lines.join('\n');
}
