// Cited keys the document's bibliography lacks, as diagnostics while writing; a quick fix adds the entry from the
// library (the same minimal, undoable .bib edit a completion makes).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkCitations, likelyKeys } from '../core/citationCheck';
import { documentLanguage, findCitations } from '../core/documents/citations';
import type { Services } from '../services';
import { addToBibliography } from './cite';

const ADD_ENTRIES_COMMAND = 'paperlens.addMissingEntries';
const FROM_LIBRARY = 'fromLibrary';
const UNKNOWN = 'unknown';
/** Library papers whose keys are weighed as what a mistyped key meant. */
const LIBRARY_CANDIDATES = 20;
/** Re-check this long after the last keystroke: a key half typed is not worth a warning. */
const CHECK_DELAY_MS = 600;

export function register(services: Services): vscode.Disposable {
  const reader = services.bibliographies;
  const collection = vscode.languages.createDiagnosticCollection('paperlens-citations');
  const timers = new Map<string, NodeJS.Timeout>();

  const check = (document: vscode.TextDocument) => {
    const language = documentLanguage(document.languageId);
    const bibliography = language && reader.bibliography(document);
    if (!language || !bibliography) return;
    const text = document.getText();
    const contents = reader.contents(document);
    const library = services.library.library;
    const findings = checkCitations(
      text,
      language,
      findCitations(text, language),
      (key) => contents.definitions(key).length > 0,
      (key) => library.byKey(key) !== undefined,
    );
    const names = bibliography.files.map((file) => path.basename(file)).join(', ');
    collection.set(
      document.uri,
      findings.map((finding) => {
        const range = new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end));
        const message =
          finding.kind === FROM_LIBRARY
            ? `"${finding.key}" is cited but not in ${names}; the Paperlens library has it (quick fix: add its entry).`
            : `"${finding.key}" is in neither ${names} nor the Paperlens library: check the key, or add the corpus file that defines it.`;
        const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Warning);
        diagnostic.source = 'Paperlens';
        diagnostic.code = finding.kind;
        return diagnostic;
      }),
    );
  };
  const schedule = (document: vscode.TextDocument) => {
    if (!documentLanguage(document.languageId) || document.uri.scheme !== 'file') return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      check(document);
    }, CHECK_DELAY_MS));
  };
  const checkOpen = () => vscode.workspace.textDocuments.forEach(schedule);

  const addEntries = async (uri: vscode.Uri, keys: string[]) => {
    const document = await vscode.workspace.openTextDocument(uri);
    for (const key of keys) {
      const paper = services.library.library.byKey(key);
      if (paper) await addToBibliography(reader, document, paper);
    }
    check(document);
  };

  /** Keys of the document's bibliography and of the library's best matches that a mistyped key was likely meant to be. */
  const meantKeys = (document: vscode.TextDocument, typed: string) => {
    const fromLibrary = services.library.library.search(typed, { limit: LIBRARY_CANDIDATES }).map((hit) => hit.paper.key);
    return likelyKeys(typed, [...reader.contents(document).keys(), ...fromLibrary]);
  };

  const quickFixes: vscode.CodeActionProvider = {
    provideCodeActions(document, _range, context) {
      const fixable = context.diagnostics.filter((diagnostic) => diagnostic.source === 'Paperlens' && diagnostic.code === FROM_LIBRARY);
      const keys = (diagnostics: readonly vscode.Diagnostic[]) => [...new Set(diagnostics.map((diagnostic) => document.getText(diagnostic.range)))];
      const actions = keys(fixable).map((key) => {
        const action = new vscode.CodeAction(`Add "${key}" to the bibliography from the Paperlens library`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = fixable.filter((diagnostic) => document.getText(diagnostic.range) === key);
        action.isPreferred = true;
        action.command = { command: ADD_ENTRIES_COMMAND, title: action.title, arguments: [document.uri, [key]] };
        return action;
      });
      for (const diagnostic of context.diagnostics.filter((candidate) => candidate.source === 'Paperlens' && candidate.code === UNKNOWN)) {
        for (const key of meantKeys(document, document.getText(diagnostic.range))) {
          const action = new vscode.CodeAction(`Change to "${key}"`, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, diagnostic.range, key);
          actions.push(action);
        }
      }
      const all = keys((collection.get(document.uri) ?? []).filter((diagnostic) => diagnostic.code === FROM_LIBRARY));
      if (fixable.length > 0 && all.length > 1) {
        const action = new vscode.CodeAction(`Add all ${all.length} missing entries from the Paperlens library`, vscode.CodeActionKind.QuickFix);
        action.command = { command: ADD_ENTRIES_COMMAND, title: action.title, arguments: [document.uri, all] };
        actions.push(action);
      }
      return actions;
    },
  };

  checkOpen();
  return vscode.Disposable.from(
    collection,
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
    vscode.commands.registerCommand(ADD_ENTRIES_COMMAND, addEntries),
    vscode.languages.registerCodeActionsProvider(
      [{ language: 'latex' }, { language: 'markdown' }, { language: 'quarto' }, { language: 'rmd' }],
      quickFixes,
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.workspace.onDidOpenTextDocument(schedule),
    vscode.workspace.onDidChangeTextDocument((event) => schedule(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
    // A .bib edited or saved and a library reloaded change what is missing in every open document.
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.uri.fsPath.endsWith('.bib')) checkOpen();
    }),
    services.library.onDidChange(checkOpen),
  );
}
