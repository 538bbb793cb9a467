// arXiv metadata snapshot records, one JSON object per line (the Kaggle "arxiv-metadata-oai" layout).
import type { Paper, Person, Problem, ReadResult } from '../paper';
import { latexToUnicode } from './latex';
import { bareDoi } from './plain-item';

interface ArxivRecord {
  id?: unknown;
  title?: unknown;
  abstract?: unknown;
  authors?: unknown;
  authors_parsed?: unknown;
  categories?: unknown;
  doi?: unknown;
  'journal-ref'?: unknown;
  versions?: unknown;
  update_date?: unknown;
}

/** Titles and abstracts carry hard line breaks and indentation from the submission form. */
function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cleanString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? normaliseSpace(value) : undefined;
}

/** Submitters write titles, abstracts and names in TeX (`Schr\"odinger`, `$\alpha$`): shown as Unicode. */
function displayText(value: unknown): string | undefined {
  const text = cleanString(value);
  return text === undefined ? undefined : latexToUnicode(text);
}

/** New-style ids (0704.0001) and old-style ids (hep-th/9901001) both start their number with YYMM. */
function yearFromId(id: string): string | undefined {
  const match = /^(?:[a-z.-]+\/)?(\d{2})(\d{2})[.\d]/i.exec(id);
  if (!match) return undefined;
  const yy = Number(match[1]);
  return String(yy >= 91 ? 1900 + yy : 2000 + yy);
}

function yearFromRecord(record: ArxivRecord, id: string): string | undefined {
  const fromId = yearFromId(id);
  if (fromId) return fromId;
  if (Array.isArray(record.versions)) {
    const created = (record.versions[0] as { created?: unknown } | undefined)?.created;
    const year = typeof created === 'string' ? /\b(\d{4})\b/.exec(created)?.[1] : undefined;
    if (year) return year;
  }
  return typeof record.update_date === 'string' ? /^(\d{4})/.exec(record.update_date)?.[1] : undefined;
}

function parsedAuthors(value: unknown): Person[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const people: Person[] = [];
  for (const entry of value) {
    if (!Array.isArray(entry)) continue;
    const [family, given, suffix] = entry.map((part) => displayText(part) ?? '');
    if (!family) continue;
    const person: Person = { family };
    if (given) person.given = given;
    if (suffix) person.suffix = suffix;
    people.push(person);
  }
  return people;
}

/** Fallback for records without authors_parsed: "A. Author, B. Author and C. Author". */
function authorsFromText(value: unknown): Person[] {
  if (typeof value !== 'string') return [];
  return latexToUnicode(normaliseSpace(value))
    .split(/,\s*|\s+and\s+/)
    .filter(Boolean)
    .map((name) => {
      const parts = name.split(' ');
      const family = parts.pop() as string;
      return parts.length > 0 ? { family, given: parts.join(' ') } : { family };
    });
}

function bibtexNames(people: Person[]): string {
  return people
    .map((p) => [[p.family, p.suffix].filter(Boolean).join(', '), p.given].filter(Boolean).join(', '))
    .join(' and ');
}

function arxivPaper(record: ArxivRecord, file: string, line: number): Paper | string {
  const id = cleanString(record.id);
  if (!id) return 'record has no "id"';
  const title = displayText(record.title);
  if (!title) return `record ${id} has no "title"`;
  const authors = parsedAuthors(record.authors_parsed) ?? authorsFromText(record.authors);
  const abstract = displayText(record.abstract);
  const year = yearFromRecord(record, id);
  // arXiv lists a paper's DOI and then its errata's, separated by whitespace: the first is the paper's.
  const doi = bareDoi(cleanString(record.doi)?.split(/\s/, 1)[0]);
  const url = `https://arxiv.org/abs/${id}`;
  const primaryClass = cleanString(record.categories)?.split(' ')[0];
  const journalRef = cleanString(record['journal-ref']);

  const fields: Record<string, string> = { title };
  if (authors.length > 0) fields.author = bibtexNames(authors);
  if (year) fields.year = year;
  fields.eprint = id;
  fields.archiveprefix = 'arXiv';
  if (primaryClass) fields.primaryclass = primaryClass;
  if (doi) fields.doi = doi;
  fields.url = url;
  if (journalRef) fields.note = journalRef;
  if (abstract) fields.abstract = abstract;

  return {
    key: '',
    type: 'misc',
    title,
    authors,
    year,
    venue: 'arXiv',
    abstract,
    keywords: cleanString(record.categories),
    doi,
    url,
    fields,
    origin: { file, line },
  };
}

export function readArxivJsonl(text: string, file: string): ReadResult {
  const papers: Paper[] = [];
  const problems: Problem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const source = lines[index].trim();
    if (source === '') continue;
    const line = index + 1;
    let record: unknown;
    try {
      record = JSON.parse(source);
    } catch (error) {
      problems.push({ file, line, message: `not a JSON record: ${(error as Error).message}` });
      continue;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problems.push({ file, line, message: 'not a JSON object' });
      continue;
    }
    let paper: Paper | string;
    try {
      paper = arxivPaper(record as ArxivRecord, file, line);
    } catch (error) {
      // TeX nested deeper than the stack allows: the record is lost, not the file.
      paper = `record could not be read (${(error as Error).message}); skipped`;
    }
    if (typeof paper === 'string') problems.push({ file, line, message: paper });
    else papers.push(paper);
  }
  return { papers, problems };
}
