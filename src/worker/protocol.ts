// The message contract of the library worker: what it loads, the queries it answers, what it reports.
import type { KeyFormula } from '../core/citekey';
import type { Problem } from '../core/paper';
import type { LibraryQuery } from '../server/libraryQueries';

export interface IndexRequest {
  /** Corpus files in priority order: on duplicates the earlier file's paper wins. */
  files: string[];
  keyFormula: KeyFormula;
  /** Folder for the warm-start snapshot cache; no cache when absent. */
  cacheDir?: string;
  /**
   * Part of the cache's fingerprint besides the files: the extension's version, so an update whose readers
   * changed re-reads files that did not.
   */
  cacheTag?: string;
  /** Rebuild even when the cached snapshot matches (it was written by another version of the index). */
  ignoreCache?: boolean;
}

/** To the worker that owns a library: a query, answered by id. */
export interface LibraryWorkerMessage {
  id: number;
  query: LibraryQuery;
}

export type LibraryWorkerReply =
  | { type: 'progress'; message: string }
  | {
      type: 'ready';
      size: number;
      sources: number;
      problems: number;
      problemList: Problem[];
      fromCache: boolean;
      millis: number;
    }
  | { type: 'answer'; id: number; result?: unknown; error?: string }
  | { type: 'cacheWarning'; message: string }
  /** `message` is for the user; `stack`, when there is one, for the log. */
  | { type: 'error'; message: string; stack?: string };
