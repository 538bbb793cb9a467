// Postings stand in for the Maps MiniSearch keeps per term and field: every call MiniSearch makes on them must
// answer as the Map would, in the Map's order (ascending short ids, the order they were added in).
import { describe, expect, it } from 'vitest';
import { Postings } from '../../src/core/postings';
import { randomSource } from './random';

/** The postings as [shortId, count] pairs through each way of reading them. */
function readings(postings: Postings) {
  const visited: [number, number][] = [];
  postings.forEach((count, shortId) => visited.push([shortId, count]));
  return { iterated: [...postings], visited, keys: [...postings.keys()], size: postings.size };
}

describe('Postings', () => {
  it('answers as a Map through appends, updates, insertions and deletions in random order', () => {
    const random = randomSource(7);
    const postings = new Postings();
    const reference = new Map<number, number>();
    let highest = 0;
    for (let step = 0; step < 5_000; step++) {
      const roll = random();
      if (roll < 0.5) {
        // A new document: the highest short id so far, as MiniSearch numbers them.
        highest += 1 + Math.floor(random() * 3);
        const count = 1 + Math.floor(random() * 4);
        postings.set(highest, count);
        reference.set(highest, count);
      } else if (roll < 0.65) {
        // An id below the highest: an update of a posting there, or one inserted in its place.
        const shortId = Math.floor(random() * (highest + 1));
        const count = 1 + Math.floor(random() * 4);
        postings.set(shortId, count);
        reference.set(shortId, count);
      } else {
        const shortId = Math.floor(random() * (highest + 1));
        expect(postings.delete(shortId)).toBe(reference.delete(shortId));
      }
      const probe = Math.floor(random() * (highest + 2));
      expect(postings.get(probe)).toBe(reference.get(probe));
      expect(postings.has(probe)).toBe(reference.has(probe));
    }
    // Deleted postings left in their slots (no append since) are skipped by every reading.
    for (const shortId of [...reference.keys()].slice(0, 2)) expect(postings.delete(shortId)).toBe(reference.delete(shortId));
    const sorted = [...reference].sort((a, b) => a[0] - b[0]);
    expect(readings(postings)).toEqual({ iterated: sorted, visited: sorted, keys: sorted.map(([shortId]) => shortId), size: reference.size });
  });

  it('visits every posting once when each is deleted as it is visited, as MiniSearch vacuums', () => {
    const postings = new Postings([2, 1, 5, 3, 9, 1, 12, 2]);
    const visited: number[] = [];
    for (const [shortId] of postings) {
      visited.push(shortId);
      if (shortId !== 9) postings.delete(shortId);
    }
    expect(visited).toEqual([2, 5, 9, 12]);
    expect(readings(postings)).toEqual({ iterated: [[9, 1]], visited: [[9, 1]], keys: [9], size: 1 });
    // The next document's posting goes after the one left, the deleted ones' slots given up.
    postings.set(20, 4);
    expect([...postings]).toEqual([[9, 1], [20, 4]]);
    expect(postings.get(5)).toBeUndefined();
  });

  it('refuses a count of zero, which would read as a deleted posting', () => {
    expect(() => new Postings().set(3, 0)).toThrow("a posting's count must be above 0 (got 0 for document 3)");
  });
});
