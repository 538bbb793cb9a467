// "Cited in this document": the keys the active LaTeX or Markdown document cites, in order of first use, each
// resolved against the library or marked missing, as the server reads the document; each key expands into its uses
// across the project (the server's Find All References: file:line and the line around each). Follows the active editor and,
// shortly after, its edits.
import * as vscode from 'vscode';
import type { Services } from '../client/services';
import { paperTooltip } from '../client/tooltips';
import type { Paper } from '../core/paper';
import { citedKeyRowLabel, keyUseRow, NO_CITATIONS_ROW_LABEL, NO_USES_ROW_LABEL, type CitedKey } from '../core/viewmodel';
import { CITING_LANGUAGES, COMMANDS, VIEWS } from '../ids';
import { CitedKeysRequest, KeyUsesRequest, type KeyUseLocation, type LspRange } from '../protocol';

/** Re-scan this long after the last keystroke: typing stays smooth in a long thesis. */
const EDIT_DELAY_MS = 300;

/** A cited key, one of its uses, or the one row that says the document cites nothing yet. Commands read `key`. */
export type CitedNode =
  | {
      kind: 'key';
      key: string;
      cited: CitedKey;
      paper?: Paper;
      /** The first load has not finished: a key without a paper is not known to be missing yet. */
      loading: boolean;
      document: vscode.Uri;
      firstRange: LspRange;
    }
  | { kind: 'use'; key: string; use: KeyUseLocation }
  | { kind: 'noUses'; key: string }
  | { kind: 'none' };

function isCiting(document: vscode.TextDocument): boolean {
  return (CITING_LANGUAGES as readonly string[]).includes(document.languageId);
}

class CitedTreeProvider implements vscode.TreeDataProvider<CitedNode> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The document shown; kept while the focus is in a panel or sidebar, dropped for another kind of editor. */
  document: vscode.TextDocument | undefined;
  nodes: CitedNode[] = [];
  private asked = 0;

  constructor(private readonly services: Services) {}

  dispose(): void {
    this.changed.dispose();
  }

  /** Asks the server for the document's keys again and redraws. */
  async refresh(): Promise<void> {
    const document = this.document;
    const request = ++this.asked;
    let nodes: CitedNode[] = [];
    if (document && isCiting(document)) {
      const result = await this.services.server.request(CitedKeysRequest, { uri: this.services.server.uriOf(document.uri) });
      if (result) {
        nodes = result.keys.length
          ? result.keys.map((entry) => ({
              kind: 'key',
              key: entry.key,
              cited: { key: entry.key, uses: entry.uses, first: entry.first },
              paper: entry.paper,
              loading: result.loading,
              document: document.uri,
              firstRange: entry.firstRange,
            }))
          : [{ kind: 'none' }];
      }
    }
    // An answer overtaken by a newer question is dropped.
    if (request !== this.asked) return;
    this.nodes = nodes;
    this.changed.fire(undefined);
  }

  async getChildren(node?: CitedNode): Promise<CitedNode[]> {
    if (!node) return this.nodes;
    if (node.kind !== 'key') return [];
    const uses = await this.services.server.request(KeyUsesRequest, { uri: this.services.server.uriOf(node.document), key: node.key });
    return uses.length > 0 ? uses.map((use) => ({ kind: 'use', key: node.key, use })) : [{ kind: 'noUses', key: node.key }];
  }

  getTreeItem(node: CitedNode): vscode.TreeItem {
    if (node.kind === 'use') return useItem(node.key, node.use, this.services);
    if (node.kind === 'noUses') {
      const item = new vscode.TreeItem(NO_USES_ROW_LABEL);
      item.tooltip = `No document of the project cites "${node.key}" outside comments (save the document if it is new).`;
      item.iconPath = new vscode.ThemeIcon('info');
      item.accessibilityInformation = { label: NO_USES_ROW_LABEL, role: 'treeitem' };
      return item;
    }
    if (node.kind === 'none') {
      const item = new vscode.TreeItem('No citations yet');
      item.description = 'Insert Citation… (Ctrl+Alt+[)';
      item.tooltip = 'This document cites no papers yet. Click to search the library and cite one at the cursor.';
      item.iconPath = new vscode.ThemeIcon('info');
      item.command = { command: COMMANDS.insertCitation, title: 'Insert Citation' };
      item.accessibilityInformation = { label: NO_CITATIONS_ROW_LABEL, role: 'treeitem' };
      return item;
    }
    const { cited, paper } = node;
    const item = new vscode.TreeItem(cited.key, vscode.TreeItemCollapsibleState.Collapsed);
    // A stable id keeps a key expanded while the document is edited and the rows are drawn again.
    item.id = `key:${node.document.toString()}:${cited.key}`;
    const uses = `${cited.uses}×`;
    if (paper) {
      item.description = `${uses} · ${paper.title}`;
      item.iconPath = new vscode.ThemeIcon('book');
      item.contextValue = 'citedPaper';
      item.tooltip = citedTooltip(node.key, cited.uses, paper);
    } else if (node.loading) {
      // Until the library has loaded, every key would read as missing: say what is actually happening.
      item.description = `${uses} · loading the library…`;
      item.iconPath = new vscode.ThemeIcon('loading~spin');
    } else {
      item.description = `${uses} · not in the library`;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.contextValue = 'citedMissing';
      item.tooltip = citedTooltip(node.key, cited.uses, paper);
    }
    const state = paper ? { kind: 'found' as const, title: paper.title || paper.key } : { kind: node.loading ? ('loading' as const) : ('missing' as const) };
    item.accessibilityInformation = { label: citedKeyRowLabel(cited.key, cited.uses, state), role: 'treeitem' };
    const { start, end } = node.firstRange;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    item.command = {
      command: 'vscode.open',
      title: 'Go to First Use',
      arguments: [node.document, { selection: range } satisfies vscode.TextDocumentShowOptions],
    };
    return item;
  }
}

/** A use under a key: file:line and the line around the key; picking it opens the file at the key. */
function useItem(key: string, use: KeyUseLocation, services: Services): vscode.TreeItem {
  const file = vscode.Uri.parse(use.uri);
  const { start, end } = use.range;
  const row = keyUseRow({ file: vscode.workspace.asRelativePath(file), line: start.line, lineText: use.lineText, start: start.character, end: end.character });
  const item = new vscode.TreeItem(row.label);
  item.id = `use:${key}:${use.uri}:${start.line}:${start.character}`;
  item.description = row.description;
  item.tooltip = `${row.label}\n${use.lineText.trim()}`;
  item.iconPath = new vscode.ThemeIcon('references');
  item.accessibilityInformation = { label: row.accessibilityLabel, role: 'treeitem' };
  item.command = {
    command: 'vscode.open',
    title: 'Go to Use',
    arguments: [file, { selection: new vscode.Range(services.server.position(start), services.server.position(end)) } satisfies vscode.TextDocumentShowOptions],
  };
  return item;
}

function citedTooltip(key: string, uses: number, paper: Paper | undefined): vscode.MarkdownString {
  if (!paper) {
    return new vscode.MarkdownString().appendText(
      `"${key}" is not in the library. Add the corpus file that defines it (Paperlens: Add Corpus File…), or fix the key.`,
    );
  }
  return paperTooltip(paper, `Cited ${uses === 1 ? 'once' : `${uses} times`}. Click to go to the first use; expand to see every use in the project.`);
}

/** A document the user writes: a file or an untitled buffer, not a virtual document (output, preview, git). */
function isUserFile(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' || document.uri.scheme === 'untitled';
}

export function register(services: Services): vscode.Disposable {
  const provider = new CitedTreeProvider(services);
  const view = vscode.window.createTreeView(VIEWS.cited, { treeDataProvider: provider });
  let timer: NodeJS.Timeout | undefined;

  const update = async () => {
    await provider.refresh();
    const document = provider.document;
    const keys = provider.nodes.filter((node) => node.kind === 'key');
    const missing = keys.filter((node) => node.kind === 'key' && !node.paper && !node.loading).length;
    view.description = document
      ? [vscode.workspace.asRelativePath(document.uri), keys.length ? `${keys.length} ${keys.length === 1 ? 'key' : 'keys'}` : '', missing ? `${missing} missing` : '']
          .filter(Boolean)
          .join(' · ')
      : undefined;
  };
  const refresh = () => void update().catch((error: unknown) => services.log.error(`The Cited view could not be updated: ${String(error)}`));
  const follow = (editor: vscode.TextEditor | undefined) => {
    if (editor) {
      // Output, diff and paper-preview editors are not drafts: the view keeps showing the draft last written in.
      if (isUserFile(editor.document)) provider.document = isCiting(editor.document) ? editor.document : undefined;
    } else if (provider.document && !vscode.window.visibleTextEditors.some((visible) => visible.document === provider.document)) {
      // No editor has focus and ours is no longer visible: it was closed.
      provider.document = undefined;
    }
    clearTimeout(timer);
    refresh();
  };

  follow(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    view,
    provider,
    { dispose: () => clearTimeout(timer) },
    vscode.window.onDidChangeActiveTextEditor(follow),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== provider.document) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, EDIT_DELAY_MS);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document === provider.document) follow(undefined);
    }),
    // A language change (plain text → LaTeX) makes a document citable.
    vscode.workspace.onDidOpenTextDocument(() => follow(vscode.window.activeTextEditor)),
    services.server.onDidChangeLibrary(refresh),
  );
}
