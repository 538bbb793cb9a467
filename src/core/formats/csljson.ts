// CSL-JSON reader: the array of items Zotero and Better BibTeX export.
import type { Paper, Person, Problem, ReadResult } from '../paper';
import { bareDoi, keyFromRecordId, plainPaper } from './plain-item';

/** CSL item types → BibTeX entry types; anything else is misc. */
const CSL_TO_BIBTEX: Record<string, string> = {
  'article-journal': 'article', 'article-magazine': 'article', 'article-newspaper': 'article',
  'paper-conference': 'inproceedings', book: 'book', chapter: 'incollection', 'entry-encyclopedia': 'incollection',
  'entry-dictionary': 'incollection', thesis: 'phdthesis', report: 'techreport', manuscript: 'unpublished',
  patent: 'patent', article: 'misc', webpage: 'misc', dataset: 'misc', software: 'misc',
};

/** CSL variables copied into BibTeX-named fields as plain text. */
const PLAIN_FIELDS: Record<string, string> = {
  volume: 'volume', issue: 'number', number: 'number', page: 'pages', publisher: 'publisher',
  'publisher-place': 'address', ISBN: 'isbn', ISSN: 'issn', language: 'language', note: 'note',
  edition: 'edition', 'collection-title': 'series', genre: 'type',
};

type CslItem = Record<string, unknown>;

/** A CSL string or number variable as trimmed text with whitespace runs collapsed; undefined when empty. */
function stringValue(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const collapsed = value.replace(/\s+/g, ' ').trim();
    return collapsed === '' ? undefined : collapsed;
  }
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Zotero's rich-text markup in titles (`<i>Drosophila</i>`, `<span class="nocase">`): the text without the tags. */
const RICH_TEXT_TAG = /<\/?(?:i|b|sup|sub|sc|span)(?:\s[^<>]*)?>/gi;

function displayValue(value: unknown): string | undefined {
  const text = stringValue(value);
  if (text === undefined || !text.includes('<')) return text;
  return stringValue(text.replace(RICH_TEXT_TAG, ''));
}

function people(value: unknown): Person[] {
  if (!Array.isArray(value)) return [];
  const result: Person[] = [];
  for (const name of value) {
    if (typeof name !== 'object' || name === null) continue;
    const record = name as CslItem;
    const literal = stringValue(record.literal);
    const family = stringValue(record.family);
    if (literal !== undefined || family === undefined) {
      const whole = literal ?? stringValue(record.given);
      if (whole !== undefined) result.push({ family: whole, literal: true });
      continue;
    }
    const person: Person = { family };
    const prefix = [stringValue(record['dropping-particle']), stringValue(record['non-dropping-particle'])].filter(Boolean).join(' ');
    if (prefix) person.prefix = prefix;
    const given = stringValue(record.given);
    if (given !== undefined) person.given = given;
    const suffix = stringValue(record.suffix);
    if (suffix !== undefined) person.suffix = suffix;
    result.push(person);
  }
  return result;
}

/** Year (and month) of a CSL date: `date-parts`, else the first four digits of `raw` or `literal`. */
function dateOf(value: unknown): { year?: string; month?: string } {
  if (typeof value === 'string') return { year: /\d{4}/.exec(value)?.[0] };
  if (typeof value !== 'object' || value === null) return {};
  const date = value as CslItem;
  const parts = date['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0]) && parts[0].length > 0) {
    const [year, month] = parts[0] as unknown[];
    const yearText = stringValue(year);
    return { year: yearText && /^\d{4}$/.test(yearText) ? yearText : undefined, month: stringValue(month) };
  }
  return { year: /\d{4}/.exec(stringValue(date.raw) ?? stringValue(date.literal) ?? '')?.[0] };
}

/** A usable citation key: Better BibTeX's citation-key, else an id that is not a Zotero URI or a record number. */
function keyOf(item: CslItem): string {
  const citationKey = stringValue(item['citation-key']) ?? stringValue(item['citation-label']);
  if (citationKey !== undefined) return citationKey;
  return keyFromRecordId(stringValue(item.id));
}

function toPaper(item: CslItem, file: string, line: number): Paper | string {
  const title = displayValue(item.title);
  const label = keyOf(item) || `item on line ${line}`;
  if (title === undefined) return `CSL item ${label} has no title; skipped`;
  const extra: Record<string, string> = {};
  for (const [variable, field] of Object.entries(PLAIN_FIELDS)) {
    const value = stringValue(item[variable]);
    if (value !== undefined) extra[field] ??= value;
  }
  const { year, month } = dateOf(item.issued);
  return plainPaper(
    {
      key: keyOf(item),
      type: CSL_TO_BIBTEX[stringValue(item.type) ?? ''] ?? 'misc',
      title,
      authors: people(item.author),
      editors: people(item.editor),
      year,
      month,
      container: displayValue(item['container-title']),
      extra,
      abstract: stringValue(item.abstract),
      keywords: stringValue(item.keyword),
      doi: bareDoi(stringValue(item.DOI)),
      url: stringValue(item.URL),
    },
    { file, line },
  );
}

/** 1-based line of each element of the top-level array, found by one pass that skips strings. */
function elementLines(source: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\n') line++;
    else if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      if (depth === 1) lines.push(line);
    } else if (char === '{' || char === '[') {
      if (depth === 1) lines.push(line);
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
    } else if (depth === 1 && char !== ',' && char !== ' ' && char !== '\t' && char !== '\r') {
      // A bare number, true, false or null element: its first character.
      if (!/[\w.-]/.test(source[i - 1] ?? '')) lines.push(line);
    }
  }
  return lines;
}

function lineOfPosition(source: string, position: number): number {
  let line = 1;
  for (let nl = source.indexOf('\n'); nl !== -1 && nl < position; nl = source.indexOf('\n', nl + 1)) line++;
  return line;
}

/** A CSL-JSON array → papers; a non-array file or an item without a title is a problem with its line. */
export function readCslJson(text: string, file: string): ReadResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const papers: Paper[] = [];
  const problems: Problem[] = [];
  if (source.trim() === '') return { papers, problems };
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? lineOfPosition(source, Number(position[1])) : 1;
    problems.push({ file, line, message: `not valid JSON: ${message}` });
    return { papers, problems };
  }
  if (!Array.isArray(data)) {
    problems.push({ file, line: 1, message: 'expected a CSL-JSON array of items' });
    return { papers, problems };
  }
  const lines = elementLines(source);
  data.forEach((item: unknown, index) => {
    const line = lines[index] ?? 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ file, line, message: 'CSL item is not an object; skipped' });
      return;
    }
    const paper = toPaper(item as CslItem, file, line);
    if (typeof paper === 'string') problems.push({ file, line, message: paper });
    else papers.push(paper);
  });
  return { papers, problems };
}
