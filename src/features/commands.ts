// The palette and context-menu commands of browsing: search and insert through a QuickPick over the server's
// search, the per-paper actions (cite, copy, open) shared by the search view and the trees, the whole abstract of a
// hover, and library housekeeping.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../client/services';
import type { PaperView } from '../core/viewmodel';
import { papersLabel } from '../core/viewmodel';
import { paperPlainText } from '../core/render';
import { COMMANDS, INTERNAL_COMMANDS, VIEWS } from '../ids';
import { KeyAtRequest, PaperRequest, RebuildRequest, ReferenceRequest, SearchRequest, type PaperResult } from '../protocol';
import { citePaper } from '../client/citing';
import { openSourceEntry } from '../client/paperDocuments';
import { paperTarget, type PaperTarget, type SimilarTo } from '../webview/messages';

/** Hits the QuickPick lists: more than fit on screen, few enough to stay instant. */
const PICK_LIMIT = 50;
const PICK_DETAIL_LENGTH = 140;
const STATUS_MESSAGE_MS = 4000;

type PaperCommand = 'cite' | 'copyBibtex' | 'copyKey' | 'copyReference' | 'openSource' | 'showSimilarPapers';

export function register(services: Services): vscode.Disposable {
  const paperCommand = (name: PaperCommand, action: (paper: PaperTarget) => Promise<boolean>) =>
    vscode.commands.registerCommand(COMMANDS[name], async (target?: unknown) => {
      const paper = target === undefined ? targetOf(await pickPaper(services, 'Choose a paper')) : targetOf(target);
      return paper === undefined ? false : action(paper);
    });

  return vscode.Disposable.from(
    paperCommand('cite', async (paper) => {
      if (!(await paperOrWarn(services, paper))) return false;
      return citePaper(services, paper);
    }),
    paperCommand('copyBibtex', (paper) => copyBibtex(services, paper)),
    paperCommand('copyKey', async ({ key }) => {
      await vscode.env.clipboard.writeText(key);
      vscode.window.setStatusBarMessage(`$(check) Copied ${key}`, STATUS_MESSAGE_MS);
      return true;
    }),
    paperCommand('copyReference', async (paper) => {
      const reference = await services.server.request(ReferenceRequest, paper);
      if (reference === null) return notInLibrary(paper.key);
      await vscode.env.clipboard.writeText(reference);
      vscode.window.setStatusBarMessage(`$(check) Copied the APA reference of ${paper.key}`, STATUS_MESSAGE_MS);
      return true;
    }),
    paperCommand('openSource', async (paper) => {
      const found = await paperOrWarn(services, paper);
      if (found) await openSourceEntry(found.paper);
      return found !== undefined;
    }),
    paperCommand('showSimilarPapers', async (paper) => {
      const found = await paperOrWarn(services, paper);
      if (!found) return false;
      await vscode.commands.executeCommand(`${VIEWS.search}.focus`);
      await vscode.commands.executeCommand(INTERNAL_COMMANDS.searchShowSimilar, { ...paper, title: found.paper.title || paper.key } satisfies SimilarTo);
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.searchPapers, () => searchPapers(services)),
    vscode.commands.registerCommand(COMMANDS.insertCitation, () => insertCitation(services)),
    vscode.commands.registerCommand(COMMANDS.copyBibtexAtCursor, () => copyBibtexAtCursor(services)),
    vscode.commands.registerCommand(COMMANDS.rebuildLibrary, () => rebuildLibrary(services)),
    vscode.commands.registerCommand(COMMANDS.addCorpusFile, () => addCorpusFile()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => services.log.show()),
    vscode.commands.registerCommand(COMMANDS.focus, () => vscode.commands.executeCommand(`workbench.view.extension.${VIEWS.container}`)),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.showAbstract, (key: string) => showAbstract(services, key)),
  );
}

/**
 * The paper a command was given: a key (from another command or a keybinding), a PaperTarget or PaperView (the
 * search view, the palette's pick), a library or cited tree item (`{ paper }`), or a cited-tree row (`{ key }`).
 * An origin, when there is one, names the paper among others under its key.
 */
function targetOf(target: unknown): PaperTarget | undefined {
  if (typeof target === 'string') return target === '' ? undefined : { key: target };
  if (target && typeof target === 'object') {
    if ('paper' in target && target.paper && typeof target.paper === 'object') return paperTarget(target.paper);
    return paperTarget(target);
  }
  return undefined;
}

/** The paper, or undefined after telling the user the library lacks it. */
async function paperOrWarn(services: Services, paper: PaperTarget): Promise<PaperResult | undefined> {
  const found = await services.server.request(PaperRequest, { key: paper.key, origin: paper.origin });
  if (!found) void notInLibrary(paper.key);
  return found ?? undefined;
}

async function notInLibrary(key: string): Promise<false> {
  const choice = await vscode.window.showWarningMessage(
    `"${key}" is not in the Paperlens library. Add the corpus file that defines it, or rebuild the library if you just added it.`,
    'Add Corpus File…',
    'Rebuild Library',
  );
  if (choice === 'Add Corpus File…') await vscode.commands.executeCommand(COMMANDS.addCorpusFile);
  else if (choice === 'Rebuild Library') await vscode.commands.executeCommand(COMMANDS.rebuildLibrary);
  return false;
}

async function copyBibtex(services: Services, paper: PaperTarget): Promise<boolean> {
  const found = await paperOrWarn(services, paper);
  if (!found) return false;
  await vscode.env.clipboard.writeText(found.bibtex);
  vscode.window.setStatusBarMessage(`$(check) Copied the BibTeX entry of ${paper.key}`, STATUS_MESSAGE_MS);
  return true;
}

async function showAbstract(services: Services, key: string): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const found = await services.server.request(PaperRequest, { key, uri: active && services.server.uriOf(active) });
  if (!found) {
    void vscode.window.showInformationMessage(`${key} is no longer in the library.`);
    return;
  }
  await vscode.window.showInformationMessage(found.paper.title || found.paper.key, { modal: true, detail: paperPlainText(found.paper) });
}

interface PaperPickItem extends vscode.QuickPickItem {
  paper?: PaperView;
  /** A command an informational row runs when accepted (e.g. "Add corpus file…" in an empty library). */
  command?: string;
}

/** QuickPick labels render `$(name)` as an icon; a title that contains one must show as written. */
function plainLabel(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}

function paperItem(paper: PaperView): PaperPickItem {
  const abstract = paper.abstract?.text ?? '';
  const excerpt = abstract ? abstract.slice(0, Math.min(abstract.length, PICK_DETAIL_LENGTH)) + (abstract.length > PICK_DETAIL_LENGTH ? '…' : '') : (paper.venue ?? '');
  return {
    label: plainLabel(paper.title.text || paper.key),
    description: plainLabel([paper.authors, paper.year, paper.key].filter(Boolean).join(' · ')),
    detail: plainLabel(excerpt),
    // The engine already ranked and filtered: the QuickPick must neither hide nor re-filter rows.
    alwaysShow: true,
    paper,
  };
}

/** A QuickPick over the server's search: re-queried on every keystroke, its ranking kept. Undefined when dismissed. */
async function pickPaper(services: Services, title: string): Promise<PaperView | undefined> {
  const pick = vscode.window.createQuickPick<PaperPickItem>();
  pick.title = title;
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  const disposables: vscode.Disposable[] = [pick];
  let loaded = false;
  let closed = false;
  let asked = 0;
  const update = async () => {
    const size = services.server.status.size;
    pick.placeholder = `Search ${papersLabel(size)} by title, author, abstract or key`;
    const query = pick.value;
    if (!loaded) return;
    if (size === 0) {
      pick.items = [
        { label: '$(add) Add corpus file…', detail: 'The library is empty. Add a .bib, CSL-JSON, RIS, arXiv or paper-listing file.', alwaysShow: true, command: COMMANDS.addCorpusFile },
      ];
      return;
    }
    if (!query.trim()) {
      pick.items = [];
      return;
    }
    const request = ++asked;
    pick.busy = true;
    const result = await services.server.request(SearchRequest, { kind: 'search', text: query, filter: {}, limit: PICK_LIMIT });
    // An answer to a query the user has typed past is dropped.
    if (closed || request !== asked) return;
    pick.busy = false;
    pick.items = result.hits.length
      ? result.hits.map(paperItem)
      : [{ label: `No papers match "${plainLabel(query.trim())}"`, detail: 'Check the spelling, or use fewer or more general words.', alwaysShow: true }];
  };
  const refresh = () => void update().catch((error: unknown) => services.log.error(`Search failed: ${String(error)}`));
  pick.busy = true;
  refresh();
  void services.server.ready.then(() => {
    if (closed) return;
    loaded = true;
    pick.busy = false;
    refresh();
  });
  disposables.push(pick.onDidChangeValue(refresh), services.server.onDidChangeLibrary(refresh));
  try {
    return await new Promise<PaperView | undefined>((resolve) => {
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
    { label: '$(go-to-file) Open Source Entry', description: paper.originLabel, command: 'openSource' },
  ];
  const action = await vscode.window.showQuickPick(actions, { title: plainLabel(paper.title.text || paper.key), placeHolder: 'What to do with this paper' });
  if (action) await vscode.commands.executeCommand(COMMANDS[action.command], { key: paper.key, origin: paper.origin } satisfies PaperTarget);
}

async function insertCitation(services: Services): Promise<boolean> {
  // The editor to cite into is the one active now, before the QuickPick takes the focus.
  const editor = vscode.window.activeTextEditor;
  const paper = await pickPaper(services, 'Insert Citation');
  return paper ? citePaper(services, { key: paper.key, origin: paper.origin }, editor) : false;
}

async function copyBibtexAtCursor(services: Services): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  const position = editor?.selection.active;
  const key =
    editor && position
      ? await services.server.request(KeyAtRequest, { uri: services.server.uriOf(editor.document.uri), position: { line: position.line, character: position.character } })
      : null;
  if (!editor) {
    void vscode.window.showInformationMessage('Put the cursor on a citation key in a LaTeX or Markdown document, then run this again.');
    return false;
  }
  if (!key) {
    void vscode.window.showInformationMessage('The cursor is not on a citation key. Move it onto a key in \\cite{…} or [@…] and run this again.');
    return false;
  }
  return copyBibtex(services, { key });
}

async function rebuildLibrary(services: Services): Promise<void> {
  const status = await vscode.window.withProgress({ location: { viewId: VIEWS.library }, title: 'Rebuilding the library' }, () =>
    services.server.request(RebuildRequest, undefined),
  );
  if (status.kind === 'failed') {
    const choice = await vscode.window.showErrorMessage(
      `Paperlens could not rebuild the library: ${status.message}. It keeps the papers it had; fix the file or setting the output names and rebuild again.`,
      'Show Output',
    );
    if (choice) services.log.show();
    return;
  }
  if (status.kind === 'ready') {
    vscode.window.setStatusBarMessage(
      `$(check) Paperlens: ${papersLabel(status.size)} from ${status.sources} ${status.sources === 1 ? 'source' : 'sources'}`,
      STATUS_MESSAGE_MS,
    );
  }
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
