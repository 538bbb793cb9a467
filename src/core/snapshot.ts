// The on-disk form of a built library, so a warm start neither re-parses nor re-indexes.
// Layout: one header line (format, version, options hash), then one JSON document with the papers (fields
// that repeat the display text stored once) and MiniSearch's plain-object indexes (fields and abstracts). The
// header is checked before the body is parsed, so a stale snapshot costs one short line of parsing. The body is
// parsed once and handed to MiniSearch.loadJS: no second JSON.parse of an embedded index string
// (bench/library.bench.mjs compares).
import type { LibraryIndexSnapshot } from './libraryIndex';
import type { Paper } from './paper';

const FORMAT = 'paperlens-library';
/** Bump when the layout of the body or of the Paper record changes. 3: two indexes, document ids stored. */
export const SNAPSHOT_VERSION = 3;

export type SnapshotBody = LibraryIndexSnapshot;

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

export function writeSnapshot(body: SnapshotBody, optionsHash: string): string {
  const header: SnapshotHeader = { format: FORMAT, version: SNAPSHOT_VERSION, optionsHash };
  const compact = body.papers.map(compactPaper);
  const stored = { ...body, papers: compact.map(([paper]) => paper), droppedFields: compact.map(([, dropped]) => dropped) };
  return `${JSON.stringify(header)}\n${JSON.stringify(stored)}`;
}

/** The body, or undefined when the text is not a snapshot of this version built with these options. */
export function readSnapshot(text: string, optionsHash: string): SnapshotBody | undefined {
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(text.slice(0, newline)) as Partial<SnapshotHeader>;
    if (header.format !== FORMAT || header.version !== SNAPSHOT_VERSION || header.optionsHash !== optionsHash) {
      return undefined;
    }
    const body = JSON.parse(text.slice(newline + 1)) as Partial<SnapshotBody> & { droppedFields?: string[] };
    const { papers, ids, droppedFields, sources, fieldIndex, abstractIndex, duplicateOrigins } = body;
    if (!Array.isArray(papers) || !Array.isArray(ids) || ids.length !== papers.length || !Array.isArray(droppedFields)) return undefined;
    if (!Array.isArray(sources) || !fieldIndex || !abstractIndex) return undefined;
    return {
      papers: papers.map((paper, position) => expandPaper(paper, droppedFields[position] ?? '')),
      ids,
      duplicateOrigins: duplicateOrigins ?? [],
      sources,
      fieldIndex,
      abstractIndex,
    };
  } catch {
    return undefined;
  }
}
