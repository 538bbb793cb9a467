// Citation integrity across the workspace as LSP features: Find All References and Rename Symbol on a key (from a
// document or a .bib entry), Go to Definition inside a .bib, the diagnostics of .bib files (duplicate keys,
// the same paper twice with its merge fix, reader problems), and the requests behind the unused-entries and
// export-cited commands, the Library's unused filter and the Cited view's uses of a key. The logic is core/integrity;
// this file keeps its WorkspaceIndex in step with the workspace (open editors' texts first, then the disk) and
// converts paths and results to LSP's shapes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind,
  DiagnosticSeverity,
  ErrorCodes,
  ResponseError,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Location,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { createProject, type ProjectModel } from '../core/documents/project';
import {
  WorkspaceIndex,
  bibliographyDiagnostics,
  entriesRemovalEdits,
  exportCitedEntries,
  fileKind,
  findDefinitions,
  findReferences,
  keyAtOffset,
  keyUsesIn,
  mergeDuplicateEntry,
  prepareRename,
  projectsOf,
  rename,
  unusedEntries,
  type FileEdits,
  type IntegrityDiagnostic,
  type Location as IntegrityLocation,
  type Project,
  type UnusedEntries,
} from '../core/integrity';
import type { BibEntry } from '../core/integrity/bibEntries';
import type { Paper } from '../core/paper';
import { CitedEntriesRequest, KeyUsesRequest, RemoveUnusedEntriesRequest, UnusedEntriesRequest, type KeyUseLocation, type UnusedEntriesResult } from '../protocol';
import type { CitationCheck } from './citationCheck';
import { onRequest } from './messages';
import type { ServerContext } from './server';
import { filePath, fileUri } from './uris';

/** Folders no project keeps its sources in. */
const SKIPPED_FOLDERS = new Set(['node_modules', '_book', '_site', '_freeze', 'site-packages', '__pycache__']);
/** The walk of a huge folder stops here; references then cover the files found so far. */
const MAX_WALK_ENTRIES = 50_000;
/** Re-check a .bib this long after the last keystroke. */
const BIB_CHECK_DELAY_MS = 300;
/** A broken 88k-entry file must not flood the Problems panel. */
const MAX_DIAGNOSTICS_PER_FILE = 500;

export interface IntegrityHost {
  /** The workspace folders' paths, as the server has them now. */
  folders(): string[];
  /**
   * The citation check: the server has one code action handler, which asks it for documents' fixes; and the .bib
   * files this module publishes diagnostics for are left out of its corpus problems (one publisher per file).
   */
  check: CitationCheck;
}

/** Workspace files integrity reads (LaTeX, Markdown, .bib), hidden and build folders skipped. */
function listWorkspaceFiles(folders: readonly string[]): string[] {
  const files: string[] = [];
  let entries = 0;
  const walk = (directory: string): void => {
    let children;
    try {
      children = readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const child of children) {
      if (++entries > MAX_WALK_ENTRIES || child.name.startsWith('.')) continue;
      const full = path.join(directory, child.name);
      if (child.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(child.name)) walk(full);
      } else if (fileKind(full) !== undefined) {
        files.push(full);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return files;
}

function severityOf(diagnostic: IntegrityDiagnostic): DiagnosticSeverity {
  if (diagnostic.severity === 'error') return DiagnosticSeverity.Error;
  return diagnostic.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

function lspLocation(location: IntegrityLocation): Location {
  return { uri: fileUri(location.file), range: location.range };
}

function workspaceEdit(changes: FileEdits): WorkspaceEdit {
  return { changes: Object.fromEntries(Object.entries(changes).map(([file, edits]) => [fileUri(file), edits])) };
}

/**
 * The workspace as integrity sees it, brought up to date before each question: open editors' texts as they are
 * (unsaved changes included), other files from disk when their stamp changed, new files found by a walk of the
 * folders. A walk and a stat per file cost milliseconds for hundreds of files; only changed files are read.
 */
class IntegrityWorkspace {
  readonly index = new WorkspaceIndex();
  private readonly stamps = new Map<string, string>();
  private projectModel: ProjectModel | undefined;
  private projectFolders = '';

  constructor(private readonly context: ServerContext, private readonly host: IntegrityHost) {}

  private openText(file: string): string | undefined {
    for (const document of this.context.documents.all()) {
      if (filePath(document.uri) === file) return document.getText();
    }
    return undefined;
  }

  /** Brings one file up to date; false when it no longer exists. */
  private refreshFile(file: string): boolean {
    const open = this.openText(file);
    if (open !== undefined) {
      this.setText(file, open, 'open');
      return true;
    }
    let stamp: string;
    try {
      const stat = statSync(file);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      this.index.delete(file);
      this.stamps.delete(file);
      return false;
    }
    if (this.stamps.get(file) === stamp && this.index.has(file)) return true;
    try {
      this.setText(file, readFileSync(file, 'utf8'), stamp);
    } catch {
      return false;
    }
    return true;
  }

  private setText(file: string, text: string, stamp: string): void {
    if (!this.index.has(file) || this.stamps.get(file) !== stamp || stamp === 'open') {
      this.index.set(file, text);
      this.projectModel?.update(file, text);
    }
    this.stamps.set(file, stamp);
  }

  /** The whole workspace, for questions about every use of a key. */
  refresh(): WorkspaceIndex {
    const files = new Set(listWorkspaceFiles(this.host.folders()));
    for (const document of this.context.documents.all()) {
      const file = filePath(document.uri);
      if (file && fileKind(file)) files.add(file);
    }
    for (const file of this.index.files()) {
      if (!files.has(file)) {
        this.index.delete(file);
        this.stamps.delete(file);
      }
    }
    for (const file of files) this.refreshFile(file);
    return this.index;
  }

  /** Only the given files, for the diagnostics of a .bib while it is edited. */
  refreshOnly(files: readonly string[]): WorkspaceIndex {
    for (const file of files) this.refreshFile(file);
    return this.index;
  }

  /** The project model over the index's texts (roots, include graph, `%!TEX root`, `_quarto.yml`). */
  model(): ProjectModel {
    const folders = this.host.folders();
    const key = folders.join('\n');
    if (!this.projectModel || this.projectFolders !== key) {
      this.projectFolders = key;
      this.projectModel = createProject({ folders, readFile: (file) => this.text(file) });
    }
    return this.projectModel;
  }

  /** A file's current text: the index's when it holds it, else an open editor's or the disk's. */
  text(file: string): string | undefined {
    const document = this.index.document(file) ?? this.index.bibliography(file);
    if (document) return document.text;
    const open = this.openText(file);
    if (open !== undefined) return open;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** The projects of a document, or of every document whose project reads a .bib. */
  projects(file: string): Project[] {
    const model = this.model();
    const read = (name: string) => this.text(name);
    if (fileKind(file) !== 'bibtex') return projectsOf(model, read, file);
    const byRoot = new Map<string, Project>();
    for (const document of this.index.documents()) {
      for (const project of projectsOf(model, read, document.file)) {
        if (project.bibliographies.includes(file)) byRoot.set(project.root, project);
      }
    }
    return [...byRoot.values()];
  }
}

/** What integrity answers for other handlers: Go to Definition inside a .bib (documents' keys are languageFeatures'). */
export interface IntegrityFeatures {
  /** On a crossref/xref/xdata value or an entry's key: every entry of that key in the workspace's .bib files. */
  bibliographyDefinitions(uri: string, position: { line: number; character: number }): Location[] | null;
}

export function registerIntegrity(context: ServerContext, host: IntegrityHost): IntegrityFeatures {
  const { connection, documents } = context;
  const workspace = new IntegrityWorkspace(context, host);
  /** .bib files whose diagnostics this module publishes. */
  const published = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  host.check.publishedElsewhere = (file) => published.has(file);

  /** The key under the cursor of a request, with the index brought up to date. */
  const keyOfRequest = (uri: string, position: { line: number; character: number }) => {
    const file = filePath(uri);
    if (!file || !fileKind(file)) return undefined;
    const index = workspace.refresh();
    const offset = index.offsetAt(file, position);
    if (offset === undefined) return undefined;
    return { index, file, offset, found: keyAtOffset(index, file, offset) };
  };

  connection.onReferences((params): Location[] | null => {
    const request = keyOfRequest(params.textDocument.uri, params.position);
    if (!request?.found) return null;
    return findReferences(request.index, request.found.key, params.context.includeDeclaration).map(lspLocation);
  });

  connection.onPrepareRename((params) => {
    const request = keyOfRequest(params.textDocument.uri, params.position);
    if (!request) return null;
    const answer = prepareRename(request.index, request.file, request.offset);
    if ('refused' in answer) throw new ResponseError(ErrorCodes.InvalidRequest, answer.refused);
    return answer;
  });

  connection.onRenameRequest((params): WorkspaceEdit | null => {
    const request = keyOfRequest(params.textDocument.uri, params.position);
    if (!request) return null;
    const answer = rename(request.index, request.file, request.offset, params.newName);
    if ('refused' in answer) throw new ResponseError(ErrorCodes.InvalidRequest, answer.refused);
    return workspaceEdit(answer.changes);
  });

  /** Publishes the diagnostics of .bib files, each checked on its own (a key may be defined in two projects' files). */
  const publish = (files: readonly string[]): void => {
    const index = workspace.refreshOnly(files);
    for (const file of files) {
      const bibliography = index.bibliography(file);
      if (!bibliography) continue;
      const diagnostics = bibliographyDiagnostics([bibliography]).slice(0, MAX_DIAGNOSTICS_PER_FILE).map((found): Diagnostic => ({
        range: found.range,
        severity: severityOf(found),
        code: found.code,
        source: 'Paperlens',
        message: found.message,
        ...(found.key === undefined ? {} : { data: { key: found.key } }),
        ...(found.related ? { relatedInformation: found.related.map((related) => ({ location: lspLocation(related.location), message: related.message })) } : {}),
      }));
      published.add(file);
      void connection.sendDiagnostics({ uri: fileUri(file), diagnostics });
    }
  };

  /** The .bib files to check when a document changes: an open .bib itself, or a document's project bibliographies. */
  const bibFilesOf = (uri: string): string[] => {
    const file = filePath(uri);
    if (!file) return [];
    if (fileKind(file) === 'bibtex') return [file];
    const input = context.documentInput(uri);
    const bibliography = input && context.bibliographyOf(input);
    return (bibliography?.declared ? bibliography.filesOfEveryRoot : []).filter((candidate) => workspace.text(candidate) !== undefined);
  };

  const schedule = (uri: string): void => {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        try {
          publish(bibFilesOf(uri));
        } catch (error) {
          context.log.error(`Checking the bibliographies of ${uri} failed: ${String(error)}`);
        }
      }, BIB_CHECK_DELAY_MS),
    );
  };
  documents.onDidOpen((event) => schedule(event.document.uri));
  documents.onDidChangeContent((event) => {
    const file = filePath(event.document.uri);
    if (file && fileKind(file) === 'bibtex') schedule(event.document.uri);
  });
  // The citation check clears a closed file's diagnostics; a .bib's stay, read from disk again.
  documents.onDidClose((event) => {
    const file = filePath(event.document.uri);
    if (file && published.has(file)) schedule(event.document.uri);
  });

  connection.onCodeAction(async (params) => requestedKinds(await codeActions(params), params.context.only));

  const codeActions = async (params: CodeActionParams): Promise<CodeAction[]> => {
    const file = filePath(params.textDocument.uri);
    if (!file || fileKind(file) !== 'bibtex') return host.check.documentCodeActions(params);
    const merges = params.context.diagnostics.filter((diagnostic) => diagnostic.source === 'Paperlens' && diagnostic.code === 'duplicate-entry');
    if (merges.length === 0) return [];
    const index = workspace.refresh();
    const bibliography = index.bibliography(file);
    if (!bibliography) return [];
    return merges.flatMap((diagnostic): CodeAction[] => {
      const offset = bibliography.lines.offsetAt(diagnostic.range.start);
      const changes = mergeDuplicateEntry(index, [bibliography], file, offset);
      const first = diagnostic.relatedInformation?.[0];
      const firstFile = first && filePath(first.location.uri);
      const firstOffset = firstFile === undefined ? undefined : index.offsetAt(firstFile, first!.location.range.start);
      const firstKey = firstFile === undefined || firstOffset === undefined ? undefined : keyAtOffset(index, firstFile, firstOffset)?.key;
      if (!changes || !firstKey) return [];
      return [{ title: `Merge into ${firstKey}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: workspaceEdit(changes) }];
    });
  };

  /** The projects a request's document belongs to, or why there are none. */
  const projectsOfRequest = (uri: string): { projects: Project[]; message?: string } => {
    const file = filePath(uri);
    if (!file || !fileKind(file)) return { projects: [], message: 'Open a LaTeX or Markdown document, or a .bib, of a saved project first.' };
    workspace.refresh();
    const projects = workspace.projects(file);
    if (projects.length === 0) return { projects, message: `No document of the workspace uses ${path.basename(file)}.` };
    if (!projects.some((project) => project.bibliographies.length > 0)) return { projects, message: `${path.basename(file)} declares no bibliography.` };
    return { projects };
  };

  /** Unused in every project that reads the file: an entry one project cites is used. */
  const unusedOf = (projects: readonly Project[]): UnusedEntries['entries'] => {
    const results = projects.map((project) => unusedEntries(workspace.index, project));
    const identity = (entry: { key: string; location: IntegrityLocation }) => `${entry.location.file}\0${entry.key}`;
    const unusedEverywhere = (entry: { key: string; location: IntegrityLocation }) =>
      results.every((result, at) => !projects[at].bibliographies.includes(entry.location.file) || result.entries.some((other) => identity(other) === identity(entry)));
    const seen = new Set<string>();
    return results.flatMap((result) => result.entries).filter((entry) => {
      if (seen.has(identity(entry)) || !unusedEverywhere(entry)) return false;
      seen.add(identity(entry));
      return true;
    });
  };

  onRequest(connection, UnusedEntriesRequest, (params): UnusedEntriesResult => {
    const { projects, message } = projectsOfRequest(params.uri);
    const bibliographies = [...new Set(projects.flatMap((project) => project.bibliographies))];
    if (message) return { entries: [], bibliographies, message };
    return {
      entries: unusedOf(projects).map((entry) => ({ key: entry.key, uri: fileUri(entry.location.file), range: entry.location.range })),
      bibliographies,
    };
  });

  onRequest(connection, RemoveUnusedEntriesRequest, async (params) => {
    const { projects, message } = projectsOfRequest(params.uri);
    if (message) return { removed: 0, applied: false, message };
    const entries = unusedOf(projects);
    const byFile = new Map<string, BibEntry[]>();
    for (const unused of entries) {
      const inFile = byFile.get(unused.location.file);
      if (inFile) inFile.push(unused.entry);
      else byFile.set(unused.location.file, [unused.entry]);
    }
    const changes: FileEdits = {};
    for (const [file, removed] of byFile) {
      const bibliography = workspace.index.bibliography(file);
      if (bibliography) changes[file] = entriesRemovalEdits(bibliography, removed);
    }
    if (entries.length === 0) return { removed: 0, applied: false, message: 'Every entry is cited.' };
    const result = await connection.workspace.applyEdit({ label: `Remove ${entries.length} unused entries`, edit: workspaceEdit(changes) });
    return { removed: result.applied ? entries.length : 0, applied: result.applied, ...(result.failureReason ? { message: result.failureReason } : {}) };
  });

  onRequest(connection, KeyUsesRequest, (params): KeyUseLocation[] => {
    const file = filePath(params.uri);
    if (!file || !fileKind(file)) return [];
    const index = workspace.refresh();
    // Every project the document is in, each in reading order; the document itself when it is in none.
    const documents = [...new Set([...workspace.projects(file).flatMap((project) => project.documents), file])];
    return keyUsesIn(index, documents, params.key).map((use) => ({ uri: fileUri(use.location.file), range: use.location.range, lineText: use.lineText }));
  });

  onRequest(connection, CitedEntriesRequest, async (params) => {
    const { projects, message } = projectsOfRequest(params.uri);
    const project = projects[0];
    if (!project) return { text: '', exported: [], missing: [], message };
    // The library answers asynchronously: ask it for the keys the project's bibliographies lack, then export.
    const first = exportCitedEntries(workspace.index, project, () => undefined);
    const papers = new Map<string, Paper>();
    for (const key of first.missing) {
      const paper = await context.queries.byKey(key);
      if (paper) papers.set(key, paper);
    }
    const exported = papers.size === 0 ? first : exportCitedEntries(workspace.index, project, (key) => papers.get(key));
    return { ...exported, root: project.root };
  });

  return {
    bibliographyDefinitions(uri, position) {
      const file = filePath(uri);
      if (!file || fileKind(file) !== 'bibtex') return null;
      const found = keyOfRequest(uri, position)?.found;
      return found ? findDefinitions(workspace.index, found.key).map(lspLocation) : null;
    },
  };
}

/**
 * The actions of the kinds a request asks for (`context.only`; VS Code asks for quick fixes alone at times): a kind
 * is asked for when it is one of them or under one ("refactor" covers "refactor.rewrite"; "" covers every kind).
 * VS Code drops the others itself, with a warning in the extension host's log; other clients may show them.
 */
export function requestedKinds(actions: CodeAction[], only: readonly string[] | undefined): CodeAction[] {
  if (!only) return actions;
  const asked = (kind: string | undefined) => kind !== undefined && only.some((wanted) => wanted === '' || kind === wanted || kind.startsWith(`${wanted}.`));
  return actions.filter((action) => asked(action.kind));
}
