// One corpus file read into a source, through a cache of parsed sources keyed by the file's fingerprint (path,
// size, modification time, content hash): a file whose bytes did not change is not parsed again, and a changed
// file costs only itself. Also tells a half-written file (an export in progress) from a real one, so that the
// library never swaps good papers for an empty or truncated source (LibraryStore.loadFile retries those).
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { loadCorpusFiles } from './load';
import type { CorpusSource } from './paper';

export interface Fingerprint {
  file: string;
  size: number;
  mtimeMs: number;
  /** SHA-1 of the bytes: decides; size and time only name the version in messages. */
  hash: string;
  /** Date.now() before the bytes were read (see FileStamp). */
  hashedAt: number;
}

export interface SourceRead {
  source: CorpusSource;
  /** Undefined when the file could not be read (the source then holds one problem saying why). */
  fingerprint?: Fingerprint;
  fromCache: boolean;
}

const FORMAT = 'paperlens-source';
/**
 * Bump when the layout of a cached source or of the Paper record changes, or what a reader keeps.
 * 2: a BibTeX corpus file keeps every entry of a repeated key.
 */
const CACHE_VERSION = 2;

/** A new read with fewer than this share of the previous read's papers, and problems, looks truncated. */
const TRUNCATED_SHARE = 0.5;

/**
 * Why `next` looks like a file caught mid-write rather than the file as its author meant it, or undefined:
 * no papers where there were some, or far fewer papers than before and problems (an entry cut off at the end).
 */
export function incompleteReason(next: CorpusSource, previous: CorpusSource | undefined): string | undefined {
  const before = previous?.papers.length ?? 0;
  if (before === 0) return undefined;
  if (next.papers.length === 0) return `no papers where there were ${before}`;
  if (next.problems.length > 0 && next.papers.length < before * TRUNCATED_SHARE) {
    return `${next.papers.length} papers where there were ${before}, with ${next.problems.length} problem(s)`;
  }
  return undefined;
}

const hashOf = (bytes: Buffer): string => createHash('sha1').update(bytes).digest('hex');

/**
 * What a library knows of the bytes a source was read from, to tell later whether the file changed: its content
 * hash decides, but a size and modification time that are the same as then, and were already old when the hash
 * was taken, spare reading and hashing it (a warm start checks every corpus file).
 */
export interface FileStamp {
  hash: string;
  size: number;
  mtimeMs: number;
  /** Date.now() before the bytes were read. */
  hashedAt: number;
}

/**
 * Modification times are coarse (a kernel tick, or seconds on some file systems): a file modified this close to
 * its hash could change again with the same size and time, so its stamp alone never says it is unchanged.
 */
const RACY_MS = 2_000;

function stampHolds(stamp: FileStamp, info: Stats): boolean {
  return info.size === stamp.size && info.mtimeMs === stamp.mtimeMs && stamp.mtimeMs < stamp.hashedAt - RACY_MS;
}

/** The stamp of the file as it is now, as readIfChanged takes it; undefined when it cannot be read. */
export async function fileStamp(file: string): Promise<FileStamp | undefined> {
  const info = await stat(file).catch(() => undefined);
  const hashedAt = Date.now();
  const bytes = info && (await readFile(file).catch(() => undefined));
  return info && bytes && { hash: hashOf(bytes), size: info.size, mtimeMs: info.mtimeMs, hashedAt };
}

export class SourceCache {
  /**
   * `folder` holds one file per corpus file; none when undefined (every read parses). `tag` is part of every
   * entry's validity (the extension's version: an update whose readers changed re-reads every file).
   */
  constructor(private readonly folder: string | undefined, private readonly tag = '') {}

  /** Never throws: an unreadable file is a source with one problem, as loadCorpusFiles makes it. */
  async read(file: string): Promise<SourceRead> {
    return (await this.readIfChanged(file, undefined)) as SourceRead;
  }

  /**
   * As read, but undefined when the file is still the one `known` stamps: the same old size and time (not even
   * read), or the same bytes (read and hashed, nothing parsed).
   */
  async readIfChanged(file: string, known: FileStamp | undefined): Promise<SourceRead | undefined> {
    // Stat first, then read: bytes written after the stat are newer than its time, never older.
    const info = await stat(file).catch(() => undefined);
    if (known && info && stampHolds(known, info)) return undefined;
    const hashedAt = Date.now();
    const bytes = info && (await readFile(file).catch(() => undefined));
    if (!bytes || !info) {
      const [source] = await loadCorpusFiles([file]);
      return { source, fromCache: false };
    }
    const fingerprint: Fingerprint = { file, size: info.size, mtimeMs: info.mtimeMs, hash: hashOf(bytes), hashedAt };
    if (fingerprint.hash === known?.hash) return undefined;
    const cached = await this.cached(fingerprint);
    if (cached) return { source: cached, fingerprint, fromCache: true };
    const [source] = await loadCorpusFiles([file]);
    // Parsed from bytes that may differ from the hashed ones if the file changed meanwhile: cache only if not.
    const after = await stat(file).catch(() => undefined);
    if (after && after.size === info.size && after.mtimeMs === info.mtimeMs) await this.save(fingerprint, source);
    return { source, fingerprint, fromCache: false };
  }

  private entryFile(file: string): string | undefined {
    return this.folder && path.join(this.folder, `${createHash('sha1').update(file).digest('hex').slice(0, 16)}.source.json`);
  }

  private header(fingerprint: Fingerprint): string {
    return JSON.stringify({ format: FORMAT, version: CACHE_VERSION, tag: this.tag, file: fingerprint.file, hash: fingerprint.hash });
  }

  /** The cached source when its header (the first line, read on its own) names these bytes. */
  private async cached(fingerprint: Fingerprint): Promise<CorpusSource | undefined> {
    const entry = this.entryFile(fingerprint.file);
    if (!entry) return undefined;
    const header = `${this.header(fingerprint)}\n`;
    const handle = await open(entry, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      const start = Buffer.alloc(Buffer.byteLength(header));
      await handle.read(start, 0, start.length, 0);
      if (start.toString('utf8') !== header) return undefined;
      // The positional read above left the file position at 0: this reads the whole entry.
      const text = await handle.readFile({ encoding: 'utf8' });
      const source = JSON.parse(text.slice(header.length)) as CorpusSource;
      return Array.isArray(source.papers) && Array.isArray(source.problems) ? source : undefined;
    } catch {
      return undefined;
    } finally {
      await handle.close();
    }
  }

  /** Write then rename, so a reader never sees half an entry; a cache that cannot be written costs only speed. */
  private async save(fingerprint: Fingerprint, source: CorpusSource): Promise<void> {
    const entry = this.entryFile(fingerprint.file);
    if (!entry) return;
    const partial = `${entry}.${process.pid}-${threadId}.partial`;
    try {
      await mkdir(path.dirname(entry), { recursive: true });
      await writeFile(partial, `${this.header(fingerprint)}\n${JSON.stringify(source)}`);
      await rename(partial, entry);
    } catch {
      // Nothing lost: the next start parses the file again.
    }
  }
}
