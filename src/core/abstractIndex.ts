// The abstracts' inverted index: whole words only (the word being typed and misspellings expand over the fields
// index, see Library.termScores), so a term needs no radix tree, only its postings. Postings are typed arrays
// (document id, term count): at 100k papers with ~150-word abstracts about 10M postings, ~60 MB, where
// MiniSearch's Map per posting list held ~400 MB, took minutes to build here and ~10 s to load back
// (../shared/docs/measurements.md). Scores are MiniSearch's BM25 for one field, to the same formula and
// constants, so the fields index and this one sum as one MiniSearch index over all fields would.
import type { SlicedWork } from './slicedWork';
import { processTerm, tokenize } from './terms';

/** MiniSearch 7.2's defaults (k, b, d), so scores agree with the fields index's. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** Letters of a typed word that pick its bucket of longer vocabulary terms (the search expands prefixes of 3+). */
const PREFIX_STEM = 3;

/** One term's postings; `ids`/`counts` may be longer than `length` (room to grow). */
interface Postings {
  ids: Int32Array;
  counts: Uint16Array;
  length: number;
}

/** The index as plain data: postings of every term laid end to end, base64 typed arrays (see toState). */
export interface AbstractIndexState {
  terms: string[];
  /** Postings per term, in `terms` order. */
  lengths: number[];
  /** Document ids, Int32 little-endian, base64 (or the array itself, a view of the part a snapshot folder read). */
  ids: string | Int32Array;
  /** Term counts, Uint16 little-endian, base64 (or the array itself). */
  counts: string | Uint16Array;
  /** [document id, unique words of its abstract] of every live document. */
  documents: [number, number][];
}

function grown<T extends Int32Array | Uint16Array>(array: T, size: number, make: (size: number) => T): T {
  const next = make(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}

/** The bytes of `parts` end to end, as one array of their type. */
function concatenated<T extends Int32Array | Uint16Array>(parts: T[], make: (length: number) => T): Uint8Array {
  const all = make(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

export class AbstractIndex {
  private readonly terms = new Map<string, Postings>();
  /** Unique words of each live document's abstract (MiniSearch's field length), by id. */
  private readonly lengths = new Map<number, number>();
  /**
   * The same lengths in an array indexed by id, -1 for none: scoring reads one per posting, and a Map lookup
   * there was most of the time of a common word's scoring at 100k papers.
   */
  private lengthById = new Int32Array(0);
  /** Discarded documents whose postings are still in the lists (until vacuum). */
  private readonly discarded = new Set<number>();
  private totalLength = 0;
  /** The vocabulary by its first three letters, for the word being typed; kept as terms come and go. */
  private readonly termsByStem = new Map<string, Set<string>>();

  /** `textOf(id)` is the abstract of the paper of `id` while it is being added. */
  constructor(private readonly textOf: (id: number) => string | undefined) {}

  get documentCount(): number {
    return this.lengths.size;
  }

  /** Documents discarded since the last vacuum. */
  get dirtCount(): number {
    return this.discarded.size;
  }

  /** One more than the largest id ever added: arrays by id of this length hold every document. */
  get idLimit(): number {
    return this.lengthById.length;
  }

  has(id: number): boolean {
    return this.lengths.has(id);
  }

  add(id: number): void {
    if (this.lengths.has(id) || this.discarded.has(id)) throw new Error(`abstract index: document ${id} was already added`);
    const tokens = tokenize(this.textOf(id) ?? '');
    const length = new Set(tokens).size;
    this.setLength(id, length);
    const counts = new Map<string, number>();
    for (const token of tokens) {
      const term = processTerm(token, 'abstract');
      if (term !== null) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    for (const [term, count] of counts) {
      let postings = this.terms.get(term);
      if (!postings) {
        postings = { ids: new Int32Array(4), counts: new Uint16Array(4), length: 0 };
        this.terms.set(term, postings);
        this.addToStems(term);
      } else if (postings.length === postings.ids.length) {
        const size = postings.length * 2;
        postings.ids = grown(postings.ids, size, (n) => new Int32Array(n));
        postings.counts = grown(postings.counts, size, (n) => new Uint16Array(n));
      }
      postings.ids[postings.length] = id;
      postings.counts[postings.length] = Math.min(count, 0xffff);
      postings.length++;
    }
  }

  /** Drops a document from every result at once; its postings go at the next vacuum. */
  discard(id: number): void {
    const length = this.lengths.get(id);
    if (length === undefined) throw new Error(`abstract index: cannot discard document ${id}: it is not in the index`);
    this.lengths.delete(id);
    this.lengthById[id] = -1;
    this.totalLength -= length;
    this.discarded.add(id);
  }

  /** Removes discarded documents' postings: one pass over every list. */
  vacuum(): void {
    if (this.discarded.size === 0) return;
    for (const [term, postings] of this.terms) {
      let kept = 0;
      for (let i = 0; i < postings.length; i++) {
        if (this.discarded.has(postings.ids[i])) continue;
        postings.ids[kept] = postings.ids[i];
        postings.counts[kept] = postings.counts[i];
        kept++;
      }
      if (kept === 0) {
        this.terms.delete(term);
        this.termsByStem.get(term.slice(0, PREFIX_STEM))?.delete(term);
      }
      else postings.length = kept;
    }
    this.discarded.clear();
  }

  /**
   * Calls `found(id, score)` for every live document whose abstract has `term` (processed as tokenize and
   * processTerm make it), scored by BM25 as MiniSearch scores a field: document frequency counts live documents.
   */
  scoreTerm(term: string, termBoost: number, found: (id: number, score: number) => void): void {
    const postings = this.terms.get(term);
    if (!postings || this.lengths.size === 0) return;
    const { ids, counts, length } = postings;
    let matching = length;
    if (this.discarded.size > 0) for (let i = 0; i < length; i++) if (this.discarded.has(ids[i])) matching--;
    const documents = this.lengths.size;
    const average = this.totalLength / documents;
    const inverseFrequency = Math.log(1 + (documents - matching + 0.5) / (matching + 0.5));
    const lengthById = this.lengthById;
    for (let i = 0; i < length; i++) {
      const fieldLength = lengthById[ids[i]];
      if (fieldLength < 0) continue;
      const count = counts[i];
      const score = inverseFrequency * (BM25.d + (count * (BM25.k + 1)) / (count + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / average)));
      found(ids[i], termBoost * score);
    }
  }

  /**
   * Up to `limit` terms of the vocabulary that start with `prefix` (at least PREFIX_STEM letters; the prefix itself
   * excluded), shortest first: the word being typed ("garm" of "garments") must keep finding abstracts, or a
   * completion list empties mid-word and, in Markdown, does not come back.
   */
  termsWithPrefix(prefix: string, limit: number): string[] {
    if (prefix.length < PREFIX_STEM) return [];
    const found: string[] = [];
    for (const term of this.termsByStem.get(prefix.slice(0, PREFIX_STEM)) ?? []) {
      if (term !== prefix && term.startsWith(prefix)) found.push(term);
    }
    return found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).slice(0, limit);
  }

  private setLength(id: number, length: number): void {
    if (id >= this.lengthById.length) {
      const grownLengths = new Int32Array(Math.max(id + 1, 2 * this.lengthById.length, 1024)).fill(-1);
      grownLengths.set(this.lengthById);
      this.lengthById = grownLengths;
    }
    this.lengths.set(id, length);
    this.lengthById[id] = length;
    this.totalLength += length;
  }

  private addToStems(term: string): void {
    if (term.length <= PREFIX_STEM) return;
    const stem = term.slice(0, PREFIX_STEM);
    const terms = this.termsByStem.get(stem);
    if (terms) terms.add(term);
    else this.termsByStem.set(stem, new Set([term]));
  }

  /** Vacuumed postings end to end in typed arrays, as base64: loading them back is a decode, not a rebuild. */
  toState(): AbstractIndexState {
    this.vacuum();
    const terms = [...this.terms.keys()];
    const lengths = terms.map((term) => (this.terms.get(term) as Postings).length);
    const total = lengths.reduce((sum, length) => sum + length, 0);
    const ids = new Int32Array(total);
    const counts = new Uint16Array(total);
    let offset = 0;
    for (const term of terms) {
      const postings = this.terms.get(term) as Postings;
      ids.set(postings.ids.subarray(0, postings.length), offset);
      counts.set(postings.counts.subarray(0, postings.length), offset);
      offset += postings.length;
    }
    return {
      terms,
      lengths,
      ids: Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength).toString('base64'),
      counts: Buffer.from(counts.buffer, counts.byteOffset, counts.byteLength).toString('base64'),
      documents: [...this.lengths],
    };
  }

  /**
   * toState's, made in slices (SlicedWork) for a save that must not hold the thread: the postings go to `write` a
   * slice at a time as the bytes of their Int32/Uint16 arrays (ids, counts), the rest is returned. Discarded
   * documents' postings are left out as vacuum would leave them out, without changing the index.
   */
  async writeState(work: SlicedWork, write: (ids: Uint8Array, counts: Uint8Array) => Promise<void>): Promise<Omit<AbstractIndexState, 'ids' | 'counts'>> {
    const terms: string[] = [];
    const lengths: number[] = [];
    let idParts: Int32Array[] = [];
    let countParts: Uint16Array[] = [];
    const flush = async (): Promise<void> => {
      await work.after(write(concatenated(idParts, (n) => new Int32Array(n)), concatenated(countParts, (n) => new Uint16Array(n))));
      idParts = [];
      countParts = [];
    };
    for (const [term, postings] of this.terms) {
      let ids = postings.ids.slice(0, postings.length);
      let counts = postings.counts.slice(0, postings.length);
      if (this.discarded.size > 0) {
        const all = ids;
        counts = counts.filter((_, at) => !this.discarded.has(all[at]));
        ids = ids.filter((id) => !this.discarded.has(id));
        if (ids.length === 0) continue;
      }
      terms.push(term);
      lengths.push(ids.length);
      idParts.push(ids);
      countParts.push(counts);
      if (work.due) await flush();
    }
    await flush();
    const documents: [number, number][] = [];
    for (const document of this.lengths) {
      documents.push(document);
      if (work.due) await work.yield();
    }
    return { terms, lengths, documents };
  }

  /** The index `toState` saved; throws when its parts do not fit together. */
  static fromState(state: AbstractIndexState, textOf: (id: number) => string | undefined): AbstractIndex {
    const index = new AbstractIndex(textOf);
    // Decoded text is copied into memory of its own (new Uint8Array copies): a Buffer's bytes may sit at any offset
    // of a shared pool.
    const aligned = (text: string): ArrayBuffer => new Uint8Array(Buffer.from(text, 'base64')).buffer;
    const ids = typeof state.ids === 'string' ? new Int32Array(aligned(state.ids)) : state.ids;
    const counts = typeof state.counts === 'string' ? new Uint16Array(aligned(state.counts)) : state.counts;
    const total = state.lengths.reduce((sum, length) => sum + length, 0);
    if (state.terms.length !== state.lengths.length || ids.length !== total || counts.length !== total) {
      throw new Error('abstract index: damaged state');
    }
    let offset = 0;
    state.terms.forEach((term, position) => {
      const length = state.lengths[position];
      // Views into the shared arrays, full to capacity: the first add to a list copies it out.
      index.terms.set(term, { ids: ids.subarray(offset, offset + length), counts: counts.subarray(offset, offset + length), length });
      index.addToStems(term);
      offset += length;
    });
    for (const [id, length] of state.documents) index.setLength(id, length);
    return index;
  }
}
