// Citations in Pandoc Markdown (also Quarto and R Markdown): `[see @key, p. 3; @other]`, `[-@key]`, `@key`.
// Front matter, fenced code, inline code and HTML comments are blanked out first; `a@b.org` is no citation.
import { blankOut, insideAny, type CiteContext, type CitationInsertion, type CitedKey, type Range } from './types';

/**
 * Pandoc: a key starts with a letter, digit or `_`; inner punctuation is part of it only when a word character
 * follows, and `:` or `/` also when a `/` follows, so `@url:https://www.cameo3d.org` is one key.
 */
const KEY_INNER = String.raw`[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_])|[:/](?=/)`;
const KEY = String.raw`[\p{L}\p{N}_](?:${KEY_INNER})*`;
/** `@` preceded by a word character, a backslash or a URL's `/` or `:` is an e-mail address, escaped or part of a link. */
const CITATION = new RegExp(String.raw`(?<![\p{L}\p{N}_\\/:])@(?:\{([^{}\s]+)\}|(${KEY}))`, 'gu');
const KEY_CONTINUATION = new RegExp(String.raw`^(?:${KEY_INNER})+`, 'u');
/** What may be typed of a key so far, trailing punctuation included. */
const PARTIAL_CHARACTER = /[\p{L}\p{N}_:.#$%&\-+?<>~/]/u;
const BEFORE_AT_NOT_A_CITATION = /[\p{L}\p{N}_\\/:]/u;

/**
 * YAML front matter at the top: `---`, its lines (group 1; none for an empty block), `---` or `...`. A `---`
 * followed by a blank line is a thematic break, as Pandoc reads it.
 */
export const FRONT_MATTER = /^---[ \t]*\r?\n(?![ \t]*\r?\n)([\s\S]*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** A line that may open or close a fenced code block: its indent-free fence and whatever follows. */
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/gm;
const BLANK_LINE = /\r?\n[ \t]*\r?\n/g;

/**
 * Ranges that hold no citations: front matter, fenced code blocks, and from `inlineFrom` (a paragraph start)
 * on, inline code spans and HTML comments. Inline spans never cross a blank line, so scanning them from a
 * paragraph near the cursor is exact.
 */
export function markdownIgnoredRanges(text: string, inlineFrom = 0): Range[] {
  const blocks: Range[] = [];
  const frontMatter = FRONT_MATTER.exec(text);
  if (frontMatter) blocks.push([0, frontMatter[0].length]);
  let fence: { marker: string; start: number } | undefined;
  const fenceLine = new RegExp(FENCE_LINE.source, 'gm');
  fenceLine.lastIndex = frontMatter ? frontMatter[0].length : 0;
  let match: RegExpExecArray | null;
  while ((match = fenceLine.exec(text))) {
    const [line, marker, rest] = match;
    if (!fence) {
      // A backtick fence's info string holds no backtick.
      if (marker[0] === '~' || !rest.includes('`')) fence = { marker, start: match.index };
    } else if (marker[0] === fence.marker[0] && marker.length >= fence.marker.length && rest.trim() === '') {
      blocks.push([fence.start, match.index + line.replace(/\r$/, '').length]);
      fence = undefined;
    }
  }
  if (fence) blocks.push([fence.start, text.length]);

  const ranges: Range[] = [];
  let proseStart = 0;
  for (const block of [...blocks, [text.length, text.length] as Range]) {
    if (block[0] > inlineFrom) ranges.push(...inlineIgnoredRanges(text, Math.max(proseStart, inlineFrom), block[0]));
    if (block[1] > block[0]) ranges.push(block);
    proseStart = block[1];
  }
  return ranges;
}

/** Inline code spans (a backtick run closed by a run of the same length in the same paragraph) and `<!-- … -->`. */
function inlineIgnoredRanges(text: string, start: number, end: number): Range[] {
  const ranges: Range[] = [];
  const opener = /`+|<!--/g;
  opener.lastIndex = start;
  let paragraphEnd = -1;
  let match: RegExpExecArray | null;
  while ((match = opener.exec(text)) && match.index < end) {
    const from = match.index + match[0].length;
    if (from > paragraphEnd) paragraphEnd = Math.min(end, nextBlankLine(text, from));
    let close: number;
    let closeLength: number;
    if (match[0] === '<!--') {
      close = text.indexOf('-->', from);
      closeLength = 3;
      if (close >= end) close = -1;
    } else {
      const closer = new RegExp(`(?<!\`)\`{${match[0].length}}(?!\`)`, 'g');
      closer.lastIndex = from;
      const found = closer.exec(text);
      close = found && found.index < paragraphEnd ? found.index : -1;
      closeLength = match[0].length;
    }
    if (close < 0) continue;
    ranges.push([match.index, close + closeLength]);
    opener.lastIndex = close + closeLength;
  }
  return ranges;
}

function nextBlankLine(text: string, from: number): number {
  BLANK_LINE.lastIndex = from;
  const blank = BLANK_LINE.exec(text);
  return blank ? blank.index : text.length;
}

/** How far past the cursor the text is read: enough to close an inline code span the cursor is in. */
const LOOKAHEAD = 2000;
/** Inline code is scanned from the paragraph this far before the cursor; keys and citations are shorter. */
const LOOKBACK = 2000;

/** The start of the line after the last blank line (`\n\n`, `\r\n\r\n`, or one holding blanks) that ends at or before `position`; 0 when none. */
export function paragraphStartBefore(text: string, position: number): number {
  let lineEnd = text.lastIndexOf('\n', position - 1);
  while (lineEnd > 0) {
    const previousLineEnd = text.lastIndexOf('\n', lineEnd - 1);
    if (/^[ \t]*\r?$/.test(text.slice(previousLineEnd + 1, lineEnd))) return lineEnd + 1;
    lineEnd = previousLineEnd;
  }
  return 0;
}

function maskedPrefix(text: string, offset: number): string | undefined {
  const prefix = text.slice(0, Math.min(text.length, offset + LOOKAHEAD));
  const ignored = markdownIgnoredRanges(prefix, paragraphStartBefore(prefix, Math.max(0, offset - LOOKBACK)));
  if (insideAny(ignored, offset)) return undefined;
  return blankOut(prefix, ignored);
}

/** The `[` of the bracketed citation holding `position`, when it is inside one (same paragraph, not closed yet). */
function bracketStart(masked: string, position: number): number | undefined {
  for (let i = position - 1; i >= 0; i--) {
    const c = masked[i];
    if (c === ']') return undefined;
    if (c === '[') return i;
    if (c === '\n' && /\n[ \t]*\r?$/.test(masked.slice(Math.max(0, i - 80), i))) return undefined;
  }
  return undefined;
}

/** The `]` closing a bracketed citation that starts at `start`, or undefined when it is not closed in its paragraph. */
function bracketEnd(masked: string, start: number): number | undefined {
  for (let i = start + 1; i < masked.length; i++) {
    const c = masked[i];
    if (c === ']') return i;
    if (c === '[') return undefined;
    if (c === '\n' && /^\n[ \t]*\r?\n/.test(masked.slice(i, i + 80))) return undefined;
  }
  return undefined;
}

function citationsIn(masked: string, text: string, start: number, end: number): CitedKey[] {
  const cited: CitedKey[] = [];
  const pattern = new RegExp(CITATION.source, 'gu');
  pattern.lastIndex = start;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(masked)) && match.index < end) {
    // `@{key}` keeps braces out of the key's range.
    const keyStart = match.index + (match[1] !== undefined ? 2 : 1);
    const key = match[1] ?? match[2];
    cited.push({ key: text.slice(keyStart, keyStart + key.length), start: keyStart, end: keyStart + key.length });
  }
  return cited;
}

export function markdownCiteContext(text: string, offset: number): CiteContext | undefined {
  const masked = maskedPrefix(text, offset);
  if (masked === undefined) return undefined;
  return keyContext(masked, text, offset) ?? bracketQueryContext(masked, text, offset);
}

/** The cursor in or right after one word that follows `@`: a key being typed, in brackets or bare. */
function keyContext(masked: string, text: string, offset: number): CiteContext | undefined {
  let replaceStart = offset;
  while (replaceStart > 0 && PARTIAL_CHARACTER.test(masked[replaceStart - 1])) replaceStart--;
  const at = replaceStart - 1;
  if (masked[at] !== '@') return undefined;
  if (at > 0 && BEFORE_AT_NOT_A_CITATION.test(masked[at - 1])) return undefined;
  const partial = text.slice(replaceStart, offset);

  let replaceEnd = offset;
  if (partial !== '') {
    const continuation = KEY_CONTINUATION.exec(masked.slice(offset, offset + 200));
    if (continuation) replaceEnd += continuation[0].length;
  }

  const bracket = bracketStart(masked, at);
  const keysBefore = bracket === undefined ? [] : citationsIn(masked, text, bracket, at).map((cited) => cited.key);
  const keyFollows = partial === '' && /^[\p{L}\p{N}_]/u.test(masked.slice(offset, offset + 2));
  return {
    partial,
    replaceStart,
    replaceEnd,
    keysBefore,
    // In a bracket not closed yet (`[@` typed before running text), what follows is text: a space keeps it apart.
    separatorAfter: keyFollows ? (bracket !== undefined && bracketEnd(masked, bracket) !== undefined ? '; @' : ' ') : '',
  };
}

/** A query of several words is at most this long: longer text after `@` is prose, not a query. */
const MAX_QUERY = 120;
/** A Pandoc locator after a key (`[@doe99 p. 33]`, `[@doe99 chapter 3]`) makes the words a suffix, not a query. */
const LOCATOR =
  /\s(?:(?:p|pp|pg|chap|ch|sec|vol|fig|figs|para|n|nn|l|ll|col|pt|no|art|bk|op)\.\s*|(?:page|pages|chapter|chapters|section|sections|volume|volumes|figure|figures|note|notes|line|lines|paragraph|§+)\s*)\d/iu;

/**
 * Inside an open bracketed citation (`[@esperanto scopus`, `[@a; @kohonen self organizing`), the words typed
 * after the last `@` up to the cursor are the query, as in LaTeX: a paper is found by words of its abstract. A
 * bare `@` outside brackets stays one word, and text after a finished `[@key]` is outside the bracket.
 */
function bracketQueryContext(masked: string, text: string, offset: number): CiteContext | undefined {
  const lineStart = masked.lastIndexOf('\n', offset - 1) + 1;
  const at = masked.lastIndexOf('@', offset - 1);
  if (at < Math.max(lineStart, offset - MAX_QUERY)) return undefined;
  if (at > 0 && BEFORE_AT_NOT_A_CITATION.test(masked[at - 1])) return undefined;
  const words = masked.slice(at + 1, offset);
  // A query starts as a key does, holds spaces, and no citation punctuation: a `,` or `;` ends the key's part.
  if (!/^[\p{L}\p{N}_]/u.test(words) || !/\s/.test(words) || /[[\];,{}]/.test(words) || LOCATOR.test(` ${words}`)) return undefined;
  const bracket = bracketStart(masked, at);
  if (bracket === undefined) return undefined;
  const replaceStart = at + 1;
  const continuation = /\S$/.test(words) ? KEY_CONTINUATION.exec(masked.slice(offset, offset + 200)) : null;
  return {
    partial: text.slice(replaceStart, offset),
    replaceStart,
    replaceEnd: offset + (continuation ? continuation[0].length : 0),
    keysBefore: citationsIn(masked, text, bracket, at).map((cited) => cited.key),
    separatorAfter: '',
  };
}

export function markdownCitations(text: string): CitedKey[] {
  const masked = blankOut(text, markdownIgnoredRanges(text));
  return citationsIn(masked, text, 0, masked.length);
}

/** The cited key at the offset; the `@` before a key counts as part of it. */
export function markdownKeyAt(text: string, offset: number): CitedKey | undefined {
  const masked = maskedPrefix(text, offset);
  if (masked === undefined) return undefined;
  let lineStart = masked.lastIndexOf('\n', offset - 1) + 1;
  // A key is never longer than a few hundred characters: start the scan near the cursor.
  lineStart = Math.max(lineStart, offset - 500);
  return citationsIn(masked, text, lineStart, offset + 1).find((cited) => cited.start - 1 <= offset && offset <= cited.end);
}

/**
 * Where a key chosen outside completion goes: after the key the cursor touches (`; @key` in brackets),
 * at the end of the bracketed citation the cursor is in, or as a new `[@key]`.
 */
export function markdownCitationInsertion(text: string, offset: number, key: string): CitationInsertion {
  const masked = maskedPrefix(text, offset);
  if (masked === undefined) return { start: offset, end: offset, text: `[@${key}]` };
  const context = markdownCiteContext(text, offset);
  if (context) {
    if (context.partial === '') return { start: offset, end: offset, text: key + context.separatorAfter };
    // Words typed as a query are no key: the chosen key takes their place.
    if (/\s/.test(context.partial)) return { start: context.replaceStart, end: context.replaceEnd, text: key };
    const inBrackets = bracketStart(masked, context.replaceStart - 1) !== undefined;
    const at = context.replaceEnd;
    return { start: at, end: at, text: inBrackets ? `; @${key}` : ` [@${key}]` };
  }
  const bracket = bracketStart(masked, offset);
  const close = bracket === undefined ? undefined : bracketEnd(masked, bracket);
  if (bracket !== undefined && close !== undefined && citationsIn(masked, text, bracket, close).length > 0) {
    // `[@a; ]`: the separator is there already, only the key is missing.
    if (/;\s*$/.test(masked.slice(bracket, close))) return { start: close, end: close, text: `${/\s/.test(masked[close - 1]) ? '' : ' '}@${key}` };
    return { start: close, end: close, text: `; @${key}` };
  }
  const before = offset > 0 ? text[offset - 1] : '';
  const space = before === '' || /[\s([]/.test(before) ? '' : ' ';
  return { start: offset, end: offset, text: `${space}[@${key}]` };
}
