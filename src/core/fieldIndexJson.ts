// The fields index (MiniSearch 7.2) as a snapshot folder keeps it: JSON text made in slices (SlicedWork) from the
// index's private state (as fieldSearch.ts reads it), for a save that must not hold the thread (at 88k papers
// toJSON() alone held it for over two seconds), and read back without MiniSearch's loadJS doing the heavy part.
// toJSON() writes every term's postings as `{fieldId: {shortId: count}}`: JSON.parse makes an object per field with
// integer-named keys, and loadJS turns each back into a Map one key string at a time (a second and a half of a warm
// start at 88k papers, most of the index's load). Here a term is a flat array of numbers whose slices become the
// term's Postings as they are; the head is toJSON()'s object with its per-document maps as flat arrays too.
// Nothing here may run while the index changes: the caller's SlicedWork stops the work (WorkOvertaken) at the first
// turn after a change, before the index is read again.
import MiniSearch, { type Options } from 'minisearch';
import { miniSearchInternals, type FieldTermData } from './fieldSearch';
import { Postings } from './postings';
import type { SlicedWork } from './slicedWork';

/** One term: `[term, fieldId, postings, shortId, count, … (postings pairs), fieldId, postings, …]`. */
export type StoredTerm = [string, ...number[]];

/**
 * toJSON()'s object without its terms and per-document maps, and those maps flat: `documentIds` as
 * [shortId, id, …], `fieldLength` as [shortId, one length per field, …], `storedFields` as [[shortId, fields], …].
 */
export interface StoredFieldIndexHead {
  documentCount: number;
  nextId: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  dirtCount: number;
  serializationVersion: number;
  documentIdList: number[];
  fieldLengthList: number[];
  storedFieldList: [number, unknown][];
}

/** The head of the fields index, as JSON text. */
export async function fieldIndexHeadJson(index: MiniSearch<number>, work: SlicedWork): Promise<string> {
  const inside = miniSearchInternals(index);
  const documentIds: string[] = [];
  for (const [shortId, id] of inside._documentIds) {
    documentIds.push(`${shortId},${id}`);
    if (work.due) await work.yield();
  }
  const fieldLength: string[] = [];
  for (const [shortId, lengths] of inside._fieldLength) {
    fieldLength.push(`${shortId},${lengths.join(',')}`);
    if (work.due) await work.yield();
  }
  const storedFields: string[] = [];
  for (const [shortId, fields] of inside._storedFields) {
    storedFields.push(`[${shortId},${JSON.stringify(fields)}]`);
    if (work.due) await work.yield();
  }
  return (
    `{"documentCount":${JSON.stringify(inside._documentCount)},"nextId":${JSON.stringify(inside._nextId)},` +
    `"fieldIds":${JSON.stringify(inside._fieldIds)},"averageFieldLength":${JSON.stringify(inside._avgFieldLength)},` +
    `"dirtCount":${JSON.stringify(inside._dirtCount)},"serializationVersion":2,` +
    `"documentIdList":[${documentIds.join(',')}],"fieldLengthList":[${fieldLength.join(',')}],"storedFieldList":[${storedFields.join(',')}]}`
  );
}

/** The index's terms as StoredTerm JSON texts, in its order, a batch per slice (the radix tree's iterator resumes where it stopped). */
export async function* fieldIndexTermsJson(index: MiniSearch<number>, work: SlicedWork): AsyncGenerator<string[]> {
  const terms = miniSearchInternals(index)._index.entries();
  let batch: string[] = [];
  for (let next = terms.next(); !next.done; next = terms.next()) {
    const [term, data] = next.value;
    let text = JSON.stringify(term);
    for (const [fieldId, counts] of data) {
      text += `,${fieldId},${counts.size}`;
      counts.forEach((count, shortId) => (text += `,${shortId},${count}`));
    }
    batch.push(`[${text}]`);
    if (work.due) {
      yield batch;
      batch = [];
      await work.yield();
    }
  }
  if (batch.length > 0) yield batch;
}

/** The MiniSearch that `head` and `terms` (in parts, as written) describe, with these options (those it was built with). */
export function loadFieldIndex(head: StoredFieldIndexHead, terms: Iterable<StoredTerm[]>, options: Options<number>): MiniSearch<number> {
  const { documentIdList, fieldLengthList, storedFieldList, ...rest } = head;
  const fields = Object.keys(head.fieldIds).length;
  if (documentIdList.length % 2 !== 0 || fieldLengthList.length % (fields + 1) !== 0) throw new Error('the fields index head is damaged');
  // loadJS with no documents and no terms makes the instance and its options; the rest is filled in below.
  const index = MiniSearch.loadJS<number>({ ...rest, documentIds: {}, fieldLength: {}, storedFields: {}, index: [] }, options);
  const inside = miniSearchInternals(index);
  for (let at = 0; at < documentIdList.length; at += 2) {
    inside._documentIds.set(documentIdList[at], documentIdList[at + 1]);
    inside._idToShortId.set(documentIdList[at + 1], documentIdList[at]);
  }
  for (let at = 0; at < fieldLengthList.length; at += fields + 1) {
    inside._fieldLength.set(fieldLengthList[at], fieldLengthList.slice(at + 1, at + 1 + fields));
  }
  for (const [shortId, stored] of storedFieldList) inside._storedFields.set(shortId, stored);
  for (const part of terms) {
    for (const term of part) {
      const data: FieldTermData = new Map();
      for (let at = 1; at < term.length; ) {
        const fieldId = term[at] as number;
        const end = at + 2 + 2 * (term[at + 1] as number);
        if (end > term.length) throw new Error(`the fields index term "${term[0]}" is damaged`);
        // Written from the index in its order: short ids ascending, as Postings keeps them.
        data.set(fieldId, new Postings(term.slice(at + 2, end) as number[]));
        at = end;
      }
      inside._index.set(term[0], data);
    }
  }
  return index;
}
