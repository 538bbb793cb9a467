// A term's postings in one field of the fields index: short document id → how often the term occurs there. MiniSearch
// keeps them as a Map per term and field; Paperlens builds them as one flat array of pairs instead. The ACL
// anthology's 88k papers make 2.1 million postings in 130k lists: a Map's hash table costs several times the memory
// of two array slots, every insertion hashes, and the collector traces all of it. Short ids only grow (MiniSearch
// numbers documents as they are added and never reuses a number), so adding a document's posting is appending and
// the list stays sorted, in the order a Map would iterate it; lookups are binary searches.
// MiniSearch 7.2's own code calls get, has, set, delete, size, keys() and iteration on them (search, removal,
// vacuum, toJSON), and deletes while iterating: a deleted posting keeps its slot with a count of 0 (skipped by every
// read) until the next append compacts the list, so an iteration under way never loses its place.

/** What the fields index's readers use of a term's postings in one field: a Postings, or a Map loadJS made. */
export interface TermCounts {
  readonly size: number;
  get(shortId: number): number | undefined;
  has(shortId: number): boolean;
  set(shortId: number, count: number): unknown;
  delete(shortId: number): boolean;
  keys(): IterableIterator<number>;
  forEach(visit: (count: number, shortId: number) => void): void;
  [Symbol.iterator](): IterableIterator<[number, number]>;
}

export class Postings implements TermCounts {
  private live: number;
  /** Deleted postings still holding their slots (count 0). */
  private holes = 0;

  /** `pairs`: [shortId, count, shortId, count, …] with short ids ascending and counts above 0; kept, not copied. */
  constructor(private readonly pairs: number[] = []) {
    this.live = pairs.length / 2;
  }

  /** Live postings. */
  get size(): number {
    return this.live;
  }

  get(shortId: number): number | undefined {
    const at = this.find(shortId);
    return at < 0 || this.pairs[at + 1] === 0 ? undefined : this.pairs[at + 1];
  }

  has(shortId: number): boolean {
    return this.get(shortId) !== undefined;
  }

  set(shortId: number, count: number): this {
    if (count <= 0) throw new RangeError(`a posting's count must be above 0 (got ${count} for document ${shortId})`);
    const pairs = this.pairs;
    if (pairs.length === 0 || pairs[pairs.length - 2] < shortId) {
      if (this.holes > 0) this.compact();
      pairs.push(shortId, count);
      this.live++;
      return this;
    }
    const at = this.find(shortId);
    if (at >= 0) {
      if (pairs[at + 1] === 0) {
        this.holes--;
        this.live++;
      }
      pairs[at + 1] = count;
    } else {
      pairs.splice(-at - 1, 0, shortId, count);
      this.live++;
    }
    return this;
  }

  delete(shortId: number): boolean {
    const at = this.find(shortId);
    if (at < 0 || this.pairs[at + 1] === 0) return false;
    this.pairs[at + 1] = 0;
    this.holes++;
    this.live--;
    return true;
  }

  forEach(visit: (count: number, shortId: number) => void): void {
    const pairs = this.pairs;
    for (let at = 0; at < pairs.length; at += 2) if (pairs[at + 1] !== 0) visit(pairs[at + 1], pairs[at]);
  }

  *keys(): IterableIterator<number> {
    for (let at = 0; at < this.pairs.length; at += 2) if (this.pairs[at + 1] !== 0) yield this.pairs[at];
  }

  *[Symbol.iterator](): IterableIterator<[number, number]> {
    for (let at = 0; at < this.pairs.length; at += 2) if (this.pairs[at + 1] !== 0) yield [this.pairs[at], this.pairs[at + 1]];
  }

  /** The slot of `shortId`'s pair, or −(the slot it would be inserted at) − 1. */
  private find(shortId: number): number {
    const pairs = this.pairs;
    let low = 0;
    let high = pairs.length / 2 - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = pairs[2 * middle];
      if (found === shortId) return 2 * middle;
      if (found < shortId) low = middle + 1;
      else high = middle - 1;
    }
    return -2 * low - 1;
  }

  private compact(): void {
    const pairs = this.pairs;
    let kept = 0;
    for (let at = 0; at < pairs.length; at += 2) {
      if (pairs[at + 1] === 0) continue;
      pairs[kept] = pairs[at];
      pairs[kept + 1] = pairs[at + 1];
      kept += 2;
    }
    pairs.length = kept;
    this.holes = 0;
  }
}
