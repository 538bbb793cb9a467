// The client's side of citing: the server computes every citing edit and asks VS Code to apply it (one
// WorkspaceEdit, undoable; a .bib open with unsaved changes is edited in its editor, never overwritten on disk).
// Here, after the edit: the .bib is saved when it had no unsaved changes before (LaTeX and Pandoc read it from
// disk), the cursor goes after a cited key, and a default .bib made now can be declared with one click.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../client/services';
import { COMMANDS } from '../ids';
import { ServerCommands, type CiteOutcome } from '../protocol';

const DECLARE_ACTION = 'Declare Bibliography';

/** What to do after a server command's edit: save, place the cursor, offer to declare the bibliography. */
async function afterEdit(services: Services, command: string, args: unknown[], outcome: CiteOutcome): Promise<void> {
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
  return vscode.Disposable.from(
    services.server.handleOutcomes((command, args, outcome) => afterEdit(services, command, args, outcome)),
    vscode.commands.registerCommand(COMMANDS.addBibliographyDeclaration, (uri?: unknown) =>
      declareBibliography(services, uri instanceof vscode.Uri ? uri : undefined),
    ),
  );
}
