// Owns the live Library in the server: has the index worker read and index the corpus files, swaps the result in,
// reports progress, and reloads when settings or corpus files change. Requests always answer from the library
// there is; a load in progress never makes them wait.
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KeyFormula } from '../core/citekey';
import { Library } from '../core/library';
import type { LibraryStatus } from '../protocol';
import type { IndexReply, IndexRequest } from '../worker/protocol';

/** Reload a short while after the last change, so saving a .bib repeatedly costs one rebuild. */
const RELOAD_DELAY_MS = 400;

export interface LoadPlan {
  files: string[];
  keyFormula: KeyFormula;
  /** Files whose changes the client does not report (outside the workspace folders): watched here. */
  unwatched: string[];
}

export interface LibraryHostOptions {
  /** The index worker's bundle. */
  workerFile: string;
  cacheDir?: string;
  cacheTag?: string;
  /** Finds the files to read, with the settings of now. */
  plan(): Promise<LoadPlan>;
  status(status: LibraryStatus): void;
  changed(library: Library): void;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

export class LibraryHost {
  private current = Library.empty();
  private loadState: LibraryStatus = { kind: 'loading', message: 'starting', size: 0 };
  private generation = 0;
  private reloadTimer: NodeJS.Timeout | undefined;
  private worker: Worker | undefined;
  private watchers: FSWatcher[] = [];
  private loadedFiles = new Set<string>();
  /** Whether the scheduled reload may use the snapshot. */
  private pendingUsesSnapshot = true;
  /** Settles whoever waits for the load running now. */
  private waiting: (() => void)[] = [];
  /** Settles with the first load that finishes, even when that is not the first one started. */
  private settleReady: () => void = () => undefined;
  readonly ready = new Promise<void>((resolve) => (this.settleReady = resolve));

  constructor(private readonly options: LibraryHostOptions) {}

  get library(): Library {
    return this.current;
  }

  get status(): LibraryStatus {
    return this.loadState;
  }

  /** True when `file` is one the library read. */
  isLoaded(file: string): boolean {
    return this.loadedFiles.has(file);
  }

  /** Loads now; `useSnapshot` lets a matching warm-start snapshot stand in for reading the files. */
  start(): void {
    void this.load(true);
  }

  /** Re-reads every file, and resolves when that load (or one that overtook it) has finished. */
  async rebuild(): Promise<LibraryStatus> {
    await this.load(false);
    while (this.loadState.kind === 'loading') await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.loadState;
  }

  /** Stops the running load; the library there is stays. */
  cancel(): void {
    if (this.loadState.kind !== 'loading') return;
    this.generation++;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    this.stopWorker();
    this.options.log.warn('Loading the library was cancelled; the previous library stays.');
    this.setState({ kind: 'failed', message: 'loading was cancelled; run "Paperlens: Rebuild Library" to load again', size: this.current.size });
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
    this.stopWorker();
    this.closeWatchers();
  }

  private async load(useSnapshot: boolean): Promise<void> {
    const generation = ++this.generation;
    const superseded = () => generation !== this.generation;
    // This load reads the settings and files as they are now: a pending reload and an older load are moot.
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    this.stopWorker();
    this.setState({ kind: 'loading', message: 'finding the corpus files', size: this.current.size });
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
      const onProgress = (message: string) => {
        if (!superseded()) this.setState({ kind: 'loading', message, size: this.current.size });
      };
      let reply = await this.runWorker(request, onProgress);
      let library = Library.fromSnapshot(reply.snapshot, { keyFormula: request.keyFormula });
      if (!library && reply.fromCache && !superseded()) {
        reply = await this.runWorker({ ...request, ignoreCache: true }, onProgress);
        library = Library.fromSnapshot(reply.snapshot, { keyFormula: request.keyFormula });
      }
      if (!library) throw new Error('the index worker produced a snapshot this version cannot read');
      if (superseded()) return; // a newer load started meanwhile; its result wins
      if (reply.cacheWarning) this.options.log.warn(`The next start will re-read the corpus: ${reply.cacheWarning}`);
      this.current = library;
      const problems = library.sources.reduce((sum, source) => sum + source.problems.length, 0);
      this.options.log.info(`Library ready: ${library.size} papers, ${problems} problem(s), ${reply.millis} ms${reply.fromCache ? ' (snapshot)' : ''}`);
      this.options.changed(library);
      this.setState({ kind: 'ready', size: library.size, sources: library.sources.length, problems, millis: reply.millis, fromCache: reply.fromCache });
    } catch (error) {
      if (superseded()) return;
      const message = error instanceof Error ? error.message : String(error);
      this.options.log.error(`Loading the library failed: ${message}`);
      this.setState({ kind: 'failed', message, size: this.current.size });
    }
  }

  private setState(state: LibraryStatus): void {
    this.loadState = state;
    if (state.kind !== 'loading') {
      this.settleReady();
      for (const resolve of this.waiting.splice(0)) resolve();
    }
    this.options.status(state);
  }

  private stopWorker(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private runWorker(request: IndexRequest, onProgress: (message: string) => void): Promise<Extract<IndexReply, { type: 'done' }>> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.options.workerFile, { workerData: request });
      this.worker = worker;
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        if (this.worker === worker) this.worker = undefined;
        action();
        void worker.terminate();
      };
      worker.on('message', (reply: IndexReply) => {
        if (reply.type === 'progress') onProgress(reply.message);
        else if (reply.type === 'done') settle(() => resolve(reply));
        else {
          if (reply.stack) this.options.log.error(`The index worker failed: ${reply.stack}`);
          settle(() => reject(new Error(reply.message)));
        }
      });
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) => settle(() => reject(new Error(`the index worker stopped (exit code ${code})`))));
    });
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
