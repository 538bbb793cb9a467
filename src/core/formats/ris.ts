// RIS reader: `TY  - JOUR` … `ER  - ` records as Zotero, EndNote and publishers export them.
import type { Paper, Person, Problem, ReadResult } from '../paper';

const RIS_TO_BIBTEX: Record<string, string> = {
  JOUR: 'article', JFULL: 'article', EJOUR: 'article', MGZN: 'article', NEWS: 'article',
  CONF: 'inproceedings', CPAPER: 'inproceedings', BOOK: 'book', EBOOK: 'book', EDBOOK: 'book',
  CHAP: 'incollection', ECHAP: 'incollection', THES: 'phdthesis', RPRT: 'techreport', UNPB: 'unpublished',
  MANSCPT: 'unpublished', PAT: 'patent', GEN: 'misc', ELEC: 'misc', DATA: 'misc', COMP: 'misc',
};

/** `XX  - value`: two-character tag, two spaces, hyphen; some exporters drop the space before an empty value. */
const TAG_LINE = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/;

/** RIS tags that map straight onto a BibTeX field (plain text). */
const PLAIN_FIELDS: Record<string, string> = {
  VL: 'volume', IS: 'number', PB: 'publisher', CY: 'address', SN: 'issn', LA: 'language', N1: 'note',
  ET: 'edition', T3: 'series',
};

const CONTAINER_FIELD: Record<string, string> = {
  article: 'journal', inproceedings: 'booktitle', incollection: 'booktitle',
};

interface RisRecord {
  line: number;
  tags: Map<string, string[]>;
}

/** "Family, Given[, Suffix]" as RIS writes names; a name without a comma is kept whole. */
function person(name: string): Person {
  const parts = name.split(',').map((part) => part.trim());
  if (parts.length === 1) return { family: parts[0], literal: true };
  const result: Person = { family: parts[0] };
  if (parts[1]) result.given = parts[1];
  if (parts[2]) result.suffix = parts[2];
  return result;
}

function plainNames(list: Person[]): string {
  return list.map((p) => (p.literal ? p.family : [p.family, p.suffix, p.given].filter(Boolean).join(', '))).join(' and ');
}

function toPaper(record: RisRecord, file: string): Paper | string {
  const first = (...tags: string[]): string | undefined => {
    for (const tag of tags) {
      const value = record.tags.get(tag)?.find((v) => v !== '');
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const all = (...tags: string[]): string[] => tags.flatMap((tag) => record.tags.get(tag) ?? []).filter((v) => v !== '');
  const title = first('TI', 'T1', 'CT', 'BT');
  if (title === undefined) return 'RIS record has no title (TI or T1); skipped';
  const type = RIS_TO_BIBTEX[first('TY') ?? ''] ?? 'misc';
  const fields: Record<string, string> = { title };
  const authors = all('AU', 'A1').map(person);
  const editors = all('ED', 'A2').map(person);
  if (authors.length > 0) fields.author = plainNames(authors);
  if (editors.length > 0) fields.editor = plainNames(editors);
  const year = /\d{4}/.exec(first('PY', 'Y1', 'DA') ?? '')?.[0];
  if (year !== undefined) fields.year = year;
  // T2 is the journal of an article and the proceedings or book of a paper or chapter.
  const container = first('JF', 'JO', 'T2', 'JA', 'J2') ?? (type === 'incollection' ? first('BT') : undefined);
  if (container !== undefined) fields[CONTAINER_FIELD[type] ?? 'howpublished'] = container;
  for (const [tag, field] of Object.entries(PLAIN_FIELDS)) {
    const value = first(tag);
    if (value !== undefined) fields[field] = value;
  }
  const startPage = first('SP');
  const endPage = first('EP');
  if (startPage !== undefined) fields.pages = endPage ? `${startPage}-${endPage}` : startPage;
  if (type === 'phdthesis' && fields.publisher !== undefined) {
    fields.school = fields.publisher;
    delete fields.publisher;
  }
  const abstract = first('AB', 'N2');
  const keywordList = all('KW');
  const keywords = keywordList.length > 0 ? keywordList.join(', ') : undefined;
  const doi = first('DO')?.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '');
  const url = first('UR', 'L2');
  if (abstract !== undefined) fields.abstract = abstract;
  if (keywords !== undefined) fields.keywords = keywords;
  if (doi !== undefined) fields.doi = doi;
  if (url !== undefined) fields.url = url;

  const paper: Paper = { key: first('ID') ?? '', type, title, authors, fields, origin: { file, line: record.line } };
  if (editors.length > 0) paper.editors = editors;
  if (year !== undefined) paper.year = year;
  const venue = container ?? fields.publisher ?? fields.school;
  if (venue !== undefined) paper.venue = venue;
  if (abstract !== undefined) paper.abstract = abstract;
  if (keywords !== undefined) paper.keywords = keywords;
  if (doi !== undefined) paper.doi = doi;
  if (url !== undefined) paper.url = url;
  return paper;
}

/** RIS records → papers; a record without a title, a tag outside a record or a record without ER is a problem. */
export function readRis(text: string, file: string): ReadResult {
  const papers: Paper[] = [];
  const problems: Problem[] = [];
  const lines = text.split('\n');
  let record: RisRecord | undefined;
  let lastTag: string | undefined;
  const finish = (current: RisRecord): void => {
    const paper = toPaper(current, file);
    if (typeof paper === 'string') problems.push({ file, line: current.line, message: paper });
    else papers.push(paper);
  };
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index].replace(/\r$/, '');
    const lineText = index === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    const line = index + 1;
    const match = TAG_LINE.exec(lineText);
    if (!match) {
      if (lineText.trim() === '') continue;
      if (record && lastTag) {
        // A wrapped value (long abstracts): continues the previous tag.
        const values = record.tags.get(lastTag)!;
        values[values.length - 1] = `${values[values.length - 1]} ${lineText.trim()}`.trim();
      } else {
        problems.push({ file, line, message: `not a RIS line (expected "XX  - value"): ${lineText.trim().slice(0, 60)}` });
      }
      continue;
    }
    const tag = match[1];
    const value = (match[2] ?? '').trim();
    if (tag === 'TY') {
      if (record) {
        problems.push({ file, line: record.line, message: 'RIS record has no ER line before the next TY; read up to there' });
        finish(record);
      }
      record = { line, tags: new Map([['TY', [value]]]) };
      lastTag = 'TY';
      continue;
    }
    if (!record) {
      problems.push({ file, line, message: `${tag} line outside a record (no TY before it); ignored` });
      continue;
    }
    if (tag === 'ER') {
      finish(record);
      record = undefined;
      lastTag = undefined;
      continue;
    }
    const values = record.tags.get(tag);
    if (values) values.push(value);
    else record.tags.set(tag, [value]);
    lastTag = tag;
  }
  if (record) {
    problems.push({ file, line: record.line, message: 'RIS record has no ER line before the end of the file; read up to there' });
    finish(record);
  }
  return { papers, problems };
}
