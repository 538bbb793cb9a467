// The on-disk form of a library, so a warm start neither re-parses nor re-indexes: every source as read (papers
// with fields that repeat the display text stored once), the id and key the library gave each paper, and
// the indexes: MiniSearch's plain object of the fields index, handed to MiniSearch.loadJS without a second parse,
// and the abstracts' postings as base64 typed arrays (abstractIndex.ts).
// Two layouts of the same LibraryIndexState:
// - one string (Library.toSnapshot): a header line (format, version, options hash), then one JSON document. The
//   header is checked before the body is parsed, so a stale snapshot costs one short line of parsing.
// - a folder (LibraryStore.save): a manifest, each source and the indexes in parts, so that no single string nears
//   V8's 512 MiB limit (../shared/docs/measurements.md: one JSON snapshot caps out around 300–450k papers), and
//   each source carries the stamp (content hash, size, time) of the file it was read from. What is large and not
//   structured is binary, read as it lies: the abstracts' text (UTF-8 slices, not JSON strings), the abstract
//   index's postings and the related model's arrays (views of the file's bytes, no base64). Parts are read in
//   parallel, then parsed.
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { AsPlainObject } from 'minisearch';
import type { AbstractIndexState } from './abstractIndex';
import type { LibraryIndexState, SourceState } from './libraryIndex';
import type { CorpusSource, Paper } from './paper';
import type { RelatedModelParts } from './related/model';
import type { FileStamp } from './sourceCache';

const FORMAT = 'paperlens-library';
/**
 * Bump when the layout of the body or of the Paper record changes. 3: every source, two indexes. 4: the folder's
 * abstracts and postings in binary parts, the related model.
 */
export const SNAPSHOT_VERSION = 4;

interface SnapshotHeader {
  format: string;
  version: number;
  optionsHash: string;
}

/** FNV-1a, 32 bit: enough to tell one set of index options from another. */
export function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Fields that readers of plain-text formats copy verbatim into `fields`; stored once, not twice. */
const SHARED_FIELDS = ['title', 'abstract'] as const;

/** The paper without `fields` entries equal to its own display text, and which ones were dropped. */
function compactPaper(paper: Paper): [Paper, string] {
  let dropped = '';
  let fields = paper.fields;
  for (const name of SHARED_FIELDS) {
    if (fields[name] !== undefined && fields[name] === paper[name]) {
      if (fields === paper.fields) fields = { ...fields };
      delete fields[name];
      dropped += name[0];
    }
  }
  return [dropped ? { ...paper, fields } : paper, dropped];
}

function expandPaper(paper: Paper, dropped: string): Paper {
  for (const name of SHARED_FIELDS) {
    if (dropped.includes(name[0])) paper.fields[name] = paper[name] as string;
  }
  return paper;
}

/** A source's papers without the fields that repeat their display text, and which ones were dropped. */
interface StoredSource extends Omit<SourceState, 'source'> {
  source: CorpusSource;
  droppedFields: string[];
  /** Stamp of the file it was read from (folder layout only). */
  stamp?: FileStamp;
}

function storeSource(state: SourceState, stamp?: FileStamp): StoredSource {
  const compact = state.source.papers.map(compactPaper);
  return {
    ...state,
    source: { ...state.source, papers: compact.map(([paper]) => paper) },
    droppedFields: compact.map(([, dropped]) => dropped),
    stamp,
  };
}

function loadSource(stored: Partial<StoredSource>): SourceState | undefined {
  const { source, droppedFields, ids, keys, priority, arrival } = stored;
  if (!source || !Array.isArray(source.papers) || !Array.isArray(droppedFields) || !Array.isArray(ids) || !Array.isArray(keys)) return undefined;
  if (ids.length !== source.papers.length || keys.length !== source.papers.length || typeof priority !== 'number' || typeof arrival !== 'number') {
    return undefined;
  }
  source.papers = source.papers.map((paper, position) => expandPaper(paper, droppedFields[position] ?? ''));
  return { source, ids, keys, priority, arrival };
}

export function writeSnapshot(state: LibraryIndexState, optionsHash: string): string {
  const header: SnapshotHeader = { format: FORMAT, version: SNAPSHOT_VERSION, optionsHash };
  return `${JSON.stringify(header)}\n${JSON.stringify({ ...state, sources: state.sources.map((source) => storeSource(source)) })}`;
}

/** The state, or undefined when the text is not a snapshot of this version built with these options. */
export function readSnapshot(text: string, optionsHash: string): LibraryIndexState | undefined {
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(text.slice(0, newline)) as Partial<SnapshotHeader>;
    if (header.format !== FORMAT || header.version !== SNAPSHOT_VERSION || header.optionsHash !== optionsHash) {
      return undefined;
    }
    const body = JSON.parse(text.slice(newline + 1)) as Partial<Omit<LibraryIndexState, 'sources'>> & { sources?: Partial<StoredSource>[] };
    const { sources, nextId, fieldIndex, abstractIndex } = body;
    if (!Array.isArray(sources) || typeof nextId !== 'number' || !fieldIndex || !abstractIndex) return undefined;
    const loaded = sources.map(loadSource);
    if (loaded.some((source) => source === undefined)) return undefined;
    return { sources: loaded as SourceState[], nextId, fieldIndex, abstractIndex };
  } catch {
    return undefined;
  }
}

/** Index terms per file of the folder layout (MiniSearch's plain object of the fields index). */
const TERMS_PER_PART = 100_000;
/** Papers stringified between two writes: the worker answers queries in between. */
const PAPERS_PER_WRITE = 2_000;

interface Manifest extends SnapshotHeader {
  /** Part of the validity besides the options: the extension's version (readers may have changed). */
  tag: string;
  nextId: number;
  sources: SourceParts[];
  fieldIndex: IndexParts;
  abstractIndex: AbstractParts;
  /** The related-papers ranking's model of these papers, when it was built before the save. */
  related?: RelatedParts;
}

/**
 * One source: its record without papers (JSON), its papers without abstracts (a JSON array), and the abstracts
 * as UTF-8 text with offsets (binary): nine tenths of a library's bytes, decoded by slices instead of parsed.
 */
interface SourceParts {
  record: string;
  papers: string;
  abstracts: string;
}

interface IndexParts {
  head: string;
  terms: string[];
}

/** The abstracts' index: terms and lengths (JSON), and its two postings arrays as they are in memory. */
interface AbstractParts {
  head: string;
  ids: string;
  counts: string;
}

interface RelatedParts {
  head: string;
  offsets: string;
  postings: string;
  counts: string;
  lengths: string;
}

/** A typed array's bytes, for a binary part. */
const bytesOf = (array: ArrayBufferView): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** A view of a part's bytes as `make`'s array (a copy only when the bytes sit at an offset it cannot use). */
function viewOf<T>(bytes: Buffer, bytesPer: number, make: (buffer: ArrayBufferLike, offset: number, length: number) => T): T {
  if (bytes.byteLength % bytesPer !== 0) throw new Error('a binary part has a broken length');
  if (bytes.byteOffset % bytesPer === 0) return make(bytes.buffer, bytes.byteOffset, bytes.byteLength / bytesPer);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return make(copy.buffer, 0, bytes.byteLength / bytesPer);
}

/** The abstracts moved out of a source's papers: [paper count + 1 offsets, Uint32][UTF-8 text]; an empty slot keeps none. */
function abstractsPart(papers: Paper[]): { papers: Paper[]; bytes: Buffer } {
  const texts: Buffer[] = [];
  const offsets = new Uint32Array(papers.length + 1);
  const without = papers.map((paper, position) => {
    const text = paper.abstract ? Buffer.from(paper.abstract, 'utf8') : undefined;
    offsets[position + 1] = offsets[position] + (text?.length ?? 0);
    if (!text) return paper;
    texts.push(text);
    const { abstract: _moved, ...rest } = paper;
    return rest;
  });
  return { papers: without, bytes: Buffer.concat([bytesOf(offsets), ...texts]) };
}

function restoreAbstracts(papers: Paper[], bytes: Buffer): void {
  const offsets = viewOf(bytes.subarray(0, 4 * (papers.length + 1)), 4, (buffer, offset, length) => new Uint32Array(buffer, offset, length));
  const text = bytes.subarray(4 * (papers.length + 1));
  if (offsets.length !== papers.length + 1 || offsets[papers.length] !== text.length) throw new Error('the abstracts part does not fit its papers');
  for (let position = 0; position < papers.length; position++) {
    if (offsets[position + 1] > offsets[position]) papers[position].abstract = text.toString('utf8', offsets[position], offsets[position + 1]);
  }
}

/** Yields to the event loop between writes, so the thread that saves keeps answering. */
async function writeJsonArray(file: string, items: readonly unknown[]): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.write('[');
    for (let start = 0; start < items.length; start += PAPERS_PER_WRITE) {
      const chunk = items.slice(start, start + PAPERS_PER_WRITE).map((item) => JSON.stringify(item)).join(',');
      await handle.write(start === 0 ? chunk : `,${chunk}`);
    }
    await handle.write(']');
  } finally {
    await handle.close();
  }
}

/**
 * A state in a folder, with the stamp of each source's file (and the related model, when given); written
 * beside it and renamed into place, so a crash mid-write leaves the previous snapshot or none, never half of one.
 */
export async function writeSnapshotFolder(
  folder: string,
  state: LibraryIndexState,
  stamps: ReadonlyMap<string, FileStamp>,
  optionsHash: string,
  tag = '',
  related?: RelatedModelParts,
): Promise<void> {
  const partial = `${folder}.${process.pid}-${threadId}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const write = (name: string, value: unknown) => writeFile(path.join(partial, name), JSON.stringify(value));
  const writeBytes = (name: string, bytes: Uint8Array) => writeFile(path.join(partial, name), bytes);
  const sources: SourceParts[] = [];
  for (const [position, state_] of state.sources.entries()) {
    const { source, ...stored } = storeSource(state_, stamps.get(state_.source.file));
    const { papers, bytes } = abstractsPart(source.papers);
    const parts: SourceParts = { record: `source-${position}.json`, papers: `source-${position}-papers.json`, abstracts: `source-${position}-abstracts.bin` };
    await write(parts.record, { ...stored, source: { ...source, papers: [] } });
    await writeJsonArray(path.join(partial, parts.papers), papers);
    await writeBytes(parts.abstracts, bytes);
    sources.push(parts);
  }
  const writeIndex = async (name: string, index: AsPlainObject): Promise<IndexParts> => {
    const terms: string[] = [];
    for (let start = 0; start === 0 || start < index.index.length; start += TERMS_PER_PART) {
      const part = `${name}-terms-${terms.length}.json`;
      await write(part, index.index.slice(start, start + TERMS_PER_PART));
      terms.push(part);
    }
    await write(`${name}-head.json`, { ...index, index: [] });
    return { head: `${name}-head.json`, terms };
  };
  const { ids, counts, ...abstractHead } = state.abstractIndex;
  const abstractIndex: AbstractParts = { head: 'abstracts-head.json', ids: 'abstracts-ids.bin', counts: 'abstracts-counts.bin' };
  await write(abstractIndex.head, abstractHead);
  await writeBytes(abstractIndex.ids, typeof ids === 'string' ? Buffer.from(ids, 'base64') : ids);
  await writeBytes(abstractIndex.counts, typeof counts === 'string' ? Buffer.from(counts, 'base64') : counts);
  let relatedParts: RelatedParts | undefined;
  if (related) {
    const { offsets, postings, counts: termCounts, lengths, ...head } = related;
    relatedParts = { head: 'related-head.json', offsets: 'related-offsets.bin', postings: 'related-postings.bin', counts: 'related-counts.bin', lengths: 'related-lengths.bin' };
    await write(relatedParts.head, head);
    await writeBytes(relatedParts.offsets, bytesOf(offsets));
    await writeBytes(relatedParts.postings, bytesOf(postings));
    await writeBytes(relatedParts.counts, bytesOf(termCounts));
    await writeBytes(relatedParts.lengths, bytesOf(lengths));
  }
  const manifest: Manifest = {
    format: FORMAT,
    version: SNAPSHOT_VERSION,
    optionsHash,
    tag,
    nextId: state.nextId,
    sources,
    fieldIndex: await writeIndex('fields', state.fieldIndex),
    abstractIndex,
    ...(relatedParts ? { related: relatedParts } : {}),
  };
  // The manifest last: a folder without one is never read.
  await write('manifest.json', manifest);
  await rm(folder, { recursive: true, force: true });
  await rename(partial, folder);
}

/** What reading a snapshot folder found: the state and each source's file stamp, or why there is none to use. */
export type SnapshotFolderRead =
  | { state: LibraryIndexState; stamps: Map<string, FileStamp>; related?: RelatedModelParts }
  /** No snapshot was ever written there (or it was discarded). */
  | { missing: true }
  /** One that does not fit (another version, options or tag) or is damaged: ignored, the library is read afresh. */
  | { ignored: string };

/** The state in `folder` when it was saved with these options and tag; a damaged one is `ignored`, never thrown. */
export async function readSnapshotFolder(folder: string, optionsHash: string, tag = ''): Promise<SnapshotFolderRead> {
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')) as Partial<Manifest>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { ignored: `its manifest is unreadable (${error instanceof Error ? error.message : String(error)})` };
  }
  if (manifest.format !== FORMAT || manifest.version !== SNAPSHOT_VERSION) return { ignored: `it is of another format or version (${String(manifest.version)})` };
  if (manifest.optionsHash !== optionsHash) return { ignored: 'it was built with other options (key formula)' };
  if (manifest.tag !== tag) return { ignored: `it was written by another version of Paperlens (${String(manifest.tag)})` };
  const { sources: sourceParts, nextId, fieldIndex, abstractIndex, related } = manifest;
  if (!Array.isArray(sourceParts) || typeof nextId !== 'number' || !fieldIndex || !abstractIndex) return { ignored: 'its manifest is incomplete' };
  try {
    // Every part read at once (the disk works while the thread parses), then parsed one by one.
    const names = [
      ...sourceParts.flatMap((parts) => [parts.record, parts.papers, parts.abstracts]),
      fieldIndex.head,
      ...fieldIndex.terms,
      abstractIndex.head,
      abstractIndex.ids,
      abstractIndex.counts,
      ...(related ? [related.head, related.offsets, related.postings, related.counts, related.lengths] : []),
    ];
    const contents = await Promise.all(names.map((name) => readFile(path.join(folder, name))));
    const bytes = new Map(names.map((name, position) => [name, contents[position]]));
    const part = (name: string): Buffer => bytes.get(name) as Buffer;
    const json = <T>(name: string): T => JSON.parse(part(name).toString('utf8')) as T;
    const stamps = new Map<string, FileStamp>();
    const sources: SourceState[] = [];
    for (const parts of sourceParts) {
      const stored = json<Partial<StoredSource>>(parts.record);
      const papers = json<Paper[]>(parts.papers);
      if (!stored.source || !Array.isArray(papers)) return { ignored: `its part ${parts.record} is damaged` };
      restoreAbstracts(papers, part(parts.abstracts));
      stored.source.papers = papers;
      const source = loadSource(stored);
      if (!source) return { ignored: `its part ${parts.record} is damaged` };
      // A stamp that is not whole is no stamp: the file is then read and hashed.
      const stamp = stored.stamp;
      if (stamp && typeof stamp.hash === 'string' && [stamp.size, stamp.mtimeMs, stamp.hashedAt].every((value) => typeof value === 'number')) {
        stamps.set(source.source.file, stamp);
      }
      sources.push(source);
    }
    const fields = json<AsPlainObject>(fieldIndex.head);
    for (const name of fieldIndex.terms) for (const term of json<AsPlainObject['index']>(name)) fields.index.push(term);
    const abstracts: AbstractIndexState = { ...json<Omit<AbstractIndexState, 'ids' | 'counts'>>(abstractIndex.head), ids: part(abstractIndex.ids), counts: part(abstractIndex.counts) };
    const relatedModel: RelatedModelParts | undefined = related && {
      ...json<Omit<RelatedModelParts, 'offsets' | 'postings' | 'counts' | 'lengths'>>(related.head),
      offsets: viewOf(part(related.offsets), 4, (buffer, offset, length) => new Uint32Array(buffer, offset, length)),
      postings: viewOf(part(related.postings), 4, (buffer, offset, length) => new Uint32Array(buffer, offset, length)),
      counts: viewOf(part(related.counts), 2, (buffer, offset, length) => new Uint16Array(buffer, offset, length)),
      lengths: viewOf(part(related.lengths), 4, (buffer, offset, length) => new Float32Array(buffer, offset, length)),
    };
    return { state: { sources, nextId, fieldIndex: fields, abstractIndex: abstracts }, stamps, ...(relatedModel ? { related: relatedModel } : {}) };
  } catch (error) {
    return { ignored: `a part is damaged (${error instanceof Error ? error.message : String(error)})` };
  }
}
