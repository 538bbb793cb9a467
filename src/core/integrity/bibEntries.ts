// Where each entry of a .bib text is: its whole span, its key's span and the keys it links to (crossref, xref).
// The reader (formats/bibtex) says what an entry means; edits need where it is, down to the character.
import { entriesToPapers, parseBibtex, resolveCrossrefs } from '../formats/bibtex';
import type { Paper, Problem } from '../paper';

export interface BibEntry {
  key: string;
  /** Entry type, lower case. */
  type: string;
  /** 1-based line of the `@`, as the reader reports it. */
  line: number;
  /** Offset of the `@`. */
  start: number;
  /** Offset just after the closing delimiter, or where an unclosed entry runs into the next one. */
  end: number;
  keyStart: number;
  keyEnd: number;
  /** `crossref = {parent}`, `xref = {parent}` and `xdata = {a, b}`: each parent's key and where it is written. */
  links: { key: string; start: number; end: number }[];
}

const SPECIAL_TYPES = new Set(['comment', 'string', 'preamble']);
/**
 * `crossref = {parent}` / `xref = "parent"` / `xdata = {a, b}` (biblatex takes a list there), found in one pass over
 * the whole text and given to the entries they are in. The value is the group's inside: keys and commas.
 */
const LINK_FIELD = /(?<![\w-])(?:crossref|xref|xdata)\s*=\s*(?:\{([^{}"]*)\}|"([^{}"]*)")/gi;
const LINK_KEY = /[^,\s]+/g;

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const AT = 64;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const QUOTE = 34;
const BACKSLASH = 92;
const PERCENT = 37;

function isSpace(code: number): boolean {
  return code === SPACE || code === NEWLINE || code === RETURN || code === TAB || code === 0xfeff || code === 0xa0;
}

/** The reader's key characters: a key ends at a comma, space, brace, parenthesis, `=`, `#` or `"` (or the text's end). */
function endsKey(code: number): boolean {
  return Number.isNaN(code) || code === 44 || isSpace(code) || code === OPEN_BRACE || code === CLOSE_BRACE || code === CLOSE_PAREN ||
    code === 61 || code === 35 || code === QUOTE;
}

/** Characters of an entry type (letters in practice; the reader takes a few more). */
function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 45 || code === 46 ||
    code === 58 || code > 127;
}

/** A line that starts with `%` (after spaces): an entry commented out there is none (as the reader skips it). */
function commentedOut(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const code = text.charCodeAt(i);
    if (code === NEWLINE) return false;
    if (code === PERCENT) {
      for (let j = i - 1; j >= 0 && text.charCodeAt(j) !== NEWLINE; j--) if (text.charCodeAt(j) !== SPACE && text.charCodeAt(j) !== TAB) return false;
      return true;
    }
  }
  return false;
}

/** `@name{` or `@name(` at the start of the line after `newline`: where a value or entry left open has run on. */
function entryStartsLine(text: string, newline: number): boolean {
  let i = newline + 1;
  while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
  if (text.charCodeAt(i) !== AT) return false;
  i++;
  while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
  const typeStart = i;
  while (isNameChar(text.charCodeAt(i))) i++;
  if (i === typeStart) return false;
  while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
  return text.charCodeAt(i) === OPEN_BRACE || text.charCodeAt(i) === OPEN_PAREN;
}

/** Offset after the delimiter closing the group opened at `open`, or the end of the text when unclosed. */
function groupEnd(text: string, open: number): number {
  const parenthesised = text.charCodeAt(open) === OPEN_PAREN;
  let depth = 0;
  // In a `(…)` entry a `)` inside a quoted value is text: `title = "Paren (entry)"`.
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE && depth === 0 && parenthesised) quoted = !quoted;
    else if (quoted) continue;
    else if (code === OPEN_BRACE) depth++;
    else if (code === CLOSE_BRACE) {
      if (depth === 0 && !parenthesised) return i + 1;
      depth--;
    } else if (code === CLOSE_PAREN && parenthesised && depth <= 0) return i + 1;
    else if (code === NEWLINE && depth > 0 && entryStartsLine(text, i)) return i;
  }
  return text.length;
}

/** Every entry with a key, in file order; `@comment`, `@string`, `@preamble` and commented-out entries are skipped. */
export function scanBibEntries(text: string): BibEntry[] {
  const entries: BibEntry[] = [];
  let line = 1;
  let counted = 0;
  for (let at = text.indexOf('@'); at >= 0; ) {
    let i = at + 1;
    while (isSpace(text.charCodeAt(i))) i++;
    const typeStart = i;
    while (isNameChar(text.charCodeAt(i))) i++;
    const typeEnd = i;
    while (isSpace(text.charCodeAt(i))) i++;
    const open = text.charCodeAt(i);
    if ((open !== OPEN_BRACE && open !== OPEN_PAREN) || commentedOut(text, at)) {
      at = text.indexOf('@', at + 1);
      continue;
    }
    const end = groupEnd(text, i);
    const type = text.slice(typeStart, typeEnd).toLowerCase();
    if (type !== '' && !SPECIAL_TYPES.has(type)) {
      i++;
      while (isSpace(text.charCodeAt(i))) i++;
      const keyStart = i;
      while (i < end && !endsKey(text.charCodeAt(i))) i++;
      if (i > keyStart) {
        for (let newline = text.indexOf('\n', counted); newline >= 0 && newline < at; newline = text.indexOf('\n', newline + 1)) line++;
        counted = at;
        entries.push({ key: text.slice(keyStart, i), type, line, start: at, end, keyStart, keyEnd: i, links: [] });
      }
    }
    at = text.indexOf('@', Math.max(end, at + 1));
  }
  attachLinks(text, entries);
  return entries;
}

function attachLinks(text: string, entries: BibEntry[]): void {
  if (entries.length === 0) return;
  let entry = 0;
  for (const match of text.matchAll(LINK_FIELD)) {
    while (entry < entries.length && entries[entry].end <= match.index) entry++;
    if (entry === entries.length) return;
    const owner = entries[entry];
    if (match.index < owner.keyEnd) continue;
    const value = match[1] ?? match[2];
    const valueStart = match.index + match[0].length - value.length - 1;
    for (const key of value.matchAll(LINK_KEY)) {
      const start = valueStart + key.index;
      owner.links.push({ key: key[0], start, end: start + key[0].length });
    }
  }
}

/** Spaces and tabs, then a line end or the text's end, from `lastIndex`: the rest of a line with nothing on it. */
const REST_OF_LINE = /[ \t]*(?:\r?\n|$)/y;
/** A line of spaces and tabs with its line end, from `lastIndex`. */
const BLANK_LINE = /[ \t]*\r?\n/y;
const NON_SPACE = /\S/g;

function matchAt(pattern: RegExp, text: string, at: number): number | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0].length;
}

/**
 * The text removing the run of entries from `start` to `end` takes, so that the file reads as if they had never been
 * written: their lines (when nothing else is on them) and one blank line beside them — the one after, or, when only
 * blank lines follow (the file's last entries), the blank lines before and after, so the text ends where the entry
 * before them does.
 */
function runRemovalRange(text: string, start: number, end: number): [start: number, end: number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(lineStart, start))) return [start, end];
  const restOfLine = matchAt(REST_OF_LINE, text, end);
  if (restOfLine === undefined) return [start, end];
  let from = lineStart;
  let to = end + restOfLine;
  NON_SPACE.lastIndex = to;
  if (!NON_SPACE.test(text)) {
    // Nothing follows: the blank lines that separated the run from the entry before it go too.
    const lineBefore = (at: number) => (at >= 2 ? text.lastIndexOf('\n', at - 2) + 1 : 0);
    for (let previous = lineBefore(from); from > 0 && matchAt(BLANK_LINE, text, previous) === from - previous; previous = lineBefore(from)) from = previous;
    return [from, text.length];
  }
  to += matchAt(BLANK_LINE, text, to) ?? 0;
  return [from, to];
}

/** The text an entry's removal takes: see runRemovalRange. */
export function entryRemovalRange(text: string, entry: BibEntry): [start: number, end: number] {
  return runRemovalRange(text, entry.start, entry.end);
}

/**
 * The spans that remove several entries of one text, in text order and never overlapping: entries with only
 * whitespace between them go as one run, so removing neighbours leaves no doubled blank line.
 */
export function entriesRemovalRanges(text: string, entries: readonly BibEntry[]): [start: number, end: number][] {
  const sorted = [...entries].sort((a, b) => a.start - b.start);
  const ranges: [number, number][] = [];
  for (let first = 0; first < sorted.length; ) {
    let last = first;
    while (last + 1 < sorted.length && !/\S/.test(text.slice(sorted[last].end, sorted[last + 1].start))) last++;
    ranges.push(runRemovalRange(text, sorted[first].start, sorted[last].end));
    first = last + 1;
  }
  return ranges;
}

/** A .bib text read: entries with their spans, what the reader makes of them, and its problems. */
export interface BibContents {
  entries: BibEntry[];
  /** The reader's paper for an entry (absent when the reader skipped it: malformed, or a repeated key). */
  paperOf(entry: BibEntry): Paper | undefined;
  /** The entry's own fields as written (macros expanded, nothing inherited through crossref), lower-case names. */
  fieldsOf(entry: BibEntry): Record<string, string> | undefined;
  problems: Problem[];
}

export function readBibContents(file: string, text: string, entries: BibEntry[] = scanBibEntries(text)): BibContents {
  const parsed = parseBibtex(text, file);
  const ownFields = new Map(parsed.entries.map((entry) => [`${entry.line}\u0000${entry.key}`, { ...entry.fields }]));
  const problems = [...parsed.problems, ...resolveCrossrefs(parsed.entries)];
  const converted = entriesToPapers(parsed.entries);
  problems.push(...converted.problems);
  const papers = new Map(converted.papers.map((paper) => [`${paper.origin.line}\u0000${paper.key}`, paper]));
  return {
    entries,
    problems,
    paperOf: (entry) => papers.get(`${entry.line}\u0000${entry.key}`),
    fieldsOf: (entry) => ownFields.get(`${entry.line}\u0000${entry.key}`),
  };
}
