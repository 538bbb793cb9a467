// The library's data, kept per source so that one source can change on its own: which papers are kept (duplicates
// across sources out, the earlier source wins), their keys, and two indexes over them: a MiniSearch index of the
// fields a person types while citing (key, title, authors, year, venue, keywords), and an AbstractIndex of the
// abstracts, which hold nine tenths of the words and may be indexed later, in chunks. Library (library.ts) answers
// queries from it; Library.build fills it in one go and LibraryStore (libraryStore.ts) keeps it up to date as
// sources change.
import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import { keySuffix, makeKey, type KeyFormula } from './citekey';
import { AbstractIndex, type AbstractIndexState } from './abstractIndex';
import { loadFieldIndex, type StoredFieldIndexHead, type StoredTerm } from './fieldIndexJson';
import { addInOneBatch, type FieldTermData } from './fieldSearch';
import { processTerm, STOP_WORDS, tokenize, VENUE_NOISE } from './terms';
import { doiIdentity } from './formats/plain-item';
import { personName, type CorpusFormat, type CorpusSource, type KeySharer, type Origin, type Paper, type Person, type Problem } from './paper';
import { hashText } from './snapshot';
import type { SlicedWork } from './slicedWork';

export { processTerm, tokenize, words } from './terms';

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

export type IndexedField = 'title' | 'authors' | 'abstract' | 'keywords' | 'venue' | 'year' | 'key';
/** What must answer while a person types a citation: small, indexed first. */
export const FIELD_INDEX_FIELDS: IndexedField[] = ['title', 'authors', 'keywords', 'venue', 'year', 'key'];
/** Every field, in the order matched words are reported for highlighting. */
export const INDEXED_FIELDS: IndexedField[] = ['title', 'authors', 'abstract', 'keywords', 'venue', 'year', 'key'];

export function fieldText(paper: Paper, field: IndexedField): string | undefined {
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

/** Options of an index over `fields` whose documents are ids of `papers`: it stores no paper data of its own. */
function indexOptions(fields: IndexedField[], papers: ReadonlyMap<number, Paper>): Options<number> {
  return {
    idField: 'id',
    fields,
    // A missing field counts as empty: MiniSearch's running average of field lengths skips missing fields, which
    // makes it depend on the order papers were added and removed; with every field present it is the mean.
    extractField: (id, field) => (field === 'id' ? id : (fieldText(papers.get(id) as Paper, field as IndexedField) ?? '')),
    tokenize,
    processTerm,
    // Changes go through LibraryStore's one queue and it vacuums when idle: MiniSearch 7.2's auto-vacuum racing
    // a removal crashes (../shared/docs/measurements.md, "Pitfalls").
    autoVacuum: false,
  };
}

/**
 * Bump when words, tokenize, processTerm, foldDiacritics, the key formulas or the dedupe rules (which papers get
 * keys) change. (Hashing the functions' source text instead would not work: the worker and extension bundles each
 * rename identifiers their own way.) 2: entries of one file under different keys are no longer merged.
 * 3: fields and abstracts in two indexes. 4: the abstracts in an AbstractIndex. 5: two papers under one key in
 * one file are both kept. 6: and each stays beside an earlier source's copy of one of them.
 */
const INDEX_VERSION = 6;

/** Changes when anything that shapes the index or the keys changes, so old snapshots are not loaded. */
export function optionsHash(options: LibraryOptions): string {
  return hashText(
    JSON.stringify({
      version: INDEX_VERSION,
      fields: FIELD_INDEX_FIELDS,
      stopWords: [...STOP_WORDS],
      venueNoise: [...VENUE_NOISE],
      keyFormula: options.keyFormula ?? 'authYearTitle',
    }),
  );
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
  const folded = tokenize(person.family);
  return person.given === undefined ? folded.join(' ') : (folded.at(-1) ?? '');
}

function identityOf(paper: Paper): Identity {
  const first = paper.authors.find((person) => !person.others);
  return {
    key: paper.key.toLowerCase(),
    doi: paper.doi ? doiIdentity(paper.doi) : '',
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

/** Years, first authors and DOIs that do not tell two entries apart. */
function compatible(identity: Identity, seen: Identity): boolean {
  // A paper without a year (or author, or DOI) matches any: listings carry none of them.
  const differ = (a: string, b: string): boolean => a !== '' && b !== '' && a !== b;
  return !differ(identity.year, seen.year) && !differ(identity.author, seen.author) && !differ(identity.doi, seen.doi);
}

/** The same title is the same paper unless the years, the first authors or the DOIs say otherwise. */
function sameWork(identity: Identity, seen: Identity): boolean {
  return compatible(identity, seen) && !citableApart(identity, seen);
}

/**
 * Two entries of one file under one key are one paper entered twice when their DOIs agree or their titles do
 * (with compatible years, authors and DOIs); otherwise they are two papers (Mendeley exports key by author and
 * year) and both are kept.
 */
function samePaper(identity: Identity, seen: Identity): boolean {
  if (identity.doi !== '' && identity.doi === seen.doi) return true;
  return identity.title === seen.title && compatible(identity, seen);
}

/** Dedupe state while sources are merged: the first entry seen under each identity is kept. */
class DuplicateFinder<T extends { identity: Identity }> {
  private readonly byKey = new Map<string, T>();
  /** Entries kept under a key after its first: papers of one file kept apart (see samePaper); rare. */
  private readonly alsoByKey = new Map<string, T[]>();
  private readonly byDoi = new Map<string, T>();
  private readonly byTitle = new Map<string, T[]>();

  /**
   * The kept entry that `identity` repeats, if any. `keyShared`: its own file gives its key to other entries too
   * (papers that file keeps apart): then only the same paper under the key is a copy of it.
   */
  find(identity: Identity, keyShared = false): T | undefined {
    const first = identity.key === '' ? undefined : this.byKey.get(identity.key);
    if (first !== undefined) {
      if (samePaper(identity, first.identity)) return first;
      const apart = this.alsoByKey.get(identity.key)?.find((seen) => samePaper(identity, seen.identity));
      if (apart !== undefined) return apart;
      // Another file's entry under the key is a copy of this paper, whatever its title (the earlier source wins),
      // unless this paper's file has several under the key: the earlier source then has one of them, not each.
      if (first.identity.file !== identity.file && !keyShared) return first;
    }
    const byDoi = identity.doi === '' ? undefined : this.byDoi.get(identity.doi);
    if (byDoi !== undefined && !citableApart(identity, byDoi.identity)) return byDoi;
    return this.byTitle.get(identity.title)?.find((seen) => sameWork(identity, seen.identity));
  }

  /** The first kept entry under `key` (lower case). */
  firstWithKey(key: string): T | undefined {
    return key === '' ? undefined : this.byKey.get(key);
  }

  add(entry: T): void {
    const { identity } = entry;
    if (identity.key !== '') {
      if (!this.byKey.has(identity.key)) this.byKey.set(identity.key, entry);
      else {
        const apart = this.alsoByKey.get(identity.key);
        if (apart) apart.push(entry);
        else this.alsoByKey.set(identity.key, [entry]);
      }
    }
    if (identity.doi !== '' && !this.byDoi.has(identity.doi)) this.byDoi.set(identity.doi, entry);
    if (identity.title === '') return;
    const same = this.byTitle.get(identity.title);
    if (same) same.push(entry);
    else this.byTitle.set(identity.title, [entry]);
  }
}

/** One paper as read from a source, and, while the library keeps it, its copy (key assigned) and document id. */
interface Entry {
  /** As read; an unchanged paper that moved in its file gets its new copy (same identity). */
  paper: Paper;
  readonly identity: Identity;
  /** The file of the source the entry belongs to. */
  readonly source: string;
  /** Its place in its source's entries. */
  index: number;
  /** Set while the paper is in the library. */
  id?: number;
  /** The last dedupe pass that saw it: whether it is kept, else the kept entry it repeats. */
  keep: boolean;
  original?: Entry;
  /** When kept apart from another paper under its key: the first entry under that key. */
  sibling?: Entry;
}

interface SourceRecord {
  source: CorpusSource;
  priority: number;
  /** Order of arrival: breaks ties between equal priorities. */
  arrival: number;
  entries: Entry[];
}

function newEntry(paper: Paper, source: string, index: number): Entry {
  return { paper, identity: identityOf(paper), source, index, keep: false };
}

/** What DuplicateFinder compares entries by: entries in no common bucket never decide each other. */
const BUCKET_FIELDS = ['key', 'doi', 'title'] as const;

/** The paper without the library's sameKey mark. */
function unmarked(paper: Paper): Paper {
  const copy = { ...paper };
  delete copy.sameKey;
  return copy;
}

/** Plain data compared by value: the papers a reader returns are JSON-like. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** The same paper at another place in its file: nothing the indexes hold differs. */
function sameApartFromOrigin(a: Paper, b: Paper): boolean {
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length || a.origin.file !== b.origin.file) return false;
  return aKeys.every((key) => key === 'origin' || sameValue(a[key as keyof Paper], b[key as keyof Paper]));
}

/** One source as a snapshot stores it: as read, with the library's id and key for each of its papers. */
export interface SourceState {
  source: CorpusSource;
  priority: number;
  arrival: number;
  /** Per paper: its document id while the library keeps it, else -1. */
  ids: number[];
  /** Per paper: the key the library gave it when that is not its own (generated keys), else null. */
  keys: (string | null)[];
}

/** Everything a LibraryIndex holds, as plain data: every source (duplicates included) and both indexes. */
export interface LibraryIndexState {
  sources: SourceState[];
  nextId: number;
  /** MiniSearch's toJSON() (one-string snapshots), or a snapshot folder's parts (fieldIndexJson.ts). */
  fieldIndex: AsPlainObject | { head: StoredFieldIndexHead; terms: StoredTerm[][] };
  abstractIndex: AbstractIndexState;
}

/**
 * What a snapshot folder is written from (snapshot.ts, writeSnapshotFolder): the sources as in LibraryIndexState,
 * and the two indexes themselves, which the writer reads in slices instead of as one plain object.
 */
export interface LibraryIndexParts {
  sources: SourceState[];
  nextId: number;
  fieldIndex: MiniSearch<number>;
  abstractIndex: AbstractIndex;
}

/** A source to set, with its place: on duplicates the source of lower priority number wins. */
export interface PrioritisedSource {
  source: CorpusSource;
  priority: number;
}

/** What a change of sources asks of the indexes: document ids to drop and to add, in library order. */
export interface IndexChange {
  removed: number[];
  added: number[];
}


/**
 * The sources, the papers kept from them and the two indexes. Sources change only through setSources and
 * removeSources, which update the papers and keys at once and return the index work (see IndexChange); the
 * caller applies it with discard/indexFields/indexAbstracts, all at once (Library.build) or in chunks
 * (LibraryStore). A dedupe pass runs over the cached identities a change reaches (see merge), so the kept set is
 * always the one a fresh build would keep; only the difference touches the indexes.
 */
export class LibraryIndex {
  readonly papers = new Map<number, Paper>();
  readonly fieldIndex: MiniSearch<number>;
  /** Nine tenths of the words of a library with abstracts: indexed after the fields, in chunks. */
  readonly abstractIndex: AbstractIndex;
  readonly options: LibraryOptions;
  /**
   * Lower-case key → ids, in file order. One id, but for the papers of one file kept apart under one key (see
   * samePaper): dedupe merges other equal keys, generated keys avoid every kept key.
   */
  private readonly ids = new Map<string, number[]>();
  /** Ids whose key the library generated (their entry has none): an entry arriving with that key takes it over. */
  private readonly generated = new Set<number>();
  /** Lower-case keys whose papers changed since the last merge: their sameKey marks are redone. */
  private keysTouched = new Set<string>();
  /** Origins of the entries dropped in favour of each kept paper; worked out when first asked after a merge. */
  private duplicates: Map<number, Origin[]> | undefined;
  /**
   * Every entry of every source by key, DOI and title (BUCKET_FIELDS; empty ones are no bucket), so a merge
   * re-decides only what a change reaches.
   */
  private readonly buckets = { key: new Map<string, Entry[]>(), doi: new Map<string, Entry[]>(), title: new Map<string, Entry[]>() };
  /** Entries new since the last merge: they join the buckets, and the dedupe pass starts from them. */
  private arrived: Entry[] = [];
  /** Entries that moved against the others of their source (or their source among the sources): it starts there too. */
  private moved: Entry[] = [];
  private summaries: SourceSummary[] = [];
  private readonly records = new Map<string, SourceRecord>();
  private ordered: SourceRecord[] = [];
  private arrivals = 0;
  private nextId = 0;
  private inOrder: Paper[] | undefined;
  private positions: Map<number, number> | undefined;
  private keyOrder: string[] | undefined;
  /** Lower-case keys that left and entered the library since the last merge, for keyOrder. */
  private keysRemoved: string[] = [];
  private keysAdded: string[] = [];
  /** Entries that left with their source (replaced or removed) since the last merge. */
  private retired: Entry[] = [];

  /** Empty, or with the indexes of `state` (fromState fills the rest). */
  private constructor(options: LibraryOptions = {}, state?: LibraryIndexState) {
    this.options = options;
    const fieldOptions = indexOptions(FIELD_INDEX_FIELDS, this.papers);
    if (!state) this.fieldIndex = new MiniSearch<number>(fieldOptions);
    else if ('head' in state.fieldIndex) this.fieldIndex = loadFieldIndex(state.fieldIndex.head, state.fieldIndex.terms, fieldOptions);
    else this.fieldIndex = MiniSearch.loadJS<number>(state.fieldIndex, fieldOptions);
    const abstractOf = (id: number): string | undefined => this.papers.get(id)?.abstract;
    this.abstractIndex = state ? AbstractIndex.fromState(state.abstractIndex, abstractOf) : new AbstractIndex(abstractOf);
  }

  static empty(options: LibraryOptions = {}): LibraryIndex {
    return new LibraryIndex(options);
  }

  get size(): number {
    return this.papers.size;
  }

  get sources(): SourceSummary[] {
    return this.summaries;
  }

  /** The kept papers, sources in priority order, each in file order. */
  papersInOrder(): readonly Paper[] {
    if (!this.inOrder) {
      const papers: Paper[] = [];
      for (const record of this.ordered) {
        for (const entry of record.entries) if (entry.id !== undefined) papers.push(this.papers.get(entry.id) as Paper);
      }
      this.inOrder = papers;
    }
    return this.inOrder;
  }

  /** Where the paper of `id` is in papersInOrder(): equal scores rank in library order. */
  positionOf(id: number): number {
    if (!this.positions) {
      this.positions = new Map();
      for (const record of this.ordered) for (const entry of record.entries) if (entry.id !== undefined) this.positions.set(entry.id, this.positions.size);
    }
    return this.positions.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  /**
   * Up to `limit` papers whose key starts with `prefix` (any case), in library order: a binary search in the
   * kept keys sorted, where a scan of 100k keys took 300 ms on the loaded machine.
   */
  papersWithKeyPrefix(prefix: string, limit: number): Paper[] {
    const sorted = this.sortedKeys();
    const lower = prefix.toLowerCase();
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sorted[middle] < lower) low = middle + 1;
      else high = middle;
    }
    const ids: number[] = [];
    for (let at = low; at < sorted.length && sorted[at].startsWith(lower); at++) ids.push(...(this.ids.get(sorted[at]) as number[]));
    return ids
      .sort((a, b) => this.positionOf(a) - this.positionOf(b))
      .slice(0, limit)
      .map((id) => this.papers.get(id) as Paper);
  }

  /** The kept lower-case keys in code-unit order; built once, then kept sorted through each change. */
  private sortedKeys(): string[] {
    if (!this.keyOrder) this.keyOrder = [...this.ids.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.keyOrder;
  }

  /** Keeps keyOrder sorted: a splice per key for small changes, a new sort (on the next use) for large ones. */
  private reorderKeys(removed: string[], added: string[]): void {
    if (!this.keyOrder) return;
    if (removed.length + added.length > 1_000) {
      this.keyOrder = undefined;
      return;
    }
    const order = this.keyOrder;
    const at = (key: string): number => {
      let low = 0;
      let high = order.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (order[middle] < key) low = middle + 1;
        else high = middle;
      }
      return low;
    };
    for (const key of removed) {
      const position = at(key);
      if (order[position] === key) order.splice(position, 1);
    }
    for (const key of added) order.splice(at(key), 0, key);
  }

  /** The id of the first paper under `key` (any case); papers of one file may share a key: see idsOf. */
  idOf(key: string): number | undefined {
    return this.ids.get(key.toLowerCase())?.[0];
  }

  /** The ids of every paper under `key` (any case), in file order. */
  idsOf(key: string): readonly number[] {
    return this.ids.get(key.toLowerCase()) ?? [];
  }

  duplicateOrigins(id: number): Origin[] {
    if (!this.duplicates) {
      this.duplicates = new Map();
      for (const record of this.ordered) {
        for (const entry of record.entries) {
          if (entry.keep || entry.original?.id === undefined) continue;
          const origins = this.duplicates.get(entry.original.id);
          if (origins) origins.push(entry.paper.origin);
          else this.duplicates.set(entry.original.id, [entry.paper.origin]);
        }
      }
    }
    return this.duplicates.get(id) ?? [];
  }

  /** Adds sources or replaces those of the same file; one dedupe pass for all of them. */
  setSources(sources: PrioritisedSource[]): IndexChange {
    for (const { source, priority } of sources) {
      const previous = this.records.get(source.file);
      let entries: Entry[];
      if (!previous) {
        entries = source.papers.map((paper, index) => newEntry(paper, source.file, index));
        this.arrived.push(...entries);
      } else {
        entries = this.carryOver(previous.entries, source.papers, source.file);
        // Another place among the sources: every entry may now come first, or later, against another source's.
        if (priority !== previous.priority) this.moved.push(...entries);
      }
      this.records.set(source.file, { source, priority, arrival: previous?.arrival ?? this.arrivals++, entries });
    }
    return this.merge();
  }

  /**
   * Entries for a source's new papers, reusing the old entry (and so its id and indexed document) of every paper
   * that is unchanged but for its line; the old entries left over retire in the next merge.
   */
  private carryOver(old: Entry[], papers: Paper[], file: string): Entry[] {
    const unchanged = new Map<string, Entry[]>();
    for (const entry of old) {
      const match = `${entry.identity.key}\0${entry.identity.title}`;
      const same = unchanged.get(match);
      if (same) same.push(entry);
      else unchanged.set(match, [entry]);
    }
    const fresh: Entry[] = [];
    // Reused entries in another order than before decide against each other anew (the first of a pair wins).
    let lastIndex = -1;
    let reordered = false;
    const entries = papers.map((paper, index): Entry => {
      const entry = newEntry(paper, file, index);
      const candidates = unchanged.get(`${entry.identity.key}\0${entry.identity.title}`);
      const at = candidates?.findIndex((candidate) => sameApartFromOrigin(candidate.paper, paper)) ?? -1;
      if (!candidates || at < 0) {
        fresh.push(entry);
        return entry;
      }
      const [reused] = candidates.splice(at, 1);
      if (reused.index < lastIndex) reordered = true;
      lastIndex = reused.index;
      reused.index = index;
      reused.paper = paper;
      if (reused.id !== undefined) {
        const kept = this.papers.get(reused.id) as Paper;
        if (kept.origin.line !== paper.origin.line) {
          this.papers.set(reused.id, { ...paper, key: kept.key });
          this.keysTouched.add(kept.key.toLowerCase());
        }
      }
      return reused;
    });
    for (const left of unchanged.values()) this.retired.push(...left);
    this.arrived.push(...fresh);
    if (reordered) this.moved.push(...entries);
    return entries;
  }

  removeSources(files: string[]): IndexChange {
    for (const file of files) {
      const record = this.records.get(file);
      if (!record) continue;
      this.retired.push(...record.entries);
      this.records.delete(file);
    }
    return this.merge();
  }

  /**
   * Adds the papers of `ids` still in the library and not yet indexed to the field index. `terms`: shared by the
   * chunks of one change, with nothing else changing the index between them (addInOneBatch).
   */
  indexFields(ids: readonly number[], terms?: Map<string, FieldTermData>): void {
    addInOneBatch(
      this.fieldIndex,
      ids.filter((id) => this.papers.has(id) && !this.fieldIndex.has(id)),
      terms,
    );
  }

  indexAbstracts(ids: readonly number[]): void {
    for (const id of ids) if (this.papers.has(id) && !this.abstractIndex.has(id)) this.abstractIndex.add(id);
  }

  /** Drops the documents of `ids` from both indexes (those that made it in); vacuum() frees their postings. */
  discard(ids: readonly number[]): void {
    for (const id of ids) {
      if (this.fieldIndex.has(id)) this.fieldIndex.discard(id);
      if (this.abstractIndex.has(id)) this.abstractIndex.discard(id);
    }
  }

  /** Documents discarded since the last vacuum. */
  get dirt(): number {
    return this.fieldIndex.dirtCount + this.abstractIndex.dirtCount;
  }

  /**
   * Removes discarded documents' postings, synchronously: searches clean postings lazily, and that interleaved
   * with MiniSearch's batched vacuum is the 7.2 crash, so it is done in one batch the caller schedules when idle.
   */
  async vacuum(): Promise<void> {
    this.abstractIndex.vacuum();
    await this.fieldIndex.vacuum({ batchSize: Number.MAX_SAFE_INTEGER, batchWait: 0 });
  }

  /**
   * The dedupe pass over what the change reaches: the entries that arrived or moved, and every entry that shares a
   * key, DOI or title with them or with one that left, and so on until nothing more is reached, through a fresh
   * DuplicateFinder in library order. Entries outside it share no bucket with any entry in it, so a build from
   * scratch decides them as before and decides these exactly so. Then the difference is applied to the papers and keys.
   */
  private merge(): IndexChange {
    this.ordered = [...this.records.values()].sort((a, b) => a.priority - b.priority || a.arrival - b.arrival);
    for (const entry of this.retired) this.unbucket(entry);
    const present = (entry: Entry): boolean => this.records.get(entry.source)?.entries[entry.index] === entry;
    // An entry that arrived and left again before this merge was never in a bucket.
    for (const entry of this.arrived) if (present(entry)) this.bucket(entry);
    const total = this.ordered.reduce((sum, record) => sum + record.entries.length, 0);
    const starts = this.arrived.length + this.moved.length;
    // A first build (or a change as large) reaches everything: the walk through the buckets would only cost time.
    const reached = starts >= total ? undefined : this.reach([...this.retired, ...this.arrived, ...this.moved], present);
    let affected: Entry[];
    if (reached === undefined || reached.size > total / 8) {
      affected = this.ordered.flatMap((record) => (reached === undefined ? record.entries : record.entries.filter((entry) => reached.has(entry))));
    } else {
      const rank = new Map(this.ordered.map((record, at) => [record.source.file, at]));
      affected = [...reached].sort((a, b) => (rank.get(a.source) as number) - (rank.get(b.source) as number) || a.index - b.index);
    }
    const finder = new DuplicateFinder<Entry>();
    // Every entry under a key shares its bucket, so a change reaches them all: the count is that of the sources now.
    const keyShared = (entry: Entry): boolean => {
      let inFile = 0;
      for (const other of this.buckets.key.get(entry.identity.key) ?? []) if (other.source === entry.source && present(other)) inFile++;
      return inFile > 1;
    };
    for (const entry of affected) {
      const original = finder.find(entry.identity, entry.identity.key !== '' && keyShared(entry));
      entry.keep = original === undefined;
      entry.original = original;
      entry.sibling = original === undefined ? finder.firstWithKey(entry.identity.key) : undefined;
      if (original === undefined) finder.add(entry);
    }
    this.arrived = [];
    this.moved = [];

    const removed: number[] = [];
    for (const entry of this.retired) if (entry.id !== undefined) removed.push(this.drop(entry));
    this.retired = [];
    const arriving: Entry[] = [];
    for (const entry of affected) {
      if (entry.keep && entry.id === undefined) arriving.push(entry);
      else if (!entry.keep && entry.id !== undefined) removed.push(this.drop(entry));
    }
    const added = this.admit(arriving, removed);
    this.markSharedKeys(this.keysTouched);
    this.keysTouched = new Set();

    this.summaries = this.ordered.map((record) => this.summaryOf(record));
    this.duplicates = undefined;
    this.inOrder = undefined;
    this.positions = undefined;
    this.reorderKeys(this.keysRemoved, this.keysAdded);
    this.keysRemoved = [];
    this.keysAdded = [];
    return { removed, added };
  }

  /** The entries still in a source that share a bucket with `start`, or with those, and so on; `start`'s own included. */
  private reach(start: readonly Entry[], present: (entry: Entry) => boolean): Set<Entry> {
    const reached = new Set<Entry>();
    const seen = { key: new Set<string>(), doi: new Set<string>(), title: new Set<string>() };
    const queue: Entry[] = [];
    const visit = (entry: Entry): void => {
      for (const field of BUCKET_FIELDS) {
        const value = entry.identity[field];
        if (value === '' || seen[field].has(value)) continue;
        seen[field].add(value);
        for (const other of this.buckets[field].get(value) ?? []) {
          if (!reached.has(other)) {
            reached.add(other);
            queue.push(other);
          }
        }
      }
    };
    for (const entry of start) {
      // An entry in no bucket (no key, DOI or title) is decided on its own.
      if (present(entry)) reached.add(entry);
      visit(entry);
    }
    while (queue.length > 0) visit(queue.pop() as Entry);
    return reached;
  }

  private bucket(entry: Entry): void {
    for (const field of BUCKET_FIELDS) {
      const value = entry.identity[field];
      if (value === '') continue;
      const entries = this.buckets[field].get(value);
      if (entries) entries.push(entry);
      else this.buckets[field].set(value, [entry]);
    }
  }

  private unbucket(entry: Entry): void {
    for (const field of BUCKET_FIELDS) {
      const entries = this.buckets[field].get(entry.identity[field]);
      const at = entries?.indexOf(entry) ?? -1;
      if (!entries || at < 0) continue;
      if (entries.length === 1) this.buckets[field].delete(entry.identity[field]);
      else entries.splice(at, 1);
    }
  }

  /** A source's counts and problems: the reader's, then each repeated key at its line, worded by what it is. */
  private summaryOf(record: SourceRecord): SourceSummary {
    const problems = [...record.source.problems];
    let kept = 0;
    for (const { keep, original, sibling, paper } of record.entries) {
      if (keep) {
        kept++;
        if (sibling !== undefined) {
          problems.push({
            file: paper.origin.file,
            line: paper.origin.line,
            message: `key "${paper.key}" is also used by the entry at line ${sibling.paper.origin.line} (a different paper); both are kept, citing it is ambiguous`,
          });
        }
        continue;
      }
      if (paper.key === '' || original === undefined || original.paper.origin.file !== paper.origin.file) continue;
      const originalKey = original.id === undefined ? original.paper.key : (this.papers.get(original.id) as Paper).key;
      if (originalKey.toLowerCase() === paper.key.toLowerCase()) {
        problems.push({ file: paper.origin.file, line: paper.origin.line, message: `duplicate key "${paper.key}"; the entry at line ${original.paper.origin.line} is used` });
      }
    }
    return { file: record.source.file, format: record.source.format, papers: record.source.papers.length, kept, problems };
  }

  /** The sources, their papers' ids and keys, and both indexes: what a snapshot stores (see fromState). */
  toState(): LibraryIndexState {
    return {
      sources: this.ordered.map((record) => ({
        source: record.source,
        priority: record.priority,
        arrival: record.arrival,
        ids: record.entries.map((entry) => entry.id ?? -1),
        keys: record.entries.map((entry) => {
          const key = entry.id === undefined ? undefined : (this.papers.get(entry.id) as Paper).key;
          return key === undefined || key === entry.paper.key ? null : key;
        }),
      })),
      nextId: this.nextId,
      fieldIndex: this.fieldIndex.toJSON(),
      abstractIndex: this.abstractIndex.toState(),
    };
  }

  /** toState's sources, made in slices (SlicedWork), with the indexes as they are: what a snapshot folder is written from. */
  async partsToSave(work: SlicedWork): Promise<LibraryIndexParts> {
    const sources: SourceState[] = [];
    for (const record of this.ordered) {
      const ids: number[] = [];
      const keys: (string | null)[] = [];
      for (const entry of record.entries) {
        const key = entry.id === undefined ? undefined : (this.papers.get(entry.id) as Paper).key;
        ids.push(entry.id ?? -1);
        keys.push(key === undefined || key === entry.paper.key ? null : key);
        if (work.due) await work.yield();
      }
      sources.push({ source: record.source, priority: record.priority, arrival: record.arrival, ids, keys });
    }
    return { sources, nextId: this.nextId, fieldIndex: this.fieldIndex, abstractIndex: this.abstractIndex };
  }

  /**
   * The index `toState` described, without parsing a file or indexing a paper: the dedupe pass runs again (it
   * only reads the identities) and finds the kept set as it was. Throws on a state whose ids do not agree.
   */
  static fromState(state: LibraryIndexState, options: LibraryOptions = {}): LibraryIndex {
    const data = new LibraryIndex(options, state);
    for (const { source, priority, arrival, ids, keys } of state.sources) {
      const entries = source.papers.map((paper, position): Entry => {
        const entry = newEntry(paper, source.file, position);
        const id = ids[position];
        if (id >= 0) {
          const key = keys[position] ?? paper.key;
          entry.id = id;
          // The snapshot's papers are this library's alone: no copy (a copy per paper is a tenth of a warm start).
          data.papers.set(id, key === paper.key ? paper : { ...paper, key });
          if (key !== paper.key) data.generated.add(id);
          const sameKey = data.ids.get(key.toLowerCase());
          if (sameKey) {
            sameKey.push(id);
            data.keysTouched.add(key.toLowerCase());
          } else {
            data.ids.set(key.toLowerCase(), [id]);
          }
        }
        return entry;
      });
      data.records.set(source.file, { source, priority, arrival, entries });
      data.arrived.push(...entries);
      data.arrivals = Math.max(data.arrivals, arrival + 1);
    }
    data.nextId = state.nextId;
    const change = data.merge();
    if (change.added.length > 0 || change.removed.length > 0) throw new Error('library snapshot: its papers do not dedupe as they were saved');
    return data;
  }

  /** Takes an entry's paper out of the library; returns its id for the indexes to discard. */
  private drop(entry: Entry): number {
    const id = entry.id as number;
    const key = (this.papers.get(id) as Paper).key.toLowerCase();
    this.papers.delete(id);
    this.generated.delete(id);
    const sameKey = this.ids.get(key);
    const at = sameKey?.indexOf(id) ?? -1;
    if (sameKey && at >= 0) {
      sameKey.splice(at, 1);
      this.keysTouched.add(key);
      if (sameKey.length === 0) {
        this.ids.delete(key);
        this.keysRemoved.push(key);
      }
    }
    entry.id = undefined;
    return id;
  }

  /**
   * Puts the ids of each of `keys` in file order and marks their papers with the others under the key (sameKey),
   * or unmarks a paper left alone under it.
   */
  private markSharedKeys(keys: Iterable<string>): void {
    for (const key of keys) {
      const ids = this.ids.get(key);
      if (!ids) continue;
      const paperOf = (id: number): Paper => this.papers.get(id) as Paper;
      if (ids.length === 1) {
        if (paperOf(ids[0]).sameKey !== undefined) this.papers.set(ids[0], unmarked(paperOf(ids[0])));
        continue;
      }
      ids.sort((a, b) => paperOf(a).origin.line - paperOf(b).origin.line);
      const sharers = ids.map((id): KeySharer => ({ title: paperOf(id).title, year: paperOf(id).year, origin: paperOf(id).origin }));
      ids.forEach((id, at) => this.papers.set(id, { ...unmarked(paperOf(id)), sameKey: sharers.filter((_, other) => other !== at) }));
    }
  }


  /**
   * Gives the arriving entries ids and keys: their own keys first, then generated ones for the keyless, unique
   * against every kept key. A generated key that an arriving entry's own key now claims is generated anew
   * (its paper is re-added under a new id), as a build from scratch would have.
   */
  private admit(arriving: Entry[], removed: number[]): number[] {
    const keyless: Entry[] = [];
    const added: number[] = [];
    const enter = (entry: Entry, key: string): void => {
      const id = this.nextId++;
      const lower = key.toLowerCase();
      entry.id = id;
      this.papers.set(id, key === entry.paper.key ? { ...entry.paper } : { ...entry.paper, key });
      if (key !== entry.paper.key) this.generated.add(id);
      const sameKey = this.ids.get(lower);
      if (sameKey) {
        sameKey.push(id);
      } else {
        this.ids.set(lower, [id]);
        this.keysAdded.push(lower);
      }
      this.keysTouched.add(lower);
      added.push(id);
    };
    for (const entry of arriving) {
      if (entry.paper.key === '') {
        keyless.push(entry);
        continue;
      }
      // A generated key holds the only id of its key; a paper kept apart under its own key stays beside this one.
      const holder = this.ids.get(entry.identity.key)?.[0];
      if (holder !== undefined && this.generated.has(holder)) {
        const displaced = this.entryOf(holder);
        removed.push(this.drop(displaced));
        keyless.push(displaced);
      }
      enter(entry, entry.paper.key);
    }
    const formula = this.options.keyFormula ?? 'authYearTitle';
    for (const entry of keyless) {
      const base = makeKey(entry.paper, formula);
      let key = base;
      for (let index = 0; this.ids.has(key); index++) key = base + keySuffix(index);
      enter(entry, key);
    }
    // Library order, whatever order the keys were given in: indexes built in chunks fill in reading order.
    return keyless.length === 0 ? added : this.inLibraryOrder(new Set(added));
  }

  private entryOf(id: number): Entry {
    for (const record of this.ordered) for (const entry of record.entries) if (entry.id === id) return entry;
    throw new Error(`library: no entry has document ${id}`);
  }

  private inLibraryOrder(ids: Set<number>): number[] {
    const ordered: number[] = [];
    for (const record of this.ordered) for (const entry of record.entries) if (entry.id !== undefined && ids.has(entry.id)) ordered.push(entry.id);
    return ordered;
  }
}
