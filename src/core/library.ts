// The merged library's queries: search, similar papers, keys, origins. Its data (sources, kept papers, keys, the
// field and abstract indexes) is a LibraryIndex (libraryIndex.ts), filled once by Library.build or kept current by
// a LibraryStore (libraryStore.ts), whose `library` is a Library over its live index.
// Search settings follow ../shared/docs/measurements.md (MiniSearch 7.2 at 100k papers: prefix on every term and
// fuzzy on all → p95 827 ms; the settings below → 139 ms): prefix only on the last term (the word being typed),
// fuzzy only on long terms over the fields index (abstracts: whole words, and the word being typed as a capped
// prefix; see termScores), AND first with an OR fallback; stop words and accents are removed in processTerm.
import type { SearchOptions as MiniSearchOptions, SearchResult } from 'minisearch';
import { foldDiacritics } from './citekey';
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
import type { CorpusSource, Origin, Paper } from './paper';
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

/** A paper's score for one query term, summed over both indexes, and the index terms it matched. */
interface TermScore {
  score: number;
  matched: string[];
}

/** One query term, as MiniSearch would expand it. */
interface QueryTerm {
  term: string;
  prefix: boolean;
  fuzzy: number | false;
}

export class Library {
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

  /** Exact key first, then the same key in any case (BibTeX itself ignores case in keys). */
  byKey(key: string): Paper | undefined {
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
    const filter = options.filter;
    const accepted = (id: number): boolean => !filter || filter(this.data.papers.get(id) as Paper);
    const allWords = this.rank(combine(perTerm, 'AND', accepted));
    let results = allWords.slice(0, limit);
    let total = allWords.length;
    // With one word, "some of the words" finds nothing more than "all of them".
    if (allWords.length < limit && queryTerms.length > 1) {
      const seen = new Set(allWords.map((result) => result.id));
      const someWords = this.rank(combine(perTerm, 'OR', accepted)).filter((result) => !seen.has(result.id));
      total += someWords.length;
      results = [...results, ...rankBelow(someWords.slice(0, limit - results.length), allWords.at(-1)?.score)];
    }
    return { hits: results.map((result) => this.hit(result)), total };
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
    const exact = new Map<string, Map<number, TermScore>>();
    for (const [term, count] of counts) {
      const scores = this.termScores({ term, prefix: false, fuzzy: false }, SIMILAR_FIELDS, 1 + Math.log(count));
      exact.set(term, scores);
      weight.set(term, count * Math.log(1 + documents / (1 + scores.size)));
    }
    const terms = [...weight.keys()].sort((a, b) => (weight.get(b) as number) - (weight.get(a) as number)).slice(0, SIMILAR_TERMS);
    if (terms.length === 0) return [];
    const filter = options.filter;
    const accepted = (id: number): boolean => !filter || filter(this.data.papers.get(id) as Paper);
    return this.rank(combine(terms.map((term) => exact.get(term) as Map<number, TermScore>), 'OR', accepted))
      .slice(0, limit)
      .map((result) => this.hit(result));
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
   * Collected through `filter`, which keeps MiniSearch from building and sorting a result list.
   */
  private termScores({ term, prefix, fuzzy }: QueryTerm, fields: IndexedField[], termBoost = 1): Map<number, TermScore> {
    const scores = new Map<number, TermScore>();
    const collect = (result: SearchResult): boolean => {
      const id = result.id as number;
      const known = scores.get(id);
      if (known) {
        known.score += result.score;
        for (const matched of result.terms) if (!known.matched.includes(matched)) known.matched.push(matched);
      } else {
        scores.set(id, { score: result.score, matched: result.terms });
      }
      return false;
    };
    const fieldsWanted = FIELD_INDEX_FIELDS.filter((field) => fields.includes(field));
    if (fieldsWanted.length > 0 && this.data.fieldIndex.documentCount > 0) {
      const options: MiniSearchOptions = {
        fields: fieldsWanted,
        boost: BOOST,
        boostTerm: termBoost === 1 ? undefined : () => termBoost,
        prefix,
        fuzzy,
        maxFuzzy: 2,
        filter: collect,
      };
      this.data.fieldIndex.search(term, options);
    }
    if (fields.includes('abstract')) {
      const abstractBoost = termBoost * BOOST.abstract;
      const scoreAbstracts = (matched: string, boost: number) =>
        this.data.abstractIndex.scoreTerm(matched, boost, (id, score) => {
          const known = scores.get(id);
          if (!known) scores.set(id, { score, matched: [matched] });
          else {
            known.score += score;
            if (!known.matched.includes(matched)) known.matched.push(matched);
          }
        });
      scoreAbstracts(term, abstractBoost);
      // The word being typed also matches the abstract words it begins, weighted as MiniSearch weighs a prefix match.
      if (prefix) {
        for (const longer of this.data.abstractIndex.termsWithPrefix(term, ABSTRACT_PREFIX_TERMS)) {
          scoreAbstracts(longer, (abstractBoost * PREFIX_WEIGHT * term.length) / (term.length + 0.3 * (longer.length - term.length)));
        }
      }
    }
    return scores;
  }

  /** Best first; equal scores in library order, however the papers came to be indexed. */
  private rank(results: RankedResult[]): RankedResult[] {
    return results.sort((a, b) => b.score - a.score || this.data.positionOf(a.id) - this.data.positionOf(b.id));
  }

  private hit(result: RankedResult): SearchHit {
    const paper = this.data.papers.get(result.id) as Paper;
    return { paper, score: result.score, terms: termsAsWritten(paper, new Set(result.matched)) };
  }
}

interface RankedResult {
  id: number;
  score: number;
  matched: string[];
}

/**
 * Papers matching all (AND) or any (OR) of the terms: scores summed over the terms they match and multiplied by
 * how many distinct terms that is, as MiniSearch ranks a query's terms.
 */
function combine(perTerm: Map<number, TermScore>[], combineWith: 'AND' | 'OR', accepted: (id: number) => boolean): RankedResult[] {
  const results: RankedResult[] = [];
  if (perTerm.length === 0) return results;
  // AND: only the papers of the rarest term can match every term.
  const base = combineWith === 'AND' ? perTerm.reduce((a, b) => (b.size < a.size ? b : a)) : undefined;
  const candidates = base ? base.keys() : new Set(perTerm.flatMap((scores) => [...scores.keys()])).values();
  for (const id of candidates) {
    let score = 0;
    let matchedTerms = 0;
    const matched: string[] = [];
    for (const scores of perTerm) {
      const found = scores.get(id);
      if (!found) {
        if (combineWith === 'AND') {
          matchedTerms = -1;
          break;
        }
        continue;
      }
      score += found.score;
      matchedTerms++;
      for (const term of found.matched) if (!matched.includes(term)) matched.push(term);
    }
    if (matchedTerms <= 0 || !accepted(id)) continue;
    results.push({ id, score: score * matchedTerms, matched });
  }
  return results;
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
