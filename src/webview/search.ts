// The search view's browser script. The DOM is built with createElement/textContent only: bibliography text is
// never parsed as HTML. All search work happens in the extension; this script draws and sends intents.
//
// For screen readers and the keyboard: the results are a one-column tree grid whose rows hold no controls (named by
// their title, described by their meta line, expandable when the abstract is cut; a row, unlike a tree item or an
// option, may be named by less than all its text, and its cell stays readable in browse mode); the actions on the
// active result are one toolbar after the list. What changes on its own is said through live regions that exist from the start: the
// result count and the view's message (loading, no match) are status regions, errors an alert.
import { isFilterActive, segments, type HighlightedText, type PaperView, type SearchFilter } from '../core/viewmodel';
import type { ExtensionToWebview, LibraryInfo, PaperAction, ResultsMessage, SimilarTo, WebviewToExtension } from './messages';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the view being hidden: the query, filters, what is expanded and where the cursor was. */
interface ViewState {
  query: string;
  filter: SearchFilter;
  filtersOpen: boolean;
  similarTo?: SimilarTo;
  /** Results by paperId: a key alone does not tell apart papers that share it. */
  expanded: string[];
  activePaper?: string;
}

const SEARCH_DELAY_MS = 120;
const MAX_REMEMBERED_EXPANDED = 50;

const ACTIONS: { action: PaperAction | 'similar'; label: string; shortcut: string; hint: string }[] = [
  { action: 'cite', label: 'Cite', shortcut: 'Enter', hint: 'Insert the key in the last active LaTeX or Markdown editor and add the entry to its bibliography' },
  { action: 'copyBibtex', label: 'Copy BibTeX', shortcut: 'B', hint: 'Copy the BibTeX entry' },
  { action: 'copyKey', label: 'Copy key', shortcut: 'K', hint: 'Copy the citation key' },
  { action: 'openSource', label: 'Open source', shortcut: 'O', hint: 'Open the entry in its corpus file' },
  { action: 'similar', label: 'Similar papers', shortcut: 'S', hint: 'Show papers similar to this one' },
];

const DONE_TEXT: Record<PaperAction, (key: string) => string> = {
  cite: (key) => `Cited ${key}.`,
  copyBibtex: (key) => `Copied the BibTeX entry of ${key}.`,
  copyKey: (key) => `Copied ${key}.`,
  openSource: (key) => `Opened the source of ${key}.`,
};

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Highlighted text as text nodes and <mark> elements, optionally only its first `end` characters. */
function highlighted(text: HighlightedText, end?: number): Node[] {
  return segments(text, end).map((run) => (run.match ? element('mark', {}, run.text) : document.createTextNode(run.text)));
}

/** A result's identity: its key and where it was read, since two papers of a corpus file can share a key. */
function paperId(view: PaperView): string {
  return `${view.key}\n${view.origin.file}:${view.origin.line}`;
}

function restoredState(saved: unknown): ViewState {
  const fallback: ViewState = { query: '', filter: {}, filtersOpen: false, expanded: [] };
  if (!saved || typeof saved !== 'object') return fallback;
  return { ...fallback, ...(saved as Partial<ViewState>) };
}

class SearchView {
  private readonly vscode = acquireVsCodeApi();
  private state = restoredState(this.vscode.getState());
  private library: LibraryInfo | undefined;
  private results: ResultsMessage | undefined;
  private requestId = 0;
  private pending = false;
  private searchTimer: number | undefined;

  private readonly queryInput = element('input', {
    type: 'search',
    id: 'query',
    placeholder: 'Search titles, authors, abstracts',
    'aria-label': 'Search papers',
    'aria-controls': 'results',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  private readonly filtersToggle = element('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'filters' });
  private readonly yearFrom = element('input', { type: 'number', id: 'year-from', inputmode: 'numeric' });
  private readonly yearTo = element('input', { type: 'number', id: 'year-to', inputmode: 'numeric' });
  private readonly sourceSelect = element('select', { id: 'source' });
  private readonly clearFilters = element('button', { type: 'button', class: 'secondary' }, 'Clear filters');
  private readonly filters = element('div', { id: 'filters', class: 'filters', role: 'group', 'aria-label': 'Filters' });
  private readonly similarBanner = element('div', { class: 'similar-banner' });
  private readonly count = element('div', { class: 'count', role: 'status', 'aria-live': 'polite' });
  private readonly progress = element('div', { class: 'progress', 'aria-hidden': 'true' });
  /** Why there is nothing to list (loading, empty library, no match): announced, so it is a status region. */
  private readonly message = element('div', { class: 'message', role: 'status', 'aria-live': 'polite' });
  /** What went wrong (the library failed to load, a search failed): an alert, read at once. */
  private readonly alert = element('div', { class: 'alert', role: 'alert' });
  /** Hints and buttons under the message; not live, so they are read when the user gets there. */
  private readonly details = element('div', { class: 'details' });
  private readonly list = element('div', {
    id: 'results',
    class: 'results',
    role: 'treegrid',
    'aria-label': 'Search results',
    'aria-describedby': 'keys',
    tabindex: '0',
  });
  /** The actions of the active result; one tab stop, ←/→ between its buttons (roving tabindex). */
  private readonly toolbar = element('div', { class: 'actions', role: 'toolbar', 'aria-controls': 'results' });
  private readonly toolbarButtons = new Map<PaperAction | 'similar' | 'expand', HTMLButtonElement>();
  private readonly status = element('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  /** The last search failure, shown until the next search. */
  private failure: string | undefined;

  constructor() {
    this.buildLayout();
    this.bindEvents();
    this.queryInput.value = this.state.query;
    this.yearFrom.value = this.state.filter.yearFrom?.toString() ?? '';
    this.yearTo.value = this.state.filter.yearTo?.toString() ?? '';
    this.renderFiltersOpen();
    this.renderEmpty();
    window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => this.receive(event.data));
    this.post({ type: 'ready' });
  }

  private buildLayout(): void {
    const searchRow = element('div', { class: 'search-row' }, this.queryInput, this.filtersToggle);
    for (const { action, label, shortcut, hint } of ACTIONS) {
      this.addToolbarButton(action, label, { class: action === 'cite' ? '' : 'secondary', title: `${hint} (${shortcut})`, 'aria-keyshortcuts': shortcut });
    }
    this.addToolbarButton('expand', 'Show whole abstract', { class: 'secondary', title: 'Show or hide the whole abstract (→ / ←)', 'aria-expanded': 'false' });
    this.filters.append(
      element('label', { for: 'year-from' }, 'From year'),
      this.yearFrom,
      element('label', { for: 'year-to' }, 'To year'),
      this.yearTo,
      element('label', { for: 'source' }, 'Source'),
      this.sourceSelect,
      this.clearFilters,
    );
    const keys = element('p', { id: 'keys', class: 'keys' }, '↑↓ move · Enter cite · → expand · B BibTeX · K key · O source · S similar · Esc clear');
    // One main landmark named by a heading; everything, the key hints included, is inside it.
    document.body.append(
      element(
        'main',
        { 'aria-labelledby': 'heading' },
        element('h1', { id: 'heading', class: 'visually-hidden' }, 'Search papers'),
        element('div', { class: 'header', role: 'search' }, searchRow, this.filters, this.similarBanner, this.count),
        this.progress,
        element('div', { class: 'empty' }, this.message, this.alert, this.details),
        this.list,
        this.toolbar,
        this.status,
        keys,
      ),
    );
  }

  private addToolbarButton(action: PaperAction | 'similar' | 'expand', label: string, attributes: Record<string, string>): void {
    const button = element('button', { type: 'button', tabindex: this.toolbarButtons.size === 0 ? '0' : '-1', ...attributes }, label);
    button.dataset.action = action;
    button.addEventListener('click', () => {
      const view = this.activeView();
      if (!view) return;
      if (action === 'expand') this.setExpanded(view, !this.state.expanded.includes(paperId(view)));
      else this.act(action, view);
    });
    this.toolbarButtons.set(action, button);
    this.toolbar.append(button);
  }

  private bindEvents(): void {
    this.queryInput.addEventListener('input', () => {
      this.state.query = this.queryInput.value;
      this.state.similarTo = undefined;
      this.save();
      this.scheduleSearch();
    });
    this.queryInput.addEventListener('keydown', (event) => this.onQueryKey(event));
    this.filtersToggle.addEventListener('click', () => {
      this.state.filtersOpen = !this.state.filtersOpen;
      this.save();
      this.renderFiltersOpen();
    });
    for (const input of [this.yearFrom, this.yearTo]) input.addEventListener('change', () => this.onFilterChange());
    this.sourceSelect.addEventListener('change', () => this.onFilterChange());
    this.clearFilters.addEventListener('click', () => this.resetFilters());
    this.list.addEventListener('keydown', (event) => this.onListKey(event));
    this.toolbar.addEventListener('keydown', (event) => this.onToolbarKey(event));
    this.toolbar.addEventListener('focusin', (event) => this.rove(event.target as HTMLButtonElement));
    this.list.addEventListener('focus', () => {
      if (!this.activeView() && this.results?.hits.length) this.setActive(this.results.hits[0]);
    });
    // Focusing the view (from a command or the mouse) puts the cursor where typing makes sense.
    window.addEventListener('focus', () => {
      if (document.activeElement === document.body) this.queryInput.focus();
    });
  }

  private post(message: WebviewToExtension): void {
    this.vscode.postMessage(message);
  }

  private save(): void {
    this.vscode.setState(this.state);
  }

  private receive(message: ExtensionToWebview): void {
    switch (message.type) {
      case 'library':
        this.library = message.library;
        this.renderSourceOptions();
        this.renderYearBounds();
        this.search();
        break;
      case 'results':
        if (message.requestId !== this.requestId) return;
        this.pending = false;
        this.results = message;
        this.render();
        break;
      case 'actionDone':
        this.status.textContent = message.ok ? DONE_TEXT[message.action](message.key) : `${message.key}: nothing was done.`;
        break;
      case 'error':
        if (message.requestId !== this.requestId) return;
        this.pending = false;
        this.results = undefined;
        this.failure = message.message;
        this.render();
        break;
      case 'showSimilar':
        this.showSimilar(message);
        break;
    }
  }

  private scheduleSearch(): void {
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => this.search(), SEARCH_DELAY_MS);
  }

  /** Ask for results for the current query, filters or similar-papers request; a newer request supersedes. */
  private search(): void {
    window.clearTimeout(this.searchTimer);
    const requestId = ++this.requestId;
    this.failure = undefined;
    const query = this.state.query.trim();
    if (!this.library || this.library.size === 0 || (!query && !this.state.similarTo)) {
      this.pending = false;
      this.results = undefined;
      this.render();
      return;
    }
    this.pending = true;
    this.renderProgress();
    const filter = this.state.filter;
    if (this.state.similarTo) this.post({ type: 'similar', requestId, key: this.state.similarTo.key, origin: this.state.similarTo.origin, filter });
    else this.post({ type: 'search', requestId, query, filter });
  }

  private onFilterChange(): void {
    const year = (input: HTMLInputElement) => (input.value.trim() && Number.isFinite(Number(input.value)) ? Math.trunc(Number(input.value)) : undefined);
    this.state.filter = { yearFrom: year(this.yearFrom), yearTo: year(this.yearTo), source: this.sourceSelect.value || undefined };
    this.save();
    this.renderFiltersOpen();
    this.search();
  }

  private resetFilters(): void {
    this.yearFrom.value = '';
    this.yearTo.value = '';
    this.sourceSelect.value = '';
    this.onFilterChange();
  }

  private showSimilar(paper: SimilarTo): void {
    this.state.similarTo = { key: paper.key, origin: paper.origin, title: paper.title };
    this.state.activePaper = undefined;
    this.save();
    this.search();
    this.focusList();
  }

  private backToSearch(): void {
    this.state.similarTo = undefined;
    this.save();
    this.search();
    this.queryInput.focus();
  }

  private act(action: PaperAction | 'similar', view: PaperView): void {
    if (action === 'similar') this.showSimilar({ key: view.key, origin: view.origin, title: view.title.text });
    else this.post({ type: 'action', action, key: view.key, origin: view.origin });
  }

  // ---- keyboard

  private onQueryKey(event: KeyboardEvent): void {
    switch (event.key) {
      case 'ArrowDown':
        if (this.results?.hits.length) {
          event.preventDefault();
          this.setActive(this.activeView() ?? this.results.hits[0]);
          this.focusList();
        }
        break;
      case 'Enter':
        event.preventDefault();
        this.search();
        break;
      case 'Escape':
        // preventDefault: a search box's own Escape empties it, which must not happen on leaving similar papers.
        if (this.state.similarTo) {
          event.preventDefault();
          this.backToSearch();
        } else if (this.queryInput.value) {
          event.preventDefault();
          this.queryInput.value = '';
          this.state.query = '';
          this.save();
          this.search();
        }
        break;
    }
  }

  private onListKey(event: KeyboardEvent): void {
    if (event.target !== this.list || event.altKey || event.ctrlKey || event.metaKey) return;
    const hits = this.results?.hits ?? [];
    const view = this.activeView();
    const index = view ? hits.indexOf(view) : -1;
    const move = (to: number) => {
      event.preventDefault();
      if (hits.length) this.setActive(hits[Math.max(0, Math.min(hits.length - 1, to))]);
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(index + 1);
      case 'ArrowUp':
        if (index <= 0) {
          event.preventDefault();
          this.queryInput.focus();
          return;
        }
        return move(index - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(hits.length - 1);
      case 'PageDown':
        return move(index + 10);
      case 'PageUp':
        return move(index - 10);
      case 'Escape':
        event.preventDefault();
        if (this.state.similarTo) this.backToSearch();
        else {
          this.queryInput.focus();
          this.queryInput.select();
        }
        return;
    }
    if (!view) return;
    const shortcut = ACTIONS.find((action) => action.shortcut.toLowerCase() === event.key.toLowerCase());
    if (shortcut) {
      event.preventDefault();
      this.act(shortcut.action, view);
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft' || event.key === ' ') {
      event.preventDefault();
      const expand = event.key === 'ArrowRight' || (event.key === ' ' && !this.state.expanded.includes(paperId(view)));
      this.setExpanded(view, expand);
    }
  }

  private onToolbarKey(event: KeyboardEvent): void {
    const buttons = [...this.toolbarButtons.values()].filter((button) => !button.hidden);
    const index = buttons.indexOf(event.target as HTMLButtonElement);
    const focus = (to: number) => {
      event.preventDefault();
      buttons[(to + buttons.length) % buttons.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowRight':
        return focus(index + 1);
      case 'ArrowLeft':
        return focus(index - 1);
      case 'Home':
        return focus(0);
      case 'End':
        return focus(buttons.length - 1);
      case 'Escape':
        event.preventDefault();
        this.focusList();
        return;
    }
  }

  /** The toolbar's one tab stop follows the button last focused. */
  private rove(focused: HTMLButtonElement): void {
    for (const button of this.toolbarButtons.values()) button.tabIndex = button === focused ? 0 : -1;
  }

  private activeView(): PaperView | undefined {
    return this.results?.hits.find((hit) => paperId(hit) === this.state.activePaper);
  }

  /** Marks the active result; `reveal` scrolls it into view (moving through the list), new results do not. */
  private setActive(view: PaperView, reveal = true): void {
    const id = paperId(view);
    this.state.activePaper = id;
    this.save();
    for (const item of this.list.querySelectorAll<HTMLElement>('[role="row"]')) {
      const active = item.dataset.paper === id;
      item.setAttribute('aria-selected', String(active));
      if (active) {
        this.list.setAttribute('aria-activedescendant', item.id);
        if (reveal) this.reveal(item);
      }
    }
    this.renderToolbar();
  }

  /** Focus moves into the list without scrolling a short pane's page: the search box stays in sight. */
  private focusList(): void {
    this.list.focus({ preventScroll: true });
  }

  /**
   * Scrolls the list, and only the list, to show the item (its top when it is taller than the list).
   * scrollIntoView would also scroll the page of a short pane and take the search box out of sight.
   */
  private reveal(item: HTMLElement): void {
    const list = this.list.getBoundingClientRect();
    const box = item.getBoundingClientRect();
    if (box.top < list.top) this.list.scrollTop -= list.top - box.top;
    else if (box.bottom > list.bottom) this.list.scrollTop += Math.min(box.bottom - list.bottom, box.top - list.top);
  }

  private setExpanded(view: PaperView, expanded: boolean): void {
    const id = paperId(view);
    const others = this.state.expanded.filter((other) => other !== id);
    // The saved state travels with every setState: remember the latest few, not every abstract ever opened.
    this.state.expanded = (expanded ? [...others, id] : others).slice(-MAX_REMEMBERED_EXPANDED);
    this.save();
    const item = [...this.list.querySelectorAll<HTMLElement>('[role="row"]')].find((row) => row.dataset.paper === id);
    if (item) item.replaceWith(this.renderItem(view, Number(item.dataset.index)));
    this.setActive(view);
  }

  // ---- drawing

  private renderFiltersOpen(): void {
    const active = [this.state.filter.yearFrom, this.state.filter.yearTo, this.state.filter.source].filter((v) => v !== undefined).length;
    this.filtersToggle.textContent = active ? `Filters (${active})` : 'Filters';
    this.filtersToggle.setAttribute('aria-expanded', String(this.state.filtersOpen));
    this.filters.hidden = !this.state.filtersOpen;
  }

  private renderSourceOptions(): void {
    const sources = this.library?.sources ?? [];
    if (this.state.filter.source && !sources.some((source) => source.file === this.state.filter.source)) {
      this.state.filter = { ...this.state.filter, source: undefined };
      this.save();
      this.renderFiltersOpen();
    }
    this.sourceSelect.replaceChildren(
      element('option', { value: '' }, 'All sources'),
      ...sources.map((source) => element('option', { value: source.file, title: source.file }, `${source.label} (${source.papers})`)),
    );
    this.sourceSelect.value = this.state.filter.source ?? '';
  }

  private renderYearBounds(): void {
    const years = this.library?.years;
    for (const input of [this.yearFrom, this.yearTo]) {
      input.min = years ? String(years.min) : '';
      input.max = years ? String(years.max) : '';
    }
    this.yearFrom.placeholder = years ? String(years.min) : 'any';
    this.yearTo.placeholder = years ? String(years.max) : 'any';
  }

  private renderProgress(): void {
    this.progress.classList.toggle('active', this.pending || this.library?.state === 'loading');
  }

  private render(): void {
    this.renderProgress();
    this.renderBanner();
    this.renderEmpty();
    const results = this.results;
    if (!results) {
      if (document.activeElement === this.list || this.toolbar.contains(document.activeElement)) this.queryInput.focus();
      this.count.textContent = '';
      this.list.replaceChildren();
      this.list.hidden = true;
      this.renderToolbar();
      return;
    }
    this.count.textContent = results.countLabel;
    // A hidden list cannot keep the focus: without this, Escape and typing would go nowhere after an empty answer.
    if (results.hits.length === 0 && (document.activeElement === this.list || this.toolbar.contains(document.activeElement))) this.queryInput.focus();
    this.list.hidden = results.hits.length === 0;
    this.list.replaceChildren(...results.hits.map((view, index) => this.renderItem(view, index)));
    this.list.removeAttribute('aria-activedescendant');
    this.list.scrollTop = 0;
    // The result the user was on stays active and in view; otherwise the best one, without scrolling.
    const kept = this.activeView();
    if (kept) this.setActive(kept);
    else if (results.hits[0]) this.setActive(results.hits[0], false);
    else this.renderToolbar();
  }

  /** The toolbar acts on the active result: its name says which, Open source names its file, the toggle its state. */
  private renderToolbar(): void {
    const view = this.activeView();
    this.toolbar.hidden = !view || this.list.hidden;
    if (!view) return;
    this.toolbar.setAttribute('aria-label', `Actions for “${view.title.text || view.key}”`);
    this.toolbarButtons.get('openSource')!.textContent = `Open source (${view.originLabel})`;
    const expand = this.toolbarButtons.get('expand')!;
    const expandable = !!view.abstract && view.excerptEnd < view.abstract.text.length;
    const expanded = this.state.expanded.includes(paperId(view));
    expand.hidden = !expandable;
    expand.textContent = expanded ? 'Show less' : 'Show whole abstract';
    expand.setAttribute('aria-expanded', String(expanded));
    expand.setAttribute('aria-controls', itemId(this.results!.hits.indexOf(view)));
    // A hidden button cannot hold the toolbar's tab stop.
    if (expand.hidden && expand.tabIndex === 0) this.rove(this.toolbarButtons.get('cite')!);
  }

  private renderBanner(): void {
    const similar = this.state.similarTo;
    this.similarBanner.hidden = !similar;
    if (!similar) return;
    const back = element('button', { type: 'button', class: 'secondary' }, 'Back to search');
    back.addEventListener('click', () => this.backToSearch());
    this.similarBanner.replaceChildren(element('span', {}, 'Similar to “', element('strong', {}, similar.title), '”'), back);
  }

  /**
   * What replaces the list when there is nothing to list: why (the message, or the alert for a failure) and what to
   * do (the details). The message and the alert are live regions that always exist, so changes to them are read.
   */
  private renderEmpty(): void {
    const library = this.library;
    let message: (Node | string)[] = [];
    let alert = this.failure ?? '';
    let details: HTMLElement[] = [];
    if (!library || library.state === 'loading') {
      message = ['Loading the library…'];
    } else if (library.state === 'failed' && library.size === 0) {
      const output = element('button', { type: 'button' }, 'Show output');
      output.addEventListener('click', () => this.post({ type: 'showOutput' }));
      alert = `The library could not be loaded: ${library.failure ?? 'unknown error'}`;
      details = [
        element('p', {}, 'Fix the corpus file or setting the output names, then run "Paperlens: Rebuild Library".'),
        element('p', { class: 'buttons' }, output),
      ];
    } else if (library.size === 0) {
      const add = element('button', { type: 'button' }, 'Add corpus file…');
      add.addEventListener('click', () => this.post({ type: 'addCorpusFile' }));
      const settings = element('button', { type: 'button', class: 'secondary' }, 'Open settings');
      settings.addEventListener('click', () => this.post({ type: 'openSettings' }));
      message = ['The library is empty.'];
      details = [
        element('p', {}, 'Add a .bib, CSL-JSON, RIS, arXiv .jsonl or paper-listing file, or turn on the bundled sample corpus.'),
        element('p', { class: 'buttons' }, add, settings),
      ];
    } else if (this.failure) {
      details = [element('p', { class: 'hint' }, 'Change the query to try again.')];
    } else if (!this.results && !this.state.query.trim()) {
      message = [`Type to search ${library.size.toLocaleString('en-US')} ${library.size === 1 ? 'paper' : 'papers'} by title, author or abstract.`];
      details = [element('p', { class: 'hint' }, 'Try a family name, a few title words, or a phrase from an abstract. Results rank as you type.')];
    } else if (this.results && this.results.hits.length === 0) {
      ({ message, details } = this.noResults());
    }
    this.message.replaceChildren(...message);
    if (this.alert.textContent !== alert) this.alert.textContent = alert;
    this.details.replaceChildren(...details);
  }

  private noResults(): { message: (Node | string)[]; details: HTMLElement[] } {
    const similar = this.state.similarTo;
    const filtered = isFilterActive(this.state.filter);
    const message = similar
      ? ['No similar papers found', filtered ? ' with these filters.' : '.']
      : ['No papers match “', element('strong', {}, this.state.query.trim()), '”', filtered ? ' with these filters.' : '.'];
    const details: HTMLElement[] = [];
    if (!similar) {
      const tips = element('ul', { class: 'hint' }, element('li', {}, 'Check the spelling, or use fewer or more general words.'));
      if (this.state.query.trim().includes(' ')) tips.append(element('li', {}, 'Search one word at a time to see which one misses.'));
      details.push(tips);
    }
    if (filtered) {
      const clear = element('button', { type: 'button' }, 'Clear filters');
      clear.addEventListener('click', () => this.resetFilters());
      details.push(element('p', { class: 'buttons' }, clear));
    }
    return { message, details };
  }

  /**
   * One result: a row named by its title and described by its meta line, expandable when the abstract is cut, its
   * one cell holding title, meta line and abstract. No controls: the actions are in the toolbar after the list.
   */
  private renderItem(view: PaperView, index: number): HTMLElement {
    const id = itemId(index);
    const expandable = !!view.abstract && view.excerptEnd < view.abstract.text.length;
    const expanded = expandable && this.state.expanded.includes(paperId(view));
    const item = element('div', {
      role: 'row',
      id,
      class: 'result',
      'aria-selected': 'false',
      'aria-labelledby': `${id}-title`,
      'aria-describedby': `${id}-meta`,
    });
    if (expandable) item.setAttribute('aria-expanded', String(expanded));
    item.dataset.key = view.key;
    item.dataset.paper = paperId(view);
    item.dataset.index = String(index);

    const title = element('div', { id: `${id}-title`, class: 'title' }, ...highlighted(view.title));
    const meta = element(
      'div',
      { id: `${id}-meta`, class: 'meta' },
      [view.authors, view.year, view.venue].filter(Boolean).join(' · ') || `No authors or year in ${view.originLabel.replace(/:\d+$/, '')}`,
    );
    const cell = element('div', { role: 'gridcell' }, title, meta);
    if (view.abstract) {
      const abstract = element('div', { class: 'abstract' }, ...highlighted(view.abstract, expanded ? undefined : view.excerptEnd));
      if (expandable && !expanded) abstract.append('…');
      cell.append(abstract);
    } else {
      cell.append(element('div', { class: 'abstract none' }, 'No abstract in this source.'));
    }
    item.append(cell);
    item.addEventListener('click', () => {
      this.setActive(view);
      this.focusList();
    });
    return item;
  }
}

/** The element id of the result at `index`; its title and meta line add -title and -meta. */
function itemId(index: number): string {
  return `result-${index}`;
}

new SearchView();
