// The client of the Paperlens language server: starts it (dist/server.js over IPC), syncs the citing documents and
// the .bib files to it, and gives the views and commands its custom requests with their types, its status, and
// what its citing commands did.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { BIBLIOGRAPHY_LANGUAGE, CITING_LANGUAGES, COMMANDS, INTERNAL_COMMANDS } from '../ids';
import {
  CancelLoadNotification,
  ServerCommands,
  StatusNotification,
  TrustGrantedNotification,
  type CiteOutcome,
  type InitializationOptions,
  type LibraryStatus,
  type Notification,
  type Request,
} from '../protocol';

/** Files whose changes in the workspace the server hears of: corpus files, and the documents and project files that say which bibliographies a chapter uses. */
const WATCHED_FILES = '**/*.{bib,json,jsonl,ris,txt,tex,md,markdown,qmd,rmd,Rmd,yml,yaml}';

/** What a server command did, with the arguments it was given. */
export type CommandOutcomeHandler = (command: string, args: unknown[], outcome: CiteOutcome) => Promise<void>;

export class PaperlensServer implements vscode.Disposable {
  private readonly client: LanguageClient;
  private currentStatus: LibraryStatus = { kind: 'loading', message: 'starting the server', size: 0 };
  private readonly statusChanged = new vscode.EventEmitter<LibraryStatus>();
  private readonly libraryChanged = new vscode.EventEmitter<void>();
  private outcomeHandler: CommandOutcomeHandler | undefined;
  private started: Promise<void> | undefined;
  private settleReady: () => void = () => undefined;
  private readonly disposables: vscode.Disposable[] = [this.statusChanged, this.libraryChanged];
  /** Loading, ready or failed, as the server last said. */
  readonly onDidChangeStatus = this.statusChanged.event;
  /** A new library is ready: what the views show may have changed. */
  readonly onDidChangeLibrary = this.libraryChanged.event;
  /** Settles with the first load that finishes (ready or failed). */
  readonly ready = new Promise<void>((resolve) => (this.settleReady = resolve));

  constructor(context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {
    const module = context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const initializationOptions: InitializationOptions = {
      bundledCorpus: context.asAbsolutePath(path.join('corpus', 'papers.txt')),
      // Per workspace when there is one: windows on different corpora would otherwise overwrite each other's.
      cacheDir: (context.storageUri ?? context.globalStorageUri).fsPath,
      cacheTag: String(context.extension.packageJSON.version),
      trusted: vscode.workspace.isTrusted,
      commandLinks: true,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        ...CITING_LANGUAGES.flatMap((language) => [
          { language, scheme: 'file' },
          { language, scheme: 'untitled' },
        ]),
        { language: BIBLIOGRAPHY_LANGUAGE, scheme: 'file' },
        { pattern: '**/*.bib', scheme: 'file' },
      ],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED_FILES) },
      initializationOptions,
      outputChannel: log,
      // The hover trusts exactly the commands its links run: a whole abstract, the similar papers.
      markdown: { isTrusted: { enabledCommands: [INTERNAL_COMMANDS.showAbstract, COMMANDS.showSimilarPapers] }, supportHtml: false },
      middleware: {
        executeCommand: async (command, args, next) => {
          const outcome = (await next(command, args)) as CiteOutcome | undefined;
          if (outcome && this.outcomeHandler) await this.outcomeHandler(command, args, outcome);
          return outcome;
        },
      },
    };
    this.client = new LanguageClient('paperlens', 'Paperlens', serverOptions, clientOptions);
    this.disposables.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.notify(TrustGrantedNotification, undefined)),
    );
  }

  /** Starts the server; requests sent meanwhile wait for it. */
  start(): Promise<void> {
    this.client.onNotification(StatusNotification.method, (status: LibraryStatus) => this.setStatus(status));
    this.started = this.client.start();
    return this.started;
  }

  get status(): LibraryStatus {
    return this.currentStatus;
  }

  /** Handles what every server command did (save the .bib, place the cursor, offer to declare a bibliography). */
  handleOutcomes(handler: CommandOutcomeHandler): vscode.Disposable {
    this.outcomeHandler = handler;
    return { dispose: () => (this.outcomeHandler = undefined) };
  }

  async request<P, R>(request: Request<P, R>, params: P, token?: vscode.CancellationToken): Promise<R> {
    await this.started;
    // jsonrpc reads every argument after the method as a parameter unless it is a token: pass none that is undefined.
    const args: unknown[] = [...(params === undefined ? [] : [params]), ...(token === undefined ? [] : [token])];
    return this.client.sendRequest<R>(request.method, ...(args as []));
  }

  notify<P>(notification: Notification<P>, params: P): void {
    void this.started?.then(() => this.client.sendNotification(notification.method, params));
  }

  /** Runs a server command through VS Code, so the outcome handler sees it as it sees the completion's. */
  runCommand(command: (typeof ServerCommands)[keyof typeof ServerCommands], ...args: unknown[]): Thenable<CiteOutcome | undefined> {
    return vscode.commands.executeCommand<CiteOutcome | undefined>(command, ...args);
  }

  cancelLoad(): void {
    this.notify(CancelLoadNotification, undefined);
  }

  /** The client's URI text of a document, as the server knows it. */
  uriOf(uri: vscode.Uri): string {
    return this.client.code2ProtocolConverter.asUri(uri);
  }

  /** The server's position as VS Code's. */
  position(position: { line: number; character: number }): vscode.Position {
    return new vscode.Position(position.line, position.character);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
    void this.client.stop().catch(() => undefined);
  }

  private setStatus(status: LibraryStatus): void {
    const previous = this.currentStatus;
    this.currentStatus = status;
    if (status.kind !== 'loading') this.settleReady();
    if (status.kind === 'failed') this.log.error(`Paperlens library: ${status.message}`);
    this.statusChanged.fire(status);
    // A load or an update that finished changes the library; abstracts indexed in the background do not change what the views list.
    const sameLibrary =
      previous.kind === 'ready' && status.kind === 'ready' && previous.size === status.size && previous.sources === status.sources &&
      previous.problems === status.problems && previous.millis === status.millis;
    if ((status.kind === 'ready' && !sameLibrary) || (status.kind === 'failed' && previous.kind !== 'ready')) this.libraryChanged.fire();
  }
}
