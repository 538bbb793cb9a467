// Papers that speak to a piece of writing, best first, each with the reason: the words and ideas it shares with
// the text. The text's salient terms (count × rarity in the library), scored against each paper's title and body
// apart (BM25F-like), times the share of the text's salient weight the paper covers: a paper that shares many of
// the paragraph's ideas beats one that shares a single rare name.
//
// Measured on the evaluation sets and dropped (test/unit/related/evaluation.test.ts has the figures): a bonus
// for shared two-word phrases (it favoured the paper's near neighbours), a boosted title, and term associations by
// random indexing re-scoring the best candidates (no gain on either set at 2,200 papers).
import type { Paper } from '../paper';
import { RelatedModel, TITLE_SHIFT } from './model';
import { compoundBase, isBoilerplate, topicWords, type Word } from './terms';

export interface RelatedOptions {
  /** Most papers returned; 10 when not given. */
  limit?: number;
  /** Papers to leave out, by position in the library's papers. */
  exclude?: (position: number) => boolean;
}

/** Where a shared word is in the paper, for highlighting. */
export interface PaperSpan {
  field: 'title' | 'abstract';
  start: number;
  end: number;
}

/** One word a paper shares with the text. */
export interface SharedTerm {
  /** As written in the paper: its first occurrence in the abstract, else in the title. */
  paperText: string;
  /** As written in the text (its first occurrence). */
  queryText: string;
  /** Share of the paper's score this term earned (the shares of a hit add up to 1). */
  weight: number;
  /** Every occurrence in the text: offsets into the text that was ranked. */
  querySpans: [number, number][];
  /** Every occurrence in the paper's title and abstract. */
  paperSpans: PaperSpan[];
}

export interface RelatedHit {
  paper: Paper;
  /** Position in the library's papers. */
  position: number;
  score: number;
  /** One line for people: "Shares spectral energy, Rayleigh quotient, anomalous graphs". */
  reason: string;
  /** Best first: the words behind the reason, with spans for highlighting. */
  shared: SharedTerm[];
}

/** A text read for ranking: its salient terms and its two-word phrases. */
export interface Query {
  terms: QueryTerm[];
  /** Adjacent pairs of terms ("anomaly detection"): reasons name a shared idea as the paper's phrase. */
  phrases: Set<string>;
  /** Topic words in the text: with fewer than a handful there is nothing to rank by. */
  wordCount: number;
}

export interface QueryTerm {
  id: number;
  stem: string;
  weight: number;
  words: Word[];
}

/** BM25 parameters, the usual ones. */
const K1 = 1.2;
const B = 0.75;
/** Terms of a text ranked by: a 200-word paragraph has ~100 distinct topic words, the rarest say the most. */
const QUERY_TERMS = 40;
/** Terms in more than this share of the papers say nothing about any one of them (and cost the most to look up). */
const MAX_DOCUMENT_SHARE = 0.3;
/** A compound's last part ("current" of "supercurrent") counts this much of a word. */
const COMPOUND_WEIGHT = 0.5;
/** Shared words named in the reason. */
const REASON_TERMS = 4;
const BODY_MASK = (1 << TITLE_SHIFT) - 1;

export class RelatedIndex {
  private readonly terms = new Map<string, string>();
  private readonly scores: Float32Array;
  private readonly covered: Float32Array;
  private readonly touched: Uint32Array;
  /** Per paper, BM25's length normalisation of its title and of its body: K1 × (1 − B + B × length / average). */
  private readonly norms: Float32Array;

  constructor(
    private readonly papers: readonly Paper[],
    readonly model: RelatedModel,
  ) {
    if (papers.length !== model.paperCount) throw new Error(`the related model has ${model.paperCount} papers, the library ${papers.length}`);
    this.scores = new Float32Array(papers.length);
    this.covered = new Float32Array(papers.length);
    this.touched = new Uint32Array(papers.length);
    this.norms = new Float32Array(2 * papers.length);
    const { lengths, averageTitleLength, averageBodyLength } = model;
    for (let position = 0; position < papers.length; position++) {
      this.norms[2 * position] = K1 * (1 - B + (B * lengths[2 * position]) / averageTitleLength);
      this.norms[2 * position + 1] = K1 * (1 - B + (B * lengths[2 * position + 1]) / averageBodyLength);
    }
  }

  static build(papers: readonly Paper[]): RelatedIndex {
    return new RelatedIndex(papers, RelatedModel.build(papers));
  }

  get size(): number {
    return this.papers.length;
  }

  /** The text's salient terms: count in the text (dampened) × rarity in the library, the best QUERY_TERMS. */
  query(text: string): Query {
    const words = topicWords(text, this.terms);
    const byTerm = new Map<string, Word[]>();
    for (const word of words) {
      const same = byTerm.get(word.stem);
      if (same) same.push(word);
      else byTerm.set(word.stem, [word]);
    }
    const maxDocuments = Math.max(2, this.model.paperCount * MAX_DOCUMENT_SHARE);
    const terms = new Map<string, QueryTerm>();
    const add = (stem: string | undefined, occurrences: Word[], weight: number): void => {
      const id = stem === undefined || terms.has(stem) ? undefined : this.model.termId(stem);
      if (stem === undefined || id === undefined || this.model.documentFrequency(id) > maxDocuments) return;
      terms.set(stem, { id, stem, weight: weight * (1 + Math.log(occurrences.length)) * this.model.idf(id), words: occurrences });
    };
    for (const [stem, occurrences] of byTerm) add(stem, occurrences, 1);
    for (const occurrences of byTerm.values()) add(compoundBase(occurrences[0].text.toLowerCase()), occurrences, COMPOUND_WEIGHT);
    const salient = [...terms.values()].sort((a, b) => b.weight - a.weight).slice(0, QUERY_TERMS);
    const phrases = new Set<string>();
    for (let i = 0; i + 1 < words.length; i++) {
      // Only words next to each other (a comma or a blanked citation between them breaks the phrase).
      if (/^[\s-]*$/.test(text.slice(words[i].end, words[i + 1].start))) phrases.add(`${words[i].stem} ${words[i + 1].stem}`);
    }
    return { terms: salient, phrases, wordCount: words.length };
  }

  /** Papers for a text (a paragraph, a sentence, a selection), best first. */
  related(text: string, options: RelatedOptions = {}): RelatedHit[] {
    return this.rank(this.query(text), options);
  }

  /** Papers like the one at `position` (its title, keywords and abstract), itself excluded. */
  similar(position: number, options: RelatedOptions = {}): RelatedHit[] {
    const paper = this.papers[position];
    if (!paper) return [];
    const exclude = options.exclude;
    return this.related(`${paper.title}\n${paper.keywords ?? ''}\n${paper.abstract ?? ''}`, {
      ...options,
      exclude: (other) => other === position || (exclude?.(other) ?? false),
    });
  }

  rank(query: Query, options: RelatedOptions = {}): RelatedHit[] {
    const limit = options.limit ?? 10;
    if (query.terms.length === 0 || limit <= 0) return [];
    return this.scoreAll(query, limit, options.exclude).map(({ position, score }) => this.hit(query, position, score));
  }

  /** The paper at `position` as a hit for the query, ranked or not: its score is 0 when it shares no term. */
  hitFor(query: Query, position: number): RelatedHit {
    const totalWeight = query.terms.reduce((sum, term) => sum + term.weight, 0);
    let score = 0;
    let covered = 0;
    for (const term of query.terms) {
      const count = this.countIn(term.id, position);
      if (count === 0) continue;
      score += term.weight * this.saturated(count, position);
      covered += term.weight;
    }
    return this.hit(query, position, totalWeight === 0 ? 0 : score * (covered / totalWeight));
  }

  /** BM25's saturated count of a term, the title's and the body's scored apart (BM25F-like). */
  private saturated(packed: number, position: number): number {
    const title = packed >>> TITLE_SHIFT;
    const body = packed & BODY_MASK;
    const norms = this.norms;
    let score = 0;
    if (title > 0) score += (title * (K1 + 1)) / (title + norms[2 * position]);
    if (body > 0) score += (body * (K1 + 1)) / (body + norms[2 * position + 1]);
    return score;
  }

  /**
   * Every paper sharing a term, scored, and the best `limit` of them. Runs over typed arrays only and keeps the best
   * in a small heap: at 100,000 papers a paragraph touches most of them, and sorting objects for each costs more
   * than the scoring.
   */
  private scoreAll(query: Query, limit: number, exclude?: (position: number) => boolean): { position: number; score: number }[] {
    const { offsets, postings, counts } = this.model;
    const { scores, covered, norms } = this;
    const touched = this.touched;
    let touchedCount = 0;
    let totalWeight = 0;
    for (const term of query.terms) {
      totalWeight += term.weight;
      const weight = term.weight;
      for (let i = offsets[term.id]; i < offsets[term.id + 1]; i++) {
        const position = postings[i];
        if (covered[position] === 0) touched[touchedCount++] = position;
        const packed = counts[i];
        const title = packed >>> TITLE_SHIFT;
        const body = packed & BODY_MASK;
        let saturated = 0;
        if (title > 0) saturated += (title * (K1 + 1)) / (title + norms[2 * position]);
        if (body > 0) saturated += (body * (K1 + 1)) / (body + norms[2 * position + 1]);
        scores[position] += weight * saturated;
        covered[position] += weight;
      }
    }
    const best = new TopScores(limit);
    for (let i = 0; i < touchedCount; i++) {
      const position = touched[i];
      if (!exclude?.(position)) best.offer(position, scores[position] * (covered[position] / totalWeight));
      scores[position] = 0;
      covered[position] = 0;
    }
    return best.sorted();
  }

  /** The term's packed count in the paper (0 when absent): postings of a term are in paper order. */
  private countIn(termId: number, position: number): number {
    const { offsets, postings, counts } = this.model;
    let low = offsets[termId];
    let high = offsets[termId + 1] - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (postings[middle] === position) return counts[middle];
      if (postings[middle] < position) low = middle + 1;
      else high = middle - 1;
    }
    return 0;
  }

  private hit(query: Query, position: number, score: number): RelatedHit {
    const paper = this.papers[position];
    // The abstract first: it is written in sentence case, so a shared word reads as in prose ("Holstein model",
    // not "Neural Networks"); the title when the abstract lacks the word.
    const fields: PaperField[] = [
      { field: 'abstract', text: paper.abstract ?? '', words: topicWords(paper.abstract ?? '', this.terms), titleCase: false },
      { field: 'title', text: paper.title, words: topicWords(paper.title, this.terms), titleCase: isTitleCase(paper.title) },
    ];
    const shared: SharedTerm[] = [];
    for (const term of query.terms) {
      const paperSpans: PaperSpan[] = [];
      let paperText: string | undefined;
      for (const { field, words } of fields) {
        for (const word of words) {
          if (word.stem !== term.stem) continue;
          paperText ??= word.text;
          paperSpans.push({ field, start: word.start, end: word.end });
        }
      }
      // A term only in the keywords counts for the score but has nothing to highlight.
      const count = this.countIn(term.id, position);
      if (paperText === undefined || count === 0) continue;
      shared.push({
        paperText,
        queryText: term.words[0].text,
        weight: term.weight * this.saturated(count, position),
        querySpans: term.words.map((word) => [word.start, word.end]),
        paperSpans,
      });
    }
    shared.sort((a, b) => b.weight - a.weight);
    const total = shared.reduce((sum, term) => sum + term.weight, 0) || 1;
    for (const term of shared) term.weight /= total;
    return { paper, position, score, reason: reasonLine(shared, query, fields), shared };
  }
}

interface PaperField {
  field: 'title' | 'abstract';
  text: string;
  words: Word[];
  /** "Graph Neural Networks Can Recover …": its capitals say nothing about names. */
  titleCase: boolean;
}

/** Most longer words capitalised. */
function isTitleCase(title: string): boolean {
  const long = title.match(/\b[\p{L}]{4,}\b/gu) ?? [];
  return long.length > 1 && long.filter((word) => /^\p{Lu}/u.test(word)).length >= 0.6 * long.length;
}

/** Capitalised words of a Title Case title in lower case ("Hidden" → "hidden"); acronyms stay ("GNN", "LaTeX"). */
function asInProse(text: string): string {
  return text.replace(/\b[A-Z][a-z]+\b/g, (word) => word.toLowerCase());
}

/**
 * "Shares anomalous graphs, spectral energy, Rayleigh quotient": the best shared words, as the paper's own
 * two-word phrase where the text has the same pair, so the reason reads as ideas rather than single words.
 */
function reasonLine(shared: SharedTerm[], query: Query, fields: PaperField[]): string {
  const named = new Set<string>();
  const parts: string[] = [];
  for (const term of shared) {
    if (parts.length >= REASON_TERMS) break;
    const occurrence = fields.flatMap(({ words }) => words).find((word) => word.text === term.paperText);
    if (!occurrence || named.has(occurrence.stem) || isBoilerplate(occurrence.stem)) continue;
    let phrase: string | undefined;
    let fromTitleCase = fields.find((field) => field.words.includes(occurrence))?.titleCase ?? false;
    for (const { text, words, titleCase } of fields) {
      for (let i = 0; i + 1 < words.length && phrase === undefined; i++) {
        const [first, second] = [words[i], words[i + 1]];
        if (first.stem !== occurrence.stem && second.stem !== occurrence.stem) continue;
        if (isBoilerplate(first.stem) || isBoilerplate(second.stem) || named.has(first.stem) || named.has(second.stem) || !query.phrases.has(`${first.stem} ${second.stem}`)) continue;
        // As the paper writes it, with the function word between when there is one ("recover the hidden").
        const written = text.slice(first.start, second.end);
        if (written.length > first.text.length + second.text.length + 6) continue;
        phrase = written.replace(/\s+/g, ' ');
        fromTitleCase = titleCase;
        named.add(first.stem).add(second.stem);
      }
      if (phrase !== undefined) break;
    }
    named.add(occurrence.stem);
    const written = phrase ?? term.paperText;
    parts.push(fromTitleCase ? asInProse(written) : written);
  }
  return parts.length === 0 ? '' : `Shares ${parts.join(', ')}`;
}

/** The best scores offered, kept in a min-heap of `limit` entries; ties go to the earlier paper. */
class TopScores {
  private readonly positions: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly limit: number) {}

  /** True when (a) ranks below (b). */
  private below(a: number, b: number): boolean {
    return this.scores[a] < this.scores[b] || (this.scores[a] === this.scores[b] && this.positions[a] > this.positions[b]);
  }

  private swap(a: number, b: number): void {
    [this.positions[a], this.positions[b]] = [this.positions[b], this.positions[a]];
    [this.scores[a], this.scores[b]] = [this.scores[b], this.scores[a]];
  }

  offer(position: number, score: number): void {
    const size = this.positions.length;
    if (size === this.limit) {
      // Below the worst kept: not among the best.
      if (score < this.scores[0] || (score === this.scores[0] && position > this.positions[0])) return;
      this.positions[0] = position;
      this.scores[0] = score;
      this.siftDown(0);
      return;
    }
    this.positions.push(position);
    this.scores.push(score);
    for (let child = size; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (!this.below(child, parent)) break;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(start: number): void {
    const size = this.positions.length;
    for (let parent = start; ; ) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let lowest = parent;
      if (left < size && this.below(left, lowest)) lowest = left;
      if (right < size && this.below(right, lowest)) lowest = right;
      if (lowest === parent) return;
      this.swap(parent, lowest);
      parent = lowest;
    }
  }

  /** Best first. */
  sorted(): { position: number; score: number }[] {
    return this.positions
      .map((position, i) => ({ position, score: this.scores[i] }))
      .sort((a, b) => b.score - a.score || a.position - b.position);
  }
}
