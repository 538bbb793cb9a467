// Owns the live Library: finds the corpus files, has the index worker read and index them, swaps the result in,
// and reloads when settings or corpus files change.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { Library } from './core/library';
import type { LibraryService, LoadState, Settings } from './services';
import type { IndexReply, IndexRequest } from './worker/protocol';
import { affectsLibrary } from './settings';

/** Reload a short while after the last change, so saving a .bib repeatedly costs one rebuild. */
const RELOAD_DELAY_MS = 400;
/** Corpus file extensions the workspace watcher sees; other loaded files get a watcher of their own. */
const WATCHED_EXTENSIONS = ['bib', 'json', 'jsonl', 'ris', 'txt'];
const WATCHED_FILE = new RegExp(`\\.(?:${WATCHED_EXTENSIONS.join('|')})$`);

/** True when `file` is `folder` or inside it (a path on another drive is not). */
function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

export class WorkerLibraryService implements LibraryService, vscode.Disposable {
  private current = Library.empty();
  private loadState: LoadState = { kind: 'loading' };
  private generation = 0;
  private reloadTimer: NodeJS.Timeout | undefined;
  /** The index worker of the newest load, stopped when a newer load starts or the service is disposed. */
  private worker: Worker | undefined;
  /** Watchers of loaded files the workspace watcher does not see (outside the workspace folders). */
  private fileWatchers: vscode.Disposable | undefined;
  private settleReady: () => void = () => undefined;
  /** Whether the scheduled reload may use the snapshot. */
  private pendingUsesSnapshot = true;
  /** The files the newest load reads, for the watcher. */
  private loadedFiles = new Set<string>();
  private readonly changed = new vscode.EventEmitter<Library>();
  private readonly stateChanged = new vscode.EventEmitter<LoadState>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.stateChanged];
  readonly onDidChange = this.changed.event;
  readonly onDidChangeState = this.stateChanged.event;
  /** Settles with the first load that finishes, even when that is not the first one started. */
  readonly ready = new Promise<void>((resolve) => (this.settleReady = resolve));

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsLibrary(event)) this.scheduleReload('settings changed', true);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleReload('workspace folders changed', true)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleReload('workspace trusted', true)),
      this.watchCorpusFiles(),
    );
    void this.load(true);
  }

  get library(): Library {
    return this.current;
  }

  get state(): LoadState {
    return this.loadState;
  }

  /** Re-reads every file: the user asks for it when the library looks wrong, so a matching snapshot is not enough. */
  rebuild(): Promise<void> {
    return this.load(false);
  }

  /**
   * Loads the library. `useSnapshot` lets a matching warm-start snapshot stand in for reading the files; loads
   * caused by a file change never use it, as a file rewritten within its modification-time resolution at the same
   * size would match the snapshot of its old text.
   */
  private async load(useSnapshot: boolean): Promise<void> {
    const generation = ++this.generation;
    const superseded = () => generation !== this.generation;
    // This load reads the settings and files as they are now: a pending reload and an older load are moot, and two
    // builds at once would each take twice as long and hold an index each.
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    this.stopWorker();
    this.setState({ kind: 'loading' });
    try {
      const files = await this.corpusFiles();
      if (superseded()) return;
      // Watched from now on, not only after a successful load: fixing the file a failed load tripped on reloads.
      this.loadedFiles = new Set(files);
      this.watchUnseenFiles(files);
      this.log.info(`Loading ${files.length} corpus file(s): ${files.join(', ')}`);
      const loaded = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Paperlens' },
        async (progress) => {
          const request: IndexRequest = {
            files,
            keyFormula: this.settings.keyFormula(),
            // Per workspace when there is one: windows on different corpora would otherwise overwrite each other's.
            cacheDir: (this.context.storageUri ?? this.context.globalStorageUri).fsPath,
            cacheTag: String(this.context.extension.packageJSON.version),
            ignoreCache: !useSnapshot,
          };
          const onProgress = (message: string) => progress.report({ message });
          let reply = await this.runWorker(request, onProgress);
          let library = Library.fromSnapshot(reply.snapshot, { keyFormula: request.keyFormula });
          if (!library && reply.fromCache && !superseded()) {
            reply = await this.runWorker({ ...request, ignoreCache: true }, onProgress);
            library = Library.fromSnapshot(reply.snapshot, { keyFormula: request.keyFormula });
          }
          if (!library) throw new Error('the index worker produced a snapshot this version cannot read');
          return { library, reply };
        },
      );
      if (superseded()) return; // a newer rebuild started meanwhile; its result wins
      if (loaded.reply.cacheWarning) this.log.warn(`The next start will re-read the corpus: ${loaded.reply.cacheWarning}`);
      this.current = loaded.library;
      const problems = loaded.library.sources.reduce((sum, source) => sum + source.problems.length, 0);
      this.log.info(
        `Library ready: ${loaded.library.size} papers, ${problems} problem(s), ${loaded.reply.millis} ms${loaded.reply.fromCache ? ' (snapshot)' : ''}`,
      );
      this.setState({ kind: 'ready', millis: loaded.reply.millis, fromCache: loaded.reply.fromCache });
      this.changed.fire(loaded.library);
    } catch (error) {
      if (superseded()) return;
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`Loading the library failed: ${message}`);
      this.setState({ kind: 'failed', message });
    }
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.generation++;
    this.stopWorker();
    this.fileWatchers?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private setState(state: LoadState): void {
    this.loadState = state;
    if (state.kind !== 'loading') this.settleReady();
    this.stateChanged.fire(state);
  }

  private stopWorker(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  /** Several changes in a row cost one load; it may use the snapshot only if every one of them allowed it. */
  private scheduleReload(reason: string, useSnapshot = false): void {
    this.log.info(`Reloading the library: ${reason}`);
    if (this.reloadTimer === undefined) this.pendingUsesSnapshot = true;
    this.pendingUsesSnapshot &&= useSnapshot;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.load(this.pendingUsesSnapshot);
    }, RELOAD_DELAY_MS);
  }

  private runWorker(request: IndexRequest, onProgress: (message: string) => void): Promise<Extract<IndexReply, { type: 'done' }>> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.context.asAbsolutePath(path.join('dist', 'indexWorker.js')), { workerData: request });
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
          // The user sees the message (status bar, search view); the log gets where it came from.
          if (reply.stack) this.log.error(`The index worker failed: ${reply.stack}`);
          settle(() => reject(new Error(reply.message)));
        }
      });
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) => settle(() => reject(new Error(`the index worker stopped (exit code ${code})`))));
    });
  }

  /**
   * Workspace .bib files first (the user's own entries win duplicates), then configured files, then the bundled
   * corpus. Both corpus settings are resource-scoped: each folder of a multi-root workspace is read with its own.
   */
  private async corpusFiles(): Promise<string[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const files: string[] = [];
    for (const folder of folders) {
      if (!this.settings.includeWorkspaceBibFiles(folder.uri)) continue;
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.bib'), '**/{node_modules,.git}/**', 500);
      files.push(...found.map((uri) => uri.fsPath).sort());
    }
    // Without a folder only user settings apply, and only their absolute paths mean anything.
    for (const folder of folders.length > 0 ? folders : [undefined]) {
      for (const entry of this.settings.corpusFiles(folder?.uri)) files.push(...(await this.resolveConfigured(entry, folder)));
    }
    if (this.settings.bundledCorpus()) files.push(this.context.asAbsolutePath(path.join('corpus', 'papers.txt')));
    return [...new Set(files)];
  }

  /** A configured entry: an absolute path, or a path or glob relative to the folder whose setting it is. */
  private async resolveConfigured(entry: string, folder: vscode.WorkspaceFolder | undefined): Promise<string[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const isGlob = /[*?{[]/.test(entry);
    if (path.isAbsolute(entry)) {
      // An untrusted workspace must not make us read files outside it.
      const inside = folders.some((open) => isInside(open.uri.fsPath, entry));
      if (!vscode.workspace.isTrusted && !inside) {
        this.log.warn(`Skipping ${entry}: the workspace is not trusted and the file is outside it.`);
        return [];
      }
      if (!isGlob) return [entry];
      const base = path.dirname(entry.slice(0, entry.search(/[*?{[]/)) + 'x');
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(base), path.relative(base, entry)));
      return found.map((uri) => uri.fsPath).sort();
    }
    if (!folder) return [];
    if (!isGlob) return [path.join(folder.uri.fsPath, entry)];
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, entry));
    return found.map((uri) => uri.fsPath).sort();
  }

  private watchCorpusFiles(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/*.{${WATCHED_EXTENSIONS.join(',')}}`);
    const reloadIf = (uri: vscode.Uri, relevant: boolean) => {
      if (relevant) this.scheduleReload(`${vscode.workspace.asRelativePath(uri)} changed`);
    };
    const isLoaded = (uri: vscode.Uri) => this.loadedFiles.has(uri.fsPath);
    // A new file matters when it is a workspace .bib or may match a configured glob.
    const mayBeNewCorpusFile = (uri: vscode.Uri) => {
      const scope = vscode.workspace.getWorkspaceFolder(uri)?.uri;
      return (
        (uri.fsPath.endsWith('.bib') && this.settings.includeWorkspaceBibFiles(scope)) ||
        this.settings.corpusFiles(scope).some((entry) => /[*?{[]/.test(entry) || path.basename(entry) === path.basename(uri.fsPath))
      );
    };
    return vscode.Disposable.from(
      watcher,
      watcher.onDidChange((uri) => reloadIf(uri, isLoaded(uri))),
      watcher.onDidDelete((uri) => reloadIf(uri, isLoaded(uri))),
      watcher.onDidCreate((uri) => reloadIf(uri, mayBeNewCorpusFile(uri))),
    );
  }

  /**
   * The workspace watcher sees only its folders and its extensions: a configured file elsewhere (~/Zotero/my.bib)
   * or of another extension gets a watcher of its own, so editing, creating or deleting it reloads too.
   */
  private watchUnseenFiles(files: readonly string[]): void {
    this.fileWatchers?.dispose();
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    const bundled = this.context.asAbsolutePath('corpus');
    const unseen = files.filter(
      (file) => !isInside(bundled, file) && !(WATCHED_FILE.test(file) && folders.some((folder) => isInside(folder, file))),
    );
    this.fileWatchers = vscode.Disposable.from(
      ...unseen.map((file) => {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
        const reload = () => this.scheduleReload(`${file} changed`);
        return vscode.Disposable.from(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));
      }),
    );
  }
}
