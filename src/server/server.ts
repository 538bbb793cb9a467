// The Paperlens language server: owns the library and answers completion, hover, definition, the citation check,
// its quick fixes, the citing commands and the custom requests of the views. The same server runs under VS Code
// (dist/server.js over IPC) and any LSP client (`paperlens lsp --stdio`).
import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentLanguage } from '../core/documents/citations';
import type { DocumentLanguage } from '../core/documents/types';
import { Library } from '../core/library';
import { readCorpusText } from '../core/load';
import {
  CancelLoadNotification,
  ServerCommands,
  StatusNotification,
  TrustGrantedNotification,
  type InitializationOptions,
} from '../protocol';
import { BibliographyReader, type DocumentBibliography, type DocumentInput } from './bibliographies';
import { CitationCheck } from './citationCheck';
import { corpusFiles, isInside, type CorpusFolder } from './corpusFiles';
import { registerCommands } from './commands';
import { registerIntegrity } from './integrity';
import { registerLanguageFeatures } from './languageFeatures';
import { LibraryHost, type AsyncLibraryQueries } from './libraryHost';
import { libraryQueries, type LibraryQueries } from './libraryQueries';
import { registerRelated } from './related';
import { registerRequests } from './requests';
import { settingsFrom, type PaperlensSettings } from './settings';
import { defaultCacheDir } from './cache';
import { onNotification, sendNotification } from './messages';
import { filePath } from './uris';

export interface ServerOptions {
  /** The library worker's bundle (dist/libraryWorker.js). */
  workerFile: string;
  /** The bundled sample corpus, when the client names none. */
  bundledCorpus: string;
}

/** Corpus file extensions: a change to one of them may change the library. */
const CORPUS_FILE = /\.(?:bib|json|jsonl|ris|txt)$/i;

/** What every part of the server shares: documents, settings, the library, the bibliography reader. */
export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly host: LibraryHost;
  readonly reader: BibliographyReader;
  /** What the client said it supports, at initialize. */
  capabilities(): ClientCapabilities;
  /** The client runs Paperlens's commands from hover links (it said so at initialize); other editors get none. */
  commandLinks(): boolean;
  /** The library's answers: from the newest one loaded, or before the first is ready from the open documents' .bib files. */
  readonly queries: AsyncLibraryQueries;
  /** An open document, or one read from disk, as the documents layer needs it; undefined for other languages. */
  documentInput(uri: string): DocumentInput | undefined;
  /** The bibliography of a document; undefined for a document that is not a file (untitled). */
  bibliographyOf(document: DocumentInput): DocumentBibliography | undefined;
  /** The settings that apply to a file (its workspace folder's). */
  settingsOf(file: string): PaperlensSettings;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

/** The documents language of a file by its extension, for documents the client has not opened. */
function languageOfFile(file: string): DocumentLanguage | undefined {
  if (/\.(?:tex|ltx|latex)$/i.test(file)) return 'latex';
  if (/\.(?:md|markdown|qmd|rmd)$/i.test(file)) return 'markdown';
  return undefined;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  let folders: { path: string; uri: string }[] = [];
  let initOptions: InitializationOptions = {};
  let clientCapabilities: ClientCapabilities = {};
  let canAskConfiguration = false;
  let canRegisterConfiguration = false;
  /** Settings pushed by didChangeConfiguration, for clients that cannot be asked. */
  let pushedSettings: unknown;
  let globalSettings: PaperlensSettings = settingsFrom(undefined);
  let folderSettings = new Map<string, PaperlensSettings>();
  let trusted = true;
  /** The first reading of the settings, at initialized. */
  let settingsRead: Promise<void> = Promise.resolve();

  const log = {
    info: (message: string) => connection.console.info(message),
    warn: (message: string) => connection.console.warn(message),
    error: (message: string) => connection.console.error(message),
  };

  const settingsOf = (file: string): PaperlensSettings => {
    const folder = folders.filter((candidate) => isInside(candidate.path, file)).sort((a, b) => b.path.length - a.path.length)[0];
    return (folder && folderSettings.get(folder.path)) ?? globalSettings;
  };

  const openText = (file: string) => {
    for (const document of documents.all()) {
      if (filePath(document.uri) === file) return { text: document.getText(), version: document.version };
    }
    return undefined;
  };
  const reader = new BibliographyReader(openText, (file) => settingsOf(file).defaultBibliography, []);
  // The project model follows the documents as they are edited, and the files on disk as the client reports them.
  documents.onDidChangeContent((event) => {
    const file = filePath(event.document.uri);
    if (file) reader.fileChanged(file, event.document.getText());
  });
  documents.onDidClose((event) => {
    const file = filePath(event.document.uri);
    if (file) reader.fileChanged(file);
  });

  /** The part of the settings that shapes what the library holds. */
  const librarySettings = () =>
    JSON.stringify([globalSettings, ...folderSettings.values()].map((settings) => [
      settings.corpusFiles,
      settings.includeWorkspaceBibFiles,
      settings.bundledCorpus,
      settings.keyFormula,
    ]));

  /** Reads the settings of every folder; true when what the library holds changed. */
  const refreshSettings = async (): Promise<boolean> => {
    const before = librarySettings();
    if (canAskConfiguration) {
      const scopes = [undefined, ...folders.map((folder) => folder.uri)];
      const answers: unknown[] = await connection.workspace.getConfiguration(scopes.map((scopeUri) => ({ scopeUri, section: 'paperlens' })));
      globalSettings = settingsFrom(answers[0]);
      folderSettings = new Map(folders.map((folder, index) => [folder.path, settingsFrom(answers[index + 1])]));
    } else {
      globalSettings = settingsFrom(pushedSettings ?? initOptions.settings);
      folderSettings = new Map(folders.map((folder) => [folder.path, globalSettings]));
    }
    return librarySettings() !== before;
  };

  /** The open documents' own bibliography files as a small library, rebuilt when one of them changes. */
  let fallback: { texts: string; queries: LibraryQueries } | undefined;
  const fallbackQueries = (): LibraryQueries => {
    const files = new Set<string>();
    for (const document of documents.all()) {
      const input = context.documentInput(document.uri);
      for (const file of (input && context.bibliographyOf(input)?.filesOfEveryRoot) ?? []) files.add(file);
    }
    const texts = [...files].flatMap((file) => {
      const text = reader.currentText(file);
      return text === undefined ? [] : [{ file, text }];
    });
    const key = texts.map(({ file, text }) => `${file}\0${text}`).join('\0\0');
    if (fallback?.texts !== key) {
      const library = Library.build(texts.map(({ file, text }) => readCorpusText(file, text, 'bibtex')), { keyFormula: globalSettings.keyFormula });
      fallback = { texts: key, queries: libraryQueries(library) };
    }
    return fallback.queries;
  };

  let check: CitationCheck | undefined;
  const host: LibraryHost = new LibraryHost({
    workerFile: options.workerFile,
    get cacheDir() {
      return initOptions.cacheDir ?? defaultCacheDir(folders.map((folder) => folder.path));
    },
    get cacheTag() {
      return initOptions.cacheTag;
    },
    plan: async () => {
      const files = corpusFiles({
        folders: folders.map((folder): CorpusFolder => ({ path: folder.path, settings: folderSettings.get(folder.path) ?? globalSettings })),
        globalSettings,
        bundledCorpus: initOptions.bundledCorpus ?? options.bundledCorpus,
        trusted,
        warn: log.warn,
      });
      const bundledFolder = path.dirname(initOptions.bundledCorpus ?? options.bundledCorpus);
      // The client reports changes inside the workspace folders; the server watches the others itself.
      const unwatched = files.filter((file) => !isInside(bundledFolder, file) && !folders.some((folder) => isInside(folder.path, file)));
      return { files, keyFormula: globalSettings.keyFormula, unwatched };
    },
    fallback: () => fallbackQueries(),
    status: (status) => sendNotification(connection, StatusNotification, status),
    changed: (problems) => check?.libraryChanged(problems),
    log,
  });

  const context: ServerContext = {
    connection,
    documents,
    host,
    reader,
    queries: host.queries,
    capabilities: () => clientCapabilities,
    commandLinks: () => initOptions.commandLinks === true,
    log,
    documentInput(uri) {
      const open = documents.get(uri);
      const file = filePath(uri);
      const language = open ? documentLanguage(open.languageId) : file && languageOfFile(file);
      if (!language) return undefined;
      if (open) return { uri, file: file ?? '', version: open.version, text: open.getText(), language };
      const text = file === undefined ? undefined : reader.currentText(file);
      return text === undefined || file === undefined ? undefined : { uri, file, version: -1, text, language };
    },
    bibliographyOf(document) {
      return document.file === '' ? undefined : reader.bibliography(document);
    },
    settingsOf,
  };
  check = new CitationCheck(context);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    initOptions = (params.initializationOptions ?? {}) as InitializationOptions;
    clientCapabilities = params.capabilities ?? {};
    trusted = initOptions.trusted !== false;
    const workspaceFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    folders = workspaceFolders.flatMap((folder) => {
      const file = filePath(folder.uri);
      return file ? [{ path: file, uri: folder.uri }] : [];
    });
    reader.foldersChanged(folders.map((folder) => folder.path));
    canAskConfiguration = params.capabilities?.workspace?.configuration === true;
    canRegisterConfiguration = params.capabilities?.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        // `{` opens \cite{, `,` the next key, a space the next word of a query, `@` a Pandoc citation; the server
        // answers nothing outside a key list.
        completionProvider: { triggerCharacters: ['{', ',', ' ', '@'], resolveProvider: true },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        // A client that cannot prepare a rename gets refusals from the rename itself.
        renameProvider: params.capabilities?.textDocument?.rename?.prepareSupport === true ? { prepareProvider: true } : true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        executeCommandProvider: { commands: Object.values(ServerCommands) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'Paperlens' },
    };
  });

  connection.onInitialized(async () => {
    if (clientCapabilities.workspace?.workspaceFolders === true) {
      connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
        const removed = new Set(event.removed.map((folder) => folder.uri));
        folders = [
          ...folders.filter((folder) => !removed.has(folder.uri)),
          ...event.added.flatMap((folder) => {
            const file = filePath(folder.uri);
            return file ? [{ path: file, uri: folder.uri }] : [];
          }),
        ];
        reader.foldersChanged(folders.map((folder) => folder.path));
        await refreshSettings().catch((error: unknown) => log.error(`Reading the settings failed: ${String(error)}`));
        host.scheduleReload('workspace folders changed');
      });
    }
    settingsRead = refreshSettings().then(
      () => undefined,
      (error: unknown) => log.error(`Reading the settings failed: ${String(error)}`),
    );
    if (canRegisterConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'paperlens' });
    await settingsRead;
    host.start();
  });

  connection.onDidChangeConfiguration(async (change) => {
    // The first read must be done: a change compared with the defaults would reload what is loading.
    await settingsRead;
    const pushed = (change.settings as { paperlens?: unknown } | undefined)?.paperlens;
    if (pushed !== undefined) pushedSettings = pushed;
    const libraryChanged = await refreshSettings().catch((error: unknown) => {
      log.error(`Reading the settings failed: ${String(error)}`);
      return false;
    });
    if (libraryChanged) host.scheduleReload('settings changed');
    check?.recheckOpen();
  });

  /** A new file matters when it is a workspace .bib or may match a configured file or glob. */
  const mayJoinLibrary = (file: string): boolean =>
    (file.endsWith('.bib') && settingsOf(file).includeWorkspaceBibFiles) ||
    settingsOf(file).corpusFiles.some((entry) => /[*?{[]/.test(entry) || path.basename(entry) === path.basename(file));

  connection.onDidChangeWatchedFiles((change) => {
    for (const event of change.changes) {
      const file = filePath(event.uri);
      if (!file) continue;
      if (event.type === FileChangeType.Deleted) reader.fileDeleted(file);
      else if (!documents.get(event.uri)) reader.fileChanged(file);
      if (!CORPUS_FILE.test(file)) continue;
      // A changed file of the library is read again alone; a created or deleted one changes the list of files.
      if (event.type === FileChangeType.Changed) host.fileChanged(file);
      else if (event.type === FileChangeType.Deleted ? host.isLoaded(file) : mayJoinLibrary(file)) host.scheduleReload(`${file} ${event.type === FileChangeType.Deleted ? 'deleted' : 'created'}`);
    }
    // A .bib written on disk changes what is missing in every open document.
    check?.recheckOpen();
  });

  onNotification(connection, CancelLoadNotification, () => host.cancel());
  onNotification(connection, TrustGrantedNotification, () => {
    trusted = true;
    host.scheduleReload('workspace trusted');
  });

  check.register();
  registerCommands(context, () => check?.recheckOpen());
  registerRequests(context);
  const integrity = registerIntegrity(context, { folders: () => folders.map((folder) => folder.path), check });
  registerLanguageFeatures(context, integrity);
  registerRelated(context);

  connection.onShutdown(() => host.dispose());
  documents.listen(connection);
  connection.listen();
}
