// The on-disk form of a library, so a warm start neither re-parses nor re-indexes: every source as read (papers
// with fields that repeat the display text stored once), the id and key the library gave each paper, and
// the indexes: MiniSearch's plain object of the fields index, handed to MiniSearch.loadJS without a second parse,
// and the abstracts' postings as base64 typed arrays (abstractIndex.ts).
// Two layouts of the same LibraryIndexState:
// - one string (Library.toSnapshot): a header line (format, version, options hash), then one JSON document. The
//   header is checked before the body is parsed, so a stale snapshot costs one short line of parsing.
// - a folder (LibraryStore.save): a manifest, one file per source and the indexes in parts, so that no single
//   string nears V8's 512 MiB limit (../shared/docs/measurements.md: one JSON snapshot caps out around 300–450k
//   papers), and each source carries the content hash of the file it was read from.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { AsPlainObject } from 'minisearch';
import type { AbstractIndexState } from './abstractIndex';
import type { LibraryIndexState, SourceState } from './libraryIndex';
import type { CorpusSource, Paper } from './paper';

const FORMAT = 'paperlens-library';
/** Bump when the layout of the body or of the Paper record changes. 3: every source, two indexes. */
export const SNAPSHOT_VERSION = 3;

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
  /** Content hash of the file it was read from (folder layout only). */
  hash?: string;
}

function storeSource(state: SourceState, hash?: string): StoredSource {
  const compact = state.source.papers.map(compactPaper);
  return {
    ...state,
    source: { ...state.source, papers: compact.map(([paper]) => paper) },
    droppedFields: compact.map(([, dropped]) => dropped),
    hash,
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

interface Manifest extends SnapshotHeader {
  /** Part of the validity besides the options: the extension's version (readers may have changed). */
  tag: string;
  nextId: number;
  sources: string[];
  fieldIndex: IndexParts;
  /** One file: the abstracts' postings are two base64 strings, ~80 MB at 100k papers. */
  abstractIndex: string;
}

interface IndexParts {
  head: string;
  terms: string[];
}

/** A state in a folder, with the content hash of each source's file; the folder is replaced as a whole. */
export async function writeSnapshotFolder(
  folder: string,
  state: LibraryIndexState,
  hashes: ReadonlyMap<string, string>,
  optionsHash: string,
  tag = '',
): Promise<void> {
  const partial = `${folder}.${process.pid}-${threadId}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const write = (name: string, value: unknown) => writeFile(path.join(partial, name), JSON.stringify(value));
  const sources: string[] = [];
  for (const [position, source] of state.sources.entries()) {
    const name = `source-${position}.json`;
    await write(name, storeSource(source, hashes.get(source.source.file)));
    sources.push(name);
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
  await write('abstracts.json', state.abstractIndex);
  const manifest: Manifest = {
    format: FORMAT,
    version: SNAPSHOT_VERSION,
    optionsHash,
    tag,
    nextId: state.nextId,
    sources,
    fieldIndex: await writeIndex('fields', state.fieldIndex),
    abstractIndex: 'abstracts.json',
  };
  // The manifest last: a folder without one is never read.
  await write('manifest.json', manifest);
  await rm(folder, { recursive: true, force: true });
  await rename(partial, folder);
}

/** What reading a snapshot folder found: the state and each source's content hash, or why there is none to use. */
export type SnapshotFolderRead =
  | { state: LibraryIndexState; hashes: Map<string, string> }
  /** No snapshot was ever written there (or it was discarded). */
  | { missing: true }
  /** One that does not fit (another version, options or tag) or is damaged: ignored, the library is read afresh. */
  | { ignored: string };

/** The state in `folder` when it was saved with these options and tag; a damaged one is `ignored`, never thrown. */
export async function readSnapshotFolder(folder: string, optionsHash: string, tag = ''): Promise<SnapshotFolderRead> {
  const read = async <T>(name: string): Promise<T> => JSON.parse(await readFile(path.join(folder, name), 'utf8')) as T;
  let manifest: Partial<Manifest>;
  try {
    manifest = await read<Partial<Manifest>>('manifest.json');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { ignored: `its manifest is unreadable (${error instanceof Error ? error.message : String(error)})` };
  }
  if (manifest.format !== FORMAT || manifest.version !== SNAPSHOT_VERSION) return { ignored: `it is of another format or version (${String(manifest.version)})` };
  if (manifest.optionsHash !== optionsHash) return { ignored: 'it was built with other options (key formula)' };
  if (manifest.tag !== tag) return { ignored: `it was written by another version of Paperlens (${String(manifest.tag)})` };
  try {
    const { sources: names, nextId, fieldIndex, abstractIndex } = manifest;
    if (!Array.isArray(names) || typeof nextId !== 'number' || !fieldIndex || typeof abstractIndex !== 'string') return { ignored: 'its manifest is incomplete' };
    const hashes = new Map<string, string>();
    const sources: SourceState[] = [];
    for (const name of names) {
      const stored = await read<Partial<StoredSource>>(name);
      const source = loadSource(stored);
      if (!source) return { ignored: `its part ${name} is damaged` };
      if (stored.hash) hashes.set(source.source.file, stored.hash);
      sources.push(source);
    }
    const readIndex = async (parts: IndexParts): Promise<AsPlainObject> => {
      const head = await read<AsPlainObject>(parts.head);
      for (const part of parts.terms) for (const term of await read<AsPlainObject['index']>(part)) head.index.push(term);
      return head;
    };
    return { state: { sources, nextId, fieldIndex: await readIndex(fieldIndex), abstractIndex: await read<AbstractIndexState>(abstractIndex) }, hashes };
  } catch (error) {
    return { ignored: `a part is damaged (${error instanceof Error ? error.message : String(error)})` };
  }
}
