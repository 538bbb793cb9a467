// The message contract of the library worker: what it is started with, the files it loads, the queries it answers,
// what it reports.
import type { KeyFormula } from '../core/citekey';
import type { Problem } from '../core/paper';
import type { LibraryQuery } from '../server/libraryQueries';

/** The error of a query cancelled before it ran. */
export const CANCELLED = 'cancelled';

/** What a library worker is started with. */
export interface LibraryWorkerSetup {
  keyFormula: KeyFormula;
  /** Folder of the parsed-source cache; none when absent. */
  cacheDir?: string;
  /** Part of every cached source's validity: the extension's version. */
  cacheTag?: string;
  /** Rebuild Library: the saved library (cacheDir/library) is discarded and every file read. */
  fresh?: boolean;
}

/** To the worker that owns a library. */
export type LibraryWorkerMessage =
  | { type: 'query'; id: number; query: LibraryQuery }
  /** The query's answer is no longer wanted: skipped when it has not run yet. */
  | { type: 'cancel'; id: number }
  /** The library's files in priority order (the first wins duplicates); answered by `loaded` or `failed`. */
  | { type: 'setFiles'; id: number; files: string[] }
  /** A file of the library changed on disk: read it again (answered by `updated` when its papers were set). */
  | { type: 'fileChanged'; file: string };

/** What the library holds: counts and its corpus files' problems. */
interface LibrarySummary {
  size: number;
  sources: number;
  problems: number;
  problemList: Problem[];
}

export type LibraryWorkerReply =
  | { type: 'progress'; message: string; done?: number; total?: number }
  /** `fromSnapshot`: the library is the one saved by an earlier session; its files are checked after this. */
  | ({ type: 'loaded'; id: number; millis: number; fromSnapshot: boolean } & LibrarySummary)
  | { type: 'failed'; id: number; message: string; stack?: string }
  | ({ type: 'updated'; file: string; added: number; removed: number; millis: number; rebuilt: boolean } & LibrarySummary)
  | { type: 'answer'; id: number; result?: unknown; error?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
