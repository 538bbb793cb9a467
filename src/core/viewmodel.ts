// What the browsing views show, computed from Papers and search hits: plain data with highlight ranges, ready to
// post to the search webview or hand to a tree. Pure: no vscode, no DOM.
import { personName, shortAuthors, type Origin, type Paper, type Person } from './paper';

/** Text with the [start, end) character ranges that match the query, sorted and non-overlapping. */
export interface HighlightedText {
  text: string;
  ranges: [number, number][];
}

/** One run of a HighlightedText: either matching or not. */
export interface TextSegment {
  text: string;
  match: boolean;
}

/** One search result as the search view draws it. */
export interface PaperView {
  key: string;
  title: HighlightedText;
  /** "Ashish Vaswani, Noam Shazeer, Niki Parmar et al." — empty when the source names no authors. */
  authors: string;
  year?: string;
  venue?: string;
  /** The whole abstract, highlighted; absent when the paper has none. */
  abstract?: HighlightedText;
  /** Where the collapsed view cuts the abstract (a word boundary); equals the length when it fits. */
  excerptEnd: number;
  /** Where the paper was read: with the key, it names this paper among others under the same key. */
  origin: Origin;
  /** "references.bib:12" */
  originLabel: string;
}

/** The part of a search hit the views need; the engine's SearchHit fits it. */
export interface HitLike {
  paper: Paper;
  /** Matched index terms (normalised words). */
  terms: readonly string[];
}

/** Filters the search view offers. Absent fields do not filter. */
export interface SearchFilter {
  yearFrom?: number;
  yearTo?: number;
  /** A corpus file path: only papers read from it. */
  source?: string;
}

export interface YearRange {
  min: number;
  max: number;
}

/** A source as a filter option: the file path and a short label. */
export interface SourceOption {
  file: string;
  label: string;
  papers: number;
}

/** Characters of the abstract the collapsed result shows. */
export const EXCERPT_LENGTH = 240;
/** Authors named before "et al.". */
const MAX_AUTHORS = 3;
const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case without diacritics: how the index compares words. */
export function normalizeWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Ranges of the words in `text` that are one of the matched terms. The engine reports terms as the paper writes
 * them and splits words as this does (runs of letters and digits), so equal words are the matches; case and
 * accents are ignored so a term from the abstract also marks the title's capitalised spelling.
 */
export function highlightRanges(text: string, terms: readonly string[]): [number, number][] {
  const wanted = new Set(terms.map(normalizeWord).filter((term) => term.length > 0));
  if (wanted.size === 0) return [];
  const ranges: [number, number][] = [];
  for (const match of text.matchAll(WORD)) {
    if (wanted.has(normalizeWord(match[0]))) ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}

export function highlight(text: string, terms: readonly string[]): HighlightedText {
  return { text, ranges: highlightRanges(text, terms) };
}

/** Split highlighted text into runs, optionally only its first `end` characters (a range crossing `end` is cut). */
export function segments(highlighted: HighlightedText, end = highlighted.text.length): TextSegment[] {
  const result: TextSegment[] = [];
  let position = 0;
  for (const [start, stop] of highlighted.ranges) {
    if (start >= end) break;
    if (start > position) result.push({ text: highlighted.text.slice(position, start), match: false });
    result.push({ text: highlighted.text.slice(start, Math.min(stop, end)), match: true });
    position = Math.min(stop, end);
  }
  if (position < end) result.push({ text: highlighted.text.slice(position, end), match: false });
  return result;
}

/** Where to cut `text` to show about `length` characters: at the last space before the limit. */
export function excerptEnd(text: string, length = EXCERPT_LENGTH): number {
  if (text.length <= length) return text.length;
  const space = text.lastIndexOf(' ', length);
  return space > length / 2 ? space : length;
}

/** "Ashish Vaswani, Noam Shazeer, Niki Parmar et al." */
export function authorList(people: readonly Person[], max = MAX_AUTHORS): string {
  const named = people.filter((person) => !person.others);
  const shown = named.slice(0, max).map(personName);
  const more = named.length > max || people.some((person) => person.others);
  return more ? `${shown.join(', ')} et al.` : shown.join(', ');
}

/** "references.bib:12" — the file's base name and line. */
export function originLabel(origin: Origin): string {
  return `${baseName(origin.file)}:${origin.line}`;
}

export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

export function paperView(hit: HitLike): PaperView {
  const { paper, terms } = hit;
  const abstract = paper.abstract?.trim() ? highlight(paper.abstract.trim(), terms) : undefined;
  return {
    key: paper.key,
    title: highlight(paper.title, terms),
    authors: authorList(paper.authors),
    year: paper.year,
    venue: paper.venue,
    abstract,
    excerptEnd: abstract ? excerptEnd(abstract.text) : 0,
    origin: paper.origin,
    originLabel: originLabel(paper.origin),
  };
}

/** The first four-digit year in a year field ("2017", "2017-05", "c. 1999"); undefined when there is none. */
export function yearOf(paper: Paper): number | undefined {
  const match = paper.year?.match(/\d{4}/);
  return match ? Number(match[0]) : undefined;
}

export function isFilterActive(filter: SearchFilter): boolean {
  return filter.yearFrom !== undefined || filter.yearTo !== undefined || filter.source !== undefined;
}

/**
 * A predicate for the engine, or undefined when nothing filters. With a year bound, papers without a year are
 * left out. `sourcesOf` lists every file a paper was read from (a duplicate merged from two files is in both).
 */
export function paperFilter(
  filter: SearchFilter,
  sourcesOf: (paper: Paper) => readonly string[] = (paper) => [paper.origin.file],
): ((paper: Paper) => boolean) | undefined {
  if (!isFilterActive(filter)) return undefined;
  return (paper) => {
    if (filter.yearFrom !== undefined || filter.yearTo !== undefined) {
      const year = yearOf(paper);
      if (year === undefined) return false;
      if (filter.yearFrom !== undefined && year < filter.yearFrom) return false;
      if (filter.yearTo !== undefined && year > filter.yearTo) return false;
    }
    return filter.source === undefined || sourcesOf(paper).includes(filter.source);
  };
}

/** The earliest and latest year in the papers, or undefined when none has a year. */
export function yearRange(papers: Iterable<Paper>): YearRange | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const paper of papers) {
    const year = yearOf(paper);
    if (year === undefined) continue;
    if (year < min) min = year;
    if (year > max) max = year;
  }
  return min <= max ? { min, max } : undefined;
}

/** Filter options for the sources; base names that repeat get their parent folder to tell them apart. */
export function sourceOptions(sources: readonly { file: string; papers: number }[]): SourceOption[] {
  const counts = new Map<string, number>();
  for (const source of sources) counts.set(baseName(source.file), (counts.get(baseName(source.file)) ?? 0) + 1);
  return sources.map((source) => {
    const name = baseName(source.file);
    const parts = source.file.split(/[\\/]/);
    const label = (counts.get(name) ?? 0) > 1 && parts.length > 1 ? parts.slice(-2).join('/') : name;
    return { file: source.file, label, papers: source.papers };
  });
}

/**
 * "88,327": a whole number with its thousands grouped, as en-US writes it. Not toLocaleString: its first call loads
 * ICU's locale data, which held the extension host for 60–190 ms at activation (Node 20 here: 0.4 s).
 */
export function groupedDigits(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** "1 paper" / "1,204 papers" */
export function papersLabel(count: number): string {
  return `${groupedDigits(count)} ${count === 1 ? 'paper' : 'papers'}`;
}

/** "12 of 198 papers": how many matched out of the whole library. */
export function resultCountLabel(matches: number, librarySize: number): string {
  return `${groupedDigits(matches)} of ${papersLabel(librarySize)}`;
}

/** Children a tree shows per page of a long list: an 88k-entry source must open at once. */
export const TREE_PAGE_SIZE = 500;

/** The first `shown` items of a paged list and how many stay hidden behind "Show more". */
export function firstPage<T>(items: readonly T[], shown: number): { visible: T[]; remaining: number } {
  const visible = items.slice(0, Math.max(0, shown));
  return { visible, remaining: items.length - visible.length };
}

/** A cited key as the "Cited in this document" view lists it. */
export interface CitedKey {
  key: string;
  uses: number;
  /** The first use, as document offsets. */
  first: { start: number; end: number };
}

/** The distinct keys of a document's citations, in order of first use, with how often each is used. */
export function citedKeys(citations: readonly { key: string; start: number; end: number }[]): CitedKey[] {
  const byKey = new Map<string, CitedKey>();
  for (const citation of [...citations].sort((a, b) => a.start - b.start)) {
    const known = byKey.get(citation.key);
    if (known) known.uses += 1;
    else byKey.set(citation.key, { key: citation.key, uses: 1, first: { start: citation.start, end: citation.end } });
  }
  return [...byKey.values()];
}

/**
 * The readable text of a paper's preview document: title, authors, year, venue, abstract and BibTeX, as Markdown
 * source (shown as text, so nothing in it is interpreted as markup).
 */
export function paperPreviewText(paper: Paper, bibtex: string, origins: readonly Origin[] = [paper.origin]): string {
  const people = paper.authors.filter((person) => !person.others).map(personName);
  const lines = [`# ${paper.title || '(untitled)'}`, ''];
  if (people.length > 0) lines.push(`Authors: ${people.join('; ')}${paper.authors.some((p) => p.others) ? '; et al.' : ''}`);
  if (paper.year) lines.push(`Year: ${paper.year}`);
  if (paper.venue) lines.push(`Venue: ${paper.venue}`);
  if (paper.doi) lines.push(`DOI: ${paper.doi}`);
  if (paper.url) lines.push(`URL: ${paper.url}`);
  lines.push(`Key: ${paper.key}`);
  lines.push(`Source: ${origins.map((origin) => `${origin.file}:${origin.line}`).join(', ')}`);
  lines.push('', '## Abstract', '', paper.abstract?.trim() || 'This source gives no abstract for the paper.');
  const fence = codeFence(bibtex);
  lines.push('', '## BibTeX', '', `${fence}bibtex`, bibtex.trimEnd(), fence, '');
  return lines.join('\n');
}

/** A Markdown code fence longer than any run of backticks in `text`, so nothing inside can close it early. */
export function codeFence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

// ---- What screen readers say for the trees' rows: short sentences, no paths, no tooltips.

function countOf(count: number, one: string, many = `${one}s`): string {
  return `${groupedDigits(count)} ${count === 1 ? one : many}`;
}

/** A corpus file row: "references.bib, 12 papers, 1 problem" (duplicates and problems only when there are some). */
export function sourceRowLabel(source: { file: string; papers: number; kept: number; problems: number }): string {
  const duplicates = source.papers - source.kept;
  return [
    baseName(source.file),
    papersLabel(source.kept),
    duplicates > 0 ? countOf(duplicates, 'duplicate') : '',
    source.problems > 0 ? countOf(source.problems, 'problem') : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The row that groups a file's problems: "1 problem" / "3 problems". */
export function problemsRowLabel(count: number): string {
  return countOf(count, 'problem');
}

/** A problem row: "Problem at line 14: …", without the path (its file is the row above). */
export function problemRowLabel(problem: { line: number; message: string }): string {
  return `Problem at line ${problem.line}: ${problem.message}`;
}

/** A paper row: "Attention Is All You Need, Vaswani et al., 2017". */
export function paperRowLabel(paper: Pick<Paper, 'key' | 'title' | 'authors' | 'year'>): string {
  return [paper.title || paper.key, shortAuthors(paper.authors), paper.year].filter(Boolean).join(', ');
}

/** The row that pages a long list: "Show 500 more, 1,204 not shown". */
export function moreRowLabel(remaining: number, pageSize = TREE_PAGE_SIZE): string {
  return `Show ${groupedDigits(Math.min(pageSize, remaining))} more, ${groupedDigits(remaining)} not shown`;
}

/** What a cited key's row says about its paper. */
export type CitedKeyState = { kind: 'found'; title: string } | { kind: 'missing' } | { kind: 'loading' };

/** A cited key row: "vaswani2017attention, cited twice: Attention Is All You Need". */
export function citedKeyRowLabel(key: string, uses: number, state: CitedKeyState): string {
  const times = uses === 1 ? 'cited once' : uses === 2 ? 'cited twice' : `cited ${groupedDigits(uses)} times`;
  switch (state.kind) {
    case 'found':
      return `${key}, ${times}: ${state.title}`;
    case 'missing':
      return `${key}, ${times}, not in the library`;
    case 'loading':
      return `${key}, ${times}, loading the library`;
  }
}

/** The Library tree's one row when the first load failed. */
export function libraryFailedRowLabel(message: string): string {
  return `The library could not be loaded: ${message}`;
}

/** The one row of a document that cites nothing. */
export const NO_CITATIONS_ROW_LABEL = 'No citations yet. Press Enter to insert one.';

/** A use of a cited key in the project: the file (as the workspace names it), its 0-based line and the line's text. */
export interface KeyUse {
  file: string;
  line: number;
  lineText: string;
  /** The key's characters on the line. */
  start: number;
  end: number;
}

/** How much of the line a use row shows before and after the key. */
const USE_CONTEXT_BEFORE = 30;
const USE_CONTEXT_AFTER = 50;

/**
 * A row of the Cited view under a key: where the use is (file:line, first, so a narrow sidebar still shows it) and
 * the line's text around the key, cut at a word's end with an ellipsis where it goes on, the indent dropped.
 */
export function keyUseRow(use: KeyUse): { label: string; description: string; accessibilityLabel: string } {
  const indent = use.lineText.length - use.lineText.trimStart().length;
  const from = Math.max(indent, use.start - USE_CONTEXT_BEFORE);
  const to = Math.min(use.lineText.length, use.end + USE_CONTEXT_AFTER);
  // Cut at word ends: a word half shown reads as another word.
  let before = use.lineText.slice(from, use.start);
  if (from > indent) before = `…${(/\S/.test(use.lineText[from - 1]) ? before.replace(/^\S*/, '') : before).trimStart()}`;
  let after = use.lineText.slice(use.end, to);
  const cut = to < use.lineText.trimEnd().length;
  if (cut && /\S/.test(use.lineText[to])) after = after.replace(/\S*$/, '');
  after = `${after.trimEnd()}${cut ? '…' : ''}`;
  const text = `${before}${use.lineText.slice(use.start, use.end)}${after}`;
  return { label: `${use.file}:${use.line + 1}`, description: text, accessibilityLabel: `${use.file}, line ${use.line + 1}: ${text}` };
}

/** The row under a key whose uses could not be listed (no project, the file is gone). */
export const NO_USES_ROW_LABEL = 'No uses found in the project';

// ---- The Library's unused-entries filter: per .bib of the active document's project, the entries nothing cites.

/** A .bib row's count: "2 unused entries", or "every entry cited" when there are none. */
export function unusedCountLabel(unused: number): string {
  return unused === 0 ? 'every entry cited' : countOf(unused, 'unused entry', 'unused entries');
}

/** A .bib row: "refs.bib, 2 unused entries" / "refs.bib, every entry cited". */
export function unusedSourceRowLabel(file: string, unused: number): string {
  return `${baseName(file)}, ${unusedCountLabel(unused)}`;
}

/** The one row under a .bib whose entries are all cited, saying so. */
export function allCitedRowLabel(file: string): string {
  return `Every entry of ${baseName(file)} is cited`;
}

/** An unused entry's row, by its key and its 0-based line: "neverCited, line 15, cited nowhere in the project". */
export function unusedEntryRowLabel(key: string, line: number): string {
  return `${key}, line ${line + 1}, cited nowhere in the project`;
}
