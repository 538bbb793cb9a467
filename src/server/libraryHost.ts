// Where the server's library lives: in a worker thread that owns it and answers queries (libraryWorker). A load
// starts a new worker while the current one keeps answering; when the new one is ready it takes over at once and
// the old one ends, so no query waits for a build and no index is copied between threads. Before the first library
// is ready, a small library of the open documents' own .bib files answers ("never empty-handed").
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KeyFormula } from '../core/citekey';
import type { Problem } from '../core/paper';
import type { LibraryStatus } from '../protocol';
import type { IndexRequest, LibraryWorkerMessage, LibraryWorkerReply } from '../worker/protocol';
import type { LibraryQueries, LibraryQuery } from './libraryQueries';

/** Reload a short while after the last change, so saving a .bib repeatedly costs one rebuild. */
const RELOAD_DELAY_MS = 400;

export interface LoadPlan {
  files: string[];
  keyFormula: KeyFormula;
  /** Files whose changes the client does not report (outside the workspace folders): watched here. */
  unwatched: string[];
}

/** The library's queries, answered asynchronously (by the worker that owns it). */
export type AsyncLibraryQueries = { [M in keyof LibraryQueries]: (...args: Parameters<LibraryQueries[M]>) => Promise<ReturnType<LibraryQueries[M]>> };

export interface LibraryHostOptions {
  /** The library worker's bundle. */
  workerFile: string;
  cacheDir?: string;
  cacheTag?: string;
  /** Finds the files to read, with the settings of now. */
  plan(): Promise<LoadPlan>;
  /** Answers while no library is ready: the open documents' own bibliography files. */
  fallback(): LibraryQueries;
  status(status: LibraryStatus): void;
  /** A new library took over; its corpus files' problems. */
  changed(problems: Problem[]): void;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

type Ready = Extract<LibraryWorkerReply, { type: 'ready' }>;

/** One library worker: loads, then answers queries by id. */
class LibraryWorker {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private exited = false;
  readonly ready: Promise<Ready>;

  constructor(file: string, request: IndexRequest, onProgress: (message: string) => void, log: LibraryHostOptions['log'], onExit: () => void) {
    this.worker = new Worker(file, { workerData: request });
    this.ready = new Promise<Ready>((resolve, reject) => {
      this.worker.on('message', (reply: LibraryWorkerReply) => {
        switch (reply.type) {
          case 'progress':
            onProgress(reply.message);
            break;
          case 'ready':
            resolve(reply);
            break;
          case 'answer': {
            const waiting = this.pending.get(reply.id);
            this.pending.delete(reply.id);
            if (reply.error !== undefined) waiting?.reject(new Error(reply.error));
            else waiting?.resolve(reply.result);
            break;
          }
          case 'cacheWarning':
            log.warn(`The next start will re-read the corpus: ${reply.message}`);
            break;
          case 'error':
            if (reply.stack) log.error(`The library worker failed: ${reply.stack}`);
            reject(new Error(reply.message));
            break;
        }
      });
      this.worker.on('error', (error) => reject(error));
      this.worker.on('exit', (code) => {
        this.exited = true;
        const error = new Error(`the library worker stopped (exit code ${code})`);
        reject(error);
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
        onExit();
      });
    });
    // A load that fails is reported by whoever awaits `ready`; this keeps Node from calling the rejection unhandled.
    this.ready.catch(() => undefined);
  }

  query(query: LibraryQuery): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the library worker has stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, query } satisfies LibraryWorkerMessage);
    });
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

export class LibraryHost {
  /** The worker whose library answers queries. */
  private serving: { worker: LibraryWorker; size: number } | undefined;
  /** The worker of the load in progress. */
  private loading: LibraryWorker | undefined;
  private loadState: LibraryStatus = { kind: 'loading', message: 'starting', size: 0 };
  private generation = 0;
  private reloadTimer: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private loadedFiles = new Set<string>();
  /** Whether the scheduled reload may use the snapshot. */
  private pendingUsesSnapshot = true;
  /** Settles whoever waits for the load running now. */
  private waiting: (() => void)[] = [];
  /** The queries, answered by the serving worker or, before there is one, by the fallback. */
  readonly queries: AsyncLibraryQueries;

  constructor(private readonly options: LibraryHostOptions) {
    const ask =
      <M extends keyof LibraryQueries>(method: M) =>
      async (...args: Parameters<LibraryQueries[M]>): Promise<ReturnType<LibraryQueries[M]>> => {
        const serving = this.serving;
        if (!serving) {
          const fallback = this.options.fallback()[method] as (...args: Parameters<LibraryQueries[M]>) => ReturnType<LibraryQueries[M]>;
          return fallback(...args);
        }
        return (await serving.worker.query({ method, args } as LibraryQuery)) as ReturnType<LibraryQueries[M]>;
      };
    this.queries = {
      search: ask('search'),
      similar: ask('similar'),
      byKey: ask('byKey'),
      has: ask('has'),
      origins: ask('origins'),
      completion: ask('completion'),
      info: ask('info'),
      sourcePapers: ask('sourcePapers'),
    };
  }

  get status(): LibraryStatus {
    return this.loadState;
  }

  /** Papers in the library that answers (0 before the first load). */
  get size(): number {
    return this.serving?.size ?? 0;
  }

  /** True when `file` is one the library read. */
  isLoaded(file: string): boolean {
    return this.loadedFiles.has(file);
  }

  start(): void {
    void this.load(true);
  }

  /** Re-reads every file, and resolves when that load (or one that overtook it) has finished. */
  async rebuild(): Promise<LibraryStatus> {
    void this.load(false);
    while (this.loadState.kind === 'loading') await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.loadState;
  }

  /** Stops the running load; the library there is stays. */
  cancel(): void {
    if (this.loadState.kind !== 'loading') return;
    this.generation++;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    this.stopLoading();
    this.options.log.warn('Loading the library was cancelled; the previous library stays.');
    this.setState({ kind: 'failed', message: 'loading was cancelled; run "Paperlens: Rebuild Library" to load again', size: this.size });
  }

  /** Several changes in a row cost one load; it may use the snapshot only if every one of them allowed it. */
  scheduleReload(reason: string, useSnapshot = false): void {
    this.options.log.info(`Reloading the library: ${reason}`);
    if (this.reloadTimer === undefined) this.pendingUsesSnapshot = true;
    this.pendingUsesSnapshot &&= useSnapshot;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.load(this.pendingUsesSnapshot);
    }, RELOAD_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.generation++;
    this.stopLoading();
    this.serving?.worker.terminate();
    this.serving = undefined;
    this.closeWatchers();
  }

  /**
   * Loads the library in a new worker. `useSnapshot` lets a matching warm-start snapshot stand in for reading the
   * files; loads caused by a file change never use it (a file rewritten within its modification-time resolution at
   * the same size would match the snapshot of its old text).
   */
  private async load(useSnapshot: boolean): Promise<void> {
    const generation = ++this.generation;
    const superseded = () => generation !== this.generation;
    // This load reads the settings and files as they are now: a pending reload and an older load are moot.
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    this.stopLoading();
    this.setState({ kind: 'loading', message: 'finding the corpus files', size: this.size });
    try {
      const plan = await this.options.plan();
      if (superseded()) return;
      // Watched from now on, not only after a successful load: fixing the file a failed load tripped on reloads.
      this.loadedFiles = new Set(plan.files);
      this.watch(plan.unwatched);
      this.options.log.info(`Loading ${plan.files.length} corpus file(s): ${plan.files.join(', ')}`);
      const request: IndexRequest = {
        files: plan.files,
        keyFormula: plan.keyFormula,
        cacheDir: this.options.cacheDir,
        cacheTag: this.options.cacheTag,
        ignoreCache: !useSnapshot,
      };
      const worker = new LibraryWorker(
        this.options.workerFile,
        request,
        (message) => {
          if (!superseded()) this.setState({ kind: 'loading', message, size: this.size });
        },
        this.options.log,
        () => this.workerExited(worker),
      );
      this.loading = worker;
      const ready = await worker.ready;
      if (superseded()) return; // a newer load started meanwhile; its result wins
      // The new library takes over; the old one's worker ends with its index.
      this.loading = undefined;
      const previous = this.serving;
      this.serving = { worker, size: ready.size };
      previous?.worker.terminate();
      this.options.log.info(`Library ready: ${ready.size} papers, ${ready.problems} problem(s), ${ready.millis} ms${ready.fromCache ? ' (snapshot)' : ''}`);
      this.options.changed(ready.problemList);
      this.setState({ kind: 'ready', size: ready.size, sources: ready.sources, problems: ready.problems, millis: ready.millis, fromCache: ready.fromCache });
    } catch (error) {
      if (superseded()) return;
      this.stopLoading();
      const message = error instanceof Error ? error.message : String(error);
      this.options.log.error(`Loading the library failed: ${message}`);
      this.setState({ kind: 'failed', message, size: this.size });
    }
  }

  /** A serving worker that stops (out of memory, a crash) is replaced by a fresh load. */
  private workerExited(worker: LibraryWorker): void {
    if (this.serving?.worker !== worker) return;
    this.serving = undefined;
    this.options.log.error('The library worker stopped; loading the library again.');
    this.scheduleReload('the library worker stopped', true);
  }

  private setState(state: LibraryStatus): void {
    this.loadState = state;
    if (state.kind !== 'loading') for (const resolve of this.waiting.splice(0)) resolve();
    this.options.status(state);
  }

  private stopLoading(): void {
    this.loading?.terminate();
    this.loading = undefined;
  }

  /** Files the client does not watch (outside the workspace folders): editing, creating or deleting one reloads. */
  private watch(files: readonly string[]): void {
    this.closeWatchers();
    const byFolder = new Map<string, Set<string>>();
    for (const file of files) {
      const names = byFolder.get(path.dirname(file)) ?? new Set<string>();
      names.add(path.basename(file));
      byFolder.set(path.dirname(file), names);
    }
    for (const [folder, names] of byFolder) {
      try {
        // The folder, not the file: an editor that saves by rename replaces the file a watcher would follow.
        const watcher = watch(folder, (_event, name) => {
          if (name && names.has(String(name))) this.scheduleReload(`${path.join(folder, String(name))} changed`);
        });
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // A folder that does not exist (yet): the load reports the missing file.
      }
    }
  }

  private closeWatchers(): void {
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }
}
