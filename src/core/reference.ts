// Human-readable references: a quick one-liner of our own for lists and hovers, and full citations in a
// CSL style through citation-js for copying.
import type { Paper, Person } from './paper';

export type CitationStyle = 'apa' | 'vancouver' | 'harvard1';

/** Authors listed before "et al." in a one-line reference. */
const ONE_LINE_AUTHORS = 2;

/** "Ashish" → "A.", "Jean-Pierre" → "J.-P.", "E. L." stays. */
function initials(given: string): string {
  return given
    .split(/\s+/)
    .filter(Boolean)
    .map((name) =>
      name
        .split('-')
        .map((part) => (part.length > 0 ? `${part[0]}.` : ''))
        .join('-'),
    )
    .join(' ');
}

function referenceName(person: Person): string {
  if (person.literal) return person.family;
  const family = [person.prefix, person.family].filter(Boolean).join(' ');
  const given = person.given ? initials(person.given) : '';
  return [family, given, person.suffix].filter(Boolean).join(', ');
}

function withFinalStop(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** "Vaswani, A., Shazeer, N., et al. (2017). Attention Is All You Need. NeurIPS." — parts a paper lacks are left out. */
export function oneLineReference(paper: Paper): string {
  const people = (paper.authors.length > 0 ? paper.authors : (paper.editors ?? [])).filter((person) => !person.others);
  const truncated = people.length > ONE_LINE_AUTHORS || people.length < paper.authors.length;
  const names = people.slice(0, ONE_LINE_AUTHORS).map(referenceName);
  if (truncated && names.length > 0) names.push('et al.');
  const parts: string[] = [];
  if (names.length > 0) parts.push(withFinalStop(names.join(', ')));
  if (paper.year) parts.push(`(${paper.year}).`);
  if (paper.title) parts.push(withFinalStop(paper.title));
  if (paper.venue) parts.push(withFinalStop(paper.venue));
  return parts.join(' ');
}

/** CSL item types for BibTeX entry types; anything else is a generic article. */
const CSL_TYPES: Record<string, string> = {
  article: 'article-journal',
  inproceedings: 'paper-conference',
  conference: 'paper-conference',
  proceedings: 'book',
  book: 'book',
  inbook: 'chapter',
  incollection: 'chapter',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  thesis: 'thesis',
  techreport: 'report',
  report: 'report',
  online: 'webpage',
  manual: 'report',
};

function cslName(person: Person): Record<string, string> {
  if (person.literal) return { literal: person.family };
  const name: Record<string, string> = { family: person.family };
  if (person.given) name.given = person.given;
  if (person.prefix) name['non-dropping-particle'] = person.prefix;
  if (person.suffix) name.suffix = person.suffix;
  return name;
}

/** A field's BibTeX text when it is plain (no TeX markup to render), dashes made typographic. */
function plainField(paper: Paper, name: string): string | undefined {
  const value = paper.fields[name];
  if (value === undefined || /[\\{}$]/.test(value)) return undefined;
  return value.replace(/--/g, '–');
}

function cslItem(paper: Paper): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: paper.key,
    type: CSL_TYPES[paper.type] ?? 'article',
    title: paper.title,
  };
  const people = paper.authors.filter((person) => !person.others);
  if (people.length > 0) item.author = people.map(cslName);
  const editors = (paper.editors ?? []).filter((person) => !person.others);
  if (editors.length > 0) item.editor = editors.map(cslName);
  const year = /\d{4}/.exec(paper.year ?? '')?.[0];
  if (year) item.issued = { 'date-parts': [[Number(year)]] };
  if (paper.venue) item['container-title'] = paper.venue;
  if (paper.doi) item.DOI = paper.doi;
  if (paper.url) item.URL = paper.url;
  const volume = plainField(paper, 'volume');
  if (volume) item.volume = volume;
  const issue = plainField(paper, 'number');
  if (issue) item.issue = issue;
  const pages = plainField(paper, 'pages');
  if (pages) item.page = pages;
  return item;
}

interface CiteInstance {
  format(output: 'bibliography', options: { format: 'text'; template: string; lang: string }): string;
}
type CiteConstructor = new (data: unknown, options: { generateGraph: boolean }) => CiteInstance;

/** citation-js ships no type declarations; loaded on first use, as most sessions never format a citation. */
function citeConstructor(): CiteConstructor {
  require('@citation-js/plugin-csl');
  return (require('@citation-js/core') as { Cite: CiteConstructor }).Cite;
}

/** The papers' bibliography in a CSL style, as plain text, one reference per line. */
export function formatCitation(papers: Paper[], style: CitationStyle = 'apa'): string {
  if (papers.length === 0) return '';
  const Cite = citeConstructor();
  const cite = new Cite(papers.map(cslItem), { generateGraph: false });
  return cite.format('bibliography', { format: 'text', template: style, lang: 'en-US' }).trimEnd();
}
