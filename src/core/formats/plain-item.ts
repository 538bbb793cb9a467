// What the readers of plain-text formats (CSL-JSON, RIS) share: one item, already in BibTeX vocabulary, becomes a
// Paper whose fields hold plain text (renderBibtex escapes them).
import type { Origin, Paper, Person } from '../paper';

const CONTAINER_FIELD: Record<string, string> = {
  article: 'journal', inproceedings: 'booktitle', incollection: 'booktitle',
};

export interface PlainItem {
  key: string;
  /** BibTeX entry type. */
  type: string;
  title: string;
  authors: Person[];
  editors: Person[];
  year?: string;
  month?: string;
  /** Journal, proceedings or book the item appeared in; stored in the field its type calls for. */
  container?: string;
  /** Other BibTeX fields (publisher, volume, pages, …); never overwrite the ones above. */
  extra: Record<string, string>;
  abstract?: string;
  keywords?: string;
  doi?: string;
  url?: string;
}

/** Names as BibTeX writes them ("von Last, Jr, First"), joined by "and". */
function plainNames(list: Person[]): string {
  return list
    .map((p) => (p.literal ? p.family : [[p.prefix, p.family].filter(Boolean).join(' '), p.suffix, p.given].filter(Boolean).join(', ')))
    .join(' and ');
}

/**
 * An exporter's record id as a citation key, or '' for the library to assign one: a bare number is a record number
 * (EndNote numbers every library from 1, so two exports would share keys) and a URI or spaces cannot be cited.
 */
export function keyFromRecordId(id: string | undefined): string {
  return id !== undefined && !/^\d+$/.test(id) && !/[\s/,{}]/.test(id) ? id : '';
}

/** Resolver URLs and schemes DOIs are written with: doi.org (dx., www.), ACM's old doi.acm.org, doi:, info:doi/. */
const DOI_PREFIX = /^(?:(?:https?:\/\/)?(?:(?:(?:dx|www)\.)?doi\.org|doi\.acm\.org)\/|doi:\s*|info:doi\/|urn:doi:)/i;

/**
 * The one DOI normaliser: a DOI without its resolver prefix, case kept ("https://www.doi.org/10.1/X",
 * "doi: 10.1/X" → "10.1/X"); a resolver URL's percent-escapes (`%28`) are decoded. Comparisons lower-case the
 * result (DOIs ignore case).
 */
export function bareDoi(doi: string): string;
export function bareDoi(doi: string | undefined): string | undefined;
export function bareDoi(doi: string | undefined): string | undefined {
  if (doi === undefined) return undefined;
  const trimmed = doi.trim();
  const bare = trimmed.replace(DOI_PREFIX, '');
  if (bare === trimmed || !/%[0-9a-f]{2}/i.test(bare)) return bare;
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

/** A DOI as two entries are compared: bare, and lower-cased (DOIs ignore case). */
export function doiIdentity(doi: string): string {
  return bareDoi(doi).toLowerCase();
}

export function plainPaper(item: PlainItem, origin: Origin): Paper {
  const fields: Record<string, string> = { title: item.title };
  if (item.authors.length > 0) fields.author = plainNames(item.authors);
  if (item.editors.length > 0) fields.editor = plainNames(item.editors);
  if (item.year !== undefined) fields.year = item.year;
  if (item.month !== undefined) fields.month = item.month;
  if (item.container !== undefined) fields[CONTAINER_FIELD[item.type] ?? 'howpublished'] = item.container;
  for (const [field, value] of Object.entries(item.extra)) fields[field] ??= value;
  if (item.type === 'phdthesis' && fields.publisher !== undefined) {
    fields.school = fields.publisher;
    delete fields.publisher;
  }
  const optional = { abstract: item.abstract, keywords: item.keywords, doi: item.doi, url: item.url };
  for (const [field, value] of Object.entries(optional)) if (value !== undefined) fields[field] = value;

  const paper: Paper = { key: item.key, type: item.type, title: item.title, authors: item.authors, fields, origin };
  if (item.editors.length > 0) paper.editors = item.editors;
  if (item.year !== undefined) paper.year = item.year;
  const venue = item.container ?? fields.publisher ?? fields.school;
  if (venue !== undefined) paper.venue = venue;
  if (item.abstract !== undefined) paper.abstract = item.abstract;
  if (item.keywords !== undefined) paper.keywords = item.keywords;
  if (item.doi !== undefined) paper.doi = item.doi;
  if (item.url !== undefined) paper.url = item.url;
  return paper;
}
