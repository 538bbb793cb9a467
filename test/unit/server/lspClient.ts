// A plain LSP client over stdio for the server tests: spawns `node dist/cli.js lsp --stdio`, answers the server's
// requests as an editor would (settings, applyEdit applied to its own copies of the files), and records what the
// server publishes.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TextDocument, type TextEdit } from 'vscode-languageserver-textdocument';

export const REPO = path.resolve(__dirname, '../../..');
export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface LibraryStatus {
  kind: 'loading' | 'ready' | 'failed';
  size: number;
  message?: string;
}

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  code?: string;
  source?: string;
}

export interface WorkspaceEdit {
  documentChanges?: ({ kind: 'create'; uri: string } | { textDocument: { uri: string }; edits: TextEdit[] })[];
  changes?: Record<string, TextEdit[]>;
}

export function uriOf(file: string): string {
  return pathToFileURL(file).toString();
}

export class LspTestClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess;
  readonly statuses: LibraryStatus[] = [];
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly appliedEdits: WorkspaceEdit[] = [];
  /** The server's log messages (window/logMessage), in order. */
  readonly logs: string[] = [];
  /** Text of files as this "editor" has them after applied edits (unsaved), by URI. */
  readonly editorTexts = new Map<string, string>();
  private readonly versions = new Map<string, number>();
  stderr = '';
  private exited = false;

  constructor(
    readonly workspace: string,
    private readonly settings: unknown,
    private readonly cacheDir: string,
  ) {
    this.process = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.process.on('exit', () => (this.exited = true));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      this.appliedEdits.push(params.edit);
      this.applyToEditor(params.edit);
      return { applied: true };
    });
    this.connection.onNotification('paperlens/status', (status: LibraryStatus) => this.statuses.push(status));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) =>
      this.diagnostics.set(params.uri, params.diagnostics),
    );
    this.connection.onNotification('window/logMessage', (params: { message: string }) => this.logs.push(params.message));
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(this.workspace),
      workspaceFolders: [{ uri: uriOf(this.workspace), name: 'workspace' }],
      capabilities: {
        workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
        textDocument: { completion: { completionItem: { insertReplaceSupport: true, labelDetailsSupport: true } } },
      },
      initializationOptions: { cacheDir: this.cacheDir },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves when the server says the library is ready; returns its size. */
  async ready(timeoutMs = 60_000): Promise<number> {
    const status = await this.waitFor(() => this.statuses.find((candidate) => candidate.kind !== 'loading'), timeoutMs, 'the library to load');
    if (status.kind !== 'ready') throw new Error(`the library failed: ${status.message}`);
    return status.size;
  }

  async waitFor<T>(condition: () => T | undefined | false, timeoutMs = 20_000, what = 'a condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value) return value;
      if (Date.now() > deadline || this.exited) throw new Error(`${this.exited ? 'the server exited' : 'timed out'} waiting for ${what}; server stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  open(file: string, languageId: string, text = readFileSync(file, 'utf8')): string {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    this.editorTexts.set(uri, text);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Replaces the whole text of an open document, as a full-text change. */
  change(uri: string, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.editorTexts.set(uri, text);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Writes what this "editor" has for a file to disk (a save) and tells the server, as a file watcher would. */
  save(uri: string): void {
    writeFileSync(new URL(uri), this.editorTexts.get(uri) ?? '');
    void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // Already gone.
    }
    this.connection.dispose();
    this.process.kill();
  }

  private applyToEditor(edit: WorkspaceEdit): void {
    const changes = edit.documentChanges ?? Object.entries(edit.changes ?? {}).map(([uri, edits]) => ({ textDocument: { uri }, edits }));
    for (const change of changes) {
      if ('kind' in change) {
        if (!this.editorTexts.has(change.uri)) this.editorTexts.set(change.uri, '');
        continue;
      }
      const uri = change.textDocument.uri;
      const before = this.editorTexts.get(uri) ?? readFileSync(new URL(uri), 'utf8');
      this.editorTexts.set(uri, TextDocument.applyEdits(TextDocument.create(uri, 'text', 0, before), change.edits));
    }
  }
}
