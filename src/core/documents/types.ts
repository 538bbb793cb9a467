// What the documents layer reports about citations: offsets are UTF-16 positions in the document text.

export type DocumentLanguage = 'latex' | 'markdown';

/** The citation being typed at the cursor. */
export interface CiteContext {
  /** What was typed of this key so far: the query (in LaTeX it may hold several words). */
  partial: string;
  /** The range a chosen key replaces: the partial, plus the rest of a key the cursor is inside. */
  replaceStart: number;
  replaceEnd: number;
  /** Keys of the same citation before the partial, in order. */
  keysBefore: string[];
  /** The LaTeX command as written (`\citep*`); absent in Markdown. */
  command?: string;
  /** Text to put after the inserted key so it stays apart from a key that follows (`, ` or `; @`). */
  separatorAfter: string;
}

/** One cited key and its range in the text. */
export interface CitedKey {
  key: string;
  start: number;
  end: number;
}

/** Text to insert for a new citation of a key at a cursor. */
export interface CitationInsertion {
  start: number;
  end: number;
  text: string;
}

/** Half-open ranges of text that holds no citations (comments, verbatim, code, front matter). */
export type Range = [start: number, end: number];

/** True when `offset` is strictly after the start of a range and not after its end: typing there is inside. */
export function insideAny(ranges: readonly Range[], offset: number): boolean {
  for (const [start, end] of ranges) {
    if (start < offset && offset <= end) return true;
    if (start >= offset) break;
  }
  return false;
}

/** The text with the given ranges blanked by spaces (line breaks kept), so offsets and lines stay valid. */
export function blankOut(text: string, ranges: readonly Range[]): string {
  if (ranges.length === 0) return text;
  let result = '';
  let position = 0;
  for (const [start, end] of ranges) {
    result += text.slice(position, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ');
    position = end;
  }
  return result + text.slice(position);
}
