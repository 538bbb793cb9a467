// Literature-aware writing over a document: the papers for the paragraph at the cursor (the Related view), for a
// sentence (the "Find citations for this sentence" action and command), and how well a cited paper fits the
// sentence citing it (the hover's "Does this citation fit? / Did you mean …?"). Each is one call for a feature or
// a language-server handler; all offsets are the document's.
import { keyAt, type DocumentLanguage } from '../documents/citations';
import { paragraphAt, readProse, sentenceAt, type Prose, type ProseSpan, type Sentence } from './prose';
import type { RelatedHit, RelatedIndex, SharedTerm } from './rank';

/** Fewer topic words than this and a paragraph or sentence is too short to rank by: the view says so instead. */
export const MIN_QUERY_WORDS = 4;

export interface WritingOptions {
  /** Most papers; 10 when not given. */
  limit?: number;
}

export interface ParagraphPapers {
  paragraph: ProseSpan;
  /** Best first. Papers the paragraph cites are included (and marked by `citedKeys`), not hidden. */
  hits: RelatedHit[];
  /** Keys the paragraph already cites. */
  citedKeys: string[];
  /** True when the paragraph has too few words to rank by; `hits` is then empty. */
  tooShort: boolean;
}

/** The papers that speak to the paragraph around `offset`, or undefined when the offset is in no paragraph. */
export function papersForParagraph(
  index: RelatedIndex,
  text: string,
  offset: number,
  language: DocumentLanguage,
  options: WritingOptions = {},
): ParagraphPapers | undefined {
  const prose = readProse(text, language);
  const paragraph = paragraphAt(text, offset, language, prose);
  if (!paragraph) return undefined;
  const citedKeys = [...new Set(prose.keys.filter((key) => key.start >= paragraph.start && key.end <= paragraph.end).map((key) => key.key))];
  const query = index.query(paragraph.text);
  const tooShort = query.wordCount < MIN_QUERY_WORDS;
  return { paragraph, hits: tooShort ? [] : index.rank(query, { limit: options.limit }), citedKeys, tooShort };
}

export interface SentencePapers {
  sentence: Sentence;
  hits: RelatedHit[];
  tooShort: boolean;
  /**
   * Where a chosen key goes: inside the citation that ends the sentence when it has one (so the documents layer's
   * citationInsertion adds the key to it), otherwise just before the sentence's closing punctuation.
   */
  citeOffset: number;
}

/** The papers for the sentence around `offset`. (For a selection: `index.related(proseText(selection, language))`.) */
export function papersForSentence(
  index: RelatedIndex,
  text: string,
  offset: number,
  language: DocumentLanguage,
  options: WritingOptions = {},
): SentencePapers | undefined {
  const prose = readProse(text, language);
  const sentence = sentenceAt(text, offset, language, prose);
  if (!sentence) return undefined;
  const query = index.query(sentence.text);
  const tooShort = query.wordCount < MIN_QUERY_WORDS;
  return { sentence, hits: tooShort ? [] : index.rank(query, { limit: options.limit }), tooShort, citeOffset: citeOffset(prose, text, sentence) };
}

/** Inside a citation ending the sentence (before its `}` or `]`), or before the final `.`, `!` or `?`. */
function citeOffset(prose: Prose, text: string, sentence: Sentence): number {
  let end = sentence.end;
  while (end > sentence.start && /[\s.!?"')]/.test(text[end - 1]) && !prose.citations.some(([, e]) => e === end)) end--;
  const last = prose.citations.find(([, e]) => e === end);
  if (last) return last[1] - 1;
  return end;
}

export interface CitationFit {
  key: string;
  /** The cited paper's score for the sentence relative to the best paper's, 0 (shares nothing) to 1 (best). */
  fit: number;
  /** The cited paper's rank among the library for the sentence, 1 = best; 0 when outside the top 10. */
  rank: number;
  /** Shared words, best first, for "shared ideas: …". */
  shared: SharedTerm[];
  reason: string;
  /** Another paper that matches the sentence much better ("Did you mean …?"), when there is one. */
  betterMatch?: RelatedHit;
}

/** "Much better": the best other paper scores at least this many times the cited one. */
const MUCH_BETTER = 2;
const FIT_DEPTH = 10;

/** How well the paper at `position` fits `sentence` (its prose, citations blanked), and a better match if any. */
export function citationFit(index: RelatedIndex, sentence: string, position: number): CitationFit {
  const query = index.query(sentence);
  const cited = index.hitFor(query, position);
  const hits = query.wordCount < MIN_QUERY_WORDS ? [] : index.rank(query, { limit: FIT_DEPTH });
  const rank = hits.findIndex((hit) => hit.position === position) + 1;
  const best = hits[0];
  const bestOther = hits.find((hit) => hit.position !== position);
  const fit = best === undefined ? 0 : Math.min(1, cited.score / Math.max(best.score, cited.score));
  const muchBetter = bestOther !== undefined && rank !== 1 && bestOther.score >= MUCH_BETTER * cited.score;
  return {
    key: cited.paper.key,
    fit,
    rank,
    shared: cited.shared,
    reason: cited.reason,
    betterMatch: muchBetter ? bestOther : undefined,
  };
}

/**
 * The fit of the cited key at `offset` with the sentence citing it; undefined when no key is there or the library
 * has no paper under it (`positionOf` finds it, as the library's byKey does).
 */
export function citationFitAt(
  index: RelatedIndex,
  text: string,
  offset: number,
  language: DocumentLanguage,
  positionOf: (key: string) => number | undefined,
): CitationFit | undefined {
  const cited = keyAt(text, offset, language);
  if (!cited) return undefined;
  const position = positionOf(cited.key);
  if (position === undefined) return undefined;
  const sentence = sentenceAt(text, cited.start, language);
  if (!sentence) return undefined;
  return citationFit(index, sentence.text, position);
}
