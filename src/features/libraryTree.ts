// The Library tree: each corpus file with its paper and problem counts → its papers (paged, so an 88k-entry file
// opens at once) and its problems, asked of the server page by page. A paper opens its source entry or a preview;
// problems jump to their line. Filtered to unused entries (a title bar toggle), it shows each .bib of the active
// document's project with the entries nothing in the project cites, following the active editor and its edits.
import * as vscode from 'vscode';
import { openPaper } from '../client/paperDocuments';
import type { Services } from '../client/services';
import { paperTooltip } from '../client/tooltips';
import type { SourceSummary } from '../core/library';
import { shortAuthors, type Paper, type Problem } from '../core/paper';
import { baseName, firstPage, groupedDigits, originLabel, papersLabel, TREE_PAGE_SIZE } from '../core/viewmodel';
import { libraryFailedRowLabel, moreRowLabel, paperRowLabel, problemRowLabel, problemsRowLabel, sourceRowLabel } from '../core/viewmodel';
import { allCitedRowLabel, unusedCountLabel, unusedEntryRowLabel, unusedSourceRowLabel } from '../core/viewmodel';
import { BIBLIOGRAPHY_LANGUAGE, CITING_LANGUAGES, COMMANDS, CONTEXT_KEYS, INTERNAL_COMMANDS, VIEWS } from '../ids';
import { LibraryInfoRequest, SourcePapersRequest, UnusedEntriesRequest, type UnusedEntry } from '../protocol';

/** Ask for the unused entries again this long after the last keystroke in a document or .bib. */
const EDIT_DELAY_MS = 300;

type PagedList = 'papers' | 'problems';

/** The tree's elements. Commands given a `paper` node (context menu) read its `paper`. */
export type LibraryNode =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'source'; source: SourceSummary }
  | { kind: 'paper'; paper: Paper; format: string }
  | { kind: 'problems'; source: SourceSummary }
  | { kind: 'problem'; problem: Problem }
  | { kind: 'more'; list: PagedList; source: SourceSummary; remaining: number }
  // The unused-entries filter: why there is nothing to show, a .bib, one of its unused entries, or "all cited".
  | { kind: 'unusedMessage'; message: string }
  | { kind: 'unusedSource'; file: string; entries: UnusedEntry[] }
  | { kind: 'unusedEntry'; entry: UnusedEntry }
  | { kind: 'allCited'; file: string };

class LibraryTreeProvider implements vscode.TreeDataProvider<LibraryNode> {
  private readonly changed = new vscode.EventEmitter<LibraryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** How many children each paged list shows, by list and file. */
  private shown = new Map<string, number>();
  /** Only the unused entries of the project of `document` are shown. */
  unusedOnly = false;
  /** The document (LaTeX, Markdown or .bib) whose project the filter looks at: the last one active. */
  document: vscode.Uri | undefined;

  constructor(private readonly services: Services) {}

  dispose(): void {
    this.changed.dispose();
  }

  refresh(): void {
    this.shown.clear();
    this.changed.fire(undefined);
  }

  showMore(node: Extract<LibraryNode, { kind: 'more' }>): void {
    const id = pageId(node.list, node.source);
    this.shown.set(id, (this.shown.get(id) ?? TREE_PAGE_SIZE) + TREE_PAGE_SIZE);
    this.changed.fire(undefined);
  }

  async getChildren(node?: LibraryNode): Promise<LibraryNode[]> {
    if (!node && this.unusedOnly) return this.unusedRoots();
    if (!node) {
      const info = await this.services.server.request(LibraryInfoRequest, undefined);
      // Before anything loaded the state says why the tree is empty; an empty loaded library shows the welcome.
      if (info.size === 0 && info.state === 'loading') return [{ kind: 'loading' }];
      if (info.size === 0 && info.state === 'failed') return [{ kind: 'failed', message: info.failure ?? 'unknown error' }];
      return info.sourceSummaries.map((source) => ({ kind: 'source', source }));
    }
    switch (node.kind) {
      case 'source': {
        const shown = this.shown.get(pageId('papers', node.source)) ?? TREE_PAGE_SIZE;
        const page = await this.services.server.request(SourcePapersRequest, { file: node.source.file, offset: 0, limit: shown });
        const papers: LibraryNode[] = page.papers.map((paper) => ({ kind: 'paper', paper, format: node.source.format }));
        if (page.total > page.papers.length) papers.push({ kind: 'more', list: 'papers', source: node.source, remaining: page.total - page.papers.length });
        return node.source.problems.length > 0 ? [{ kind: 'problems', source: node.source }, ...papers] : papers;
      }
      case 'problems': {
        const { visible, remaining } = firstPage(node.source.problems, this.shown.get(pageId('problems', node.source)) ?? TREE_PAGE_SIZE);
        const problems: LibraryNode[] = visible.map((problem) => ({ kind: 'problem', problem }));
        return remaining > 0 ? [...problems, { kind: 'more', list: 'problems', source: node.source, remaining }] : problems;
      }
      case 'unusedSource':
        return node.entries.length > 0 ? node.entries.map((entry) => ({ kind: 'unusedEntry', entry })) : [{ kind: 'allCited', file: node.file }];
      default:
        return [];
    }
  }

  /** Each .bib of the document's project with its unused entries, or one row saying why there is nothing to show. */
  private async unusedRoots(): Promise<LibraryNode[]> {
    if (!this.document) {
      return [{ kind: 'unusedMessage', message: 'Open a LaTeX or Markdown document, or a .bib, of a saved project to see the entries nothing cites.' }];
    }
    const result = await this.services.server.request(UnusedEntriesRequest, { uri: this.services.server.uriOf(this.document) });
    if (result.message) return [{ kind: 'unusedMessage', message: result.message }];
    return result.bibliographies.map((file) => {
      const fsPath = vscode.Uri.file(file).fsPath;
      return { kind: 'unusedSource', file, entries: result.entries.filter((entry) => vscode.Uri.parse(entry.uri).fsPath === fsPath) };
    });
  }

  getTreeItem(node: LibraryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'loading': {
        const item = new vscode.TreeItem('Loading the library…');
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        item.accessibilityInformation = { label: 'Loading the library', role: 'treeitem' };
        return item;
      }
      case 'failed': {
        const item = new vscode.TreeItem('The library could not be loaded');
        item.description = node.message;
        item.tooltip = `${node.message}\nFix the corpus file or setting the output names, then run "Paperlens: Rebuild Library". Click to show the output.`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.command = { command: 'paperlens.showOutput', title: 'Show Paperlens Output' };
        item.accessibilityInformation = { label: libraryFailedRowLabel(node.message), role: 'treeitem' };
        return item;
      }
      case 'source':
        return sourceItem(node.source);
      case 'paper': {
        const item = new vscode.TreeItem(node.paper.title || node.paper.key);
        item.id = `paper:${node.paper.key}`;
        item.description = [shortAuthors(node.paper.authors), node.paper.year].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon('book');
        item.contextValue = 'paper';
        item.command = { command: INTERNAL_COMMANDS.libraryOpenPaper, title: 'Open Paper', arguments: [node] };
        item.accessibilityInformation = { label: paperRowLabel(node.paper), role: 'treeitem' };
        return item;
      }
      case 'problems': {
        const item = new vscode.TreeItem(`Problems (${node.source.problems.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `problems:${node.source.file}`;
        item.iconPath = warningIcon();
        item.tooltip = 'Entries that could not be read. Each one costs only its own entry; click one to go to its line.';
        item.accessibilityInformation = { label: problemsRowLabel(node.source.problems.length), role: 'treeitem' };
        return item;
      }
      case 'problem': {
        const { problem } = node;
        const item = new vscode.TreeItem(problem.message);
        item.description = originLabel(problem);
        item.tooltip = `${problem.file}:${problem.line}\n${problem.message}`;
        item.iconPath = warningIcon();
        item.accessibilityInformation = { label: problemRowLabel(problem), role: 'treeitem' };
        const line = Math.max(0, problem.line - 1);
        item.command = {
          command: 'vscode.open',
          title: 'Go to Problem',
          arguments: [vscode.Uri.file(problem.file), { selection: new vscode.Range(line, 0, line, 0) } satisfies vscode.TextDocumentShowOptions],
        };
        return item;
      }
      case 'more': {
        const next = Math.min(TREE_PAGE_SIZE, node.remaining);
        const item = new vscode.TreeItem(`Show ${groupedDigits(next)} more`);
        item.description = `${groupedDigits(node.remaining)} not shown`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: INTERNAL_COMMANDS.libraryShowMore, title: 'Show More', arguments: [node] };
        item.accessibilityInformation = { label: moreRowLabel(node.remaining), role: 'treeitem' };
        return item;
      }
      case 'unusedMessage': {
        const item = new vscode.TreeItem(node.message);
        item.iconPath = new vscode.ThemeIcon('info');
        item.tooltip = node.message;
        item.accessibilityInformation = { label: node.message, role: 'treeitem' };
        return item;
      }
      case 'unusedSource': {
        const item = new vscode.TreeItem(baseName(node.file), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `unused-source:${node.file}`;
        item.resourceUri = vscode.Uri.file(node.file);
        item.iconPath = vscode.ThemeIcon.File;
        item.description = unusedCountLabel(node.entries.length);
        item.tooltip = `${node.file}\nEntries nothing in the project cites (a crossref parent of a cited entry counts as cited). "Paperlens: Remove Unused Entries" removes them all, as one edit.`;
        item.accessibilityInformation = { label: unusedSourceRowLabel(node.file, node.entries.length), role: 'treeitem' };
        return item;
      }
      case 'unusedEntry': {
        const { entry } = node;
        const item = new vscode.TreeItem(entry.key);
        item.id = `unused-entry:${entry.uri}:${entry.key}`;
        item.description = `line ${entry.range.start.line + 1}`;
        item.tooltip = `No document of the project cites ${entry.key}. Click to open the entry.`;
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        const selection = new vscode.Range(this.services.server.position(entry.range.start), this.services.server.position(entry.range.end));
        item.command = { command: 'vscode.open', title: 'Open Entry', arguments: [vscode.Uri.parse(entry.uri), { selection } satisfies vscode.TextDocumentShowOptions] };
        item.accessibilityInformation = { label: unusedEntryRowLabel(entry.key, entry.range.start.line), role: 'treeitem' };
        return item;
      }
      case 'allCited': {
        const item = new vscode.TreeItem(allCitedRowLabel(node.file));
        item.iconPath = new vscode.ThemeIcon('pass');
        item.tooltip = 'Something in the project cites each entry of this file: there is nothing to remove.';
        item.accessibilityInformation = { label: allCitedRowLabel(node.file), role: 'treeitem' };
        return item;
      }
    }
  }

  /** The tooltip (authors, year, venue, abstract) is built only when the user hovers a paper. */
  resolveTreeItem(item: vscode.TreeItem, node: LibraryNode): vscode.TreeItem {
    if (node.kind === 'paper') {
      const paper = node.paper;
      item.tooltip = paperTooltip(paper, paper.abstract?.trim() || 'No abstract in this source.', `${paper.key} — ${originLabel(paper.origin)}`);
    }
    return item;
  }
}

function pageId(list: PagedList, source: SourceSummary): string {
  return `${list}:${source.file}`;
}

function warningIcon(): vscode.ThemeIcon {
  return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
}

function sourceItem(source: SourceSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(baseName(source.file), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `source:${source.file}`;
  item.resourceUri = vscode.Uri.file(source.file);
  item.iconPath = vscode.ThemeIcon.File;
  item.contextValue = 'source';
  const duplicates = source.papers - source.kept;
  const problems = source.problems.length;
  item.description = [
    papersLabel(source.kept),
    duplicates > 0 ? `${groupedDigits(duplicates)} duplicate${duplicates === 1 ? '' : 's'}` : '',
    problems > 0 ? `${groupedDigits(problems)} problem${problems === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = [
    source.file,
    `Format: ${source.format}`,
    `${papersLabel(source.papers)} read, ${groupedDigits(source.kept)} kept${duplicates > 0 ? ` (${duplicates} already in an earlier source)` : ''}`,
    problems > 0 ? `${problems} entries could not be read: see "Problems" below it.` : '',
  ]
    .filter(Boolean)
    .join('\n');
  item.accessibilityInformation = { label: sourceRowLabel({ ...source, problems: source.problems.length }), role: 'treeitem' };
  return item;
}

/** A document the filter can ask about: a saved LaTeX, Markdown or .bib file. */
function isProjectFile(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && [...CITING_LANGUAGES, BIBLIOGRAPHY_LANGUAGE].includes(document.languageId);
}

export function register(services: Services): vscode.Disposable {
  const provider = new LibraryTreeProvider(services);
  const view = vscode.window.createTreeView(VIEWS.library, { treeDataProvider: provider, showCollapseAll: true });
  const describe = () => {
    view.description = provider.unusedOnly
      ? `Unused entries${provider.document ? ` · ${vscode.workspace.asRelativePath(provider.document)}` : ''}`
      : papersLabel(services.server.status.size);
  };
  const editor = vscode.window.activeTextEditor;
  if (editor && isProjectFile(editor.document)) provider.document = editor.document.uri;
  describe();
  let lastKind = services.server.status.kind;
  let timer: NodeJS.Timeout | undefined;
  const showUnused = (unusedOnly: boolean) => {
    provider.unusedOnly = unusedOnly;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.libraryShowsUnused, unusedOnly);
    provider.refresh();
    describe();
  };
  /** The filtered tree follows what the user edits: the project's texts decide what is unused. */
  const refreshUnused = () => {
    if (!provider.unusedOnly) return;
    clearTimeout(timer);
    timer = setTimeout(() => provider.refresh(), EDIT_DELAY_MS);
  };
  return vscode.Disposable.from(
    view,
    provider,
    { dispose: () => clearTimeout(timer) },
    services.server.onDidChangeLibrary(() => {
      provider.refresh();
      describe();
    }),
    // With nothing loaded yet, the root row follows the state: loading, failed, or (ready and empty) the welcome.
    services.server.onDidChangeStatus((status) => {
      if (status.size === 0 && status.kind !== lastKind) provider.refresh();
      lastKind = status.kind;
    }),
    vscode.window.onDidChangeActiveTextEditor((active) => {
      if (!active || !isProjectFile(active.document) || active.document.uri.toString() === provider.document?.toString()) return;
      provider.document = active.document.uri;
      if (provider.unusedOnly) {
        provider.refresh();
        describe();
      }
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (isProjectFile(event.document) && event.contentChanges.length > 0) refreshUnused();
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (isProjectFile(document)) refreshUnused();
    }),
    vscode.commands.registerCommand(COMMANDS.libraryShowOnlyUnused, () => showUnused(true)),
    vscode.commands.registerCommand(COMMANDS.libraryShowAll, () => showUnused(false)),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.libraryShowMore, (node: Extract<LibraryNode, { kind: 'more' }>) => provider.showMore(node)),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.libraryOpenPaper, (node: Extract<LibraryNode, { kind: 'paper' }>) =>
      openPaper(node.paper, node.format),
    ),
  );
}
