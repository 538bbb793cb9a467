// "Cited in this document": the keys the active LaTeX or Markdown document cites, in order of first use, each
// resolved against the library or marked missing. Follows the active editor and, shortly after, its edits.
import * as vscode from 'vscode';
import { documentLanguage, findCitations } from '../core/documents/citations';
import type { Paper } from '../core/paper';
import { citedKeys, type CitedKey } from '../core/viewmodel';
import { citedKeyRowLabel, NO_CITATIONS_ROW_LABEL } from '../core/viewmodel';
import { paperTooltip } from './libraryTree';
import type { Services } from '../services';

export const CITED_VIEW_ID = 'paperlens.cited';
/** Re-scan this long after the last keystroke: typing stays smooth in a long thesis. */
const EDIT_DELAY_MS = 300;

/** A cited key, or the one row that says the document cites nothing yet. Commands read `key`. */
export type CitedNode =
  | {
      kind: 'key';
      key: string;
      cited: CitedKey;
      paper?: Paper;
      /** The first load has not finished: a key without a paper is not known to be missing yet. */
      loading: boolean;
      document: vscode.TextDocument;
    }
  | { kind: 'none' };

class CitedTreeProvider implements vscode.TreeDataProvider<CitedNode> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The document shown; kept while the focus is in a panel or sidebar, dropped for another kind of editor. */
  document: vscode.TextDocument | undefined;
  nodes: CitedNode[] = [];

  constructor(private readonly services: Services) {}

  dispose(): void {
    this.changed.dispose();
  }

  /** Re-scan the document and redraw. */
  refresh(): void {
    const document = this.document;
    const language = document && documentLanguage(document.languageId);
    if (!document || !language) {
      this.nodes = [];
    } else {
      const library = this.services.library.library;
      const loading = library.size === 0 && this.services.library.state.kind === 'loading';
      const cited = citedKeys(findCitations(document.getText(), language));
      this.nodes = cited.length
        ? cited.map((entry) => ({ kind: 'key', key: entry.key, cited: entry, paper: library.byKey(entry.key), loading, document }))
        : [{ kind: 'none' }];
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: CitedNode): CitedNode[] {
    return node ? [] : this.nodes;
  }

  getTreeItem(node: CitedNode): vscode.TreeItem {
    if (node.kind === 'none') {
      const item = new vscode.TreeItem('No citations yet');
      item.description = 'Insert Citation… (Ctrl+Alt+[)';
      item.tooltip = 'This document cites no papers yet. Click to search the library and cite one at the cursor.';
      item.iconPath = new vscode.ThemeIcon('info');
      item.command = { command: 'paperlens.insertCitation', title: 'Insert Citation' };
      item.accessibilityInformation = { label: NO_CITATIONS_ROW_LABEL, role: 'treeitem' };
      return item;
    }
    const { cited, paper, document } = node;
    const item = new vscode.TreeItem(cited.key);
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
    const range = new vscode.Range(document.positionAt(cited.first.start), document.positionAt(cited.first.end));
    item.command = {
      command: 'vscode.open',
      title: 'Go to First Use',
      arguments: [document.uri, { selection: range } satisfies vscode.TextDocumentShowOptions],
    };
    return item;
  }
}

function citedTooltip(key: string, uses: number, paper: Paper | undefined): vscode.MarkdownString {
  if (!paper) {
    return new vscode.MarkdownString().appendText(
      `"${key}" is not in the library. Add the corpus file that defines it (Paperlens: Add Corpus File…), or fix the key.`,
    );
  }
  return paperTooltip(paper, `Cited ${uses === 1 ? 'once' : `${uses} times`}. Click to go to the first use.`);
}

/** A document the user writes: a file or an untitled buffer, not a virtual document (output, preview, git). */
function isUserFile(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' || document.uri.scheme === 'untitled';
}

export function register(services: Services): vscode.Disposable {
  const provider = new CitedTreeProvider(services);
  const view = vscode.window.createTreeView(CITED_VIEW_ID, { treeDataProvider: provider });
  let timer: NodeJS.Timeout | undefined;

  const update = () => {
    provider.refresh();
    const document = provider.document;
    const keys = provider.nodes.filter((node) => node.kind === 'key');
    const missing = keys.filter((node) => node.kind === 'key' && !node.paper && !node.loading).length;
    view.description = document
      ? [vscode.workspace.asRelativePath(document.uri), keys.length ? `${keys.length} ${keys.length === 1 ? 'key' : 'keys'}` : '', missing ? `${missing} missing` : '']
          .filter(Boolean)
          .join(' · ')
      : undefined;
  };
  const follow = (editor: vscode.TextEditor | undefined) => {
    if (editor) {
      // Output, diff and paper-preview editors are not drafts: the view keeps showing the draft last written in.
      if (isUserFile(editor.document)) provider.document = documentLanguage(editor.document.languageId) ? editor.document : undefined;
    } else if (provider.document && !vscode.window.visibleTextEditors.some((visible) => visible.document === provider.document)) {
      // No editor has focus and ours is no longer visible: it was closed.
      provider.document = undefined;
    }
    clearTimeout(timer);
    update();
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
      timer = setTimeout(update, EDIT_DELAY_MS);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document === provider.document) follow(undefined);
    }),
    // A language change (plain text → LaTeX) makes a document citable.
    vscode.workspace.onDidOpenTextDocument(() => follow(vscode.window.activeTextEditor)),
    services.library.onDidChange(update),
    // A first load that fails leaves the keys unresolved: they are missing after all.
    services.library.onDidChangeState((state) => {
      if (state.kind === 'failed') update();
    }),
  );
}
