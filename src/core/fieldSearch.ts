// One query term over the fields index (MiniSearch), scored exactly as MiniSearch.search scores it (same formula,
// same order of additions, so the same floating-point sums), but handed to the caller per paper id instead of as
// result objects. MiniSearch builds an object, a terms list and a match record for every paper a term matches, then
// a second object per result for `filter`: at 100k papers a typed prefix ("qua", "200") matches tens of thousands
// and that was most of a query's time and its garbage. The unit test fieldSearch.test.ts checks every score and
// matched term against MiniSearch's own search, so a MiniSearch release that changes its index shape fails there.
import type MiniSearch from 'minisearch';
import type { Options } from 'minisearch';
import { Postings, type TermCounts } from './postings';

/** Term → field id → short document id → term count (Postings where Paperlens built them). */
export type FieldTermData = Map<number, TermCounts>;

/** The parts of MiniSearch 7.2's index read here (its own search reads the same) and by fieldIndexJson.ts. */
export interface MiniSearchIndex {
  _index: {
    /** Every term with its data, in the order toJSON() writes them. */
    entries(): Iterator<[string, FieldTermData]>;
    get(term: string): FieldTermData | undefined;
    set(term: string, data: FieldTermData): unknown;
    atPrefix(prefix: string): Iterable<[string, FieldTermData]>;
    fuzzyGet(term: string, maxDistance: number): Map<string, [FieldTermData, number]>;
  };
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _documentIds: Map<number, number>;
  _storedFields: Map<number, unknown>;
  _idToShortId: Map<number, number>;
  _dirtCount: number;
  _nextId: number;
  _options: Required<Pick<Options<number>, 'fields' | 'extractField' | 'stringifyField' | 'tokenize' | 'processTerm'>>;
  addDocumentId(id: number): number;
  addFieldLength(shortId: number, fieldId: number, count: number, length: number): void;
  saveStoredFields(shortId: number, document: number): void;
}

/**
 * The index's documents by short id in arrays: the paper id (-1 for a discarded document) and each field's length.
 * Scoring reads both for every posting; two Map lookups there were half of a typed prefix's time at 100k papers.
 */
interface DocumentArrays {
  /** The index's _nextId and _documentCount when built: every add, discard and removal changes one of them. */
  nextId: number;
  documentCount: number;
  ids: Int32Array;
  fieldLengths: Int32Array[];
}

const documentArrays = new WeakMap<MiniSearchIndex, DocumentArrays>();

function documentArraysOf(index: MiniSearchIndex): DocumentArrays {
  const known = documentArrays.get(index);
  if (known && known.nextId === index._nextId && known.documentCount === index._documentCount) return known;
  const ids = new Int32Array(index._nextId).fill(-1);
  for (const [shortId, id] of index._documentIds) ids[shortId] = id;
  const fieldLengths = Object.values(index._fieldIds).map(() => new Int32Array(index._nextId));
  for (const [shortId, lengths] of index._fieldLength) lengths.forEach((length, fieldId) => (fieldLengths[fieldId][shortId] = length));
  const arrays = { nextId: index._nextId, documentCount: index._documentCount, ids, fieldLengths };
  documentArrays.set(index, arrays);
  return arrays;
}

/** MiniSearch's defaults: BM25 (k, b, d) and the weights of prefix and fuzzy matches. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

export interface FieldTermQuery {
  term: string;
  prefix: boolean;
  /** As MiniSearch's `fuzzy`: a share of the term's length (edit distance, rounded, at most `maxFuzzy`). */
  fuzzy: number | false;
  maxFuzzy: number;
  fields: string[];
  boost: Record<string, number>;
  termBoost: number;
}

/** The index terms one query term expanded to, to tell which of them a paper has. */
export class FieldTermExpansions {
  constructor(
    private readonly index: MiniSearchIndex,
    private readonly fieldIds: number[],
    private readonly expansions: [string, FieldTermData][],
  ) {}

  /** The index terms the paper of `id` has in the searched fields (MiniSearch's result.terms), added to `matched`. */
  addTermsOf(id: number, matched: Set<string>): void {
    const shortId = this.index._idToShortId.get(id);
    if (shortId === undefined) return;
    for (const [term, data] of this.expansions) {
      if (this.fieldIds.some((fieldId) => data.get(fieldId)?.has(shortId))) matched.add(term);
    }
  }
}

export function miniSearchInternals(index: MiniSearch<number>): MiniSearchIndex {
  const inside = index as unknown as Partial<MiniSearchIndex>;
  if (
    typeof inside._index?.atPrefix !== 'function' ||
    typeof inside._index.entries !== 'function' ||
    typeof inside._index.set !== 'function' ||
    !(inside._storedFields instanceof Map) ||
    !(inside._fieldLength instanceof Map) ||
    !(inside._documentIds instanceof Map) ||
    !(inside._idToShortId instanceof Map) ||
    !Array.isArray(inside._avgFieldLength) ||
    typeof inside._documentCount !== 'number' ||
    typeof inside._nextId !== 'number' ||
    typeof inside._options?.stringifyField !== 'function' ||
    typeof inside.addDocumentId !== 'function' ||
    typeof inside.addFieldLength !== 'function' ||
    typeof inside.saveStoredFields !== 'function'
  ) {
    throw new Error('fields index: this MiniSearch version keeps its index in another shape than 7.2 (see src/core/fieldSearch.ts)');
  }
  return inside as MiniSearchIndex;
}

/** A query term's index terms (itself, longer ones, misspellings) with their weights, in MiniSearch's order. */
interface Expansion {
  terms: [string, FieldTermData][];
  weights: number[];
}

/** The last expansions, by term and options, while the index is unchanged (same signature). */
interface ExpansionCache {
  signature: string;
  expansions: Map<string, Expansion>;
}

/**
 * Enough for the words of the queries typed lately: each word of a query is expanded again at every keystroke, and
 * finding a long word's misspellings in the radix tree was a fifth of a query's time at 100k papers.
 */
const CACHED_EXPANSIONS = 64;
const expansionCaches = new WeakMap<MiniSearchIndex, ExpansionCache>();

function expand(inside: MiniSearchIndex, term: string, prefix: boolean, maxDistance: number): Expansion {
  // Every add, discard, removal and vacuum changes one of these; the cached term data are the index's own maps.
  const signature = `${inside._nextId} ${inside._documentCount} ${inside._dirtCount}`;
  let cache = expansionCaches.get(inside);
  if (!cache || cache.signature !== signature) {
    cache = { signature, expansions: new Map() };
    expansionCaches.set(inside, cache);
  }
  const key = `${prefix ? 'prefix' : 'word'} ${maxDistance} ${term}`;
  const known = cache.expansions.get(key);
  if (known) return known;
  const terms: [string, FieldTermData][] = [];
  const weights: number[] = [];
  const exact = inside._index.get(term);
  if (exact) {
    terms.push([term, exact]);
    weights.push(1);
  }
  const misspellings = maxDistance > 0 ? inside._index.fuzzyGet(term, maxDistance) : undefined;
  if (prefix) {
    for (const [longer, data] of inside._index.atPrefix(term)) {
      const distance = longer.length - term.length;
      if (distance === 0) continue;
      misspellings?.delete(longer);
      terms.push([longer, data]);
      weights.push((PREFIX_WEIGHT * longer.length) / (longer.length + 0.3 * distance));
    }
  }
  for (const [near, [data, distance]] of misspellings ?? []) {
    if (distance === 0) continue;
    terms.push([near, data]);
    weights.push((FUZZY_WEIGHT * near.length) / (near.length + distance));
  }
  if (cache.expansions.size >= CACHED_EXPANSIONS) cache.expansions.clear();
  const expansion = { terms, weights };
  cache.expansions.set(key, expansion);
  return expansion;
}

/**
 * Calls `found(id, score)` for every (paper, index term, field) the query term matches, in MiniSearch's order: the
 * term itself, then its prefix expansions, then its misspellings (those not also prefix expansions); summed per
 * paper from 0 in that order, the scores are MiniSearch's. A document discarded but not yet vacuumed is skipped
 * and not counted in the term's document frequency (MiniSearch counts it until its search meets it).
 */
export function searchFieldTerm(index: MiniSearch<number>, query: FieldTermQuery, found: (id: number, score: number) => void): FieldTermExpansions {
  const inside = miniSearchInternals(index);
  const { term, fields, termBoost } = query;
  const fieldIds = fields.map((field) => inside._fieldIds[field]);
  const fieldBoosts = fields.map((field) => query.boost[field] || 1);
  const maxDistance = query.fuzzy === false ? 0 : Math.min(query.maxFuzzy, Math.round(term.length * query.fuzzy));
  const { terms: expansions, weights } = expand(inside, term, query.prefix, maxDistance);
  const { ids, fieldLengths } = documentArraysOf(inside);
  const documents = inside._documentCount;
  const dirty = inside._dirtCount > 0;
  for (let position = 0; position < expansions.length; position++) {
    const data = expansions[position][1];
    for (let at = 0; at < fieldIds.length; at++) {
      const fieldId = fieldIds[at];
      const counts = data.get(fieldId);
      if (!counts) continue;
      let matching = counts.size;
      if (dirty) for (const shortId of counts.keys()) if (ids[shortId] < 0) matching--;
      const average = inside._avgFieldLength[fieldId];
      const inverseFrequency = Math.log(1 + (documents - matching + 0.5) / (matching + 0.5));
      // MiniSearch's product, termWeight × termBoost × fieldBoost × documentBoost (1) × BM25, in its order.
      const factor = weights[position] * termBoost * fieldBoosts[at];
      const lengths = fieldLengths[fieldId];
      counts.forEach((count, shortId) => {
        const id = ids[shortId];
        if (id < 0) return;
        const score = inverseFrequency * (BM25.d + (count * (BM25.k + 1)) / (count + BM25.k * (1 - BM25.b + (BM25.b * lengths[shortId]) / average)));
        found(id, factor * score);
      });
    }
  }
  return new FieldTermExpansions(inside, fieldIds, expansions);
}

/**
 * index.add(id) for each of `ids` in order, leaving the index in exactly the state (and order) those calls leave it
 * in, but faster: add() finds a term's place in the radix tree and then its postings for every occurrence, going
 * from one posting list to the next, which was most of a cold start's indexing. Here the occurrences are collected
 * first and grouped by term (in order within each), so each term's data is found once and its postings written one
 * after the other; a term's occurrences in one field of one paper are adjacent and counted at once. New terms go
 * into the tree at the end, in the order they first occurred, as add() would have put them in. `seen`: the terms'
 * data found by earlier batches of the same run, reused while nothing but these batches changes the index (a
 * vacuum takes terms out of the tree; discards do not).
 */
export function addInOneBatch(index: MiniSearch<number>, ids: Iterable<number>, seen = new Map<string, FieldTermData>()): void {
  const inside = miniSearchInternals(index);
  const { fields, extractField, stringifyField, tokenize, processTerm } = inside._options;
  const fieldIds = fields.map((field) => inside._fieldIds[field]);
  const occurrences = new Occurrences();
  for (const id of ids) {
    if (inside._idToShortId.has(id)) throw new Error(`MiniSearch: duplicate ID ${id}`);
    const shortId = inside.addDocumentId(id);
    inside.saveStoredFields(shortId, id);
    for (let at = 0; at < fields.length; at++) {
      const field = fields[at];
      const value: unknown = extractField(id, field);
      if (value == null) continue;
      const tokens = tokenize(stringifyField(value, field), field);
      inside.addFieldLength(shortId, fieldIds[at], inside._documentCount - 1, distinctCount(tokens));
      for (const token of tokens) {
        const processed = processTerm(token, field);
        if (Array.isArray(processed)) for (const term of processed) occurrences.add(term, fieldIds[at], shortId);
        else if (processed) occurrences.add(processed, fieldIds[at], shortId);
      }
    }
  }
  const { terms, start, order, fieldOf, shortIdOf } = occurrences.byTerm();
  const created: [string, FieldTermData][] = [];
  for (let number = 0; number < terms.length; number++) {
    const term = terms[number];
    let data = seen.get(term);
    if (data === undefined) {
      data = inside._index.get(term);
      if (data === undefined) {
        data = new Map();
        created.push([term, data]);
      }
      seen.set(term, data);
    }
    for (let at = start[number], end = start[number + 1]; at < end; ) {
      const fieldId = fieldOf[order[at]];
      const shortId = shortIdOf[order[at]];
      let count = 1;
      while (at + count < end && fieldOf[order[at + count]] === fieldId && shortIdOf[order[at + count]] === shortId) count++;
      at += count;
      // The papers are new to the index and their short ids the highest: each posting is appended.
      const counts = data.get(fieldId);
      if (counts === undefined) data.set(fieldId, new Postings([shortId, count]));
      else counts.set(shortId, count);
    }
  }
  for (const [term, data] of created) inside._index.set(term, data);
}

/** new Set(tokens).size (MiniSearch's field length), without a Set for the few tokens of a title or a name. */
function distinctCount(tokens: readonly string[]): number {
  if (tokens.length > 24) return new Set(tokens).size;
  let distinct = 0;
  for (let at = 0; at < tokens.length; at++) {
    let earlier = 0;
    while (earlier < at && tokens[earlier] !== tokens[at]) earlier++;
    if (earlier === at) distinct++;
  }
  return distinct;
}

/** The term occurrences of a batch in order: each term numbered by its first occurrence, with field and paper. */
class Occurrences {
  private readonly numbers = new Map<string, number>();
  private readonly terms: string[] = [];
  private termOf = new Int32Array(4_096);
  private fieldOf = new Int32Array(4_096);
  private shortIdOf = new Int32Array(4_096);
  private length = 0;

  add(term: string, fieldId: number, shortId: number): void {
    let number = this.numbers.get(term);
    if (number === undefined) {
      number = this.terms.length;
      this.numbers.set(term, number);
      this.terms.push(term);
    }
    if (this.length === this.termOf.length) {
      const grow = (array: Int32Array) => {
        const next = new Int32Array(array.length * 2);
        next.set(array);
        return next;
      };
      this.termOf = grow(this.termOf);
      this.fieldOf = grow(this.fieldOf);
      this.shortIdOf = grow(this.shortIdOf);
    }
    this.termOf[this.length] = number;
    this.fieldOf[this.length] = fieldId;
    this.shortIdOf[this.length] = shortId;
    this.length++;
  }

  /**
   * Terms by number, and occurrence positions grouped by term (a stable counting sort): term n's are
   * order[start[n]..start[n + 1]), each with its field and paper in fieldOf and shortIdOf.
   */
  byTerm(): { terms: string[]; start: Int32Array; order: Int32Array; fieldOf: Int32Array; shortIdOf: Int32Array } {
    const start = new Int32Array(this.terms.length + 1);
    for (let at = 0; at < this.length; at++) start[this.termOf[at] + 1]++;
    for (let number = 0; number < this.terms.length; number++) start[number + 1] += start[number];
    const next = start.slice(0, this.terms.length);
    const order = new Int32Array(this.length);
    for (let at = 0; at < this.length; at++) order[next[this.termOf[at]]++] = at;
    return { terms: this.terms, start, order, fieldOf: this.fieldOf, shortIdOf: this.shortIdOf };
  }
}
