// The merged library: corpus sources in, duplicates out, keys assigned, one MiniSearch index over it all.
// Search settings follow docs/measurements.md: prefix only on the last term (the word being typed), fuzzy
// only on long terms, AND first with an OR fallback; stop words and accents are removed in processTerm.
import MiniSearch, { type Options, type SearchOptions as MiniSearchOptions, type SearchResult } from 'minisearch';
import { assignKeys, foldDiacritics, type KeyFormula } from './citekey';
import { bareDoi } from './formats/plain-item';
import { personName, type CorpusFormat, type CorpusSource, type Origin, type Paper, type Person, type Problem } from './paper';
import { hashText, readSnapshot, writeSnapshot, type SnapshotBody } from './snapshot';

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

export interface SourceSummary {
  file: string;
  format: CorpusFormat;
  /** Papers read from the file, duplicates included. */
  papers: number;
  /** Papers of this file kept in the library: `papers` minus those another entry already had. */
  kept: number;
  problems: Problem[];
}

export interface LibraryOptions {
  keyFormula?: KeyFormula;
}

const DEFAULT_LIMIT = 20;
/** Prefix expansion of shorter terms touches most of the vocabulary (measured: "co" 1.5 s at 100k papers). */
const PREFIX_MIN_LENGTH = 3;
/** Shorter terms have too many neighbours within edit distance 1–2 to be worth the cost. */
const FUZZY_MIN_LENGTH = 5;
/** Terms of a text used to find papers similar to it; more adds noise and time. */
const SIMILAR_TERMS = 30;

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have in into is it its of on or that the their then there these ' +
    'this to was we were which with our via towards toward than can using based'
  ).split(' '),
);

type IndexedField = 'title' | 'authors' | 'abstract' | 'keywords' | 'venue' | 'year' | 'key';
const INDEXED_FIELDS: IndexedField[] = ['title', 'authors', 'abstract', 'keywords', 'venue', 'year', 'key'];
const BOOST: Record<IndexedField, number> = {
  title: 3,
  authors: 3,
  key: 3,
  keywords: 1.5,
  year: 1,
  venue: 1,
  abstract: 1,
};

const NON_ASCII = /[^\u0000-\u007f]/;

/** Words are runs of letters and digits: TeX markup, math and punctuation all separate them. */
function words(text: string): string[] {
  // The ASCII pattern is several times faster than the Unicode one, and most text is ASCII.
  return text.split(NON_ASCII.test(text) ? /[^\p{L}\p{N}]+/u : /[^A-Za-z0-9]+/).filter((word) => word !== '');
}

/** Index and query terms: words lower-cased and accent-folded ("muller" finds "Müller"), a field at a time. */
function tokenize(text: string): string[] {
  return words(foldDiacritics(text.toLowerCase()));
}

/**
 * Words every proceedings title repeats. Venues are the longest field of a typical .bib (the ACL anthology has
 * more venue words than title words): indexing these costs a third of the build and finds nothing.
 */
const VENUE_NOISE = new Set(
  'proceedings conference annual meeting association volume papers long short international joint workshop workshops'.split(' '),
);
/** Numbers in a venue repeat the year or count editions ("61st"). */
const VENUE_NUMBER = /^\d+(?:st|nd|rd|th)?$/;

/** A term from tokenize, or null for stop words, single letters and venue boilerplate. */
function processTerm(term: string, field?: string): string | null {
  if (STOP_WORDS.has(term)) return null;
  if (term.length === 1 && !/\d/.test(term)) return null;
  if (field === 'venue' && (VENUE_NOISE.has(term) || VENUE_NUMBER.test(term))) return null;
  return term;
}

function fieldText(paper: Paper, field: IndexedField): string | undefined {
  switch (field) {
    case 'authors': {
      const people = paper.authors.length > 0 ? paper.authors : (paper.editors ?? []);
      return people.filter((person) => !person.others).map(personName).join('; ');
    }
    case 'title':
      return paper.title;
    case 'abstract':
      return paper.abstract;
    case 'keywords':
      return paper.keywords;
    case 'venue':
      return paper.venue;
    case 'year':
      return paper.year;
    case 'key':
      return paper.key;
  }
}

function indexOptions(papers: readonly Paper[]): Options<number> {
  return {
    // Documents are positions in `papers`: the index stores no paper data of its own.
    idField: 'id',
    fields: INDEXED_FIELDS,
    extractField: (position, field) => (field === 'id' ? position : fieldText(papers[position], field as IndexedField)),
    tokenize,
    processTerm,
    // Index changes only by rebuilding; auto-vacuum racing remove() crashes MiniSearch 7.2.
    autoVacuum: false,
  };
}

/**
 * Bump when words, tokenize, processTerm, foldDiacritics, the key formulas or the dedupe rules (which papers get
 * keys) change. (Hashing the functions' source text instead would not work: the worker and extension bundles each
 * rename identifiers their own way.) 2: entries of one file under different keys are no longer merged.
 */
const INDEX_VERSION = 2;

/** Changes when anything that shapes the index or the keys changes, so old snapshots are not loaded. */
function optionsHash(options: LibraryOptions): string {
  return hashText(
    JSON.stringify({
      version: INDEX_VERSION,
      fields: INDEXED_FIELDS,
      stopWords: [...STOP_WORDS],
      venueNoise: [...VENUE_NOISE],
      keyFormula: options.keyFormula ?? 'authYearTitle',
    }),
  );
}

/** DOIs ignore case. */
function normaliseDoi(doi: string): string {
  return bareDoi(doi).toLowerCase();
}

function normaliseTitle(title: string): string {
  return tokenize(title).join(' ');
}

/** What makes two entries the same paper: key, DOI, or title with a compatible year, first author and DOI. */
interface Identity {
  key: string;
  doi: string;
  title: string;
  year: string;
  /** The first author, folded (see authorIdentity). */
  author: string;
  file: string;
}

/**
 * A person's last family word ("van Beethoven" and "Beethoven" agree across formats), or the whole name of one
 * without a given name: "The BABAR Collaboration" and "The Belle Collaboration" are not one author.
 */
function authorIdentity(person: Person): string {
  const words = tokenize(person.family);
  return person.given === undefined ? words.join(' ') : (words.at(-1) ?? '');
}

function identityOf(paper: Paper): Identity {
  const first = paper.authors.find((person) => !person.others);
  return {
    key: paper.key.toLowerCase(),
    doi: paper.doi ? normaliseDoi(paper.doi) : '',
    title: normaliseTitle(paper.title),
    year: paper.year ?? '',
    author: first ? authorIdentity(first) : '',
    file: paper.origin.file,
  };
}

/**
 * Two entries of one file under different keys are two entries the user can cite, whatever they share ("Editorial",
 * 1981 twice in TUGboat; a paper and its workshop version in the ACL anthology): only other files' copies merge.
 */
function citableApart(identity: Identity, seen: Identity): boolean {
  return identity.key !== '' && seen.key !== '' && identity.file === seen.file;
}

/** The same title is the same paper unless the years, the first authors or the DOIs say otherwise. */
function sameWork(identity: Identity, seen: Identity): boolean {
  // A paper without a year (or author, or DOI) matches any: listings carry none of them.
  const differ = (a: string, b: string): boolean => a !== '' && b !== '' && a !== b;
  return !differ(identity.year, seen.year) && !differ(identity.author, seen.author) && !differ(identity.doi, seen.doi) &&
    !citableApart(identity, seen);
}

/** Dedupe state while sources are merged: the first paper seen under each identity is kept. */
class DuplicateFinder {
  private readonly byKey = new Map<string, number>();
  private readonly byDoi = new Map<string, { position: number; identity: Identity }>();
  private readonly byTitle = new Map<string, { position: number; identity: Identity }[]>();

  find(identity: Identity): number | undefined {
    const byKey = identity.key === '' ? undefined : this.byKey.get(identity.key);
    if (byKey !== undefined) return byKey;
    const byDoi = identity.doi === '' ? undefined : this.byDoi.get(identity.doi);
    if (byDoi !== undefined && !citableApart(identity, byDoi.identity)) return byDoi.position;
    return this.byTitle.get(identity.title)?.find((seen) => sameWork(identity, seen.identity))?.position;
  }

  add(identity: Identity, position: number): void {
    if (identity.key !== '') this.byKey.set(identity.key, position);
    if (identity.doi !== '' && !this.byDoi.has(identity.doi)) this.byDoi.set(identity.doi, { position, identity });
    if (identity.title === '') return;
    const same = this.byTitle.get(identity.title);
    if (same) same.push({ position, identity });
    else this.byTitle.set(identity.title, [{ position, identity }]);
  }
}

export class Library {
  readonly size: number;
  private readonly keyIndex = new Map<string, number>();
  private readonly lowerKeyIndex = new Map<string, number>();

  private constructor(
    private readonly all: Paper[],
    private readonly duplicateOrigins: Map<number, Origin[]>,
    readonly sources: SourceSummary[],
    private readonly index: MiniSearch<number>,
    private readonly options: LibraryOptions,
  ) {
    this.size = all.length;
    all.forEach((paper, position) => {
      this.keyIndex.set(paper.key, position);
      const lower = paper.key.toLowerCase();
      if (!this.lowerKeyIndex.has(lower)) this.lowerKeyIndex.set(lower, position);
    });
  }

  static empty(): Library {
    return Library.build([]);
  }

  /** Sources in priority order: on duplicates the earlier source's paper wins (the user's own .bib comes first). */
  static build(sources: CorpusSource[], options: LibraryOptions = {}): Library {
    const kept: Paper[] = [];
    const duplicateOrigins = new Map<number, Origin[]>();
    const finder = new DuplicateFinder();
    const summaries: SourceSummary[] = [];
    for (const source of sources) {
      const problems = [...source.problems];
      let keptFromSource = 0;
      for (const paper of source.papers) {
        const identity = identityOf(paper);
        const duplicateOf = finder.find(identity);
        if (duplicateOf === undefined) {
          finder.add(identity, kept.length);
          // A copy: keys are assigned below and the reader's result stays as it was read.
          kept.push({ ...paper });
          keptFromSource++;
          continue;
        }
        const original = kept[duplicateOf];
        const origins = duplicateOrigins.get(duplicateOf) ?? [];
        origins.push(paper.origin);
        duplicateOrigins.set(duplicateOf, origins);
        if (paper.key !== '' && original.origin.file === paper.origin.file && original.key.toLowerCase() === paper.key.toLowerCase()) {
          problems.push({
            file: paper.origin.file,
            line: paper.origin.line,
            message: `duplicate key "${paper.key}"; the entry at line ${original.origin.line} is used`,
          });
        }
      }
      summaries.push({ file: source.file, format: source.format, papers: source.papers.length, kept: keptFromSource, problems });
    }
    const taken = new Set(kept.filter((paper) => paper.key !== '').map((paper) => paper.key.toLowerCase()));
    assignKeys(kept, taken, options.keyFormula);

    const index = new MiniSearch<number>(indexOptions(kept));
    index.addAll(kept.map((_, position) => position));
    return new Library(kept, duplicateOrigins, summaries, index, options);
  }

  papers(): readonly Paper[] {
    return this.all;
  }

  /** Exact key first, then the same key in any case (BibTeX itself ignores case in keys). */
  byKey(key: string): Paper | undefined {
    const position = this.keyIndex.get(key) ?? this.lowerKeyIndex.get(key.toLowerCase());
    return position === undefined ? undefined : this.all[position];
  }

  /** Every place this paper was found: the kept entry first, then the duplicates dropped in its favour. */
  origins(key: string): Origin[] {
    const position = this.keyIndex.get(key) ?? this.lowerKeyIndex.get(key.toLowerCase());
    if (position === undefined) return [];
    return [this.all[position].origin, ...(this.duplicateOrigins.get(position) ?? [])];
  }

  /**
   * Best first; a blank query gives nothing. All query words must match (misspelt ones fuzzily, the last one
   * as a prefix unless followed by a space); when that finds fewer than `limit` papers, papers matching
   * some of the words follow, scored below every paper matching all of them.
   */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? DEFAULT_LIMIT;
    if (query.trim() === '' || limit <= 0 || this.size === 0) return [];
    const lastWordComplete = /\s$/.test(query);
    const filter = options.filter;
    const base: MiniSearchOptions = {
      boost: BOOST,
      prefix: (term, position, terms) =>
        !lastWordComplete && position === terms.length - 1 && term.length >= PREFIX_MIN_LENGTH,
      fuzzy: (term) => (term.length >= FUZZY_MIN_LENGTH ? 0.2 : false),
      maxFuzzy: 2,
      filter: filter ? (result) => filter(this.all[result.id as number]) : undefined,
    };
    const allWords = this.index.search(query, { ...base, combineWith: 'AND' }).slice(0, limit);
    let results = allWords;
    // With one word, "some of the words" finds nothing more than "all of them".
    const queryTerms = tokenize(query).filter((term) => processTerm(term) !== null).length;
    if (allWords.length < limit && queryTerms > 1) {
      const seen = new Set(allWords.map((result) => result.id as number));
      const someWords = this.index
        .search(query, { ...base, combineWith: 'OR' })
        .filter((result) => !seen.has(result.id as number))
        .slice(0, limit - allWords.length);
      results = [...allWords, ...rankBelow(someWords, allWords.at(-1)?.score)];
    }
    return results.map((result) => this.hit(result));
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
    for (const [term, count] of counts) {
      weight.set(term, count * Math.log(1 + documents / (1 + this.documentFrequency(term))));
    }
    const terms = [...weight.keys()].sort((a, b) => (weight.get(b) as number) - (weight.get(a) as number)).slice(0, SIMILAR_TERMS);
    if (terms.length === 0) return [];
    const filter = options.filter;
    return this.index
      .search(terms.join(' '), {
        fields: ['title', 'keywords', 'abstract'],
        boost: BOOST,
        boostTerm: (term) => 1 + Math.log(counts.get(term) ?? 1),
        combineWith: 'OR',
        prefix: false,
        fuzzy: false,
        filter: filter ? (result) => filter(this.all[result.id as number]) : undefined,
      })
      .slice(0, limit)
      .map((result) => this.hit(result));
  }

  toSnapshot(): string {
    const body: SnapshotBody = {
      papers: this.all,
      duplicateOrigins: [...this.duplicateOrigins],
      sources: this.sources,
      index: this.index.toJSON(),
    };
    return writeSnapshot(body, optionsHash(this.options));
  }

  /** Undefined when the snapshot is of another format version or was built with other options. */
  static fromSnapshot(text: string, options: LibraryOptions = {}): Library | undefined {
    const body = readSnapshot(text, optionsHash(options));
    if (!body) return undefined;
    const index = MiniSearch.loadJS<number>(body.index, indexOptions(body.papers));
    return new Library(body.papers, new Map(body.duplicateOrigins), body.sources, index, options);
  }

  /** Papers whose title, keywords or abstract hold the term, counted without ranking them. */
  private documentFrequency(term: string): number {
    let count = 0;
    this.index.search(term, {
      fields: ['title', 'keywords', 'abstract'],
      prefix: false,
      fuzzy: false,
      filter: () => {
        count++;
        return false;
      },
    });
    return count;
  }

  private hit(result: SearchResult): SearchHit {
    const paper = this.all[result.id as number];
    return { paper, score: result.score, terms: termsAsWritten(paper, new Set(result.terms)) };
  }
}

/** Scales fallback results below `ceiling` so that score order stays the returned order. */
function rankBelow(results: SearchResult[], ceiling: number | undefined): SearchResult[] {
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
