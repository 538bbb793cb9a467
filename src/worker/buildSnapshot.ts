// Read → index, or the snapshot of the last load when the files are unchanged: a cache keyed by the files' paths,
// sizes and modification times.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { Library } from '../core/library';
import { loadCorpusFiles } from '../core/load';
import type { IndexRequest } from './protocol';

export interface LoadedLibrary {
  library: Library;
  fromCache: boolean;
  millis: number;
  /** Saves the snapshot for the next warm start (nothing when it came from there); resolves with a warning when it could not. */
  saveSnapshot(): Promise<string | undefined>;
}

/**
 * The library itself, for the worker that owns it: from the snapshot when the files did not change (no parsing),
 * else read and indexed. A snapshot this version cannot read is ignored.
 */
export async function loadLibrary(request: IndexRequest, progress: (message: string) => void): Promise<LoadedLibrary> {
  const started = Date.now();
  const fingerprint = await fingerprintOf(request);
  const cacheFile = request.cacheDir ? path.join(request.cacheDir, 'library-snapshot.json') : undefined;
  if (cacheFile && !request.ignoreCache) {
    const cached = await readCache(cacheFile, fingerprint);
    progress('reading the snapshot');
    const library = cached === undefined ? undefined : Library.fromSnapshot(cached, { keyFormula: request.keyFormula });
    if (library) return { library, fromCache: true, millis: Date.now() - started, saveSnapshot: async () => undefined };
  }
  progress(`reading ${request.files.length} corpus file${request.files.length === 1 ? '' : 's'}`);
  const sources = await loadCorpusFiles(request.files);
  progress(`indexing ${sources.reduce((sum, source) => sum + source.papers.length, 0).toLocaleString('en-US')} papers`);
  const library = Library.build(sources, { keyFormula: request.keyFormula });
  const millis = Date.now() - started;
  const saveSnapshot = async () =>
    cacheFile
      ? writeCache(cacheFile, fingerprint, library.toSnapshot()).then(
          () => undefined,
          (error: unknown) => `could not save the snapshot to ${cacheFile}: ${error instanceof Error ? error.message : String(error)}`,
        )
      : undefined;
  return { library, fromCache: false, millis, saveSnapshot };
}

/** Changes whenever a file is added, removed, reordered or modified, or the key formula or cache tag changes. */
async function fingerprintOf(request: IndexRequest): Promise<string> {
  const hash = createHash('sha256').update(`${request.keyFormula}\0${request.cacheTag ?? ''}`);
  for (const file of request.files) {
    const info = await stat(file).catch(() => undefined);
    hash.update(`\0${file}\0${info ? `${info.size}:${info.mtimeMs}` : 'missing'}`);
  }
  return hash.digest('hex');
}

async function readCache(cacheFile: string, fingerprint: string): Promise<string | undefined> {
  const text = await readFile(cacheFile, 'utf8').catch(() => undefined);
  // The fingerprint heads the file on a line of its own, so a stale cache is rejected without parsing it.
  if (!text?.startsWith(`${fingerprint}\n`)) return undefined;
  return text.slice(fingerprint.length + 1);
}

async function writeCache(cacheFile: string, fingerprint: string, snapshot: string): Promise<void> {
  await mkdir(path.dirname(cacheFile), { recursive: true });
  // Write then rename, so a reader never sees half a snapshot. Workers share the process: the thread id keeps two
  // writers from interleaving in one partial file.
  const partial = `${cacheFile}.${process.pid}-${threadId}.partial`;
  await writeFile(partial, `${fingerprint}\n${snapshot}`);
  await rename(partial, cacheFile);
  await removeAbandonedPartials(cacheFile);
}

/** A worker stopped mid-write (its load was superseded) leaves its partial file; an hour later nobody writes it. */
async function removeAbandonedPartials(cacheFile: string): Promise<void> {
  const folder = path.dirname(cacheFile);
  const prefix = `${path.basename(cacheFile)}.`;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.partial'))) {
    const file = path.join(folder, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 3_600_000) await rm(file, { force: true });
  }
}
