// RIS reader: `TY  - JOUR` … `ER  - ` records as Zotero, EndNote and publishers export them.
import type { Paper, Person, Problem, ReadResult } from '../paper';
import { bareDoi, keyFromRecordId, plainPaper } from './plain-item';

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
  const extra: Record<string, string> = {};
  for (const [tag, field] of Object.entries(PLAIN_FIELDS)) {
    const value = first(tag);
    if (value !== undefined) extra[field] = value;
  }
  const startPage = first('SP');
  const endPage = first('EP');
  if (startPage !== undefined) extra.pages = endPage ? `${startPage}-${endPage}` : startPage;
  const keywordList = all('KW');
  return plainPaper(
    {
      key: keyFromRecordId(first('ID')),
      type,
      title,
      authors: all('AU', 'A1').map(person),
      editors: all('ED', 'A2').map(person),
      year: /\d{4}/.exec(first('PY', 'Y1', 'DA') ?? '')?.[0],
      // T2 is the journal of an article and the proceedings or book of a paper or chapter.
      container: first('JF', 'JO', 'T2', 'JA', 'J2') ?? (type === 'incollection' ? first('BT') : undefined),
      extra,
      abstract: first('AB', 'N2'),
      keywords: keywordList.length > 0 ? keywordList.join(', ') : undefined,
      doi: bareDoi(first('DO')),
      url: first('UR', 'L2'),
    },
    { file, line: record.line },
  );
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
