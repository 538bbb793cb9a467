// Cited keys the document's bibliography lacks, as diagnostics while writing, and their quick fixes: add the entry
// from the library (or all missing entries as one edit), change a mistyped key to the one it most likely meant,
// declare the default bibliography; cited keys that several library papers share get a warning naming them. Problems
// found while reading corpus files are published at their file and line.
import * as path from 'node:path';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { checkCitations, likelyKeys } from '../core/citationCheck';
import { findCitations } from '../core/documents/citations';
import type { Paper, Problem } from '../core/paper';
import { sameKeyTitles } from '../core/render';
import { ServerCommands } from '../protocol';
import { findCitationsActions, uncitedClaimDiagnostics } from './related';
import type { ServerContext } from './server';
import { filePath, fileUri } from './uris';

const FROM_LIBRARY = 'fromLibrary';
const UNKNOWN = 'unknown';
const AMBIGUOUS_KEY = 'ambiguous-key';
/** Library papers whose keys are weighed as what a mistyped key meant. */
const LIBRARY_CANDIDATES = 20;
/** Re-check this long after the last keystroke: a key half typed is not worth a warning. */
const CHECK_DELAY_MS = 600;
/** Enough to find and fix them; a broken 88k-entry file must not flood the Problems panel. */
const MAX_PROBLEMS_PER_FILE = 500;

export class CitationCheck {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Keys each document's last check found missing from its bibliography but in the library. */
  private readonly fromLibrary = new Map<string, string[]>();
  /** Corpus files with published problems, so a fixed file's are cleared. */
  private corpusProblemFiles = new Set<string>();
  /** Files whose diagnostics another part of the server publishes (the integrity check of .bib files). */
  publishedElsewhere: (file: string) => boolean = () => false;

  constructor(private readonly context: ServerContext) {}

  register(): void {
    const { connection, documents } = this.context;
    documents.onDidOpen((event) => this.schedule(event.document.uri));
    documents.onDidChangeContent((event) => {
      // A .bib edited in its editor changes what is missing in every open document.
      if (event.document.languageId === 'bibtex' || event.document.uri.endsWith('.bib')) this.recheckOpen();
      else this.schedule(event.document.uri);
    });
    documents.onDidClose((event) => {
      // A check scheduled before the close must not publish again what the close clears.
      clearTimeout(this.timers.get(event.document.uri));
      this.timers.delete(event.document.uri);
      this.fromLibrary.delete(event.document.uri);
      this.context.reader.forget(event.document.uri);
      // A corpus file's reading problems stay in the Problems panel after its editor closes.
      const file = filePath(event.document.uri);
      if (!file || !this.corpusProblemFiles.has(file)) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    });
  }

  /**
   * Every code action of a LaTeX or Markdown document: the fixes of the citation check, and (related.ts) the papers
   * for the sentence at the cursor. The server has one code-action handler, integrity.ts's; it hands documents to
   * this.
   */
  async documentCodeActions(params: CodeActionParams): Promise<CodeAction[]> {
    return [
      ...(await this.codeActions(params.textDocument.uri, params.context.diagnostics)),
      ...findCitationsActions(this.context, params.textDocument.uri, params.range, params.context.diagnostics),
    ];
  }

  /** A library swapped in: the corpus files' problems, and what is missing in every open document. */
  libraryChanged(problems: readonly Problem[]): void {
    const byFile = new Map<string, Diagnostic[]>();
    for (const problem of problems) {
      if (this.publishedElsewhere(problem.file)) continue;
      const list = byFile.get(problem.file) ?? [];
      if (list.length >= MAX_PROBLEMS_PER_FILE) continue;
      const line = Math.max(0, problem.line - 1);
      list.push({
        range: { start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } },
        message: problem.message,
        severity: DiagnosticSeverity.Warning,
        source: 'Paperlens',
      });
      byFile.set(problem.file, list);
    }
    for (const file of this.corpusProblemFiles) {
      if (!byFile.has(file)) void this.context.connection.sendDiagnostics({ uri: fileUri(file), diagnostics: [] });
    }
    for (const [file, diagnostics] of byFile) void this.context.connection.sendDiagnostics({ uri: fileUri(file), diagnostics });
    this.corpusProblemFiles = new Set(byFile.keys());
    this.recheckOpen();
  }

  recheckOpen(): void {
    for (const document of this.context.documents.all()) this.schedule(document.uri);
  }

  private schedule(uri: string): void {
    const input = this.context.documentInput(uri);
    if (!input || input.file === '') return;
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        // Closed meanwhile: nothing to publish.
        if (this.context.documents.get(uri)) {
          void this.check(uri).catch((error: unknown) => this.context.log.error(`Checking ${uri} failed: ${String(error)}`));
        }
      }, CHECK_DELAY_MS),
    );
  }

  /** Checks a document now; a document closed or changed while the library answered is not published. */
  async check(uri: string): Promise<void> {
    const input = this.context.documentInput(uri);
    const document = this.context.documents.get(uri);
    const bibliography = input && this.context.bibliographyOf(input);
    if (!input || !document || !bibliography) return;
    const contents = this.context.reader.contents(bibliography);
    const cited = findCitations(input.text, input.language);
    const keys = [...new Set(cited.map((citation) => citation.key))];
    const counts = await this.context.queries.has(keys);
    const inLibrary = new Set(keys.filter((_, index) => counts[index] > 0));
    // Keys a corpus file gives to several papers: whichever is cited, the reader may mean the other.
    const shared = keys.filter((_, index) => counts[index] > 1);
    const sharers = new Map<string, Paper>();
    for (const paper of await Promise.all(shared.map((key) => this.context.queries.byKey(key)))) if (paper) sharers.set(paper.key.toLowerCase(), paper);
    if (this.context.documents.get(uri)?.version !== document.version) return;
    const findings = checkCitations(
      input.text,
      input.language,
      cited,
      (key) => contents.definitions(key).length > 0,
      (key) => inLibrary.has(key),
    );
    const names = bibliography.files.map((file) => path.basename(file)).join(', ');
    this.fromLibrary.set(uri, [...new Set(findings.filter((finding) => finding.kind === FROM_LIBRARY).map((finding) => finding.key))]);
    const diagnostics = findings.map((finding): Diagnostic => ({
      range: { start: document.positionAt(finding.start), end: document.positionAt(finding.end) },
      message:
        finding.kind === FROM_LIBRARY
          ? `"${finding.key}" is cited but not in ${names}; the Paperlens library has it (quick fix: add its entry).`
          : `"${finding.key}" is in neither ${names} nor the Paperlens library: check the key, or add the corpus file that defines it.`,
      severity: DiagnosticSeverity.Warning,
      source: 'Paperlens',
      code: finding.kind,
      data: { key: finding.key },
    }));
    for (const citation of cited) {
      const paper = sharers.get(citation.key.toLowerCase());
      if (!paper) continue;
      diagnostics.push({
        range: { start: document.positionAt(citation.start), end: document.positionAt(citation.end) },
        message: `"${citation.key}" is the key of ${(paper.sameKey?.length ?? 0) + 1} papers in the Paperlens library: ${sameKeyTitles(paper)}; which one a reader gets depends on the bibliography's entry.`,
        severity: DiagnosticSeverity.Warning,
        source: 'Paperlens',
        code: AMBIGUOUS_KEY,
        data: { key: citation.key },
      });
    }
    diagnostics.push(...uncitedClaimDiagnostics(this.context, input, document));
    void this.context.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }

  async codeActions(uri: string, diagnostics: readonly Diagnostic[]): Promise<CodeAction[]> {
    const input = this.context.documentInput(uri);
    if (!input) return [];
    const ours = diagnostics.filter((diagnostic) => diagnostic.source === 'Paperlens');
    const keyOf = (diagnostic: Diagnostic) => (diagnostic.data as { key?: string } | undefined)?.key ?? '';
    const fixable = ours.filter((diagnostic) => diagnostic.code === FROM_LIBRARY);
    const actions: CodeAction[] = [...new Set(fixable.map(keyOf))].map((key) => {
      const title = `Add "${key}" to the bibliography from the Paperlens library`;
      return {
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: fixable.filter((diagnostic) => keyOf(diagnostic) === key),
        isPreferred: true,
        command: { title, command: ServerCommands.addEntries, arguments: [uri, [key]] },
      };
    });
    const bibliography = this.context.bibliographyOf(input);
    for (const diagnostic of ours.filter((candidate) => candidate.code === UNKNOWN)) {
      const typed = keyOf(diagnostic);
      const fromLibrary = (await this.context.queries.search(typed, LIBRARY_CANDIDATES)).map((hit) => hit.paper.key);
      for (const key of likelyKeys(typed, [...this.context.reader.contents(bibliography).keys(), ...fromLibrary])) {
        actions.push({
          title: `Change to "${key}"`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [uri]: [{ range: diagnostic.range, newText: key }] } },
        });
      }
    }
    const all = this.fromLibrary.get(uri) ?? [];
    if (fixable.length > 0 && all.length > 1) {
      const title = `Add all ${all.length} missing entries from the Paperlens library`;
      actions.push({ title, kind: CodeActionKind.QuickFix, command: { title, command: ServerCommands.addEntries, arguments: [uri, all] } });
    }
    if (ours.length > 0 && bibliography && !bibliography.declared) {
      const name = path.basename(bibliography.files[0]);
      const title = `Declare ${name} as the bibliography of ${path.basename(bibliography.root)}`;
      actions.push({ title, kind: CodeActionKind.QuickFix, command: { title, command: ServerCommands.declareBibliography, arguments: [uri] } });
    }
    return actions;
  }
}
