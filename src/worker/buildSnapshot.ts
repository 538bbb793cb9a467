// Read → index → snapshot, with a cache keyed by the files' paths, sizes and modification times.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Library } from '../core/library';
import { loadCorpusFiles } from '../core/load';
import type { IndexRequest } from './protocol';

export interface SnapshotResult {
  snapshot: string;
  fromCache: boolean;
  millis: number;
}

export async function buildLibrarySnapshot(request: IndexRequest, progress: (message: string) => void): Promise<SnapshotResult> {
  const started = Date.now();
  const fingerprint = await fingerprintOf(request);
  const cacheFile = request.cacheDir ? path.join(request.cacheDir, 'library-snapshot.json') : undefined;
  if (cacheFile && !request.ignoreCache) {
    const cached = await readCache(cacheFile, fingerprint);
    if (cached) return { snapshot: cached, fromCache: true, millis: Date.now() - started };
  }
  progress(`reading ${request.files.length} corpus file${request.files.length === 1 ? '' : 's'}`);
  const sources = await loadCorpusFiles(request.files);
  progress(`indexing ${sources.reduce((sum, source) => sum + source.papers.length, 0)} papers`);
  const snapshot = Library.build(sources, { keyFormula: request.keyFormula }).toSnapshot();
  if (cacheFile) await writeCache(cacheFile, fingerprint, snapshot);
  return { snapshot, fromCache: false, millis: Date.now() - started };
}

/** Changes whenever a file is added, removed, reordered or modified, or the key formula changes. */
async function fingerprintOf(request: IndexRequest): Promise<string> {
  const hash = createHash('sha256').update(request.keyFormula);
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
  // Write then rename, so a reader never sees half a snapshot.
  const partial = `${cacheFile}.${process.pid}.partial`;
  await writeFile(partial, `${fingerprint}\n${snapshot}`);
  await rename(partial, cacheFile);
}
