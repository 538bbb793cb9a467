// The client's side of citing: the server computes every citing edit and asks VS Code to apply it (one
// WorkspaceEdit, undoable; a .bib open with unsaved changes is edited in its editor, never overwritten on disk).
// Here, after the edit: the .bib is saved when it had no unsaved changes before (LaTeX and Pandoc read it from
// disk), the cursor goes after a cited key, and a default .bib made now can be declared with one click.
// A key inserted by a completion and its entry are one undo step: when Ctrl+Z takes the key out of the document
// (and it is cited nowhere else there), the entry added for it is taken out of the .bib too, and saved as it was.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../client/services';
import { COMMANDS } from '../ids';
import { ServerCommands, type CiteOutcome } from '../protocol';

const DECLARE_ACTION = 'Declare Bibliography';

/** The entry a completion's cite appended, kept until the key is undone or another cite comes. */
interface AppendedEntry {
  document: vscode.Uri;
  key: string;
  bibliography: vscode.Uri;
  text: string;
  saved: boolean;
}

/** Takes the entry back out of the .bib when an undo took its key out of the document. */
async function takeBackEntry(services: Services, appended: AppendedEntry): Promise<boolean> {
  const bibliography = await vscode.workspace.openTextDocument(appended.bibliography);
  const text = bibliography.getText();
  const at = text.lastIndexOf(appended.text);
  if (at < 0) return false;
  const edit = new vscode.WorkspaceEdit();
  edit.delete(appended.bibliography, new vscode.Range(bibliography.positionAt(at), bibliography.positionAt(at + appended.text.length)));
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  if (appended.saved) await bibliography.save();
  services.log.info(`Undo: ${appended.key} is no longer cited in ${vscode.workspace.asRelativePath(appended.document)}; its entry was taken out of ${vscode.workspace.asRelativePath(appended.bibliography)}`);
  return true;
}

/** Follows the document of the last completion cite: an undo that removes its key removes the entry too. */
function pairUndo(services: Services, latest: { entry: AppendedEntry | undefined }): vscode.Disposable {
  return vscode.workspace.onDidChangeTextDocument((event) => {
    const appended = latest.entry;
    if (!appended || event.reason !== vscode.TextDocumentChangeReason.Undo || event.document.uri.toString() !== appended.document.toString()) return;
    if (event.document.getText().includes(appended.key)) return;
    latest.entry = undefined;
    void takeBackEntry(services, appended).catch((error: unknown) => services.log.error(`Taking back the entry of ${appended.key} failed: ${String(error)}`));
  });
}

/** What to do after a server command's edit: save, place the cursor, offer to declare the bibliography. */
async function afterEdit(
  services: Services,
  latest: { entry: AppendedEntry | undefined },
  command: string,
  args: unknown[],
  outcome: CiteOutcome,
): Promise<void> {
  services.eventLoopDelay.begin('cite');
  try {
    await afterAppliedEdit(services, latest, command, args, outcome);
  } finally {
    services.eventLoopDelay.end();
  }
}

async function afterAppliedEdit(
  services: Services,
  latest: { entry: AppendedEntry | undefined },
  command: string,
  args: unknown[],
  outcome: CiteOutcome,
): Promise<void> {
  if (!outcome.applied) {
    if (outcome.message) void vscode.window.showInformationMessage(outcome.message);
    return;
  }
  const documentUri = typeof args[0] === 'string' ? vscode.Uri.parse(args[0]) : undefined;
  if (outcome.cursor && documentUri) {
    const document = await vscode.workspace.openTextDocument(documentUri);
    const shown = await vscode.window.showTextDocument(document, vscode.window.visibleTextEditors.find((editor) => editor.document === document)?.viewColumn);
    const end = services.server.position(outcome.cursor);
    shown.selection = new vscode.Selection(end, end);
  }
  if (outcome.bibliography && !outcome.bibliographyWasDirty) {
    const saved = await (await vscode.workspace.openTextDocument(vscode.Uri.file(outcome.bibliography))).save();
    if (!saved) services.log.warn(`${outcome.bibliography} could not be saved after adding ${outcome.key ?? 'the entry'}`);
  }
  // A completion adds the entry for the one key it inserted (arguments: the document, [key]).
  const keys = args[1];
  if (command === ServerCommands.addEntries && documentUri && outcome.bibliography && outcome.appendedText && outcome.key && Array.isArray(keys) && keys.length === 1) {
    latest.entry = {
      document: documentUri,
      key: outcome.key,
      bibliography: vscode.Uri.file(outcome.bibliography),
      text: outcome.appendedText,
      saved: !outcome.bibliographyWasDirty,
    };
  }
  if (outcome.bibliography && outcome.createdBibliography && outcome.declared === false && documentUri && command !== ServerCommands.declareBibliography) {
    void offerDeclaration(documentUri, outcome);
  }
}

async function offerDeclaration(documentUri: vscode.Uri, outcome: CiteOutcome): Promise<void> {
  const name = path.basename(outcome.bibliography ?? '');
  const choice = await vscode.window.showInformationMessage(
    `Paperlens created ${name} for ${outcome.key}. ${path.basename(documentUri.fsPath)} does not declare it as its bibliography yet.`,
    DECLARE_ACTION,
  );
  if (choice === DECLARE_ACTION) await vscode.commands.executeCommand(COMMANDS.addBibliographyDeclaration, documentUri);
}

/** Declares the default bibliography in a document (its LaTeX root) that declares none. */
async function declareBibliography(services: Services, uri?: vscode.Uri): Promise<boolean> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showInformationMessage('Open a saved LaTeX or Markdown document to declare its bibliography.');
    return false;
  }
  const outcome = await services.server.runCommand(ServerCommands.declareBibliography, services.server.uriOf(target));
  return outcome?.applied === true;
}

export function register(services: Services): vscode.Disposable {
  const latest: { entry: AppendedEntry | undefined } = { entry: undefined };
  return vscode.Disposable.from(
    services.server.handleOutcomes((command, args, outcome) => afterEdit(services, latest, command, args, outcome)),
    pairUndo(services, latest),
    vscode.commands.registerCommand(COMMANDS.addBibliographyDeclaration, (uri?: unknown) =>
      declareBibliography(services, uri instanceof vscode.Uri ? uri : undefined),
    ),
  );
}
