// Citing a paper into a document: the key at the cursor and the paper's entry in the document's bibliography.
// The .bib is only ever changed through one WorkspaceEdit (undoable; a .bib open with unsaved changes is edited
// in its editor, never overwritten on disk). After the edit the .bib is saved when it had no unsaved changes
// before (LaTeX and Pandoc read it from disk); a .bib the user was editing is left for them to save.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planBibAppend, type BibAppendPlan } from '../core/bibedit';
import { renderBibtex } from '../core/bibtex-render';
import { planBibliographyDeclaration } from '../core/documents/bibliographies';
import { citationInsertion, documentLanguage } from '../core/documents/citations';
import type { Paper } from '../core/paper';
import { currentText, type BibliographyReader, type DocumentBibliography } from '../bibliographies';
import type { Services } from '../services';

export const ADD_BIBLIOGRAPHY_DECLARATION_COMMAND = 'paperlens.addBibliographyDeclaration';
const DECLARE_ACTION = 'Declare Bibliography';

/** The .bib that receives new entries: the first declared one that exists, else the first declared, else the default. */
function targetFile(bibliography: DocumentBibliography): string {
  return bibliography.files.find((file) => currentText(file) !== undefined) ?? bibliography.files[0];
}

interface BibliographyEdit {
  /** The key to cite: the paper's, or the one the .bib already has it under. */
  key: string;
  plan: BibAppendPlan;
  target: vscode.Uri;
  /** The .bib did not exist and is created by the edit. */
  creates: boolean;
  wasDirty: boolean;
}

/** Plans adding the paper's entry to the document's bibliography (unless one of its files has it), and adds it to `edit`. */
async function addEntryToEdit(
  edit: vscode.WorkspaceEdit,
  reader: BibliographyReader,
  document: vscode.TextDocument,
  bibliography: DocumentBibliography,
  paper: Paper,
): Promise<BibliographyEdit> {
  const target = vscode.Uri.file(targetFile(bibliography));
  const creates = currentText(target.fsPath) === undefined;
  const bibDocument = creates ? undefined : await vscode.workspace.openTextDocument(target);
  const plan = planBibAppend(bibDocument?.getText() ?? '', paper, renderBibtex(paper), reader.contents(document));
  if (plan.kind === 'append') {
    if (creates) edit.createFile(target, { ignoreIfExists: true });
    edit.insert(target, bibDocument ? bibDocument.positionAt(plan.offset) : new vscode.Position(0, 0), plan.text);
  }
  return { key: plan.kind === 'present' ? plan.key : paper.key, plan, target, creates, wasDirty: bibDocument?.isDirty ?? false };
}

/** Saves a .bib the edit changed unless it had unsaved changes of the user's; offers to declare a default file made now. */
async function afterBibliographyEdit(document: vscode.TextDocument, bibliography: DocumentBibliography, added: BibliographyEdit): Promise<void> {
  if (added.plan.kind !== 'append') return;
  if (!added.wasDirty) await (await vscode.workspace.openTextDocument(added.target)).save();
  if (added.creates && !bibliography.declared) {
    const name = path.basename(added.target.fsPath);
    const choice = await vscode.window.showInformationMessage(
      `Paperlens created ${name} for ${added.key}. ${path.basename(document.uri.fsPath)} does not declare it as its bibliography yet.`,
      DECLARE_ACTION,
    );
    if (choice === DECLARE_ACTION) await vscode.commands.executeCommand(ADD_BIBLIOGRAPHY_DECLARATION_COMMAND, document.uri);
  }
}

/** Adds the paper's entry to the document's bibliography unless it is there (by key or DOI). Returns the key to cite. */
export async function addToBibliography(
  reader: BibliographyReader,
  document: vscode.TextDocument,
  paper: Paper,
): Promise<string | undefined> {
  const bibliography = reader.bibliography(document);
  if (!bibliography) return undefined;
  const edit = new vscode.WorkspaceEdit();
  const added = await addEntryToEdit(edit, reader, document, bibliography, paper);
  if (added.plan.kind === 'append' && !(await vscode.workspace.applyEdit(edit))) return undefined;
  void afterBibliographyEdit(document, bibliography, added);
  return added.key;
}

/** The editor to cite into: the given one, else the active or a visible LaTeX or Markdown editor. */
function citingEditor(editor?: vscode.TextEditor): vscode.TextEditor | undefined {
  if (editor) return editor;
  const candidates = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  // A paper preview or a diff is Markdown too, but not a document the user writes in.
  return candidates.find(
    (candidate) =>
      candidate &&
      ['file', 'untitled'].includes(candidate.document.uri.scheme) &&
      documentLanguage(candidate.document.languageId) !== undefined,
  );
}

/**
 * Cites the paper at the cursor of the editor (a new `\cite{key}` / `[@key]`, or joined to the citation the
 * cursor is in) and adds its entry to the bibliography, in one undoable edit. False when nothing was done.
 */
export async function citePaper(services: Services, paper: Paper, editor?: vscode.TextEditor): Promise<boolean> {
  const target = citingEditor(editor);
  const language = target && documentLanguage(target.document.languageId);
  if (!target || !language) {
    void vscode.window.showInformationMessage('Open a LaTeX or Markdown document and put the cursor where the citation goes.');
    return false;
  }
  const document = target.document;
  const reader = services.bibliographies;
  const bibliography = reader.bibliography(document);
  if (!bibliography) {
    void vscode.window.showInformationMessage('Save the document first: its bibliography is found beside it.');
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  const added = await addEntryToEdit(edit, reader, document, bibliography, paper);
  const offset = document.offsetAt(target.selection.active);
  const insertion = citationInsertion(document.getText(), offset, language, added.key);
  const range = new vscode.Range(document.positionAt(insertion.start), document.positionAt(insertion.end));
  edit.replace(document.uri, range, insertion.text);
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  const end = document.positionAt(insertion.start + insertion.text.length);
  const shown = await vscode.window.showTextDocument(document, target.viewColumn);
  shown.selection = new vscode.Selection(end, end);
  void afterBibliographyEdit(document, bibliography, added);
  return true;
}

/** Declares the default bibliography in a document (its LaTeX root) that declares none. */
async function addBibliographyDeclaration(services: Services, uri?: vscode.Uri): Promise<boolean> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  const language = document && documentLanguage(document.languageId);
  const bibliography = document && services.bibliographies.bibliography(document);
  if (!document || !language || !bibliography) {
    void vscode.window.showInformationMessage('Open a saved LaTeX or Markdown document to declare its bibliography.');
    return false;
  }
  if (bibliography.declared) {
    const names = bibliography.files.map((file) => path.basename(file)).join(', ');
    void vscode.window.showInformationMessage(`${path.basename(document.uri.fsPath)} already declares its bibliography: ${names}.`);
    return false;
  }
  const root = bibliography.root === document.uri.fsPath ? document : await vscode.workspace.openTextDocument(vscode.Uri.file(bibliography.root));
  const relative = path.relative(path.dirname(root.uri.fsPath), bibliography.files[0]).split(path.sep).join('/');
  const insertion = planBibliographyDeclaration(root.getText(), language, relative, root.uri.fsPath);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(root.uri, root.positionAt(insertion.offset), insertion.text);
  return vscode.workspace.applyEdit(edit);
}

export function register(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(ADD_BIBLIOGRAPHY_DECLARATION_COMMAND, (uri?: vscode.Uri) =>
    addBibliographyDeclaration(services, uri instanceof vscode.Uri ? uri : undefined),
  );
}
