// The palette and context-menu commands of browsing: search and insert through a QuickPick over the engine, the
// per-paper actions (cite, copy, open) shared by the search view and the trees, and library housekeeping.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderBibtex } from '../core/bibtex-render';
import { formatCitation, oneLineReference } from '../core/reference';
import { shortAuthors, type Paper } from '../core/paper';
import { excerptEnd, originLabel, papersLabel } from '../core/viewmodel';
import type { Services } from '../services';
import { citePaper } from './cite';
import { documentLanguage, keyAt } from '../core/documents/citations';
import { openSourceEntry } from './paperPreview';

/** Hits the QuickPick lists: more than fit on screen, few enough to stay instant. */
const PICK_LIMIT = 50;
const PICK_DETAIL_LENGTH = 140;
const STATUS_MESSAGE_MS = 4000;

type PaperCommand = 'cite' | 'copyBibtex' | 'copyKey' | 'copyReference' | 'openSource';

export function register(services: Services): vscode.Disposable {
  const paperCommand = (name: PaperCommand, action: (paper: Paper) => Promise<boolean>) =>
    vscode.commands.registerCommand(`paperlens.${name}`, async (target?: unknown) => {
      const paper = target === undefined ? await pickPaper(services, 'Choose a paper') : resolvePaper(services, target);
      return paper ? action(paper) : false;
    });

  return vscode.Disposable.from(
    paperCommand('cite', (paper) => citePaper(services, paper)),
    paperCommand('copyBibtex', (paper) => copyBibtex(paper)),
    paperCommand('copyKey', async (paper) => {
      await vscode.env.clipboard.writeText(paper.key);
      vscode.window.setStatusBarMessage(`$(check) Copied ${paper.key}`, STATUS_MESSAGE_MS);
      return true;
    }),
    paperCommand('copyReference', async (paper) => {
      await vscode.env.clipboard.writeText(formattedReference(services, paper));
      vscode.window.setStatusBarMessage(`$(check) Copied the APA reference of ${paper.key}`, STATUS_MESSAGE_MS);
      return true;
    }),
    paperCommand('openSource', async (paper) => {
      await openSourceEntry(paper);
      return true;
    }),
    vscode.commands.registerCommand('paperlens.searchPapers', () => searchPapers(services)),
    vscode.commands.registerCommand('paperlens.insertCitation', () => insertCitation(services)),
    vscode.commands.registerCommand('paperlens.copyBibtexAtCursor', () => copyBibtexAtCursor(services)),
    vscode.commands.registerCommand('paperlens.rebuildLibrary', () => rebuildLibrary(services)),
    vscode.commands.registerCommand('paperlens.addCorpusFile', () => addCorpusFile()),
    vscode.commands.registerCommand('paperlens.showOutput', () => services.log.show()),
    vscode.commands.registerCommand('paperlens.focus', () => vscode.commands.executeCommand('workbench.view.extension.paperlens')),
  );
}

/**
 * The paper a command was given: a key (from the search view or another command), a library tree item
 * (`{ paper }`) or a cited-tree item (`{ key }`). Says so when the key is not in the library.
 */
function resolvePaper(services: Services, target: unknown): Paper | undefined {
  const library = services.library.library;
  let key: string | undefined;
  if (typeof target === 'string') key = target;
  else if (target && typeof target === 'object') {
    if ('paper' in target && target.paper && typeof target.paper === 'object' && 'key' in target.paper) key = String(target.paper.key);
    else if ('key' in target && typeof target.key === 'string') key = target.key;
  }
  if (key === undefined) return undefined;
  const paper = library.byKey(key);
  if (!paper) void notInLibrary(key);
  return paper;
}

async function notInLibrary(key: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    `"${key}" is not in the Paperlens library. Add the corpus file that defines it, or rebuild the library if you just added it.`,
    'Add Corpus File…',
    'Rebuild Library',
  );
  if (choice === 'Add Corpus File…') await vscode.commands.executeCommand('paperlens.addCorpusFile');
  else if (choice === 'Rebuild Library') await vscode.commands.executeCommand('paperlens.rebuildLibrary');
}

async function copyBibtex(paper: Paper): Promise<boolean> {
  await vscode.env.clipboard.writeText(renderBibtex(paper));
  vscode.window.setStatusBarMessage(`$(check) Copied the BibTeX entry of ${paper.key}`, STATUS_MESSAGE_MS);
  return true;
}

interface PaperPickItem extends vscode.QuickPickItem {
  paper?: Paper;
  /** A command an informational row runs when accepted (e.g. "Add corpus file…" in an empty library). */
  command?: string;
}

/** QuickPick labels render `$(name)` as an icon; a title that contains one must show as written. */
function plainLabel(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}

function paperItem(paper: Paper): PaperPickItem {
  const abstract = paper.abstract?.trim() ?? '';
  const excerpt = abstract ? abstract.slice(0, excerptEnd(abstract, PICK_DETAIL_LENGTH)) + (abstract.length > PICK_DETAIL_LENGTH ? '…' : '') : paper.venue ?? '';
  return {
    label: plainLabel(paper.title || paper.key),
    description: plainLabel([shortAuthors(paper.authors), paper.year, paper.key].filter(Boolean).join(' · ')),
    detail: plainLabel(excerpt),
    // The engine already ranked and filtered: the QuickPick must neither hide nor re-filter rows.
    alwaysShow: true,
    paper,
  };
}

/** A QuickPick over the engine: re-queried on every keystroke, its ranking kept. Undefined when dismissed. */
async function pickPaper(services: Services, title: string): Promise<Paper | undefined> {
  const pick = vscode.window.createQuickPick<PaperPickItem>();
  pick.title = title;
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  const disposables: vscode.Disposable[] = [pick];
  let loaded = false;
  let closed = false;
  const update = () => {
    const library = services.library.library;
    pick.placeholder = `Search ${papersLabel(library.size)} by title, author, abstract or key`;
    const query = pick.value;
    if (!loaded) return;
    if (library.size === 0) {
      pick.items = [
        { label: '$(add) Add corpus file…', detail: 'The library is empty. Add a .bib, CSL-JSON, RIS, arXiv or paper-listing file.', alwaysShow: true, command: 'paperlens.addCorpusFile' },
      ];
      return;
    }
    if (!query.trim()) {
      pick.items = [];
      return;
    }
    const hits = library.search(query, { limit: PICK_LIMIT });
    pick.items = hits.length
      ? hits.map((hit) => paperItem(hit.paper))
      : [{ label: `No papers match "${plainLabel(query.trim())}"`, detail: 'Check the spelling, or use fewer or more general words.', alwaysShow: true }];
  };
  pick.busy = true;
  update();
  void services.library.ready.then(() => {
    if (closed) return;
    loaded = true;
    pick.busy = false;
    update();
  });
  disposables.push(pick.onDidChangeValue(update), services.library.onDidChange(update));
  try {
    return await new Promise<Paper | undefined>((resolve) => {
      disposables.push(
        pick.onDidAccept(() => {
          const item = pick.selectedItems[0];
          if (item?.command) {
            pick.hide();
            void vscode.commands.executeCommand(item.command);
          } else if (item?.paper) {
            resolve(item.paper);
            pick.hide();
          }
        }),
        pick.onDidHide(() => resolve(undefined)),
      );
      pick.show();
    });
  } finally {
    closed = true;
    vscode.Disposable.from(...disposables).dispose();
  }
}

async function searchPapers(services: Services): Promise<void> {
  const paper = await pickPaper(services, 'Search Papers');
  if (!paper) return;
  const actions: (vscode.QuickPickItem & { command: PaperCommand })[] = [
    { label: '$(quote) Cite', description: 'in the last active LaTeX or Markdown editor', command: 'cite' },
    { label: '$(copy) Copy BibTeX', command: 'copyBibtex' },
    { label: '$(key) Copy Key', description: plainLabel(paper.key), command: 'copyKey' },
    { label: '$(book) Copy Formatted Reference', description: 'APA', command: 'copyReference' },
    { label: '$(go-to-file) Open Source Entry', description: originLabel(paper.origin), command: 'openSource' },
  ];
  const action = await vscode.window.showQuickPick(actions, { title: plainLabel(paper.title || paper.key), placeHolder: 'What to do with this paper' });
  if (action) await vscode.commands.executeCommand(`paperlens.${action.command}`, paper.key);
}

async function insertCitation(services: Services): Promise<boolean> {
  // The editor to cite into is the one active now, before the QuickPick takes the focus.
  const editor = vscode.window.activeTextEditor;
  const paper = await pickPaper(services, 'Insert Citation');
  return paper ? citePaper(services, paper, editor) : false;
}

async function copyBibtexAtCursor(services: Services): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  const language = editor && documentLanguage(editor.document.languageId);
  if (!editor || !language) {
    void vscode.window.showInformationMessage('Put the cursor on a citation key in a LaTeX or Markdown document, then run this again.');
    return false;
  }
  const found = keyAt(editor.document.getText(), editor.document.offsetAt(editor.selection.active), language);
  if (!found) {
    void vscode.window.showInformationMessage('The cursor is not on a citation key. Move it onto a key in \\cite{…} or [@…] and run this again.');
    return false;
  }
  const paper = services.library.library.byKey(found.key);
  if (!paper) {
    void notInLibrary(found.key);
    return false;
  }
  return copyBibtex(paper);
}

async function rebuildLibrary(services: Services): Promise<void> {
  await vscode.window.withProgress({ location: { viewId: 'paperlens.library' }, title: 'Rebuilding the library' }, async () => {
    await services.library.rebuild();
    // A change arriving meanwhile starts a newer load and this one returns early: report on the load that counts.
    if (services.library.state.kind === 'loading') await settledState(services);
  });
  const state = services.library.state;
  if (state.kind === 'failed') {
    const choice = await vscode.window.showErrorMessage(
      `Paperlens could not rebuild the library: ${state.message}. It keeps the papers it had; fix the file or setting the output names and rebuild again.`,
      'Show Output',
    );
    if (choice) services.log.show();
    return;
  }
  const library = services.library.library;
  const sources = library.sources.length;
  vscode.window.setStatusBarMessage(
    `$(check) Paperlens: ${papersLabel(library.size)} from ${sources} ${sources === 1 ? 'source' : 'sources'}`,
    STATUS_MESSAGE_MS,
  );
}

/** Resolves when the library is next ready or failed. */
function settledState(services: Services): Promise<void> {
  return new Promise((resolve) => {
    const listener = services.library.onDidChangeState((state) => {
      if (state.kind === 'loading') return;
      listener.dispose();
      resolve();
    });
  });
}

/** Appends the chosen files to paperlens.corpus.files in the workspace settings (user settings without a folder). */
async function addCorpusFile(): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const uris = await vscode.window.showOpenDialog({
    title: 'Add Corpus Files to the Paperlens Library',
    openLabel: 'Add to Library',
    canSelectMany: true,
    defaultUri: folders[0]?.uri,
    filters: { 'Corpus files': ['bib', 'json', 'ris', 'jsonl', 'txt'], 'All files': ['*'] },
  });
  if (!uris?.length) return;
  const configuration = vscode.workspace.getConfiguration('paperlens');
  const inspected = configuration.inspect<string[]>('corpus.files');
  const target = folders.length > 0 ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  const added = uris.map((uri) => settingEntry(uri, folders)).filter((entry) => !current.includes(entry));
  if (added.length === 0) {
    void vscode.window.showInformationMessage('Those files are already in the paperlens.corpus.files setting.');
    return;
  }
  await configuration.update('corpus.files', [...current, ...added], target);
  const where = target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user';
  vscode.window.setStatusBarMessage(`$(check) Added ${added.map((entry) => path.basename(entry)).join(', ')} to the ${where} corpus; reloading`, STATUS_MESSAGE_MS);
}

/** Relative to the only workspace folder when inside it (the setting resolves relative paths per folder), else absolute. */
function settingEntry(uri: vscode.Uri, folders: readonly vscode.WorkspaceFolder[]): string {
  if (folders.length === 1) {
    const relative = path.relative(folders[0].uri.fsPath, uri.fsPath);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return uri.fsPath;
}

/** The paper as an APA reference through citation-js; its plain one-line form if the CSL engine fails on it. */
function formattedReference(services: Services, paper: Paper): string {
  try {
    return formatCitation([paper], 'apa');
  } catch (error) {
    services.log.warn(`APA formatting of ${paper.key} failed (${error instanceof Error ? error.message : String(error)}); copied the plain reference`);
    return oneLineReference(paper);
  }
}
