// The merged library's queries: search, similar papers, keys, origins. Its data (sources, kept papers, keys, the
// field and abstract indexes) is a LibraryIndex (libraryIndex.ts), filled once by Library.build or kept current by
// a LibraryStore (libraryStore.ts), whose `library` is a Library over its live index.
// Search settings follow ../shared/docs/measurements.md (MiniSearch 7.2 at 100k papers: prefix on every term and
// fuzzy on all → p95 827 ms; the settings below → 139 ms): prefix only on the last term (the word being typed),
// fuzzy only on long terms over the fields index (abstracts: whole words, and the word being typed as a capped
// prefix; see termScores), AND first with an OR fallback; stop words and accents are removed in processTerm.
import { foldDiacritics } from './citekey';
import { FieldTermExpansions, searchFieldTerm } from './fieldSearch';
import {
  FIELD_INDEX_FIELDS,
  INDEXED_FIELDS,
  LibraryIndex,
  fieldText,
  optionsHash,
  processTerm,
  tokenize,
  words,
  type IndexedField,
  type LibraryOptions,
  type SourceSummary,
} from './libraryIndex';
import { sameOrigin, type CorpusSource, type Origin, type Paper } from './paper';
import { readSnapshot, writeSnapshot } from './snapshot';

export type { LibraryOptions, SourceSummary } from './libraryIndex';

export interface SearchHit {
  paper: Paper;
  score: number;
  /** Matched query terms as they are written in the paper's text, for highlighting. */
  terms: string[];
}

export interface SearchOptions {
  /** Most hits returned; 20 when not given. */
  limit?: number;
  filter?: (paper: Paper) => boolean;
}

/** One page of search results and how many papers the whole ranking holds. */
export interface SearchPage {
  hits: SearchHit[];
  /**
   * Papers matching: those with all the words, or, when they are fewer than the limit (and the query has several
   * words), those with any of them — the ranking `hits` is the head of. Exact: "20 of 1,234".
   */
  total: number;
}

const DEFAULT_LIMIT = 20;
/** Prefix expansion of shorter terms touches most of the vocabulary (measured: "co" 1.5 s at 100k papers). */
const PREFIX_MIN_LENGTH = 3;
/** Shorter terms have too many neighbours within edit distance 1–2 to be worth the cost. */
/** Abstract words a typed prefix expands to, shortest first: enough for a word being typed, cheap at 100k papers. */
const ABSTRACT_PREFIX_TERMS = 20;
/** MiniSearch's default weight of a prefix match. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_MIN_LENGTH = 5;
/** TermMatches kept for reuse: enough for a typed query's words. */
const SPARE_TERM_MATCHES = 8;
/** Terms of a text used to find papers similar to it; more adds noise and time. */
const SIMILAR_TERMS = 30;

const BOOST: Record<IndexedField, number> = {
  title: 3,
  authors: 3,
  key: 3,
  keywords: 1.5,
  year: 1,
  venue: 1,
  abstract: 1,
};
const SIMILAR_FIELDS: IndexedField[] = ['title', 'keywords', 'abstract'];

/** One query term, as MiniSearch would expand it. */
interface QueryTerm {
  term: string;
  prefix: boolean;
  fuzzy: number | false;
}

export class Library {
  /** Cleared TermMatches of finished queries: allocating their arrays was a seventh of a query's time at 100k. */
  private readonly spareMatches: TermMatches[] = [];

  constructor(private readonly data: LibraryIndex) {}

  static empty(): Library {
    return Library.build([]);
  }

  /** Sources in priority order: on duplicates the earlier source's paper wins (the user's own .bib comes first). */
  static build(sources: CorpusSource[], options: LibraryOptions = {}): Library {
    const data = LibraryIndex.empty(options);
    const { added } = data.setSources(sources.map((source, priority) => ({ source, priority })));
    data.indexFields(added);
    data.indexAbstracts(added);
    return new Library(data);
  }

  get size(): number {
    return this.data.size;
  }

  get sources(): SourceSummary[] {
    return this.data.sources;
  }

  /** True once every paper's abstract is searchable; before that, search finds abstracts indexed so far. */
  get abstractsIndexed(): boolean {
    return this.data.abstractIndex.documentCount === this.data.size;
  }

  papers(): readonly Paper[] {
    return this.data.papersInOrder();
  }

  /**
   * Exact key first, then the same key in any case (BibTeX itself ignores case in keys). Of several papers under the
   * key (a corpus file that gives two papers one key), the one read at `origin`, else the first.
   */
  byKey(key: string, origin?: Origin): Paper | undefined {
    const atOrigin = origin && this.papersWithKey(key).find((paper) => sameOrigin(paper.origin, origin));
    if (atOrigin) return atOrigin;
    const id = this.data.idOf(key);
    return id === undefined ? undefined : this.data.papers.get(id);
  }

  /** Every paper under `key` (any case): more than one when a corpus file gives one key to several papers. */
  papersWithKey(key: string): Paper[] {
    return this.data.idsOf(key).map((id) => this.data.papers.get(id) as Paper);
  }

  /** Up to `limit` papers whose key starts with `prefix`, in any case, in library order. */
  papersWithKeyPrefix(prefix: string, limit: number): Paper[] {
    return limit <= 0 || prefix === '' ? [] : this.data.papersWithKeyPrefix(prefix, limit);
  }

  /** Every place this paper was found: the kept entry first, then the duplicates dropped in its favour. */
  origins(key: string): Origin[] {
    const id = this.data.idOf(key);
    if (id === undefined) return [];
    return [(this.data.papers.get(id) as Paper).origin, ...this.data.duplicateOrigins(id)];
  }

  /**
   * Best first; a blank query gives nothing. All query words must match (misspelt ones fuzzily, the last one
   * as a prefix unless followed by a space); when that finds fewer than `limit` papers, papers matching
   * some of the words follow, scored below every paper matching all of them.
   */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.searchPage(query, options).hits;
  }

  /** search, with the exact number of papers the ranking holds. */
  searchPage(query: string, options: SearchOptions = {}): SearchPage {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const queryTerms = this.queryTerms(query);
    if (queryTerms.length === 0 || limit <= 0 || this.size === 0) return { hits: [], total: 0 };
    const perTerm = queryTerms.map((queryTerm) => this.termScores(queryTerm, INDEXED_FIELDS));
    try {
      const filter = options.filter;
      const accepted = (id: number): boolean => !filter || filter(this.data.papers.get(id) as Paper);
      const allWords = this.best(perTerm, 'all', accepted, limit);
      let results = allWords.results;
      let total = allWords.total;
      // With one word, "some of the words" finds nothing more than "all of them".
      if (results.length < limit && queryTerms.length > 1) {
        const someWords = this.best(perTerm, 'someNotAll', accepted, limit - results.length);
        total += someWords.total;
        results = [...results, ...rankBelow(someWords.results, results.at(-1)?.score)];
      }
      return { hits: results.map((result) => this.hit(result, perTerm)), total };
    } finally {
      this.recycle(perTerm);
    }
  }

  /** Papers like this one (its title and main abstract terms), itself excluded; `filter` as in search. */
  similar(key: string, limit = 10, filter?: (paper: Paper) => boolean): SearchHit[] {
    const paper = this.byKey(key);
    if (!paper) return [];
    // The title twice: its words say more about the topic than the abstract's.
    return this.similarToText(`${paper.title} ${paper.title} ${paper.keywords ?? ''} ${paper.abstract ?? ''}`, {
      limit,
      filter: (other) => other !== paper && (!filter || filter(other)),
    });
  }

  /**
   * Papers whose title, keywords and abstract share the most telling terms with `text`: its terms with the
   * highest count × rarity in the library, each weighted by its count in `text`.
   */
  similarToText(text: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? DEFAULT_LIMIT;
    if (limit <= 0) return [];
    const counts = new Map<string, number>();
    for (const token of tokenize(text)) {
      const term = processTerm(token);
      if (term !== null && term.length > 2) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    // tf × idf picks the terms that set this text apart; document frequency comes from an exact-term search.
    const documents = Math.max(1, this.size);
    const weight = new Map<string, number>();
    const scoreExact = (term: string) => this.termScores({ term, prefix: false, fuzzy: false }, SIMILAR_FIELDS, 1 + Math.log(counts.get(term) as number));
    for (const [term, count] of counts) {
      // Scored again below if among the chosen: keeping every term's arrays (a hundred for an abstract) costs more.
      const matches = scoreExact(term);
      weight.set(term, count * Math.log(1 + documents / (1 + matches.matchCount)));
      this.recycle([matches]);
    }
    const terms = [...weight.keys()].sort((a, b) => (weight.get(b) as number) - (weight.get(a) as number)).slice(0, SIMILAR_TERMS);
    if (terms.length === 0) return [];
    const filter = options.filter;
    const accepted = (id: number): boolean => !filter || filter(this.data.papers.get(id) as Paper);
    const perTerm = terms.map(scoreExact);
    try {
      return this.best(perTerm, 'some', accepted, limit).results.map((result) => this.hit(result, perTerm));
    } finally {
      this.recycle(perTerm);
    }
  }

  toSnapshot(): string {
    return writeSnapshot(this.data.toState(), optionsHash(this.data.options));
  }

  /** Undefined when the snapshot is of another format version, was built with other options, or is damaged. */
  static fromSnapshot(text: string, options: LibraryOptions = {}): Library | undefined {
    const state = readSnapshot(text, optionsHash(options));
    if (!state) return undefined;
    try {
      return new Library(LibraryIndex.fromState(state, options));
    } catch {
      return undefined;
    }
  }

  /** The processed query terms with the prefix and fuzzy settings of search (see the file's header). */
  private queryTerms(query: string): QueryTerm[] {
    const lastWordComplete = /\s$/.test(query);
    const terms = tokenize(query).flatMap((token) => processTerm(token) ?? []);
    return terms.map((term, position) => ({
      term,
      prefix: !lastWordComplete && position === terms.length - 1 && term.length >= PREFIX_MIN_LENGTH,
      fuzzy: term.length >= FUZZY_MIN_LENGTH ? 0.2 : false,
    }));
  }

  /**
   * Every paper matching one query term in `fields`, summed over both indexes as one MiniSearch index over all the
   * fields would (scores are per field and per index term, so splitting the fields changes nothing), but for one
   * choice: misspelt words (fuzzy) match titles, authors, keys, venues and keywords only, and the word being typed
   * (prefix) expands over the abstracts' vocabulary to at most ABSTRACT_PREFIX_TERMS words. Unbounded expansion over
   * the abstracts was most of a query's time (20k synthetic papers, typed queries: p95 171 → 73 ms on the loaded
   * machine without it); none at all emptied the completion list mid-word ("gar" of "garments").
   * The fields index is read by searchFieldTerm, which scores as MiniSearch's search without its result objects.
   */
  private termScores({ term, prefix, fuzzy }: QueryTerm, fields: IndexedField[], termBoost = 1): TermMatches {
    const matches = this.spareMatches.pop() ?? new TermMatches(this.data.abstractIndex.idLimit);
    const fieldsWanted = FIELD_INDEX_FIELDS.filter((field) => fields.includes(field));
    if (fieldsWanted.length > 0 && this.data.fieldIndex.documentCount > 0) {
      const query = { term, prefix, fuzzy, maxFuzzy: 2, fields: fieldsWanted, boost: BOOST, termBoost };
      matches.fieldExpansions = searchFieldTerm(this.data.fieldIndex, query, (id, score) => matches.add(id, score));
    }
    if (fields.includes('abstract')) {
      const abstractBoost = termBoost * BOOST.abstract;
      const scoreAbstracts = (matched: string, boost: number) => {
        const bit = matches.abstractTerm(matched);
        this.data.abstractIndex.scoreTerm(matched, boost, (id, score) => matches.addAbstract(id, score, bit));
      };
      scoreAbstracts(term, abstractBoost);
      // The word being typed also matches the abstract words it begins, weighted as MiniSearch weighs a prefix match.
      if (prefix) {
        for (const longer of this.data.abstractIndex.termsWithPrefix(term, ABSTRACT_PREFIX_TERMS)) {
          scoreAbstracts(longer, (abstractBoost * PREFIX_WEIGHT * term.length) / (term.length + 0.3 * (longer.length - term.length)));
        }
      }
    }
    return matches;
  }

  /**
   * The best `limit` papers matching all, some, or some but not all of the terms, best first (equal scores in
   * library order), and how many papers match so. A paper's score is its scores summed over the terms it matches
   * times how many distinct terms that is, as MiniSearch ranks a query's terms. Every match is scored and counted
   * (the total is exact), but only the best `limit` are kept, in a heap: no list of all matches is built or sorted
   * (at 100k papers a common word matches half of them).
   */
  private best(
    perTerm: TermMatches[],
    matching: 'all' | 'some' | 'someNotAll',
    accepted: (id: number) => boolean,
    limit: number,
  ): { results: RankedResult[]; total: number } {
    const top = new TopResults(limit, (a, b) => this.data.positionOf(a) - this.data.positionOf(b));
    let total = 0;
    const consider = (id: number): void => {
      let score = 0;
      let matchedTerms = 0;
      for (const matches of perTerm) {
        const found = matches.scoreOf(id);
        if (found === 0) {
          if (matching === 'all') return;
          continue;
        }
        score += found;
        matchedTerms++;
      }
      if (matching === 'someNotAll' && matchedTerms === perTerm.length) return;
      if (!accepted(id)) return;
      total++;
      top.offer(id, score * matchedTerms);
    };
    if (matching === 'all') {
      // Only the papers of the rarest term can match every term.
      const rarest = perTerm.reduce((a, b) => (b.matchCount < a.matchCount ? b : a));
      for (let i = 0; i < rarest.matchCount; i++) consider(rarest.matchedIds[i]);
    } else {
      const seen = new Uint8Array(Math.max(...perTerm.map((matches) => matches.idLimit)));
      for (const matches of perTerm) {
        for (let i = 0; i < matches.matchCount; i++) {
          const id = matches.matchedIds[i];
          if (seen[id] === 1) continue;
          seen[id] = 1;
          consider(id);
        }
      }
    }
    return { results: top.sorted(), total };
  }

  /** Keeps a few finished TermMatches, cleared, for the next query. */
  private recycle(finished: TermMatches[]): void {
    for (const matches of finished) {
      if (this.spareMatches.length >= SPARE_TERM_MATCHES) return;
      matches.clear();
      this.spareMatches.push(matches);
    }
  }

  private hit(result: RankedResult, perTerm: TermMatches[]): SearchHit {
    const paper = this.data.papers.get(result.id) as Paper;
    const matched = new Set<string>();
    for (const matches of perTerm) matches.addMatchedTerms(result.id, matched);
    return { paper, score: result.score, terms: termsAsWritten(paper, matched) };
  }
}

interface RankedResult {
  id: number;
  score: number;
}

/**
 * One query term's matches, by document id in arrays indexed by id: at 100k papers a common word or a prefix
 * matches tens of thousands of papers, and a Map entry and an object for each was most of a query's time.
 */
class TermMatches {
  /** Ids matched, in the order first matched: the first matchCount. */
  matchedIds: Int32Array;
  matchCount = 0;
  /** Score by id; 0 for no match (every BM25 score is positive). */
  private scores: Float64Array;
  /** The fields index's terms this term expanded to, to tell a paper's matched terms. */
  fieldExpansions: FieldTermExpansions | undefined;
  /** The abstract terms matched, by id: bit i stands for abstractTerms[i]. */
  private abstractBits: Uint32Array;
  private readonly abstractTerms: string[] = [];

  constructor(idLimit: number) {
    this.matchedIds = new Int32Array(idLimit);
    this.scores = new Float64Array(idLimit);
    this.abstractBits = new Uint32Array(idLimit);
  }

  /** One more than the largest id the arrays hold. */
  get idLimit(): number {
    return this.scores.length;
  }

  scoreOf(id: number): number {
    return id < this.scores.length ? this.scores[id] : 0;
  }

  /** The bit for an abstract term (a word and at most ABSTRACT_PREFIX_TERMS longer ones: fewer than 32). */
  abstractTerm(term: string): number {
    this.abstractTerms.push(term);
    return 1 << (this.abstractTerms.length - 1);
  }

  addAbstract(id: number, score: number, bit: number): void {
    this.add(id, score);
    this.abstractBits[id] |= bit;
  }

  /** Empty again, for another term: only the entries set are reset. */
  clear(): void {
    for (let i = 0; i < this.matchCount; i++) {
      this.scores[this.matchedIds[i]] = 0;
      this.abstractBits[this.matchedIds[i]] = 0;
    }
    this.matchCount = 0;
    this.abstractTerms.length = 0;
    this.fieldExpansions = undefined;
  }

  /** Adds the index terms the paper of `id` matched to `matched`. */
  addMatchedTerms(id: number, matched: Set<string>): void {
    this.fieldExpansions?.addTermsOf(id, matched);
    const bits = id < this.abstractBits.length ? this.abstractBits[id] : 0;
    this.abstractTerms.forEach((term, i) => {
      if (bits & (1 << i)) matched.add(term);
    });
  }

  /** Scores are added fields first, then abstracts, each in MiniSearch's order: the sums are MiniSearch's. */
  add(id: number, score: number): void {
    if (id >= this.scores.length) this.grow(id + 1);
    if (this.scores[id] === 0) this.matchedIds[this.matchCount++] = id;
    this.scores[id] += score;
  }

  private grow(idLimit: number): void {
    const size = Math.max(idLimit, 2 * this.scores.length, 1024);
    const scores = new Float64Array(size);
    scores.set(this.scores);
    this.scores = scores;
    const bits = new Uint32Array(size);
    bits.set(this.abstractBits);
    this.abstractBits = bits;
    const matchedIds = new Int32Array(size);
    matchedIds.set(this.matchedIds);
    this.matchedIds = matchedIds;
  }
}

/** The best results offered, kept in a min-heap of `limit` entries; equal scores rank by `order` of their ids. */
class TopResults {
  private readonly ids: number[] = [];
  private readonly scores: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly order: (a: number, b: number) => number,
  ) {}

  /** True when (id, score) ranks below entry `at`. */
  private ranksBelow(id: number, score: number, at: number): boolean {
    return score < this.scores[at] || (score === this.scores[at] && this.order(id, this.ids[at]) > 0);
  }

  offer(id: number, score: number): void {
    if (this.limit <= 0) return;
    if (this.ids.length === this.limit) {
      if (this.ranksBelow(id, score, 0)) return;
      this.ids[0] = id;
      this.scores[0] = score;
      this.siftDown(0);
      return;
    }
    this.ids.push(id);
    this.scores.push(score);
    for (let child = this.ids.length - 1; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (!this.ranksBelow(this.ids[child], this.scores[child], parent)) break;
      this.swap(child, parent);
      child = parent;
    }
  }

  /** Best first. */
  sorted(): { id: number; score: number }[] {
    return this.ids.map((id, i) => ({ id, score: this.scores[i] })).sort((a, b) => b.score - a.score || this.order(a.id, b.id));
  }

  private siftDown(start: number): void {
    const size = this.ids.length;
    for (let parent = start; ; ) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let lowest = parent;
      if (left < size && this.ranksBelow(this.ids[left], this.scores[left], lowest)) lowest = left;
      if (right < size && this.ranksBelow(this.ids[right], this.scores[right], lowest)) lowest = right;
      if (lowest === parent) return;
      this.swap(parent, lowest);
      parent = lowest;
    }
  }

  private swap(a: number, b: number): void {
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
    [this.scores[a], this.scores[b]] = [this.scores[b], this.scores[a]];
  }
}

/** Scales fallback results below `ceiling` so that score order stays the returned order. */
function rankBelow(results: RankedResult[], ceiling: number | undefined): RankedResult[] {
  if (ceiling === undefined || results.length === 0 || results[0].score < ceiling) return results;
  const scale = (ceiling / results[0].score) * 0.9;
  return results.map((result) => ({ ...result, score: result.score * scale }));
}

/** The words of the paper whose indexed form is one of `matched`, spelt as in the paper. */
function termsAsWritten(paper: Paper, matched: Set<string>): string[] {
  const terms = [...matched];
  const written = new Set<string>();
  for (const field of INDEXED_FIELDS) {
    const text = fieldText(paper, field);
    if (!text) continue;
    // Most fields hold none of the matched terms: a substring test spares splitting them into words.
    const folded = foldDiacritics(text.toLowerCase());
    if (!terms.some((term) => folded.includes(term))) continue;
    for (const word of words(text)) {
      if (matched.has(foldDiacritics(word.toLowerCase()))) written.add(word);
    }
  }
  return [...written];
}
