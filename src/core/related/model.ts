// What the ranking learns from the library: the vocabulary of titles, keywords and abstracts (as terms.ts reads
// them), how many papers use each term (its rarity), each paper's length, and for each term the papers holding it
// with its count in their title and in their body. Built from the papers in one pass; serialised as typed arrays
// in base64, so a warm start parses no large JSON array.
import type { Paper } from '../paper';
import { SlicedWork, WorkOvertaken } from '../slicedWork';
import { hashText } from '../snapshot';
import { hasNonAscii, termOfWord, wordPattern } from './terms';

/** Counts are kept per field, title and body (keywords and abstract): a paper's title is scored on its own. */
export const TITLE_SHIFT = 8;
const FIELD_MAX = 0xff;
/** While counting, a title occurrence counts this much, so one number carries both fields. */
const TITLE_COUNT = 0x10000;

/** Bump when terms.ts (stop words, terms of words) or the layout change: old models are then rebuilt. */
const MODEL_VERSION = 1;

export interface RelatedModelJson {
  version: number;
  /** The papers the model was built from, as a hash of their keys in order: a model only fits its library. */
  fingerprint: string;
  paperCount: number;
  vocabulary: string[];
  /** Base64 of Uint32Array(vocabulary.length + 1): where each term's postings start. */
  offsets: string;
  /** Base64 of Uint32Array: paper positions, grouped by term. */
  postings: string;
  /** Base64 of Uint16Array: the term's count in the paper's title × 256 + its count in keywords and abstract (each at most 255). */
  counts: string;
  /** Base64 of Float32Array(2 × paperCount): each paper's title length and body length in terms. */
  lengths: string;
}

/** The model as its arrays, for a library snapshot to store as binary parts (no base64, no copy on load). */
export interface RelatedModelParts {
  version: number;
  fingerprint: string;
  paperCount: number;
  vocabulary: string[];
  offsets: Uint32Array;
  postings: Uint32Array;
  counts: Uint16Array;
  lengths: Float32Array;
}

/** The key list's fingerprint: a model built for other papers (or in another order) does not fit. */
export function papersFingerprint(papers: readonly Paper[]): string {
  return hashText(papers.map((paper) => paper.key).join('\n'));
}

function toBase64(array: Uint32Array | Uint16Array | Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T>(text: string, make: (buffer: ArrayBuffer, length: number) => T, bytesPer: number): T {
  const bytes = Buffer.from(text, 'base64');
  // Copy into an aligned buffer: a Buffer from the pool may start at an offset typed arrays cannot use.
  const aligned = new ArrayBuffer(bytes.length);
  new Uint8Array(aligned).set(bytes);
  return make(aligned, bytes.length / bytesPer);
}

/** Papers counted, and postings sorted, between two pauses of the build (where a slice looks at the clock). */
const PAPERS_PER_STEP = 64;
const POSTINGS_PER_STEP = 1 << 16;

/** A growable Uint32Array: the postings of a paper's terms are collected without a JavaScript array per term. */
class Growable {
  array = new Uint32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = new Uint32Array(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }
}

const BLOCK_BITS = 20;
const BLOCK_SIZE = 1 << BLOCK_BITS;

/**
 * A long Uint32 sequence in blocks of a fixed size: growing never copies. (Doubling one array copied 8M postings
 * three times over at 86k papers: a second with nothing else running on the thread.)
 */
class BlockList {
  private readonly blocks: Uint32Array[] = [];
  length = 0;
  push(value: number): void {
    const offset = this.length & (BLOCK_SIZE - 1);
    if (offset === 0) this.blocks.push(new Uint32Array(BLOCK_SIZE));
    this.blocks[this.blocks.length - 1][offset] = value;
    this.length++;
  }
  at(index: number): number {
    return this.blocks[index >>> BLOCK_BITS][index & (BLOCK_SIZE - 1)];
  }
}

export class RelatedModel {
  readonly averageTitleLength: number;
  readonly averageBodyLength: number;
  private readonly termIds: Map<string, number>;

  private constructor(
    readonly fingerprint: string,
    readonly paperCount: number,
    readonly vocabulary: string[],
    readonly offsets: Uint32Array,
    readonly postings: Uint32Array,
    readonly counts: Uint16Array,
    readonly lengths: Float32Array,
    termIds?: Map<string, number>,
  ) {
    this.termIds = termIds ?? new Map(vocabulary.map((term, id) => [term, id]));
    // Averages over the papers that have the field: in a library of title-only entries (the ACL anthology) with a
    // few abstracts, an average over all papers would make every abstract look ten times too long.
    let titles = 0;
    let titled = 0;
    let bodies = 0;
    let bodied = 0;
    for (let position = 0; position < paperCount; position++) {
      titles += lengths[2 * position];
      if (lengths[2 * position] > 0) titled++;
      bodies += lengths[2 * position + 1];
      if (lengths[2 * position + 1] > 0) bodied++;
    }
    this.averageTitleLength = Math.max(1, titles / Math.max(1, titled));
    this.averageBodyLength = Math.max(1, bodies / Math.max(1, bodied));
  }

  /** The model of `papers`, built in one go (a small library, a test, the CLI). */
  static build(papers: readonly Paper[]): RelatedModel {
    const steps = RelatedModel.buildSteps(papers);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The model of `papers`, built a slice at a time between `work`'s turns, so the thread that builds keeps answering
   * (at 100k papers with abstracts a build takes seconds). Undefined when the work was overtaken (the papers are no
   * longer the library's): the caller starts over.
   */
  static async buildInSlices(papers: readonly Paper[], work: SlicedWork): Promise<RelatedModel | undefined> {
    const steps = RelatedModel.buildSteps(papers);
    try {
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        if (work.due) await work.yield();
      }
    } catch (error) {
      if (error instanceof WorkOvertaken) return undefined;
      throw error;
    }
  }

  /**
   * One pass over the papers' titles, keywords and abstracts, pausing (a yield) every few papers and postings so a
   * caller can look at the clock. At 100k papers that is millions of words, so the loop maps each written word
   * straight to its term id (one Map lookup for a word seen before) and counts a paper's terms in an array by id,
   * allocating nothing per word.
   */
  private static *buildSteps(papers: readonly Paper[]): Generator<void, RelatedModel> {
    const termIds = new Map<string, number>();
    /** Lower-cased word as written → its term id, or -1 for a word that carries no topic. */
    const idOfWord = new Map<string, number>();
    const vocabulary: string[] = [];
    const termOf = new BlockList();
    const paperOf = new BlockList();
    const countOf = new BlockList();
    const lengths = new Float32Array(2 * papers.length);
    let countById = new Float64Array(4096);
    /** The ids counted for the current paper, in first-seen order. */
    const touched = new Growable();
    const idOf = (lower: string): number => {
      const stem = termOfWord(lower);
      let id = stem === '' ? -1 : termIds.get(stem);
      if (id === undefined) {
        id = vocabulary.length;
        vocabulary.push(stem);
        termIds.set(stem, id);
        if (id === countById.length) {
          const bigger = new Float64Array(countById.length * 2);
          bigger.set(countById);
          countById = bigger;
        }
      }
      idOfWord.set(lower, id);
      return id;
    };
    const add = (text: string | undefined, weight: number, position: number): void => {
      if (!text) return;
      // ASCII text is lower-cased once, not word by word: half the strings a word costs, and the collector's time.
      // Other text word by word, as topicWords reads it: lower-cased whole, "İ" would become "i" and a combining
      // dot, which is not a letter, and split its word.
      const ascii = !hasNonAscii(text);
      const source = ascii ? text.toLowerCase() : text;
      const pattern = wordPattern(source);
      let match: RegExpExecArray | null;
      let counted = 0;
      while ((match = pattern.exec(source))) {
        const lower = ascii ? match[0] : match[0].toLowerCase();
        const id = idOfWord.get(lower) ?? idOf(lower);
        if (id < 0) continue;
        if (countById[id] === 0) touched.push(id);
        countById[id] += weight;
        counted++;
      }
      lengths[2 * position + (weight === 1 ? 1 : 0)] += counted;
    };
    for (let position = 0; position < papers.length; position++) {
      if (position % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
      const paper = papers[position];
      touched.length = 0;
      add(paper.title, TITLE_COUNT, position);
      add(paper.keywords, 1, position);
      add(paper.abstract, 1, position);
      for (let i = 0; i < touched.length; i++) {
        const id = touched.array[i];
        const count = countById[id];
        countById[id] = 0;
        termOf.push(id);
        paperOf.push(position);
        countOf.push((Math.min(Math.floor(count / TITLE_COUNT), FIELD_MAX) << TITLE_SHIFT) | Math.min(count % TITLE_COUNT, FIELD_MAX));
      }
    }
    // Counting sort by term: postings of a term are contiguous and in paper order.
    const offsets = new Uint32Array(vocabulary.length + 1);
    for (let i = 0; i < termOf.length; i++) {
      if (i % POSTINGS_PER_STEP === POSTINGS_PER_STEP - 1) yield;
      offsets[termOf.at(i) + 1]++;
    }
    for (let id = 0; id < vocabulary.length; id++) offsets[id + 1] += offsets[id];
    yield;
    const next = offsets.slice(0, vocabulary.length);
    const postings = new Uint32Array(termOf.length);
    const weights = new Uint16Array(termOf.length);
    for (let i = 0; i < termOf.length; i++) {
      if (i % POSTINGS_PER_STEP === POSTINGS_PER_STEP - 1) yield;
      const slot = next[termOf.at(i)]++;
      postings[slot] = paperOf.at(i);
      weights[slot] = countOf.at(i);
    }
    yield;
    return new RelatedModel(papersFingerprint(papers), papers.length, vocabulary, offsets, postings, weights, lengths, termIds);
  }

  toJSON(): RelatedModelJson {
    return {
      version: MODEL_VERSION,
      fingerprint: this.fingerprint,
      paperCount: this.paperCount,
      vocabulary: this.vocabulary,
      offsets: toBase64(this.offsets),
      postings: toBase64(this.postings),
      counts: toBase64(this.counts),
      lengths: toBase64(this.lengths),
    };
  }

  toParts(): RelatedModelParts {
    const { fingerprint, paperCount, vocabulary, offsets, postings, counts, lengths } = this;
    return { version: MODEL_VERSION, fingerprint, paperCount, vocabulary, offsets, postings, counts, lengths };
  }

  /**
   * The model saved by toJSON, or undefined when it was saved by another version or (given `papers`) for other
   * papers: the caller then builds a new one.
   */
  static fromJSON(json: RelatedModelJson, papers?: readonly Paper[]): RelatedModel | undefined {
    if (json?.version !== MODEL_VERSION) return undefined;
    return RelatedModel.fromParts(
      {
        ...json,
        offsets: fromBase64(json.offsets, (buffer, length) => new Uint32Array(buffer, 0, length), 4),
        postings: fromBase64(json.postings, (buffer, length) => new Uint32Array(buffer, 0, length), 4),
        counts: fromBase64(json.counts, (buffer, length) => new Uint16Array(buffer, 0, length), 2),
        lengths: fromBase64(json.lengths, (buffer, length) => new Float32Array(buffer, 0, length), 4),
      },
      papers,
    );
  }

  /** As fromJSON, from the arrays themselves; undefined also when they do not fit together. */
  static fromParts(parts: RelatedModelParts, papers?: readonly Paper[]): RelatedModel | undefined {
    const { version, fingerprint, paperCount, vocabulary, offsets, postings, counts, lengths } = parts;
    if (version !== MODEL_VERSION || !Array.isArray(vocabulary)) return undefined;
    if (papers && (papers.length !== paperCount || papersFingerprint(papers) !== fingerprint)) return undefined;
    if (offsets.length !== vocabulary.length + 1 || counts.length !== postings.length || lengths.length !== 2 * paperCount) return undefined;
    if (offsets[vocabulary.length] !== postings.length) return undefined;
    return new RelatedModel(fingerprint, paperCount, vocabulary, offsets, postings, counts, lengths);
  }

  termId(stem: string): number | undefined {
    return this.termIds.get(stem);
  }

  /** Papers holding the term. */
  documentFrequency(termId: number): number {
    return this.offsets[termId + 1] - this.offsets[termId];
  }

  /** BM25's inverse document frequency: rare terms tell most. */
  idf(termId: number): number {
    const df = this.documentFrequency(termId);
    return Math.log(1 + (this.paperCount - df + 0.5) / (df + 0.5));
  }
}

