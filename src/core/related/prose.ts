// The prose of a LaTeX or Markdown document as the ranking reads it: commands, citations, math, URLs, comments,
// code and front matter are blanked by spaces (offsets stay those of the document), and the paragraph or the
// sentence around an offset is found in it.
import { findCitations, type DocumentLanguage } from '../documents/citations';
import { latexIgnoredRanges } from '../documents/latex';
import { markdownIgnoredRanges } from '../documents/markdown';
import { blankOut, type Range } from '../documents/types';

/** A stretch of prose: offsets in the document, and its text with everything that is not prose blanked. */
export interface ProseSpan {
  start: number;
  end: number;
  /** `document.slice(start, end)` with markup blanked; words in it are at their document offsets minus `start`. */
  text: string;
}

export interface Sentence extends ProseSpan {
  /** Keys the sentence cites (a citation with no key yet, `\cite{}` or a `?` marker, counts as one with none). */
  citedKeys: string[];
  /** True when the sentence holds a citation, whether or not it names a key. */
  hasCitation: boolean;
}

/** The document's prose: `text` with markup blanked, and where its citations are. */
export interface Prose {
  language: DocumentLanguage;
  /** Same length as the document. */
  masked: string;
  /** Ranges of the citations (whole commands or bracket groups), in order. */
  citations: Range[];
  /** Keys with their ranges. */
  keys: { key: string; start: number; end: number }[];
}

/** Environments whose body is math, code or pictures, not prose. */
const NON_PROSE_ENVIRONMENTS =
  'equation|align|alignat|gather|multline|flalign|eqnarray|math|displaymath|tikzpicture|picture|tabular|array|' +
  'lstlisting|verbatim|minted|algorithmic|algorithm';
const NON_PROSE_ENVIRONMENT = new RegExp(`\\\\begin\\s*\\{((?:${NON_PROSE_ENVIRONMENTS})\\*?)\\}`, 'g');

/** Commands whose arguments are labels, keys, files or URLs: neither the name nor the arguments are prose. */
const NON_PROSE_ARGUMENTS = new Set(
  (
    'ref eqref autoref cref Cref pageref nameref label url href includegraphics input include subfile ' +
    'bibliography bibliographystyle addbibresource usepackage documentclass newcommand renewcommand ' +
    'providecommand DeclareMathOperator begin end hspace vspace setlength addtocontents cline multicolumn ' +
    'includepdf graphicspath hypersetup doi'
  ).split(' '),
);

/** Any command with `cite` in its name (as the documents layer reads them): the whole citation is not prose. */
const CITE_NAME = /[cC]ite/;
const LATEX_COMMAND = /\\([a-zA-Z@]+)\*?|\\[^a-zA-Z]/g;
const URL = /\b(?:https?|ftp):\/\/[^\s<>(){}\]]+|\bwww\.[^\s<>(){}\]]+|\bdoi:\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const DOLLAR_MATH = /\$\$[\s\S]*?\$\$|(?<!\\)\$(?:\\.|[^$\\\n])+\$/g;
const BRACKET_MATH = /\\\[[\s\S]*?\\\]|\\\([\s\S]*?\\\)/g;

/** The end of a balanced `{…}` or `[…]` group opening at `open`, or undefined. */
function groupEnd(text: string, open: number): number | undefined {
  const opener = text[open];
  const closer = opener === '{' ? '}' : opener === '[' ? ']' : opener === '(' ? ')' : undefined;
  if (!closer) return undefined;
  let depth = 0;
  for (let i = open; i < text.length && i < open + 5000; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === opener) depth++;
    else if (c === closer && --depth === 0) return i + 1;
  }
  return undefined;
}

/** The end of the optional and mandatory arguments after a command ending at `position` (blanks between them allowed). */
function argumentsEnd(text: string, position: number, maxGroups: number): number {
  let end = position;
  for (let groups = 0; groups < maxGroups; groups++) {
    let next = end;
    while (next < text.length && (text[next] === ' ' || text[next] === '\t')) next++;
    const groupClose = text[next] === '{' || text[next] === '[' || text[next] === '(' ? groupEnd(text, next) : undefined;
    if (groupClose === undefined) break;
    end = groupClose;
  }
  return end;
}

function latexNonProse(text: string, citations: Range[]): Range[] {
  const ranges: Range[] = [...latexIgnoredRanges(text)];
  const masked = blankOut(text, sortMerge(ranges));
  for (const match of masked.matchAll(NON_PROSE_ENVIRONMENT)) {
    const close = masked.indexOf(`\\end{${match[1]}}`, match.index);
    ranges.push([match.index, close < 0 ? masked.length : close + `\\end{${match[1]}}`.length]);
  }
  for (const pattern of [DOLLAR_MATH, BRACKET_MATH, URL]) {
    for (const match of masked.matchAll(pattern)) ranges.push([match.index, match.index + match[0].length]);
  }
  for (const match of masked.matchAll(LATEX_COMMAND)) {
    const start = match.index;
    const nameEnd = start + match[0].length;
    const name = match[1];
    if (name === undefined) {
      // `\%`, `\&`: a character, which the word pattern skips anyway; `\\` and `\,` are spacing.
      ranges.push([start, nameEnd]);
      continue;
    }
    if (CITE_NAME.test(name)) {
      // Cite commands take up to two optional arguments and one key list; multicite ones take several.
      const end = argumentsEnd(masked, nameEnd, 8);
      ranges.push([start, end]);
      citations.push([start, end]);
    } else if (NON_PROSE_ARGUMENTS.has(name)) {
      ranges.push([start, argumentsEnd(masked, nameEnd, name === 'href' ? 1 : 3)]);
    } else {
      ranges.push([start, nameEnd]);
    }
  }
  return ranges;
}

/** `[see @a, p. 3; @b]`, `[-@a]`, and bare `@a` as Pandoc reads them (an e-mail address is not one). */
const MARKDOWN_BRACKET_CITATION = /\[[^\[\]\n]*?(?<![\p{L}\p{N}_\\/:])-?@[^\[\]\n]*\]/gu;
const MARKDOWN_BARE_CITATION = /(?<![\p{L}\p{N}_\\/:])@(?:\{[^{}\s]+\}|[\p{L}\p{N}_?](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*\??)/gu;
const MARKDOWN_LINK_TARGET = /\]\([^)\s]*(?:\s+"[^"]*")?\)/g;
const HTML_TAG = /<\/?[a-zA-Z][^<>\n]*>/g;
const HEADING_ATTRIBUTES = /\{[#.][^{}\n]*\}/g;

function markdownNonProse(text: string, citations: Range[]): Range[] {
  const ranges: Range[] = [...markdownIgnoredRanges(text)];
  const masked = blankOut(text, sortMerge(ranges));
  for (const pattern of [MARKDOWN_BRACKET_CITATION, MARKDOWN_BARE_CITATION]) {
    for (const match of masked.matchAll(pattern)) {
      ranges.push([match.index, match.index + match[0].length]);
      citations.push([match.index, match.index + match[0].length]);
    }
  }
  for (const pattern of [DOLLAR_MATH, BRACKET_MATH, URL, MARKDOWN_LINK_TARGET, HTML_TAG, HEADING_ATTRIBUTES]) {
    for (const match of masked.matchAll(pattern)) ranges.push([match.index, match.index + match[0].length]);
  }
  // Raw LaTeX in Markdown (Pandoc passes it through): its commands are no more prose than in a .tex file.
  for (const match of masked.matchAll(LATEX_COMMAND)) {
    const nameEnd = match.index + match[0].length;
    const name = match[1];
    if (name !== undefined && CITE_NAME.test(name)) {
      const end = argumentsEnd(masked, nameEnd, 8);
      ranges.push([match.index, end]);
      citations.push([match.index, end]);
    } else if (name !== undefined && NON_PROSE_ARGUMENTS.has(name)) {
      ranges.push([match.index, argumentsEnd(masked, nameEnd, 3)]);
    } else {
      ranges.push([match.index, nameEnd]);
    }
  }
  return ranges;
}

/** Sorted, non-overlapping ranges. */
function sortMerge(ranges: Range[]): Range[] {
  const sorted = ranges.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** The whole document read as prose. */
export function readProse(text: string, language: DocumentLanguage): Prose {
  const citations: Range[] = [];
  const ranges = language === 'latex' ? latexNonProse(text, citations) : markdownNonProse(text, citations);
  const keys = findCitations(text, language).map(({ key, start, end }) => ({ key, start, end }));
  return { language, masked: blankOut(text, sortMerge(ranges)), citations: sortMerge(citations), keys };
}

/** Prose of a text that is one paragraph or sentence (a query typed or pasted, a CLI argument, a file). */
export function proseText(text: string, language: DocumentLanguage): string {
  return readProse(text, language).masked;
}

const BLANK_LINE = /\n[ \t\r]*\n/g;
/**
 * Lines that end a paragraph as a blank line does. Group 1 marks a line that is no prose (a heading, an environment
 * boundary, a rule): it is left out. Otherwise the line starts a paragraph: a list item (`\item`, `-`, `1.`) or a quote.
 */
const LATEX_BREAK = /^[ \t]*(?:(\\(?:part|chapter|section|subsection|subsubsection|paragraph|subparagraph|begin|end|maketitle|title|author|date)\b.*)|\\item\b)/gm;
const MARKDOWN_BREAK = /^[ \t]{0,3}(?:(#{1,6}[ \t].*|(?:-{3,}|\*{3,}|_{3,})[ \t]*$)|[-*+][ \t]|\d+[.)][ \t]|>[ \t]?)/gm;

/** Ranges at which paragraphs end: blank lines, headings and environment lines (whole), list items (their start). */
function paragraphBounds(prose: Prose, text: string): Range[] {
  const bounds: Range[] = [];
  for (const match of text.matchAll(BLANK_LINE)) bounds.push([match.index, match.index + match[0].length]);
  // Against the original text: the masked one has lost the commands that mark these lines.
  for (const match of text.matchAll(prose.language === 'latex' ? LATEX_BREAK : MARKDOWN_BREAK)) {
    const lineStart = match.index;
    bounds.push([lineStart, match[1] === undefined ? lineStart : lineStart + match[0].length]);
  }
  return bounds.sort((a, b) => a[0] - b[0]);
}

function span(prose: Prose, start: number, end: number): ProseSpan {
  // Trim blanks so the span is what a reader calls the paragraph.
  while (start < end && /\s/.test(prose.masked[start])) start++;
  while (end > start && /\s/.test(prose.masked[end - 1])) end--;
  return { start, end, text: prose.masked.slice(start, end) };
}

/** Every paragraph with prose in it, in order. */
export function paragraphs(text: string, language: DocumentLanguage, prose: Prose = readProse(text, language)): ProseSpan[] {
  const result: ProseSpan[] = [];
  let start = 0;
  for (const [boundStart, boundEnd] of [...paragraphBounds(prose, text), [text.length, text.length] as Range]) {
    if (boundStart > start) {
      const paragraph = span(prose, start, boundStart);
      if (/[\p{L}\p{N}]/u.test(paragraph.text)) result.push(paragraph);
    }
    start = Math.max(start, boundEnd);
  }
  return result;
}

/** The paragraph holding `offset` (or ending just before it), if the offset is in prose at all. */
export function paragraphAt(text: string, offset: number, language: DocumentLanguage, prose?: Prose): ProseSpan | undefined {
  return paragraphs(text, language, prose).find((paragraph) => paragraph.start <= offset && offset <= paragraph.end);
}

/** Abbreviations whose period ends no sentence. */
const ABBREVIATION = /(?:\b(?:et al|e\.g|i\.e|cf|vs|etc|Fig|Figs|Eq|Eqs|Sec|Ref|Refs|No|Dr|Prof|approx|resp|viz|ca|Ch|Tab|Vol|pp)|\b[A-Z])\.$/;

/** The sentences of a paragraph (or any span): ends at `.`, `!`, `?` followed by a blank and not an abbreviation. */
export function sentencesIn(prose: Prose, text: string, within: ProseSpan): Sentence[] {
  const sentences: Sentence[] = [];
  let start = within.start;
  const ender = /[.!?]+["')\]]*(?=\s|$)/g;
  const original = text.slice(within.start, within.end);
  ender.lastIndex = 0;
  let match: RegExpExecArray | null;
  const ends: number[] = [];
  // Sentence ends are read from the original text: a citation before the period belongs to the sentence.
  while ((match = ender.exec(original))) {
    const before = original.slice(Math.max(0, match.index - 8), match.index + 1);
    if (match[0] === '.' && ABBREVIATION.test(before)) continue;
    const end = within.start + match.index + match[0].length;
    if (insideRange(prose.citations, end - 1)) continue;
    ends.push(end);
  }
  if (ends.at(-1) !== within.end) ends.push(within.end);
  for (const end of ends) {
    if (end <= start) continue;
    const sentence = span(prose, start, end);
    if (/[\p{L}\p{N}]/u.test(sentence.text) || prose.citations.some(([s, e]) => s < end && e > start)) {
      const citations = prose.citations.filter(([s, e]) => s < end && e > start);
      sentences.push({
        ...sentence,
        // A citation right after the last word belongs to the sentence even when the span trimmed it.
        start: Math.min(sentence.start, ...citations.map(([s]) => s)),
        end: Math.max(sentence.end, ...citations.map(([, e]) => e)),
        citedKeys: prose.keys.filter((key) => key.start < end && key.end > start).map((key) => key.key),
        hasCitation: citations.length > 0,
      });
    }
    start = end;
  }
  return sentences;
}

function insideRange(ranges: readonly Range[], offset: number): boolean {
  return ranges.some(([start, end]) => start <= offset && offset < end);
}

/** The sentence holding `offset`, if the offset is in a paragraph. */
export function sentenceAt(text: string, offset: number, language: DocumentLanguage, prose: Prose = readProse(text, language)): Sentence | undefined {
  const paragraph = paragraphAt(text, offset, language, prose);
  if (!paragraph) return undefined;
  const sentences = sentencesIn(prose, text, paragraph);
  return sentences.find((sentence) => sentence.start <= offset && offset <= sentence.end) ?? sentences.at(-1);
}
