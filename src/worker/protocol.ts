// The one message contract between the extension host and the index worker.
import type { KeyFormula } from '../core/citekey';

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

export type IndexReply =
  | { type: 'progress'; message: string }
  | { type: 'done'; snapshot: string; fromCache: boolean; millis: number; cacheWarning?: string }
  /** `message` is for the user; `stack`, when there is one, for the log. */
  | { type: 'error'; message: string; stack?: string };
