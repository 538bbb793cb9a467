// The project-wide citation commands: Show Unused Entries (a QuickPick of the project's .bib entries nothing cites;
// picking one opens it), Remove Unused Entries (one undoable edit, applied by the server through
// workspace/applyEdit), and Export Cited Entries (a .bib with exactly what the project cites, where the user says).
// References, rename and the .bib diagnostics are standard LSP: the language client shows them as they come.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../client/services';
import { COMMANDS } from '../ids';
import { CitedEntriesRequest, RemoveUnusedEntriesRequest, UnusedEntriesRequest, type UnusedEntry } from '../protocol';

/** The active editor's document as the server names it, or a message when there is none to ask about. */
function activeUri(services: Services): string | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open a LaTeX or Markdown document, or a .bib, of the project first.');
    return undefined;
  }
  return services.server.uriOf(document.uri);
}

function entryLabel(entry: UnusedEntry): { label: string; description: string; entry: UnusedEntry } {
  const file = vscode.Uri.parse(entry.uri);
  return { label: entry.key, description: `${vscode.workspace.asRelativePath(file)}:${entry.range.start.line + 1}`, entry };
}

async function showUnusedEntries(services: Services): Promise<number | undefined> {
  const uri = activeUri(services);
  if (!uri) return undefined;
  const result = await services.server.request(UnusedEntriesRequest, { uri });
  if (result.message) {
    void vscode.window.showInformationMessage(result.message);
    return undefined;
  }
  const names = result.bibliographies.map((file) => path.basename(file)).join(', ');
  if (result.entries.length === 0) {
    void vscode.window.showInformationMessage(`Every entry of ${names} is cited.`);
    return 0;
  }
  const picked = await vscode.window.showQuickPick(result.entries.map(entryLabel), {
    title: `${result.entries.length} entries of ${names} that nothing in the project cites`,
    placeHolder: 'Pick one to open it; Paperlens: Remove Unused Entries removes them all',
    matchOnDescription: true,
  });
  if (picked) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(picked.entry.uri));
    const start = services.server.position(picked.entry.range.start);
    const end = services.server.position(picked.entry.range.end);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, end) });
  }
  return result.entries.length;
}

async function removeUnusedEntries(services: Services): Promise<number | undefined> {
  const uri = activeUri(services);
  if (!uri) return undefined;
  const result = await services.server.request(RemoveUnusedEntriesRequest, { uri });
  if (result.applied) {
    void vscode.window.showInformationMessage(`Removed ${result.removed} unused ${result.removed === 1 ? 'entry' : 'entries'} (Undo puts them back).`);
  } else if (result.message) {
    void vscode.window.showInformationMessage(result.message);
  }
  return result.removed;
}

async function exportCitedEntries(services: Services): Promise<string | undefined> {
  const uri = activeUri(services);
  if (!uri) return undefined;
  const result = await services.server.request(CitedEntriesRequest, { uri });
  if (result.message) {
    void vscode.window.showInformationMessage(result.message);
    return undefined;
  }
  if (result.exported.length === 0) {
    void vscode.window.showInformationMessage('The project cites no entry that its bibliographies or the library know.');
    return undefined;
  }
  const folder = result.root ? path.dirname(result.root) : undefined;
  const name = result.root ? `${path.basename(result.root, path.extname(result.root))}-cited.bib` : 'cited.bib';
  const target = await vscode.window.showSaveDialog({
    title: `Export the ${result.exported.length} cited entries`,
    saveLabel: 'Export',
    filters: { BibTeX: ['bib'] },
    ...(folder ? { defaultUri: vscode.Uri.file(path.join(folder, name)) } : {}),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  const missing = result.missing.length === 0 ? '' : ` Not found anywhere: ${result.missing.join(', ')}.`;
  void vscode.window.showInformationMessage(`Exported ${result.exported.length} entries to ${vscode.workspace.asRelativePath(target)}.${missing}`);
  return target.toString();
}

export function register(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.showUnusedEntries, () => showUnusedEntries(services)),
    vscode.commands.registerCommand(COMMANDS.removeUnusedEntries, () => removeUnusedEntries(services)),
    vscode.commands.registerCommand(COMMANDS.exportCitedEntries, () => exportCitedEntries(services)),
  );
}
