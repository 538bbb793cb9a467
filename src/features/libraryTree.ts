// The Library tree: each corpus file with its paper and problem counts → its papers (paged, so an 88k-entry file
// opens at once) and its problems. A paper opens its source entry or a preview; problems jump to their line.
import * as vscode from 'vscode';
import type { Library, SourceSummary } from '../core/library';
import { shortAuthors, type Paper, type Problem } from '../core/paper';
import { authorList, baseName, firstPage, originLabel, papersLabel, TREE_PAGE_SIZE } from '../core/viewmodel';
import { libraryFailedRowLabel, moreRowLabel, paperRowLabel, problemRowLabel, problemsRowLabel, sourceRowLabel } from '../core/viewmodel';
import type { Services } from '../services';
import { openPaper } from './paperPreview';

export const LIBRARY_VIEW_ID = 'paperlens.library';
const SHOW_MORE_COMMAND = 'paperlens.library.showMore';
const OPEN_PAPER_COMMAND = 'paperlens.library.openPaper';

type PagedList = 'papers' | 'problems';

/** The tree's elements. Commands given a `paper` node (context menu) read its `paper`. */
export type LibraryNode =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'source'; source: SourceSummary }
  | { kind: 'paper'; paper: Paper }
  | { kind: 'problems'; source: SourceSummary }
  | { kind: 'problem'; problem: Problem }
  | { kind: 'more'; list: PagedList; source: SourceSummary; remaining: number };

class LibraryTreeProvider implements vscode.TreeDataProvider<LibraryNode> {
  private readonly changed = new vscode.EventEmitter<LibraryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** How many children each paged list shows, by list and file. */
  private shown = new Map<string, number>();
  /** Papers kept from each source file, grouped once per library. */
  private grouped: { library: Library; byFile: Map<string, Paper[]> } | undefined;

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

  getChildren(node?: LibraryNode): LibraryNode[] {
    const library = this.services.library.library;
    if (!node) {
      // Before anything loaded the state says why the tree is empty; an empty loaded library shows the welcome.
      const state = this.services.library.state;
      if (library.size === 0 && state.kind === 'loading') return [{ kind: 'loading' }];
      if (library.size === 0 && state.kind === 'failed') return [{ kind: 'failed', message: state.message }];
      return library.sources.map((source) => ({ kind: 'source', source }));
    }
    switch (node.kind) {
      case 'source': {
        const papers = this.page('papers', node.source, this.papersOf(library, node.source.file)).map((item) =>
          'kind' in item ? item : ({ kind: 'paper', paper: item } as const),
        );
        return node.source.problems.length > 0 ? [{ kind: 'problems', source: node.source }, ...papers] : papers;
      }
      case 'problems':
        return this.page('problems', node.source, node.source.problems).map((item) =>
          'kind' in item ? item : ({ kind: 'problem', problem: item } as const),
        );
      default:
        return [];
    }
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
        item.command = { command: OPEN_PAPER_COMMAND, title: 'Open Paper', arguments: [node.paper.key] };
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
        const item = new vscode.TreeItem(`Show ${next.toLocaleString('en-US')} more`);
        item.description = `${node.remaining.toLocaleString('en-US')} not shown`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: SHOW_MORE_COMMAND, title: 'Show More', arguments: [node] };
        item.accessibilityInformation = { label: moreRowLabel(node.remaining), role: 'treeitem' };
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

  private page<T>(list: PagedList, source: SourceSummary, all: readonly T[]): (T | Extract<LibraryNode, { kind: 'more' }>)[] {
    const { visible, remaining } = firstPage(all, this.shown.get(pageId(list, source)) ?? TREE_PAGE_SIZE);
    return remaining > 0 ? [...visible, { kind: 'more', list, source, remaining }] : visible;
  }

  private papersOf(library: Library, file: string): readonly Paper[] {
    if (this.grouped?.library !== library) {
      const byFile = new Map<string, Paper[]>();
      for (const paper of library.papers()) {
        const list = byFile.get(paper.origin.file);
        if (list) list.push(paper);
        else byFile.set(paper.origin.file, [paper]);
      }
      this.grouped = { library, byFile };
    }
    return this.grouped.byFile.get(file) ?? [];
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
    duplicates > 0 ? `${duplicates.toLocaleString('en-US')} duplicate${duplicates === 1 ? '' : 's'}` : '',
    problems > 0 ? `${problems.toLocaleString('en-US')} problem${problems === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = [
    source.file,
    `Format: ${source.format}`,
    `${papersLabel(source.papers)} read, ${source.kept.toLocaleString('en-US')} kept${duplicates > 0 ? ` (${duplicates} already in an earlier source)` : ''}`,
    problems > 0 ? `${problems} entries could not be read: see "Problems" below it.` : '',
  ]
    .filter(Boolean)
    .join('\n');
  item.accessibilityInformation = { label: sourceRowLabel({ ...source, problems: source.problems.length }), role: 'treeitem' };
  return item;
}

/** Title, then authors · year · venue, then the given paragraphs; all of it escaped (appendText). */
export function paperTooltip(paper: Paper, ...paragraphs: string[]): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**');
  tooltip.appendText(paper.title || paper.key);
  tooltip.appendMarkdown('**');
  const byline = [authorList(paper.authors), paper.year, paper.venue].filter(Boolean).join(' · ');
  for (const paragraph of [byline, ...paragraphs].filter(Boolean)) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(paragraph);
  }
  return tooltip;
}

export function register(services: Services): vscode.Disposable {
  const provider = new LibraryTreeProvider(services);
  const view = vscode.window.createTreeView(LIBRARY_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const describe = () => {
    const library = services.library.library;
    view.description = `${papersLabel(library.size)}`;
  };
  describe();
  return vscode.Disposable.from(
    view,
    provider,
    services.library.onDidChange(() => {
      provider.refresh();
      describe();
    }),
    // With nothing loaded yet, the root row follows the state: loading, failed, or (ready and empty) the welcome.
    services.library.onDidChangeState(() => {
      if (services.library.library.size === 0) provider.refresh();
    }),
    vscode.commands.registerCommand(SHOW_MORE_COMMAND, (node: Extract<LibraryNode, { kind: 'more' }>) => provider.showMore(node)),
    vscode.commands.registerCommand(OPEN_PAPER_COMMAND, async (key: string) => {
      const paper = services.library.library.byKey(key);
      if (paper) await openPaper(services, paper);
    }),
  );
}
