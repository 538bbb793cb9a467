// A paper as a BibTeX entry, for the .bib file a citation lands in and for "Copy BibTeX".
import type { Paper } from './paper';
import { MONTH_MACROS, VENUE_FIELDS } from './formats/bibtex';
import { unicodeToBibtex } from './formats/latex';
import { formatNamesBibtex } from './formats/names';

/** Links to entries that are not copied along: an inherited crossref would dangle in the user's file. */
const DROPPED_FIELDS = new Set(['crossref', 'xref']);
/** Fields read as written (biblatex verbatim fields): escaping them would corrupt the identifier. */
const VERBATIM_FIELDS = new Set(['doi', 'url', 'eprint', 'file', 'pdf', 'isbn', 'issn']);
/** Where each type keeps its venue. */
const VENUE_FIELD_BY_TYPE: Record<string, string> = {
  article: 'journal', inproceedings: 'booktitle', conference: 'booktitle', incollection: 'booktitle',
  inbook: 'booktitle', book: 'publisher', proceedings: 'publisher', phdthesis: 'school', mastersthesis: 'school',
  thesis: 'school', techreport: 'institution', report: 'institution',
};

const MONTH_BY_NAME = new Map(Object.entries(MONTH_MACROS).map(([macro, name]) => [name.toLowerCase(), macro]));

function field(name: string, value: string): string {
  const month = name === 'month' ? MONTH_BY_NAME.get(value.trim().toLowerCase()) : undefined;
  return `  ${name} = ${month ?? `{${value}}`},\n`;
}

/** Fields of a paper read from BibTeX: the user's source text, crossref-inherited fields included. */
function bibtexFields(paper: Paper): string {
  let body = '';
  for (const [name, value] of Object.entries(paper.fields)) {
    if (!DROPPED_FIELDS.has(name)) body += field(name, value);
  }
  return body;
}

/** True when a BibTeX reader ends `{value}` where it should: braces balanced, no backslash escaping the closing one. */
function closesCleanly(value: string): boolean {
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\') {
      if (i === value.length - 1) return false;
      i++;
    } else if (char === '{') depth++;
    else if (char === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * A verbatim field (DOI, URL) as written, unless it would break the entry: then its braces and backslashes are
 * percent-encoded, which resolvers read as the same characters.
 */
function verbatim(value: string): string {
  if (closesCleanly(value)) return value;
  return value.replace(/[\\{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Fields of a paper from plain-text formats: typed properties first, everything escaped for BibTeX. */
function plainFields(paper: Paper): string {
  const fields: [string, string][] = [['title', unicodeToBibtex(paper.title)]];
  if (paper.authors.length > 0) fields.push(['author', formatNamesBibtex(paper.authors)]);
  if (paper.editors && paper.editors.length > 0) fields.push(['editor', formatNamesBibtex(paper.editors)]);
  const venueField = VENUE_FIELD_BY_TYPE[paper.type] ?? 'howpublished';
  if (paper.venue) fields.push([venueField, unicodeToBibtex(paper.venue)]);
  if (paper.year) fields.push(['year', paper.year]);
  // Venue fields that readBibtex would prefer over the one just written would change the venue read back.
  const shadowing = new Set(VENUE_FIELDS.slice(0, VENUE_FIELDS.indexOf(venueField) + 1));
  const typed = new Set(['title', 'author', 'editor', 'year', 'date', 'abstract', 'doi', 'url', 'keywords', ...DROPPED_FIELDS]);
  for (const [name, value] of Object.entries(paper.fields)) {
    if (typed.has(name) || (paper.venue && shadowing.has(name)) || value === '') continue;
    fields.push([name, VERBATIM_FIELDS.has(name) ? verbatim(value) : unicodeToBibtex(value)]);
  }
  if (paper.doi) fields.push(['doi', verbatim(paper.doi)]);
  if (paper.url) fields.push(['url', verbatim(paper.url)]);
  if (paper.keywords) fields.push(['keywords', unicodeToBibtex(paper.keywords)]);
  if (paper.abstract) fields.push(['abstract', unicodeToBibtex(paper.abstract)]);
  return fields.map(([name, value]) => field(name, value)).join('');
}

/**
 * A paper as a valid BibTeX entry: `@type{key,\n  field = {value},\n  ...\n}\n`. For papers read from BibTeX start
 * from paper.fields (the user's LaTeX markup survives, macros expanded, crossref-inherited fields included, no crossref
 * field left dangling); for other formats escape Unicode text for BibTeX (& % $ # _ { } \ ~ ^). Reading the output
 * back with readBibtex gives the same title/authors/year/venue/abstract/doi/url.
 */
export function renderBibtex(paper: Paper): string {
  const body = paper.latexFields ? bibtexFields(paper) : plainFields(paper);
  return `@${paper.type || 'misc'}{${paper.key},\n${body}}\n`;
}
