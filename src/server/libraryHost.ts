// Where the server's library lives: in a worker thread that owns it (libraryWorker: a LibraryStore) and answers
// queries while it indexes. A settings change sets the worker's files (only the files added or removed are read);
// a changed corpus file is read again alone and its papers replaced in the index ("Library updated: …"). A full
// re-read (Rebuild Library, another key formula) starts a new worker while the current one keeps answering; when
// the new one is ready it takes over and the old one ends. Before the first library is ready, a small library of
// the open documents' own .bib files answers ("never empty-handed"). A new worker starts from the library the last
// session saved when there is one ("Library ready: … (snapshot)") and then reads only the files that changed.
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KeyFormula } from '../core/citekey';
import type { Problem } from '../core/paper';
import type { LibraryStatus } from '../protocol';
import type { LibraryWorkerMessage, LibraryWorkerReply, LibraryWorkerSetup } from '../worker/protocol';
import type { CancellationToken } from 'vscode-languageserver';
import type { LibraryQueries, LibraryQuery } from './libraryQueries';

/** Reload a short while after the last change, so saving a file repeatedly costs one update. */
const RELOAD_DELAY_MS = 400;

export interface LoadPlan {
  files: string[];
  keyFormula: KeyFormula;
  /** Files whose changes the client does not report (outside the workspace folders): watched here. */
  unwatched: string[];
}

/** The library's queries, answered asynchronously (by the worker that owns it). */
export type AsyncLibraryQueries = { [M in keyof LibraryQueries]: (...args: Parameters<LibraryQueries[M]>) => Promise<Awaited<ReturnType<LibraryQueries[M]>>> };

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
  /** The library changed; its corpus files' problems. */
  changed(problems: Problem[]): void;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

type Loaded = Extract<LibraryWorkerReply, { type: 'loaded' }>;

/** One library worker: sets its files, reports updates, answers queries by id. */
class LibraryWorker {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private exited = false;
  private onProgress: (status: { message: string; done?: number; total?: number }) => void = () => undefined;

  constructor(
    file: string,
    readonly setup: LibraryWorkerSetup,
    private readonly log: LibraryHostOptions['log'],
    private readonly onUpdated: (reply: Extract<LibraryWorkerReply, { type: 'updated' }>) => void,
    onExit: () => void,
  ) {
    this.worker = new Worker(file, { workerData: setup });
    this.worker.on('message', (reply: LibraryWorkerReply) => this.receive(reply));
    this.worker.on('error', (error) => log.error(`The library worker failed: ${error.stack ?? error.message}`));
    this.worker.on('exit', (code) => {
      this.exited = true;
      const error = new Error(`the library worker stopped (exit code ${code})`);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      onExit();
    });
  }

  /** Sets the library's files; resolves when they are searchable by their fields. */
  setFiles(files: string[], onProgress: LibraryWorker['onProgress']): Promise<Loaded> {
    this.onProgress = onProgress;
    return this.send((id) => ({ type: 'setFiles', id, files })) as Promise<Loaded>;
  }

  fileChanged(file: string): void {
    if (!this.exited) this.worker.postMessage({ type: 'fileChanged', file } satisfies LibraryWorkerMessage);
  }

  query(query: LibraryQuery, token?: CancellationToken): Promise<unknown> {
    return this.send((id) => {
      token?.onCancellationRequested(() => {
        if (!this.exited && this.pending.has(id)) this.worker.postMessage({ type: 'cancel', id } satisfies LibraryWorkerMessage);
      });
      return { type: 'query', id, query };
    });
  }

  terminate(): void {
    void this.worker.terminate();
  }

  private send(message: (id: number) => LibraryWorkerMessage): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the library worker has stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message(id));
    });
  }

  private settle(id: number, settle: (waiting: { resolve(value: unknown): void; reject(error: Error): void }) => void): void {
    const waiting = this.pending.get(id);
    this.pending.delete(id);
    if (waiting) settle(waiting);
  }

  private receive(reply: LibraryWorkerReply): void {
    switch (reply.type) {
      case 'progress':
        this.onProgress(reply);
        break;
      case 'loaded':
        this.settle(reply.id, (waiting) => waiting.resolve(reply));
        break;
      case 'failed':
        if (reply.stack) this.log.error(`Loading in the library worker failed: ${reply.stack}`);
        this.settle(reply.id, (waiting) => waiting.reject(new Error(reply.message)));
        break;
      case 'answer':
        this.settle(reply.id, (waiting) => (reply.error !== undefined ? waiting.reject(new Error(reply.error)) : waiting.resolve(reply.result)));
        break;
      case 'updated':
        this.onUpdated(reply);
        break;
      case 'log':
        this.log[reply.level](reply.message);
        break;
    }
  }
}

export class LibraryHost {
  /** The worker whose library answers queries, once its first files are loaded. */
  private serving: LibraryWorker | undefined;
  /** Papers in the serving library. */
  private servingSize = 0;
  /** A worker loading files before it serves: the first one, or one replacing the serving one. */
  private starting: LibraryWorker | undefined;
  private loadState: LibraryStatus = { kind: 'loading', message: 'starting', size: 0 };
  private generation = 0;
  private reloadTimer: NodeJS.Timeout | undefined;
  /** Files changed since the last update, read again together after RELOAD_DELAY_MS. */
  private readonly changedFiles = new Set<string>();
  private changeTimer: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private loadedFiles = new Set<string>();
  /** Settles whoever waits for the load running now. */
  private waiting: (() => void)[] = [];
  /** The queries, answered by the serving worker or, before there is one, by the fallback. */
  readonly queries: AsyncLibraryQueries;

  constructor(private readonly options: LibraryHostOptions) {
    this.queries = this.cancellable(undefined);
  }

  /** The queries of a request: those its cancellation catches before their turn in the worker are never run. */
  cancellable(token: CancellationToken | undefined): AsyncLibraryQueries {
    const ask =
      <M extends keyof LibraryQueries>(method: M) =>
      async (...args: Parameters<LibraryQueries[M]>): Promise<Awaited<ReturnType<LibraryQueries[M]>>> => {
        const serving = this.serving;
        if (!serving) {
          const fallback = this.options.fallback()[method] as (...args: Parameters<LibraryQueries[M]>) => ReturnType<LibraryQueries[M]>;
          return (await fallback(...args)) as Awaited<ReturnType<LibraryQueries[M]>>;
        }
        return (await serving.query({ method, args } as LibraryQuery, token)) as Awaited<ReturnType<LibraryQueries[M]>>;
      };
    return {
      search: ask('search'),
      searchPage: ask('searchPage'),
      similar: ask('similar'),
      byKey: ask('byKey'),
      has: ask('has'),
      origins: ask('origins'),
      completion: ask('completion'),
      info: ask('info'),
      sourcePapers: ask('sourcePapers'),
      relatedParagraph: ask('relatedParagraph'),
      relatedSentence: ask('relatedSentence'),
      relatedText: ask('relatedText'),
      citationFit: ask('citationFit'),
      relatedSimilar: ask('relatedSimilar'),
    };
  }

  get status(): LibraryStatus {
    return this.loadState;
  }

  /** Papers in the library that answers (0 before the first load). */
  get size(): number {
    return this.serving ? this.servingSize : 0;
  }

  /** True when `file` is one the library read. */
  isLoaded(file: string): boolean {
    return this.loadedFiles.has(file);
  }

  start(): void {
    void this.load(false);
  }

  /** Re-reads every file in a new worker, and resolves when that load (or one that overtook it) has finished. */
  async rebuild(): Promise<LibraryStatus> {
    void this.load(true);
    while (this.loadState.kind === 'loading') await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.loadState;
  }

  /** Stops the running load; the library there is stays. */
  cancel(): void {
    if (this.loadState.kind !== 'loading') return;
    this.generation++;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    if (this.starting) {
      this.starting.terminate();
      this.starting = undefined;
    } else if (this.serving) {
      // The serving worker itself was loading: end it; the next load starts afresh.
      this.serving.terminate();
      this.serving = undefined;
    }
    this.options.log.warn('Loading the library was cancelled.');
    this.setState({ kind: 'failed', message: 'loading was cancelled; run "Paperlens: Rebuild Library" to load again', size: this.size });
  }

  /** Settings or the set of files changed: the worker's files are set again after a short while (only new files are read). */
  scheduleReload(reason: string): void {
    this.options.log.info(`Reloading the library: ${reason}`);
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.load(false);
    }, RELOAD_DELAY_MS);
  }

  /** A corpus file changed on disk: it alone is read again. */
  fileChanged(file: string): void {
    if (!this.loadedFiles.has(file)) return;
    this.changedFiles.add(file);
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      const files = [...this.changedFiles];
      this.changedFiles.clear();
      for (const changed of files) this.serving?.fileChanged(changed);
    }, RELOAD_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    clearTimeout(this.changeTimer);
    this.generation++;
    this.starting?.terminate();
    this.serving?.terminate();
    this.starting = undefined;
    this.serving = undefined;
    this.closeWatchers();
  }

  /**
   * Sets the library's files. `fresh` (Rebuild Library), a first load, or another key formula start a new worker
   * that takes over when ready; otherwise the serving worker reads only the files added or reordered.
   */
  private async load(fresh: boolean): Promise<void> {
    const generation = ++this.generation;
    const superseded = () => generation !== this.generation;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    this.setState({ kind: 'loading', message: 'finding the corpus files', size: this.size });
    try {
      const plan = await this.options.plan();
      if (superseded()) return;
      // Watched from now on, not only after a successful load: fixing the file a failed load tripped on reloads.
      this.loadedFiles = new Set(plan.files);
      this.watch(plan.unwatched);
      this.options.log.info(`Loading ${plan.files.length} corpus file(s): ${plan.files.join(', ')}`);
      const replace = fresh || !this.serving || this.serving.setup.keyFormula !== plan.keyFormula;
      this.starting?.terminate();
      this.starting = undefined;
      const worker = replace ? this.newWorker(plan.keyFormula, fresh) : (this.serving as LibraryWorker);
      if (replace) this.starting = worker;
      const loaded = await worker.setFiles(plan.files, (progress) => {
        if (superseded()) return;
        if (this.loadState.kind === 'loading') this.setState({ kind: 'loading', ...progress, size: this.size });
        else if (this.loadState.kind === 'ready' && progress.done !== undefined && progress.total !== undefined) {
          // After ready, the abstracts are indexed in the background: searchable by everything else meanwhile.
          const { abstracts: _previous, ...ready } = this.loadState;
          this.setState(progress.done < progress.total ? { ...ready, abstracts: { done: progress.done, total: progress.total } } : ready);
        }
      });
      if (superseded()) return; // a newer load started meanwhile; its result wins
      if (replace) {
        // The new library takes over; the old one's worker ends with its index.
        this.starting = undefined;
        const previous = this.serving;
        this.serving = worker;
        previous?.terminate();
      }
      this.servingSize = loaded.size;
      this.options.log.info(`Library ready: ${loaded.size} papers, ${loaded.problems} problem(s), ${loaded.millis} ms${loaded.fromSnapshot ? ' (snapshot)' : ''}`);
      this.options.changed(loaded.problemList);
      this.setState({
        kind: 'ready',
        size: loaded.size,
        sources: loaded.sources,
        problems: loaded.problems,
        millis: loaded.millis,
        ...(loaded.fromSnapshot ? { fromSnapshot: true as const } : {}),
      });
    } catch (error) {
      if (superseded()) return;
      const message = error instanceof Error ? error.message : String(error);
      this.options.log.error(`Loading the library failed: ${message}`);
      this.setState({ kind: 'failed', message, size: this.size });
    }
  }

  /** `fresh`: Rebuild Library, which discards the saved library and reads every file. */
  private newWorker(keyFormula: KeyFormula, fresh: boolean): LibraryWorker {
    const worker: LibraryWorker = new LibraryWorker(
      this.options.workerFile,
      { keyFormula, cacheDir: this.options.cacheDir, cacheTag: this.options.cacheTag, fresh },
      this.options.log,
      (update) => {
        if (this.serving !== worker) return;
        this.servingSize = update.size;
        const name = path.basename(update.file);
        this.options.log.info(
          `Library updated: ${name} +${update.added} −${update.removed} in ${update.millis} ms${update.rebuilt ? ' (rebuilt after a failed update)' : ''}; ${update.size} papers`,
        );
        this.options.changed(update.problemList);
        if (this.loadState.kind !== 'loading') {
          this.setState({ kind: 'ready', size: update.size, sources: update.sources, problems: update.problems, millis: update.millis });
        }
      },
      () => this.workerExited(worker),
    );
    return worker;
  }

  /** A serving worker that stops (out of memory, a crash) is replaced by a fresh load. */
  private workerExited(worker: LibraryWorker): void {
    if (this.serving !== worker) return;
    this.serving = undefined;
    this.options.log.error('The library worker stopped; loading the library again.');
    this.scheduleReload('the library worker stopped');
  }

  private setState(state: LibraryStatus): void {
    this.loadState = state;
    if (state.kind !== 'loading') for (const resolve of this.waiting.splice(0)) resolve();
    this.options.status(state);
  }

  /** Files the client does not watch (outside the workspace folders): a change reads the file again. */
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
          if (name && names.has(String(name))) this.fileChanged(path.join(folder, String(name)));
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
