// The on-disk form of a library, so a warm start neither re-parses nor re-indexes: every source as read (each
// paper without what it repeats: fields equal to its own properties, its source's path in its origin; see
// compactPaper), the id and key the library gave each paper, and the indexes: the fields index (MiniSearch's
// toJSON() in one string, flat arrays in a folder: fieldIndexJson.ts) and the abstracts' postings (abstractIndex.ts).
// Two layouts of the same LibraryIndexState:
// - one string (Library.toSnapshot): a header line (format, version, options hash), then one JSON document. The
//   header is checked before the body is parsed, so a stale snapshot costs one short line of parsing.
// - a folder (LibraryStore.save): a manifest, each source and the indexes in parts, so that no single string nears
//   V8's 512 MiB limit (../shared/docs/measurements.md: one JSON snapshot caps out around 300–450k papers), and
//   each source carries the stamp (content hash, size, time) of the file it was read from. What is large and not
//   structured is binary, read as it lies: the abstracts' text (UTF-8 slices, not JSON strings), the abstract
//   index's postings and the related model's arrays (views of the file's bytes, no base64). Parts are read one
//   after the other, each parsed while the next is read.
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { isAscii } from 'node:buffer';
import type MiniSearch from 'minisearch';
import type { AbstractIndexState } from './abstractIndex';
import { fieldIndexHeadJson, fieldIndexTermsJson, type StoredFieldIndexHead, type StoredTerm } from './fieldIndexJson';
import type { LibraryIndexParts, LibraryIndexState, SourceState } from './libraryIndex';
import type { CorpusSource, Origin, Paper } from './paper';
import type { RelatedModelParts } from './related/model';
import { SlicedWork, WorkOvertaken } from './slicedWork';
import type { FileStamp } from './sourceCache';

const FORMAT = 'paperlens-library';
/**
 * Bump when the layout of the body or of the Paper record changes. 3: every source, two indexes. 4: the folder's
 * abstracts and postings in binary parts, the related model. 5: repeated fields held in their
 * places (4 moved them to the end of `fields`, and with them the field's line in a cited entry), origins as lines,
 * the fields index as flat arrays (fieldIndexJson.ts).
 */
export const SNAPSHOT_VERSION = 5;

interface SnapshotHeader {
  format: string;
  version: number;
  optionsHash: string;
}

/** FNV-1a, 32 bit: enough to tell one set of index options from another. */
export function hashText(text: string): string {
  return hexOf(fnv1a(0x811c9dc5, text));
}

function fnv1a(start: number, text: string): number {
  let hash = start;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

const hexOf = (hash: number): string => (hash >>> 0).toString(16).padStart(8, '0');

/**
 * JSON text with every character past ASCII written as a \u escape: a part that is all ASCII is decoded as Latin-1
 * (partText), three times faster than UTF-8 here, and JSON.parse reads the one-byte string faster too (at 88k
 * papers: 1.6 s → 0.9 s for the papers part).
 */
function asciiJson(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A JSON part's text: Latin-1 when all of it is ASCII (as asciiJson writes it), else UTF-8. */
function partText(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/**
 * The whole file, read by one call of the thread pool: fs.readFile reads in 512 KB pieces, each started from the
 * thread that asked, so a thread busy parsing the previous part stops the read of the next.
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafe(size);
    for (let filled = 0; filled < size; ) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) return bytes.subarray(0, filled);
      filled += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * papersFingerprint (related/model.ts: hashText of the keys, one a line) in slices of `work`: at 100k papers the
 * joined keys and their hash held the thread for over 100 ms.
 */
export async function papersFingerprintInSlices(papers: readonly Paper[], work: SlicedWork): Promise<string> {
  let hash = 0x811c9dc5;
  for (let position = 0; position < papers.length; position++) {
    hash = fnv1a(position === 0 ? hash : fnv1a(hash, '\n'), papers[position].key);
    if (work.due) await work.yield();
  }
  return hexOf(hash);
}

/**
 * A paper's `fields` that repeat one of its own properties (readers of plain-text formats copy them verbatim; a
 * BibTeX value without markup equals its Unicode text), by the property they repeat: stored once, not twice.
 */
const REPEATED_FIELDS = new Map<string, 'title' | 'abstract' | 'year' | 'doi' | 'url' | 'venue'>([
  ['title', 'title'],
  ['abstract', 'abstract'],
  ['year', 'year'],
  ['doi', 'doi'],
  ['url', 'url'],
  ['booktitle', 'venue'],
  ['journal', 'venue'],
]);

/** Stored in place of a value the paper holds elsewhere: a repeated field, or an abstract kept in the abstracts part. */
const HELD_ELSEWHERE = 0;

/**
 * A paper as stored: its repeated fields and (folder layout) its abstract are HELD_ELSEWHERE, in their places (the
 * order of `fields` is the order of the BibTeX entry a cite writes), and its origin is a line when it lies in the
 * source's own file (one path string per source, not one per paper).
 */
interface StoredPaper extends Omit<Paper, 'fields' | 'origin' | 'abstract'> {
  fields: Record<string, string | typeof HELD_ELSEWHERE>;
  origin: Origin | number;
  abstract?: string | typeof HELD_ELSEWHERE;
}

/** `paper` as stored from the source `file`; `abstractApart`: its abstract goes to the abstracts part. */
function compactPaper(paper: Paper, file: string, abstractApart: boolean): StoredPaper {
  let fields: StoredPaper['fields'] = paper.fields;
  for (const [name, value] of Object.entries(paper.fields)) {
    const property = REPEATED_FIELDS.get(name);
    if (property === undefined || paper[property] !== value) continue;
    if (fields === paper.fields) fields = { ...paper.fields };
    fields[name] = HELD_ELSEWHERE;
  }
  const stored: StoredPaper = { ...paper, fields, origin: paper.origin.file === file ? paper.origin.line : paper.origin };
  if (abstractApart && paper.abstract) stored.abstract = HELD_ELSEWHERE;
  return stored;
}

/** The paper `compactPaper` stored, made whole in place (its abstract already restored from the abstracts part). */
function expandPaper(stored: StoredPaper, file: string): Paper {
  if (stored.abstract === HELD_ELSEWHERE) throw new Error(`the abstract of "${stored.key}" is missing from the abstracts part`);
  if (typeof stored.origin === 'number') stored.origin = { file, line: stored.origin };
  for (const name in stored.fields) {
    if (stored.fields[name] !== HELD_ELSEWHERE) continue;
    const value = stored[REPEATED_FIELDS.get(name) as keyof StoredPaper];
    if (typeof value !== 'string') throw new Error(`the field ${name} of "${stored.key}" repeats nothing`);
    stored.fields[name] = value;
  }
  return stored as Paper;
}

/** A source with its papers as stored. */
interface StoredSource extends Omit<SourceState, 'source'> {
  source: Omit<CorpusSource, 'papers'> & { papers: StoredPaper[] };
  /** Stamp of the file it was read from (folder layout only). */
  stamp?: FileStamp;
}

function storeSource(state: SourceState, stamp?: FileStamp): StoredSource {
  const { file } = state.source;
  return { ...state, source: { ...state.source, papers: state.source.papers.map((paper) => compactPaper(paper, file, false)) }, stamp };
}

/** The source state `stored` holds, its papers made whole; undefined when it is damaged. */
function loadSource(stored: Partial<StoredSource>): SourceState | undefined {
  const { source, ids, keys, priority, arrival } = stored;
  if (!source || typeof source.file !== 'string' || !Array.isArray(source.papers) || !Array.isArray(ids) || !Array.isArray(keys)) return undefined;
  if (ids.length !== source.papers.length || keys.length !== source.papers.length || typeof priority !== 'number' || typeof arrival !== 'number') {
    return undefined;
  }
  const papers = source.papers.map((paper) => expandPaper(paper, source.file));
  return { source: { ...source, papers }, ids, keys, priority, arrival };
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

/** Fields index terms per file of the folder layout. */
const TERMS_PER_PART = 100_000;

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

/** A typed array's constructor: Int32Array, Uint16Array, … */
interface TypedArrayKind<T> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A view of a part's bytes as a `Kind` array (a copy only when the bytes sit at an offset it cannot use). */
function viewOf<T>(bytes: Buffer, Kind: TypedArrayKind<T>): T {
  const bytesPer = Kind.BYTES_PER_ELEMENT;
  if (bytes.byteLength % bytesPer !== 0) throw new Error('a binary part has a broken length');
  if (bytes.byteOffset % bytesPer === 0) return new Kind(bytes.buffer, bytes.byteOffset, bytes.byteLength / bytesPer);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Kind(copy.buffer, 0, bytes.byteLength / bytesPer);
}

/** Abstracts decoded together when all their bytes are ASCII (restoreAbstracts). */
const ABSTRACTS_PER_DECODE = 256;

/**
 * Puts each paper's abstract, HELD_ELSEWHERE in its JSON, back in its place from the abstracts part. A run of
 * abstracts that is all ASCII (most of them) is decoded in one string and each abstract is a slice of it, which V8
 * makes a reference into the whole, not a copy: decoded one by one, the abstracts were 100k strings (100 MB at 100k
 * papers) that the collector copied twice each on their way to the old generation. In a run with other characters
 * the offsets (bytes) are not the strings' (UTF-16), and each abstract is decoded alone.
 */
function restoreAbstracts(papers: StoredPaper[], bytes: Buffer): void {
  const offsets = viewOf(bytes.subarray(0, 4 * (papers.length + 1)), Uint32Array);
  const text = bytes.subarray(4 * (papers.length + 1));
  if (offsets.length !== papers.length + 1 || offsets[papers.length] !== text.length) throw new Error('the abstracts part does not fit its papers');
  for (let first = 0; first < papers.length; first += ABSTRACTS_PER_DECODE) {
    const end = Math.min(papers.length, first + ABSTRACTS_PER_DECODE);
    const run = text.subarray(offsets[first], offsets[end]);
    const ascii = isAscii(run) ? run.toString('latin1') : undefined;
    for (let position = first; position < end; position++) {
      if (offsets[position + 1] === offsets[position]) continue;
      papers[position].abstract =
        ascii?.slice(offsets[position] - offsets[first], offsets[position + 1] - offsets[first]) ??
        text.toString('utf8', offsets[position], offsets[position + 1]);
    }
  }
}

/** Items of a long array stringified between two looks at the clock. */
const ITEMS_PER_STRINGIFY = 1_000;

/**
 * JSON.stringify(value) of a plain object, its long arrays (a source's ids and keys, the abstracts' terms and
 * documents: 100k items each) stringified in slices of `work`: as one call, such a record held the thread for
 * over 100 ms.
 */
async function jsonInSlices(value: object, work: SlicedWork): Promise<string> {
  const members: string[] = [];
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined) continue;
    if (!Array.isArray(member)) {
      members.push(`${JSON.stringify(name)}:${JSON.stringify(member)}`);
      continue;
    }
    const chunks: string[] = [];
    for (let start = 0; start < member.length; start += ITEMS_PER_STRINGIFY) {
      chunks.push(JSON.stringify(member.slice(start, start + ITEMS_PER_STRINGIFY)).slice(1, -1));
      if (work.due) await work.yield();
    }
    members.push(`${JSON.stringify(name)}:[${chunks.join(',')}]`);
  }
  return `{${members.join(',')}}`;
}

/** A file of JSON texts written as one array, a batch at a time. */
class JsonArrayFile {
  private items = 0;

  private constructor(private readonly handle: FileHandle, private readonly work: SlicedWork) {}

  /** Opens the file; the caller closes it, and checks `work` before it reads the library again. */
  static async open(file: string, work: SlicedWork): Promise<JsonArrayFile> {
    return new JsonArrayFile(await open(file, 'w'), work);
  }

  get length(): number {
    return this.items;
  }

  async append(texts: readonly string[]): Promise<void> {
    if (texts.length === 0) return;
    await this.work.after(this.handle.write(asciiJson(`${this.items === 0 ? '[' : ','}${texts.join(',')}`)));
    this.items += texts.length;
  }

  async close(): Promise<void> {
    try {
      await this.handle.write(this.items === 0 ? '[]' : ']');
    } finally {
      await this.handle.close();
    }
  }
}

/**
 * A source's papers in three parts, in one pass: its record without papers (JSON: ids, keys, the file's stamp),
 * its papers as stored (compactPaper: repeated fields and abstracts held elsewhere; a JSON array), and the
 * abstracts: [paper count + 1 offsets, Uint32][UTF-8 text], an empty slot keeps none. Each slice's papers and
 * abstracts are written as they are made (the text at its place after the offsets, which are written last):
 * nothing of them lives long enough to cost the garbage collector a copy.
 */
async function writeSource(partial: string, parts: SourceParts, state: SourceState, stamp: FileStamp | undefined, work: SlicedWork): Promise<void> {
  const { source, ...placed } = state;
  const offsets = new Uint32Array(source.papers.length + 1);
  const textStart = offsets.byteLength;
  const paperArray = await JsonArrayFile.open(path.join(partial, parts.papers), work);
  let abstracts: FileHandle | undefined;
  try {
    abstracts = await open(path.join(partial, parts.abstracts), 'w');
    work.check();
    const abstractsFile = abstracts;
    let papers: string[] = [];
    let texts: Buffer[] = [];
    let written = 0;
    const flush = async (): Promise<void> => {
      const bytes = Buffer.concat(texts);
      await Promise.all([paperArray.append(papers), work.after(abstractsFile.write(bytes, 0, bytes.length, textStart + written))]);
      written += bytes.length;
      papers = [];
      texts = [];
    };
    for (const [position, whole] of source.papers.entries()) {
      const text = whole.abstract ? Buffer.from(whole.abstract, 'utf8') : undefined;
      offsets[position + 1] = offsets[position] + (text?.length ?? 0);
      if (text) texts.push(text);
      papers.push(JSON.stringify(compactPaper(whole, source.file, true)));
      if (work.due) await flush();
    }
    await flush();
    await work.after(abstractsFile.write(bytesOf(offsets), 0, offsets.byteLength, 0));
  } finally {
    await Promise.all([paperArray.close(), abstracts?.close()]);
  }
  const record: StoredSource = { ...placed, stamp, source: { ...source, papers: [] } };
  await work.after(writeFile(path.join(partial, parts.record), asciiJson(await jsonInSlices(record, work))));
}

/** The fields index as fieldIndexJson.ts writes it: its head, and its terms in parts of TERMS_PER_PART. */
async function writeFieldIndex(partial: string, name: string, index: MiniSearch<number>, work: SlicedWork): Promise<IndexParts> {
  const terms: string[] = [];
  let part: JsonArrayFile | undefined;
  try {
    for await (const batch of fieldIndexTermsJson(index, work)) {
      for (let start = 0; start < batch.length; ) {
        if (!part || part.length === TERMS_PER_PART) {
          await part?.close();
          terms.push(`${name}-terms-${terms.length}.json`);
          part = await JsonArrayFile.open(path.join(partial, terms[terms.length - 1]), work);
        }
        const taken = batch.slice(start, start + TERMS_PER_PART - part.length);
        await part.append(taken);
        start += taken.length;
      }
    }
    if (!part) {
      // An empty index still has its one (empty) part, as the reader expects.
      terms.push(`${name}-terms-0.json`);
      part = await JsonArrayFile.open(path.join(partial, terms[0]), work);
    }
  } finally {
    await part?.close();
  }
  await work.after(writeFile(path.join(partial, `${name}-head.json`), asciiJson(await fieldIndexHeadJson(index, work))));
  return { head: `${name}-head.json`, terms };
}

/**
 * Other saves' `.partial` folders beside `folder` that no save will finish: of a process that is gone, or untouched
 * for STALE_PARTIAL_MS (a crashed worker thread of a live process; a live save writes its files in seconds).
 * Each holds a whole library (~100 MB at 88k papers).
 */
async function removeAbandonedPartials(folder: string, own: string): Promise<void> {
  const parent = path.dirname(folder);
  const prefix = `${path.basename(folder)}.`;
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const writer = name.startsWith(prefix) && name.endsWith('.partial') ? /^(\d+)-\d+$/.exec(name.slice(prefix.length, -'.partial'.length)) : null;
    const partial = path.join(parent, name);
    if (!writer || partial === own) continue;
    const modified = await stat(partial).then((info) => info.mtimeMs, () => undefined);
    if (modified === undefined) continue;
    if (!processRuns(Number(writer[1])) || Date.now() - modified > STALE_PARTIAL_MS) await rm(partial, { recursive: true, force: true });
  }
}

const STALE_PARTIAL_MS = 10 * 60_000;

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The library in a folder, with the stamp of each source's file (and the related model, when given); written
 * beside it and renamed into place, so a crash mid-write leaves the previous snapshot or none, never half of one.
 * Written in slices of `work` (the thread keeps answering queries); when `work` is overtaken (the library changed
 * before every part was written), the half-written folder is removed and the result is false: the previous
 * snapshot stays. True once written. Abandoned `.partial` folders of earlier saves are removed first.
 */
export async function writeSnapshotFolder(
  folder: string,
  library: LibraryIndexParts,
  stamps: ReadonlyMap<string, FileStamp>,
  optionsHash: string,
  tag = '',
  related?: RelatedModelParts,
  work = new SlicedWork(),
): Promise<boolean> {
  const partial = `${folder}.${process.pid}-${threadId}.partial`;
  await removeAbandonedPartials(folder, partial);
  await rm(partial, { recursive: true, force: true });
  try {
    await work.after(mkdir(partial, { recursive: true }));
    const write = async (name: string, value: object) => work.after(writeFile(path.join(partial, name), asciiJson(await jsonInSlices(value, work))));
    const writeBytes = (name: string, bytes: Uint8Array) => work.after(writeFile(path.join(partial, name), bytes));
    const sources: SourceParts[] = [];
    for (const [position, state] of library.sources.entries()) {
      const parts: SourceParts = { record: `source-${position}.json`, papers: `source-${position}-papers.json`, abstracts: `source-${position}-abstracts.bin` };
      await writeSource(partial, parts, state, stamps.get(state.source.file), work);
      sources.push(parts);
    }
    const fieldIndex = await writeFieldIndex(partial, 'fields', library.fieldIndex, work);
    const abstractIndex: AbstractParts = { head: 'abstracts-head.json', ids: 'abstracts-ids.bin', counts: 'abstracts-counts.bin' };
    const postings: FileHandle[] = [];
    try {
      for (const name of [abstractIndex.ids, abstractIndex.counts]) postings.push(await open(path.join(partial, name), 'w'));
      work.check();
      const abstractHead = await library.abstractIndex.writeState(work, async (ids, counts) => {
        await Promise.all([postings[0].write(ids), postings[1].write(counts)]);
      });
      await write(abstractIndex.head, abstractHead);
    } finally {
      await Promise.all(postings.map((handle) => handle.close()));
    }
    let relatedParts: RelatedParts | undefined;
    if (related) {
      const { offsets, postings: relatedPostings, counts, lengths, ...head } = related;
      relatedParts = { head: 'related-head.json', offsets: 'related-offsets.bin', postings: 'related-postings.bin', counts: 'related-counts.bin', lengths: 'related-lengths.bin' };
      await write(relatedParts.head, head);
      await writeBytes(relatedParts.offsets, bytesOf(offsets));
      await writeBytes(relatedParts.postings, bytesOf(relatedPostings));
      await writeBytes(relatedParts.counts, bytesOf(counts));
      await writeBytes(relatedParts.lengths, bytesOf(lengths));
    }
    const manifest: Manifest = {
      format: FORMAT,
      version: SNAPSHOT_VERSION,
      optionsHash,
      tag,
      nextId: library.nextId,
      sources,
      fieldIndex,
      abstractIndex,
      ...(relatedParts ? { related: relatedParts } : {}),
    };
    // The manifest last: a folder without one is never read.
    await write('manifest.json', manifest);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (error instanceof WorkOvertaken) return false;
    throw error;
  }
  // Every part is of one state: a change from here on makes the next save, not a broken one.
  await rm(folder, { recursive: true, force: true });
  await rename(partial, folder);
  return true;
}

/** What reading a snapshot folder found: the state and each source's file stamp, or why there is none to use. */
export type SnapshotFolderRead =
  /**
   * `related`: reads the related-papers model's parts when called, after the library is ready (a fifth of a 100k
   * snapshot, and only related papers need it); undefined when damaged (the model is then built again). Parts of a
   * later save that replaced the folder meanwhile are refused by RelatedModel.fromParts (another fingerprint).
   */
  | { state: LibraryIndexState; stamps: Map<string, FileStamp>; related?: () => Promise<RelatedModelParts | undefined> }
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
    const names = [
      ...sourceParts.flatMap((parts) => [parts.record, parts.papers, parts.abstracts]),
      fieldIndex.head,
      ...fieldIndex.terms,
      abstractIndex.head,
      abstractIndex.ids,
      abstractIndex.counts,
    ];
    // One part read after the other, in the order they are parsed: each is parsed while the next is read (on this
    // machine reading into fresh memory costs about as much as parsing), and let go once parsed.
    const reads = new Map<string, Promise<Buffer>>();
    let previousRead: Promise<unknown> = Promise.resolve();
    for (const name of names) {
      const read = previousRead.then(() => readWhole(path.join(folder, name)));
      reads.set(name, read);
      previousRead = read.catch(() => undefined);
    }
    const part = (name: string): Promise<Buffer> => {
      const read = reads.get(name) as Promise<Buffer>;
      reads.delete(name);
      return read;
    };
    const json = async <T>(name: string): Promise<T> => JSON.parse(partText(await part(name))) as T;
    const stamps = new Map<string, FileStamp>();
    const sources: SourceState[] = [];
    for (const parts of sourceParts) {
      const stored = await json<Partial<StoredSource>>(parts.record);
      const papers = await json<StoredPaper[]>(parts.papers);
      if (!stored.source || !Array.isArray(papers)) return { ignored: `its part ${parts.record} is damaged` };
      restoreAbstracts(papers, await part(parts.abstracts));
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
    const fields = { head: await json<StoredFieldIndexHead>(fieldIndex.head), terms: [] as StoredTerm[][] };
    for (const name of fieldIndex.terms) fields.terms.push(await json<StoredTerm[]>(name));
    const abstracts: AbstractIndexState = {
      ...(await json<Omit<AbstractIndexState, 'ids' | 'counts'>>(abstractIndex.head)),
      // Views of the bytes as read: copying 55 MB at 100k papers into fresh memory cost a quarter of a second.
      ids: viewOf(await part(abstractIndex.ids), Int32Array),
      counts: viewOf(await part(abstractIndex.counts), Uint16Array),
    };
    const state = { sources, nextId, fieldIndex: fields, abstractIndex: abstracts };
    return related ? { state, stamps, related: () => readRelatedParts(folder, related) } : { state, stamps };
  } catch (error) {
    return { ignored: `a part is damaged (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** The related-papers model's parts in `folder`, read now; undefined when one is missing or damaged. */
async function readRelatedParts(folder: string, related: RelatedParts): Promise<RelatedModelParts | undefined> {
  try {
    const [head, offsets, postings, counts, lengths] = await Promise.all(
      [related.head, related.offsets, related.postings, related.counts, related.lengths].map((name) => readWhole(path.join(folder, name))),
    );
    return {
      ...(JSON.parse(partText(head)) as Omit<RelatedModelParts, 'offsets' | 'postings' | 'counts' | 'lengths'>),
      offsets: viewOf(offsets, Uint32Array),
      postings: viewOf(postings, Uint32Array),
      counts: viewOf(counts, Uint16Array),
      lengths: viewOf(lengths, Float32Array),
    };
  } catch {
    return undefined;
  }
}
