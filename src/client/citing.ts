// Citing a paper at the cursor of a LaTeX or Markdown editor, shared by the search view, the trees and the
// palette: the server computes the edit (key and entry together) and the client applies it.
import * as vscode from 'vscode';
import { CITING_LANGUAGES } from '../ids';
import { ServerCommands } from '../protocol';
import type { PaperTarget } from '../webview/messages';
import type { Services } from './services';

/** The editor to cite into: the given one, else the active or a visible LaTeX or Markdown editor. */
function citingEditor(editor?: vscode.TextEditor): vscode.TextEditor | undefined {
  if (editor) return editor;
  const candidates = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  // A paper preview or a diff is Markdown too, but not a document the user writes in.
  return candidates.find(
    (candidate) =>
      candidate &&
      ['file', 'untitled'].includes(candidate.document.uri.scheme) &&
      (CITING_LANGUAGES as readonly string[]).includes(candidate.document.languageId),
  );
}

/**
 * Cites the paper at the cursor of the editor (a new `\cite{key}` / `[@key]`, or joined to the citation the
 * cursor is in) and adds its entry to the bibliography, in one undoable edit. False when nothing was done. The
 * paper's origin, when given, picks its entry among papers that share its key.
 */
export async function citePaper(services: Services, paper: PaperTarget, editor?: vscode.TextEditor): Promise<boolean> {
  const target = citingEditor(editor);
  if (!target) {
    void vscode.window.showInformationMessage('Open a LaTeX or Markdown document and put the cursor where the citation goes.');
    return false;
  }
  const uri = services.server.uriOf(target.document.uri);
  const position = target.selection.active;
  const outcome = await services.server.runCommand(ServerCommands.citeAt, uri, { line: position.line, character: position.character }, paper.key, paper.origin);
  return outcome?.applied === true;
}

