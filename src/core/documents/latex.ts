// Citations in LaTeX: which cite command and key list the cursor is in, and every key a document cites.
// Comments, verbatim-like environments and inline verbatim are blanked out first, so a `\cite{` there is not one.
import { blankOut, insideAny, type CiteContext, type CitationInsertion, type CitedKey, type Range } from './types';

/** Environments whose body LaTeX reads as raw text. */
const VERBATIM_ENVIRONMENTS =
  'verbatim\\*?|Verbatim\\*?|BVerbatim\\*?|LVerbatim\\*?|lstlisting|minted|comment|filecontents\\*?|alltt';

/**
 * One token of interest: an escaped character, a verbatim environment's start, an inline-verbatim command
 * (the URL of `\url{a%20b}` and `\href{a%20b}{text}` is read raw too, so it holds no comment), any other command name, or
 * a comment's `%`.
 */
const LATEX_TOKEN = new RegExp(
  `\\\\(?:begin\\s*\\{(${VERBATIM_ENVIRONMENTS})\\}|(verb\\*?|lstinline|mintinline|url|href)(?![a-zA-Z])|[a-zA-Z]+|[^a-zA-Z])|%`,
  'g',
);

/**
 * Any command with `cite` in its name (natbib, biblatex, jurabib, apacite and custom ones alike), starred or not.
 * Definitions of cite commands and style settings are not citations.
 */
const CITE_COMMAND = /\\([a-zA-Z]*[cC]ite[a-zA-Z]*)(\*?)/g;
const NOT_A_CITATION = /^(?:Declare|Define|New|Renew|Provide|Execute|Save)|^cite(?:style|setup|reset|tracker|counter)/;

/** Characters that end a key in a key list. */
const KEY_BREAK = /[\s,{}\\%]/;

/**
 * Ranges of the text that hold no citations: comments, verbatim bodies, `\verb|…|` and friends, and what
 * `\iffalse` leaves out up to its `\else` or `\fi`.
 */
export function latexIgnoredRanges(text: string): Range[] {
  const ranges: Range[] = [];
  const conditionals = text.includes('\\iffalse') ? conditionalNames(text) : TEX_CONDITIONALS;
  LATEX_TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = LATEX_TOKEN.exec(text))) {
    const start = match.index;
    const after = start + match[0].length;
    if (match[0] === '%') {
      const end = lineEnd(text, start);
      ranges.push([start, end]);
      LATEX_TOKEN.lastIndex = end;
    } else if (match[0] === '\\iffalse') {
      const end = falseBranchEnd(text, after, conditionals);
      ranges.push([start, end]);
      LATEX_TOKEN.lastIndex = end;
    } else if (match[1] !== undefined) {
      const close = text.indexOf(`\\end{${match[1]}}`, after);
      const end = close < 0 ? text.length : close;
      ranges.push([after, end]);
      LATEX_TOKEN.lastIndex = end;
    } else if (match[2] !== undefined) {
      const body = inlineVerbatimBody(text, after, match[2]);
      if (body) {
        ranges.push(body);
        LATEX_TOKEN.lastIndex = Math.min(text.length, body[1] + 1);
      }
    }
  }
  return ranges;
}

/**
 * Conditionals a `\fi` closes: TeX's and e-TeX's, and those the document makes with `\newif`. Macros with
 * `if` names that take arguments instead (`\ifthenelse`, etoolbox's `\ifdef`) and `\iff` are not among them.
 */
const TEX_CONDITIONALS = new Set(
  'if ifx ifcat ifnum ifdim ifodd ifvmode ifhmode ifmmode ifinner ifvoid ifhbox ifvbox ifeof iftrue iffalse ifcase ifdefined ifcsname iffontchar ifincsname ifpdf ifxetex ifluatex ifpdfprimitive'.split(
    ' ',
  ),
);

function conditionalNames(text: string): Set<string> {
  const names = new Set(TEX_CONDITIONALS);
  for (const match of text.matchAll(/\\newif\s*\\(if[a-zA-Z@]+)/g)) names.add(match[1]);
  return names;
}

/** Where the branch `\iffalse` skips ends: its `\else` or `\fi` (nested conditionals and comments passed), or the text's end. */
function falseBranchEnd(text: string, from: number, conditionals: Set<string>): number {
  const token = /\\([a-zA-Z@]+|[^a-zA-Z@])|%/g;
  token.lastIndex = from;
  let depth = 0;
  let match: RegExpExecArray | null;
  while ((match = token.exec(text))) {
    if (match[0] === '%') {
      token.lastIndex = lineEnd(text, match.index);
    } else if (match[1] === 'fi' || (match[1] === 'else' && depth === 0)) {
      if (depth === 0) return match.index;
      depth--;
    } else if (conditionals.has(match[1])) {
      depth++;
    }
  }
  return text.length;
}

/** The raw body of `\verb|…|`, `\lstinline[opts]{…}`, `\mintinline{lang}|…|` or `\url{…}`, starting after the command name. */
function inlineVerbatimBody(text: string, position: number, command: string): Range | undefined {
  let i = position;
  if (command === 'lstinline' || command === 'mintinline') {
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return undefined;
      i = close + 1;
    }
    if (command === 'mintinline') {
      if (text[i] !== '{') return undefined;
      const close = text.indexOf('}', i);
      if (close < 0) return undefined;
      i = close + 1;
    }
  }
  if ((command === 'url' || command === 'href') && text[i] !== '{') return undefined;
  const delimiter = text[i] === '{' ? '}' : text[i];
  if (delimiter === undefined || /[\sa-zA-Z*]/.test(delimiter)) return undefined;
  const close = text.indexOf(delimiter, i + 1);
  const end = lineEnd(text, i);
  return [i + 1, close < 0 || close > end ? end : close];
}

function lineEnd(text: string, position: number): number {
  const newline = text.indexOf('\n', position);
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** One key list `{…}` of a cite command: the range between the braces, or to where typing stopped. */
interface KeyList {
  start: number;
  end: number;
  closed: boolean;
}

/** A cite command and its arguments as far as they go. */
interface CiteCommand {
  /** As written: `\citep*`. */
  command: string;
  start: number;
  /** Just after the last argument. */
  end: number;
  keyLists: KeyList[];
}

/** Skips spaces and at most one line break: a blank line ends the arguments of a command. */
function skipSpace(text: string, position: number): number {
  let i = position;
  let lineBreaks = 0;
  while (i < text.length && /\s/.test(text[i])) {
    if (text[i] === '\n' && ++lineBreaks > 1) return position;
    i++;
  }
  return i;
}

/** Position after the `]` or `)` closing the group opened at `open`, braces nested; -1 when unclosed. */
function closeOptional(text: string, open: number): number {
  const closer = text[open] === '[' ? ']' : ')';
  let depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === closer && depth <= 0) return i + 1;
    else if (c === '\n' && /^\n[ \t]*\r?\n/.test(text.slice(i, i + 80))) return -1;
  }
  return -1;
}

/** The key list opened by the `{` at `open`; an unclosed one ends where a key list cannot go on. */
function readKeyList(text: string, open: number): KeyList {
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '}') return { start: open + 1, end: i, closed: true };
    if (c === '{' || c === '\\' || (c === '\n' && /^\n[ \t]*\r?\n/.test(text.slice(i, i + 80)))) {
      return { start: open + 1, end: i, closed: false };
    }
  }
  return { start: open + 1, end: text.length, closed: false };
}

/** Reads the arguments after a cite command's name: `(…)` and `[…]` optionals, then one or (multicite) more key lists. */
function readCiteCommand(text: string, match: RegExpExecArray): CiteCommand {
  const name = match[1];
  const multicite = /cites$/.test(name);
  const keyLists: KeyList[] = [];
  let position = match.index + match[0].length;
  for (;;) {
    const next = skipSpace(text, position);
    const c = text[next];
    if (c === '[' || c === '(') {
      const close = closeOptional(text, next);
      if (close < 0) return { command: match[0], start: match.index, end: text.length, keyLists };
      position = close;
    } else if (c === '{') {
      const list = readKeyList(text, next);
      keyLists.push(list);
      position = list.closed ? list.end + 1 : list.end;
      if (!list.closed || !multicite) break;
    } else {
      break;
    }
  }
  return { command: match[0], start: match.index, end: position, keyLists };
}

function* citeCommands(masked: string, from = 0): Generator<CiteCommand> {
  const pattern = new RegExp(CITE_COMMAND.source, 'g');
  pattern.lastIndex = from;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(masked))) {
    if (NOT_A_CITATION.test(match[1])) continue;
    const command = readCiteCommand(masked, match);
    yield command;
    pattern.lastIndex = Math.max(pattern.lastIndex, command.end);
  }
}

/** How far before the cursor, or before the `{` of the key list holding it, a cite command may start. */
const LOOKBACK = 2000;
/** No key list is longer than this. */
const MAX_KEY_LIST = 100_000;
/** How far past the cursor the text is read: enough to close the key list the cursor is in. */
const LOOKAHEAD = 2000;

const VERBATIM_BOUNDARY = new RegExp(`\\\\(begin|end)\\s*\\{(${VERBATIM_ENVIRONMENTS})\\}`, 'g');

/** The verbatim-like environment still open at `position` (a line start), with where its body starts. */
function verbatimOpenAt(text: string, position: number): { name: string; bodyStart: number } | undefined {
  let open: { name: string; bodyStart: number } | undefined;
  const pattern = new RegExp(VERBATIM_BOUNDARY.source, 'g');
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) && match.index < position) {
    if (open) {
      if (match[1] === 'end' && match[2] === open.name) open = undefined;
    } else if (match[1] === 'begin' && !inComment(text, match.index)) {
      open = { name: match[2], bodyStart: match.index + match[0].length };
    }
  }
  return open && open.bodyStart <= position ? open : undefined;
}

/** True when an unescaped `%` comes before `position` on its line. */
function inComment(text: string, position: number): boolean {
  const before = text.slice(text.lastIndexOf('\n', position - 1) + 1, position);
  return /(?:^|[^\\])(?:\\\\)*%/.test(before);
}

/**
 * Where the search for the cite command holding `offset` starts: LOOKBACK before the cursor or, in a key list
 * longer than that (a `\nocite` of hundreds of keys), LOOKBACK before the `{` that opens it.
 */
function searchStart(text: string, offset: number): number {
  const limit = Math.max(0, offset - MAX_KEY_LIST);
  let i = offset - 1;
  while (i >= limit && text[i] !== '{' && text[i] !== '}' && text[i] !== '\\') i--;
  return Math.max(0, (i >= limit && text[i] === '{' ? i : offset) - LOOKBACK);
}

/**
 * The text up to a little past the cursor with comments and verbatim blanked, or undefined when the cursor is
 * in one, and where the search for its cite command starts. Only lines near the cursor are scanned: comments
 * and inline verbatim end with their line, and a verbatim environment opened earlier is found by a quick
 * search for its boundaries.
 */
function maskedPrefix(text: string, offset: number): { masked: string; searchFrom: number } | undefined {
  const searchFrom = searchStart(text, offset);
  const windowStart = text.lastIndexOf('\n', searchFrom - 1) + 1;
  const windowEnd = Math.min(text.length, offset + LOOKAHEAD);
  const open = windowStart > 0 ? verbatimOpenAt(text, windowStart) : undefined;
  const close = open ? text.indexOf(`\\end{${open.name}}`, windowStart) : -1;
  const scanFrom = open ? (close < 0 || close >= windowEnd ? windowEnd : close) : windowStart;
  const ignored: Range[] = [
    ...(open ? [[windowStart, scanFrom] as Range] : []),
    ...latexIgnoredRanges(text.slice(scanFrom, windowEnd)).map(([start, end]): Range => [start + scanFrom, end + scanFrom]),
  ];
  if (insideAny(ignored, offset)) return undefined;
  // Blank before the window, so offsets stay those of the document.
  const windowText = blankOut(text.slice(windowStart, windowEnd), ignored.map(([start, end]): Range => [start - windowStart, end - windowStart]));
  return { masked: ' '.repeat(windowStart) + windowText, searchFrom };
}

/** The cite command whose arguments hold the offset (between its name and its end). */
function citeCommandAt({ masked, searchFrom }: { masked: string; searchFrom: number }, offset: number): CiteCommand | undefined {
  let found: CiteCommand | undefined;
  for (const command of citeCommands(masked, searchFrom)) {
    if (command.start >= offset) break;
    found = command;
  }
  if (!found || offset < found.start + found.command.length || offset > found.end) return undefined;
  return found;
}

function keyListAt(command: CiteCommand, offset: number): KeyList | undefined {
  return command.keyLists.find((list) => list.start <= offset && offset <= list.end);
}

interface ListedKey {
  key: string;
  start: number;
  end: number;
}

/** Comma-separated entries of a key list with their ranges, blank ones and `\nocite{*}`'s "every entry" left out. */
function keysOf(masked: string, text: string, start: number, end: number): ListedKey[] {
  const keys: ListedKey[] = [];
  let entryStart = start;
  for (let i = start; i <= end; i++) {
    if (i === end || masked[i] === ',') {
      const entry = masked.slice(entryStart, i);
      const leading = entry.length - entry.trimStart().length;
      const key = entry.trim();
      // `#1` in a cite inside a macro definition is the macro's parameter, not a key.
      if (key !== '' && key !== '*' && !/\s/.test(key) && !/#\d/.test(key)) {
        const keyStart = entryStart + leading;
        keys.push({ key: text.slice(keyStart, keyStart + key.length), start: keyStart, end: keyStart + key.length });
      }
      entryStart = i + 1;
    }
  }
  return keys;
}

export function latexCiteContext(text: string, offset: number): CiteContext | undefined {
  const prefix = maskedPrefix(text, offset);
  if (prefix === undefined) return undefined;
  const { masked } = prefix;
  const command = citeCommandAt(prefix, offset);
  if (!command) return undefined;
  const list = keyListAt(command, offset);
  if (!list) return undefined;

  const entryStart = masked.lastIndexOf(',', offset - 1) + 1;
  const segmentStart = Math.max(list.start, entryStart);
  // Completion ranges are single-line: a query begun on an earlier line starts again on the cursor's line.
  let replaceStart = Math.max(segmentStart, masked.lastIndexOf('\n', offset - 1) + 1);
  while (replaceStart < offset && /\s/.test(masked[replaceStart])) replaceStart++;
  const partial = text.slice(replaceStart, offset);

  let replaceEnd = offset;
  if (partial !== '') {
    while (replaceEnd < list.end && !KEY_BREAK.test(masked[replaceEnd])) replaceEnd++;
  }

  const keysBefore = [
    ...command.keyLists.filter((other) => other.end < list.start).flatMap((other) => keysOf(masked, text, other.start, other.end)),
    ...keysOf(masked, text, list.start, segmentStart),
  ].map((listed) => listed.key);

  // In a key list not closed yet (`\cite{` typed before running text), what follows is text, not a key.
  const keyFollows = partial === '' && list.closed && /^\s*[^\s,]/.test(masked.slice(replaceEnd, list.end));
  return {
    partial,
    replaceStart,
    replaceEnd,
    keysBefore,
    command: command.command,
    separatorAfter: keyFollows ? listSeparator(masked.slice(list.start, list.end)) : '',
  };
}

/** `,` when the list is written without spaces after its commas, `, ` otherwise. */
function listSeparator(listText: string): string {
  return /,\S/.test(listText) && !/,\s/.test(listText) ? ',' : ', ';
}

export function latexCitations(text: string): CitedKey[] {
  const masked = blankOut(text, latexIgnoredRanges(text));
  const cited: CitedKey[] = [];
  for (const command of citeCommands(masked)) {
    for (const list of command.keyLists) {
      if (list.closed) cited.push(...keysOf(masked, text, list.start, list.end));
    }
  }
  return cited;
}

export function latexKeyAt(text: string, offset: number): CitedKey | undefined {
  const prefix = maskedPrefix(text, offset);
  if (prefix === undefined) return undefined;
  const { masked } = prefix;
  const command = citeCommandAt(prefix, offset);
  const list = command && keyListAt(command, offset);
  if (!list) return undefined;
  return keysOf(masked, text, list.start, list.end).find((key) => key.start <= offset && offset <= key.end);
}

/**
 * Where a key chosen outside completion goes: into the key list the cursor is in (after the key it touches),
 * appended to the cite command whose optional argument holds the cursor, or as a new `\cite{key}`.
 */
export function latexCitationInsertion(text: string, offset: number, key: string): CitationInsertion {
  const prefix = maskedPrefix(text, offset);
  const command = prefix === undefined ? undefined : citeCommandAt(prefix, offset);
  if (prefix === undefined || !command || command.keyLists.length === 0) {
    return { start: offset, end: offset, text: `\\cite{${key}}` };
  }
  const { masked } = prefix;
  const list = keyListAt(command, offset) ?? command.keyLists[command.keyLists.length - 1];
  const context = keyListAt(command, offset) && latexCiteContext(text, offset);
  if (context && context.partial === '') {
    return { start: offset, end: offset, text: key + context.separatorAfter };
  }
  // Words typed as a query are no key: the chosen key takes their place, as an accepted completion's does.
  if (context && /\s/.test(context.partial.trim())) return { start: context.replaceStart, end: context.replaceEnd, text: key };
  const at = context ? context.replaceEnd : list.end;
  const listText = masked.slice(list.start, list.end);
  const separator = listSeparator(listText);
  if (listText.trim() === '') return { start: at, end: at, text: key };
  // `{a, }`: the comma is there already, only the key is missing.
  if (at === list.end && /,\s*$/.test(listText)) return { start: at, end: at, text: (/,$/.test(listText) ? separator.slice(1) : '') + key };
  return { start: at, end: at, text: separator + key };
}
