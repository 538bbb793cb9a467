// MiniSearch 7.2's toJSON() of the fields index as JSON text, made in slices (SlicedWork) from the index's private
// state (as fieldSearch.ts reads it), for a save that must not hold the thread: at 88k papers toJSON() alone held
// it for over two seconds. The text is that of toJSON()'s objects: JSON.parse gives objects equal to toJSON()'s
// (an object's integer keys enumerate in ascending order whatever order the text has them in), so
// MiniSearch.loadJS reads it back as it reads toJSON(). Nothing here may run while the index changes: the caller's
// SlicedWork stops the work (WorkOvertaken) at the first turn after a change, before the index is read again.
import type MiniSearch from 'minisearch';
import { miniSearchInternals } from './fieldSearch';
import type { SlicedWork } from './slicedWork';

/** toJSON()'s object without its terms (`index: []`), as JSON text. */
export async function fieldIndexHeadJson(index: MiniSearch<number>, work: SlicedWork): Promise<string> {
  const inside = miniSearchInternals(index);
  const documentIds = await mapJson(inside._documentIds, work);
  const fieldLength = await mapJson(inside._fieldLength, work);
  const storedFields = await mapJson(inside._storedFields, work);
  return (
    `{"documentCount":${JSON.stringify(inside._documentCount)},"nextId":${JSON.stringify(inside._nextId)},` +
    `"documentIds":${documentIds},"fieldIds":${JSON.stringify(inside._fieldIds)},"fieldLength":${fieldLength},` +
    `"averageFieldLength":${JSON.stringify(inside._avgFieldLength)},"storedFields":${storedFields},` +
    `"dirtCount":${JSON.stringify(inside._dirtCount)},"index":[],"serializationVersion":2}`
  );
}

/**
 * toJSON()'s `index` entries, `[term, {fieldId: {shortId: count}}]`, as JSON texts in its order, a batch per slice
 * (the iterator over the radix tree resumes where it stopped).
 */
export async function* fieldIndexTermsJson(index: MiniSearch<number>, work: SlicedWork): AsyncGenerator<string[]> {
  const terms = miniSearchInternals(index)._index.entries();
  let batch: string[] = [];
  for (let next = terms.next(); !next.done; next = terms.next()) {
    const [term, data] = next.value;
    let fields = '';
    for (const [fieldId, counts] of data) {
      let documents = '';
      for (const [shortId, count] of counts) documents += `${documents ? ',' : ''}"${shortId}":${count}`;
      fields += `${fields ? ',' : ''}"${fieldId}":{${documents}}`;
    }
    batch.push(`[${JSON.stringify(term)},{${fields}}]`);
    if (work.due) {
      yield batch;
      batch = [];
      await work.yield();
    }
  }
  if (batch.length > 0) yield batch;
}

/** A Map of numeric keys as Object.fromEntries(map) stringifies it. */
async function mapJson(map: Map<number, unknown>, work: SlicedWork): Promise<string> {
  const members: string[] = [];
  for (const [key, value] of map) {
    members.push(`"${key}":${JSON.stringify(value)}`);
    if (work.due) await work.yield();
  }
  return `{${members.join(',')}}`;
}
