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
  /** `crossref = {parent}` and `xref = {parent}`: the parent's key and where it is written. */
  links: { key: string; start: number; end: number }[];
}

const SPECIAL_TYPES = new Set(['comment', 'string', 'preamble']);
const LINK_FIELD = /(^|[,\s])(?:crossref|xref)\s*=\s*(?:\{\s*([^{}",\s]+)\s*\}|"\s*([^{}",\s]+)\s*")/gi;

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\ufeff' || char === '\u00a0';
}

/** The reader's key characters: a key ends at a comma, space, brace, parenthesis, `=`, `#` or `"`. */
function endsKey(char: string | undefined): boolean {
  return char === undefined || char === ',' || isSpace(char) || char === '{' || char === '}' || char === ')' || char === '=' ||
    char === '#' || char === '"';
}

function isNameChar(char: string | undefined): boolean {
  return char !== undefined && /[\w\-.:+/'*!?&;<>|[\]\u0080-\uffff]/.test(char);
}

/** A line that starts with `%` (after spaces): an entry commented out there is none (as the reader skips it). */
function commentedOut(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*%/.test(text.slice(lineStart, at));
}

/** `@name{` or `@name(` at the start of a line: where a value or entry left open has run on. */
function entryStartsLine(text: string, newline: number): boolean {
  const match = /^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]/.exec(text.slice(newline + 1, newline + 80));
  return match !== null;
}

/** Offset after the delimiter closing the group opened at `open`, or the end of the text when unclosed. */
function groupEnd(text: string, open: number): number {
  const closer = text[open] === '(' ? ')' : '}';
  let depth = 0;
  // In a `(…)` entry a `)` inside a quoted value is text: `title = "Paren (entry)"`.
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '"' && depth === 0 && closer === ')') quoted = !quoted;
    else if (quoted) continue;
    else if (char === '{') depth++;
    else if (char === '}') {
      if (depth === 0 && closer === '}') return i + 1;
      depth--;
    } else if (char === ')' && closer === ')' && depth <= 0) return i + 1;
    else if (char === '\n' && depth > 0 && entryStartsLine(text, i)) return i;
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
    while (isSpace(text[i])) i++;
    const typeStart = i;
    while (isNameChar(text[i])) i++;
    const type = text.slice(typeStart, i).toLowerCase();
    while (isSpace(text[i])) i++;
    if ((text[i] !== '{' && text[i] !== '(') || commentedOut(text, at)) {
      at = text.indexOf('@', at + 1);
      continue;
    }
    const open = i;
    const end = groupEnd(text, open);
    if (!SPECIAL_TYPES.has(type) && type !== '') {
      i = open + 1;
      while (isSpace(text[i])) i++;
      const keyStart = i;
      while (i < end && !endsKey(text[i])) i++;
      if (i > keyStart) {
        for (let newline = text.indexOf('\n', counted); newline >= 0 && newline < at; newline = text.indexOf('\n', newline + 1)) line++;
        counted = at;
        entries.push({ key: text.slice(keyStart, i), type, line, start: at, end, keyStart, keyEnd: i, links: links(text, i, end) });
      }
    }
    at = text.indexOf('@', Math.max(end, at + 1));
  }
  return entries;
}

function links(text: string, from: number, to: number): BibEntry['links'] {
  const body = text.slice(from, to);
  const found: BibEntry['links'] = [];
  for (const match of body.matchAll(LINK_FIELD)) {
    const key = match[2] ?? match[3];
    const keyOffset = match.index + match[0].lastIndexOf(key);
    found.push({ key, start: from + keyOffset, end: from + keyOffset + key.length });
  }
  return found;
}

/** The text an entry's removal takes: its lines (when nothing else is on them) and one blank line after it. */
export function entryRemovalRange(text: string, entry: BibEntry): [start: number, end: number] {
  const lineStart = text.lastIndexOf('\n', entry.start - 1) + 1;
  const start = /^[ \t]*$/.test(text.slice(lineStart, entry.start)) ? lineStart : entry.start;
  let end = entry.end;
  const restOfLine = /^[ \t]*(?:\r?\n|$)/.exec(text.slice(end));
  if (!restOfLine) return [start, end];
  end += restOfLine[0].length;
  const blankLine = /^[ \t]*(?:\r?\n|$)/.exec(text.slice(end));
  if (blankLine && end < text.length) end += blankLine[0].length;
  return [start, end];
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
