// BibTeX / BibLaTeX reader: one hand-written pass over the text (charCodeAt, no per-character regex), per-entry
// recovery (a malformed entry is reported and skipped; scanning resumes at the next line that starts an entry, indented or not),
// @string macros shared across files, `#` concatenation; inheritance (crossref, @xdata) is in inheritance.ts.
import type { Paper, Problem, ReadResult } from '../paper';
import { latexToUnicode } from './latex';
import { parseNames } from './names';
import { resolveCrossrefs } from './inheritance';
import { bareDoi } from './plain-item';

/** Inheritance across entries lives in inheritance.ts; readers of parsed entries call it from here. */
export { resolveCrossrefs };

export interface BibtexOptions {
  /** @string macros defined by files loaded earlier (lower-case names); the reader adds this file's to it. */
  macros?: Map<string, string>;
  /**
   * Keep an entry whose key an earlier entry of the file has (corpus files: the library tells the same paper twice
   * from two papers under one key, as Mendeley exports have). Without it the first is kept, as BibTeX does.
   */
  keepRepeatedKeys?: boolean;
}

/** One entry as written: field values are BibTeX source with macros expanded and outer delimiters removed. */
export interface BibtexEntry {
  type: string;
  key: string;
  fields: Record<string, string>;
  file: string;
  line: number;
}

export interface BibtexParse {
  entries: BibtexEntry[];
  problems: Problem[];
}

/** BibTeX's predefined month macros, expanded as plain.bst does. */
export const MONTH_MACROS: Record<string, string> = {
  jan: 'January', feb: 'February', mar: 'March', apr: 'April', may: 'May', jun: 'June',
  jul: 'July', aug: 'August', sep: 'September', oct: 'October', nov: 'November', dec: 'December',
};

const AT = 64;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const QUOTE = 34;
const COMMA = 44;
const EQUALS = 61;
const HASH = 35;
const PERCENT = 37;
const NEWLINE = 10;
const BACKSLASH = 92;

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9 || code === 0xfeff || code === 0xa0;
}

/** Characters of entry types, field names and macro names. */
function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ||
    code === 95 || code === 45 || code === 46 || code === 58 || code === 43 || code === 47 || code === 39 ||
    code === 42 || code === 33 || code === 63 || code === 38 || code === 59 || code === 60 || code === 62 ||
    code === 124 || code === 91 || code === 93 || code > 127;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Characters that end a citation key. */
function endsKey(code: number): boolean {
  return code === COMMA || isWhitespace(code) || code === OPEN_BRACE || code === CLOSE_BRACE || code === CLOSE_PAREN ||
    code === EQUALS || code === HASH || code === QUOTE;
}

/** Own-field test that stays cheap: the prototype lookup only runs for names like `constructor`. */
function hasOwn(record: Record<string, string>, name: string): boolean {
  return record[name] !== undefined && Object.prototype.hasOwnProperty.call(record, name);
}

/**
 * Line numbers of positions, and whether a position's line is commented out, for positions visited mostly in
 * increasing order. Linear in the text even when the whole file is one line: nothing scans back to a line start
 * or forward to a line end more than once per line.
 */
class LineIndex {
  /** The 1-based line of the last position asked about, where that line starts and the newline ending it. */
  private line = 1;
  private lineStart = 0;
  private lineEnd: number;
  /** Start of the line whose verdict `commented` holds (-1: none yet). */
  private verdictLine = -1;
  private commented = false;

  constructor(private readonly text: string) {
    this.lineEnd = this.newlineFrom(0);
  }

  /** Index of the first newline at or after `from`, or the text length. */
  private newlineFrom(from: number): number {
    const newline = this.text.indexOf('\n', from);
    return newline < 0 ? this.text.length : newline;
  }

  lineAt(pos: number): number {
    if (pos > this.lineEnd) {
      do {
        this.line++;
        this.lineStart = this.lineEnd + 1;
        this.lineEnd = this.newlineFrom(this.lineStart);
      } while (pos > this.lineEnd);
    } else if (pos < this.lineStart) {
      const text = this.text;
      do {
        this.line--;
        this.lineEnd = this.lineStart - 1;
        this.lineStart = this.lineEnd === 0 ? 0 : text.lastIndexOf('\n', this.lineEnd - 1) + 1;
      } while (pos < this.lineStart);
    }
    return this.line;
  }

  /** An `@` on a line that starts with `%`: an entry the user commented out, which tools other than BibTeX skip. */
  isCommentedOut(at: number): boolean {
    this.lineAt(at);
    if (this.verdictLine !== this.lineStart) {
      // The first character that is not whitespace decides; the `@` itself is one, so the scan stops by `at`.
      const text = this.text;
      let i = this.lineStart;
      while (i < at && isWhitespace(text.charCodeAt(i))) i++;
      this.commented = text.charCodeAt(i) === PERCENT;
      this.verdictLine = this.lineStart;
    }
    return this.commented;
  }
}

/** Only spaces and tabs between the line start and `at`: entries are often indented. */
function startsLine(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const code = text.charCodeAt(i);
    if (code === NEWLINE) return true;
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

/** `@type{` or `@type(` (the type may be missing, as in `@{WASSA,`): what scan() reads as an entry. */
function opensEntry(text: string, at: number): boolean {
  let i = at + 1;
  while (isWhitespace(text.charCodeAt(i))) i++;
  while (isNameChar(text.charCodeAt(i))) i++;
  while (isWhitespace(text.charCodeAt(i))) i++;
  const code = text.charCodeAt(i);
  return code === OPEN_BRACE || code === OPEN_PAREN;
}

/** An entry starting on its own line (indented or not) at `at`: where a value or entry left open has run on. */
function isEntryLine(text: string, at: number): boolean {
  return text.charCodeAt(at) === AT && startsLine(text, at) && opensEntry(text, at);
}

/**
 * An entry right after the end of another on the same line (`…} @misc{`): where reading resumes after a malformed
 * entry in a file written as one line, which has no entry starting a line to resume at.
 */
function followsEntryEnd(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  const code = text.charCodeAt(i);
  return (code === CLOSE_BRACE || code === CLOSE_PAREN) && opensEntry(text, at);
}

/** The next line after the newline at `newline` starts an entry. */
function entryFollows(text: string, newline: number): boolean {
  let i = newline + 1;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return text.charCodeAt(i) === AT && opensEntry(text, i);
}

/** A line inside a value that looks like the next field: `  year = 2000,`. */
const SWALLOWED_FIELD = /\n\s*[A-Za-z][\w-]*\s*=/;

/** Names the value a problem is in: `@article{key, field 'title'`, or `@string{name` for a macro. */
function valueLabel(label: string, field: string): string {
  return field === '' ? label : `${label}, field '${field}'`;
}

/** Thrown inside the scanner only, caught per entry: the entry is lost, the file goes on. */
class EntryError {
  constructor(readonly at: number, readonly message: string) {}
}

class BibtexScanner {
  private pos = 0;
  readonly entries: BibtexEntry[] = [];
  readonly problems: Problem[] = [];
  private readonly firstLineOfKey = new Map<string, number>();
  /** Macros an entry used without a definition; reported once per entry. */
  private undefinedMacros: string[] = [];
  private readonly lines: LineIndex;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly macros: Map<string, string>,
    private readonly keepRepeatedKeys: boolean,
  ) {
    this.lines = new LineIndex(text);
  }

  private report(at: number, message: string): void {
    this.problems.push({ file: this.file, line: this.lines.lineAt(at), message });
  }

  scan(): void {
    const text = this.text;
    const length = text.length;
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (this.pos < length) {
      const at = text.indexOf('@', this.pos);
      if (at < 0) break;
      this.pos = at + 1;
      if (this.lines.isCommentedOut(at)) continue;
      let i = at + 1;
      while (i < length && isWhitespace(text.charCodeAt(i))) i++;
      const typeStart = i;
      while (i < length && isNameChar(text.charCodeAt(i))) i++;
      const typeEnd = i;
      while (i < length && isWhitespace(text.charCodeAt(i))) i++;
      const open = text.charCodeAt(i);
      // Anything else is free text between entries (an e-mail address, a comment).
      if (open !== OPEN_BRACE && open !== OPEN_PAREN) continue;
      const type = text.slice(typeStart, typeEnd).toLowerCase();
      const close = open === OPEN_BRACE ? CLOSE_BRACE : CLOSE_PAREN;
      this.pos = i + 1;
      try {
        if (type === 'comment') this.skipComment(open, close);
        else if (type === 'preamble') this.skipGroup(at, open, close);
        else if (type === 'string') this.readString(at, close);
        else this.readEntry(at, type, close);
      } catch (error) {
        if (!(error instanceof EntryError)) throw error;
        this.report(error.at, error.message);
        this.pos = this.nextEntryStart(Math.max(error.at, at + 1));
      }
    }
  }

  /**
   * The next entry that starts a line (indented or not) or follows the end of another on its line, where scanning
   * resumes after a malformed entry.
   */
  private nextEntryStart(from: number): number {
    const text = this.text;
    for (let index = text.indexOf('@', from); index >= 0; index = text.indexOf('@', index + 1)) {
      if (isEntryLine(text, index) || followsEntryEnd(text, index)) return index;
    }
    return text.length;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (isWhitespace(code)) pos++;
      else if (code === PERCENT) {
        // A `%` line between fields is a comment to biber and most tools.
        const end = text.indexOf('\n', pos);
        pos = end < 0 ? text.length : end + 1;
      } else break;
    }
    this.pos = pos;
  }

  /** `@comment{…}` is skipped when it balances; otherwise it is free text, as BibTeX itself treats it. */
  private skipComment(open: number, close: number): void {
    if (open !== OPEN_BRACE) return;
    const text = this.text;
    let depth = 1;
    for (let i = this.pos; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === OPEN_BRACE) depth++;
      else if (code === close && --depth === 0) {
        this.pos = i + 1;
        return;
      }
    }
  }

  private skipGroup(at: number, open: number, close: number): void {
    const text = this.text;
    let depth = 1;
    for (let i = this.pos; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === NEWLINE && entryFollows(text, i)) break;
      if (code === open) depth++;
      else if (code === close && --depth === 0) {
        this.pos = i + 1;
        return;
      }
    }
    throw new EntryError(at, '@preamble is not closed; skipped');
  }

  private readString(at: number, close: number): void {
    this.skipWhitespace();
    const name = this.readName();
    if (name === '') throw new EntryError(this.pos, `@string without a macro name; skipped`);
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== EQUALS) {
      throw new EntryError(this.pos, `@string{${name}: expected '=' after the macro name; skipped`);
    }
    this.pos++;
    this.undefinedMacros = [];
    const value = this.readValue(`@string{${name}`, '');
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === COMMA) {
      this.pos++;
      this.skipWhitespace();
    }
    if (this.text.charCodeAt(this.pos) !== close) {
      throw new EntryError(this.pos, `@string{${name}: expected '${String.fromCharCode(close)}' after the value; skipped`);
    }
    this.pos++;
    this.reportUndefinedMacros(at, `@string{${name}`);
    this.macros.set(name.toLowerCase(), value);
  }

  private readName(): string {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    while (pos < text.length && isNameChar(text.charCodeAt(pos))) pos++;
    this.pos = pos;
    return text.slice(start, pos);
  }

  private readEntry(at: number, type: string, close: number): void {
    const text = this.text;
    this.skipWhitespace();
    const keyStart = this.pos;
    let pos = keyStart;
    while (pos < text.length && !endsKey(text.charCodeAt(pos))) pos++;
    let key = text.slice(keyStart, pos);
    this.pos = pos;
    const line = this.lines.lineAt(at);
    if (type === '') throw new EntryError(at, `@{${key}: entry has no type; skipped`);
    this.skipWhitespace();
    let code = text.charCodeAt(this.pos);
    // EndNote writes `@article{` and the first field on the next line: no key at all, read like `@article{,`.
    let atFirstField = code === EQUALS;
    if (atFirstField) {
      key = '';
      this.pos = keyStart;
    }
    const label = `@${type}{${key}`;
    if (!atFirstField && code !== COMMA && code !== close) {
      throw new EntryError(this.pos, `${label}: expected ',' after the key, found ${this.describe(this.pos)}; skipped`);
    }
    const fields: Record<string, string> = {};
    let fieldCount = 0;
    this.undefinedMacros = [];
    while (atFirstField || code === COMMA) {
      if (atFirstField) {
        atFirstField = false;
      } else {
        this.pos++;
        this.skipWhitespace();
        code = text.charCodeAt(this.pos);
        if (code === close || code === COMMA) continue;
      }
      const nameStart = this.pos;
      const name = this.readName().toLowerCase();
      if (name === '') {
        throw new EntryError(nameStart, `${label}: expected a field name, found ${this.describe(nameStart)}; skipped`);
      }
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== EQUALS) {
        throw new EntryError(this.pos, `${label}: expected '=' after field '${name}', found ${this.describe(this.pos)}; skipped`);
      }
      this.pos++;
      const valueStart = this.pos;
      const value = this.readValue(label, name);
      if (hasOwn(fields, name)) {
        this.report(nameStart, `${label}: duplicate field '${name}' (the first is kept)`);
      } else {
        fields[name] = value;
        fieldCount++;
      }
      this.skipWhitespace();
      code = text.charCodeAt(this.pos);
      if (code !== COMMA && code !== close) {
        const where = this.lastNonSpaceBefore(this.pos);
        const closer = String.fromCharCode(close);
        let message: string;
        if (Number.isNaN(code) || isEntryLine(text, this.pos)) {
          // A value that ran over later `name = ` lines was opened with a brace that never closed.
          if (SWALLOWED_FIELD.test(value)) {
            throw new EntryError(valueStart, `${label}, field '${name}': unbalanced '{' (the value runs into the fields after it); skipped`);
          }
          message = `entry is not closed (missing '${closer}' after field '${name}')`;
        } else if (code === CLOSE_BRACE || code === CLOSE_PAREN) {
          message = `entry opened with '${closer === '}' ? '{' : '('}' is closed with '${text[this.pos]}'`;
        } else {
          message = `missing ',' after field '${name}' (found ${this.describe(this.pos)})`;
        }
        throw new EntryError(where, `${label}: ${message}; skipped`);
      }
    }
    this.pos++;
    this.reportUndefinedMacros(at, label);
    // `@tt{S_284e…,}` in the ACL dump: a key and nothing else is debris, not a reference.
    if (fieldCount === 0) {
      this.report(at, `${label}: entry has no fields; skipped`);
      return;
    }
    if (key !== '' && !this.keepRepeatedKeys) {
      const first = this.firstLineOfKey.get(key);
      if (first !== undefined) {
        this.report(at, `${label}: duplicate key (first defined on line ${first}); skipped`);
        return;
      }
      this.firstLineOfKey.set(key, line);
    } else if (key === '') {
      this.report(at, `${label}: entry has no key; one will be assigned`);
    }
    this.entries.push({ type, key, fields, file: this.file, line });
  }

  /** Where a missing comma belongs: the end of the previous value, not the next field's line. */
  private lastNonSpaceBefore(pos: number): number {
    let i = pos - 1;
    while (i > 0 && isWhitespace(this.text.charCodeAt(i))) i--;
    return i;
  }

  private describe(pos: number): string {
    if (pos >= this.text.length) return 'the end of the file';
    const char = this.text[pos];
    return char === '\n' || char === '\r' ? 'a line break' : `'${char}'`;
  }

  private reportUndefinedMacros(at: number, label: string): void {
    if (this.undefinedMacros.length === 0) return;
    const names = [...new Set(this.undefinedMacros)].join(', ');
    this.report(at, `${label}: undefined @string macro ${names} (kept as text)`);
    this.undefinedMacros = [];
  }

  /** A field value: `{…}`, `"…"`, a number or a macro name, joined by `#`. `label`/`field` name it in problems. */
  private readValue(label: string, field: string): string {
    const text = this.text;
    let value = '';
    for (;;) {
      this.skipWhitespace();
      const start = this.pos;
      const code = text.charCodeAt(start);
      if (code === OPEN_BRACE || code === QUOTE) {
        const end = this.delimitedEnd(start, code === QUOTE, label, field);
        value += text.slice(start + 1, end);
        this.pos = end + 1;
      } else if (isDigit(code)) {
        let pos = start + 1;
        while (isDigit(text.charCodeAt(pos))) pos++;
        value += text.slice(start, pos);
        this.pos = pos;
      } else if (isNameChar(code)) {
        const name = this.readName();
        const lower = name.toLowerCase();
        const expansion = this.macros.get(lower) ?? MONTH_MACROS[lower];
        if (expansion === undefined) this.undefinedMacros.push(name);
        value += expansion ?? name;
      } else {
        throw new EntryError(start, `${valueLabel(label, field)}: expected a value, found ${this.describe(start)}; skipped`);
      }
      this.skipWhitespaceOnly();
      if (text.charCodeAt(this.pos) !== HASH) return value;
      this.pos++;
    }
  }

  private skipWhitespaceOnly(): void {
    const text = this.text;
    let pos = this.pos;
    while (isWhitespace(text.charCodeAt(pos))) pos++;
    this.pos = pos;
  }

  /**
   * Index of the delimiter closing the value opened at `start`. A line starting an entry (`@type{`) inside a value
   * means the value never closed: the entry is lost there and the next one is read.
   */
  private delimitedEnd(start: number, quoted: boolean, label: string, field: string): number {
    const text = this.text;
    const length = text.length;
    let depth = quoted ? 0 : 1;
    for (let i = start + 1; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code === OPEN_BRACE) depth++;
      else if (code === CLOSE_BRACE) {
        if (--depth === 0 && !quoted) return i;
        if (depth < 0) throw new EntryError(start, `${valueLabel(label, field)}: value is not terminated (unbalanced quote or braces); skipped`);
      } else if (code === QUOTE && quoted && depth === 0) return i;
      else if (code === BACKSLASH) i++;
      else if (code === NEWLINE && entryFollows(text, i)) {
        throw new EntryError(start, `${valueLabel(label, field)}: value is not terminated (unbalanced ${quoted ? 'quote or braces' : 'braces'}); skipped`);
      }
    }
    throw new EntryError(start, `${valueLabel(label, field)}: value is not terminated before the end of the file; skipped`);
  }
}

/**
 * Entries and problems of one BibTeX text; crossrefs are left for resolveCrossrefs (they may span files).
 * `keepRepeatedKeys` as in BibtexOptions.
 */
export function parseBibtex(text: string, file: string, macros: Map<string, string> = new Map(), keepRepeatedKeys = false): BibtexParse {
  const scanner = new BibtexScanner(text, file, macros, keepRepeatedKeys);
  scanner.scan();
  return { entries: scanner.entries, problems: scanner.problems };
}

/** The fields a venue is read from, first present wins (renderBibtex writes venues back by the same order). */
export const VENUE_FIELDS = ['journal', 'journaltitle', 'booktitle', 'publisher', 'school', 'institution', 'howpublished', 'organization'];
/** BibLaTeX subtitles shown after the title they belong to. */
const SUBTITLE_OF: Record<string, string> = {
  title: 'subtitle', journal: 'journalsubtitle', journaltitle: 'journalsubtitle', booktitle: 'booksubtitle',
};

/** A title field with its BibLaTeX subtitle, as one display string: "Edward Hopper: Transformaties …". */
function withSubtitle(fields: Record<string, string>, name: string, convert: (text: string) => string): string {
  const main = convert(fields[name]);
  const subtitleField = SUBTITLE_OF[name];
  // An empty `subtitle = {}` (or one of braces only) adds nothing, not a trailing ": ".
  const subtitle = subtitleField === undefined || fields[subtitleField] === undefined ? '' : convert(fields[subtitleField]);
  return subtitle === '' ? main : `${main}: ${subtitle}`;
}

/** Only the escapes that occur in identifiers; URLs and DOIs are otherwise taken as written. */
function unescapeIdentifier(value: string): string {
  if (!/[\\{}\s]/.test(value)) return value;
  let text = value.trim();
  if (text.startsWith('\\url{') && text.endsWith('}')) text = text.slice(5, -1);
  return text.replace(/\\([_&%#$~])/g, '$1').replace(/[{}]/g, '').trim();
}

function normalizeDoi(value: string): string {
  return bareDoi(unescapeIdentifier(value));
}

/** Converts with a per-read cache: venues and names repeat thousands of times in big files. */
function cachedConverter(): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    let converted = cache.get(text);
    if (converted === undefined) {
      converted = latexToUnicode(text);
      if (cache.size < 50_000) cache.set(text, converted);
    }
    return converted;
  };
}

function toPaper(entry: BibtexEntry, convertVenue: (text: string) => string): Paper {
  const fields = entry.fields;
  const paper: Paper = {
    key: entry.key,
    type: entry.type,
    title: fields.title === undefined ? '' : withSubtitle(fields, 'title', latexToUnicode),
    authors: fields.author === undefined ? [] : parseNames(fields.author),
    fields,
    latexFields: true,
    origin: { file: entry.file, line: entry.line },
  };
  if (fields.editor !== undefined) paper.editors = parseNames(fields.editor);
  // BibLaTeX's date wins over year when both are given.
  const year = /\d{4}/.exec(fields.date ?? fields.year ?? '');
  if (year) paper.year = year[0];
  for (const name of VENUE_FIELDS) {
    const value = fields[name];
    if (value !== undefined) {
      paper.venue = withSubtitle(fields, name, convertVenue);
      break;
    }
  }
  if (fields.abstract !== undefined) paper.abstract = latexToUnicode(fields.abstract);
  if (fields.keywords !== undefined) paper.keywords = latexToUnicode(fields.keywords);
  if (fields.doi !== undefined) paper.doi = normalizeDoi(fields.doi);
  if (fields.url !== undefined) paper.url = unescapeIdentifier(fields.url);
  return paper;
}

/**
 * Parsed entries (crossrefs resolved by the caller) → papers. An entry whose text cannot be converted (markup nested
 * deeper than the stack allows) is a problem and skipped, never an exception that costs the file.
 */
export function entriesToPapers(entries: BibtexEntry[]): ReadResult {
  const convertVenue = cachedConverter();
  const papers: Paper[] = [];
  const problems: Problem[] = [];
  for (const entry of entries) {
    // An @xdata block only holds data for the entries that name it.
    if (entry.type === 'xdata') continue;
    try {
      papers.push(toPaper(entry, convertVenue));
    } catch (error) {
      const message = `@${entry.type}{${entry.key}: could not be read (${(error as Error).message}); skipped`;
      problems.push({ file: entry.file, line: entry.line, message });
    }
  }
  return { papers, problems };
}

/** One BibTeX/BibLaTeX text → papers and problems; crossrefs resolve within this text. */
export function readBibtex(text: string, file: string, options: BibtexOptions = {}): ReadResult {
  const { entries, problems } = parseBibtex(text, file, options.macros ?? new Map(), options.keepRepeatedKeys);
  problems.push(...resolveCrossrefs(entries));
  const converted = entriesToPapers(entries);
  problems.push(...converted.problems);
  return { papers: converted.papers, problems };
}

/** Cheap scan for the keys (and line of each) a .bib text defines; used on every completion, must be fast. */
export function scanBibtexKeys(text: string): { key: string; line: number; doi?: string }[] {
  const keys: { key: string; line: number; doi?: string }[] = [];
  const length = text.length;
  const lines = new LineIndex(text);
  let at = text.indexOf('@');
  let previous: { key: string; line: number; doi?: string } | undefined;
  let previousEnd = 0;
  while (at >= 0) {
    let i = at + 1;
    const typeStart = i;
    while (i < length && isNameChar(text.charCodeAt(i))) i++;
    const typeEnd = i;
    while (i < length && isWhitespace(text.charCodeAt(i))) i++;
    const open = text.charCodeAt(i);
    if ((open === OPEN_BRACE || open === OPEN_PAREN) && typeEnd > typeStart && !lines.isCommentedOut(at)) {
      const type = text.slice(typeStart, typeEnd).toLowerCase();
      if (type !== 'comment' && type !== 'string' && type !== 'preamble') {
        i++;
        while (i < length && isWhitespace(text.charCodeAt(i))) i++;
        const keyStart = i;
        while (i < length && !endsKey(text.charCodeAt(i))) i++;
        let afterKey = i;
        while (afterKey < length && isWhitespace(text.charCodeAt(afterKey))) afterKey++;
        // `@article{ author = …` (EndNote) has no key: the word there is the first field's name.
        if (i > keyStart && text.charCodeAt(afterKey) !== EQUALS) {
          if (previous) attachDoi(previous, text, previousEnd, at);
          previous = { key: text.slice(keyStart, i), line: lines.lineAt(at) };
          previousEnd = i;
          keys.push(previous);
        }
      }
    }
    at = text.indexOf('@', i);
  }
  if (previous) attachDoi(previous, text, previousEnd, length);
  return keys;
}

const DOI_FIELD = /\bdoi\s*=\s*[{"]\s*([^}"]+)/i;

/** The doi of the entry whose body lies in text[from, to), if it has one. */
function attachDoi(entry: { doi?: string }, text: string, from: number, to: number): void {
  const index = text.slice(from, to).search(/\bdoi\s*=/i);
  if (index < 0) return;
  const match = DOI_FIELD.exec(text.slice(from + index, Math.min(to, from + index + 300)));
  if (match) entry.doi = normalizeDoi(match[1]);
}
