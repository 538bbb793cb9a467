// The Paper record every reader produces and every feature consumes: plain, serialisable data.

/** Where a paper or a problem comes from: a file path and a 1-based line. */
export interface Origin {
  file: string;
  line: number;
}

/** An origin's shape, checked where one arrives as data (a webview's message, an LSP client's command arguments). */
export function isOrigin(value: unknown): value is Origin {
  if (typeof value !== 'object' || value === null) return false;
  const { file, line } = value as Record<string, unknown>;
  return typeof file === 'string' && file !== '' && Number.isInteger(line);
}

/** True when two origins name the same place: the same file and line. */
export function sameOrigin(a: Origin, b: Origin): boolean {
  return a.file === b.file && a.line === b.line;
}

/** A problem found while reading a corpus file; it costs the entry it is in, never the file. */
export interface Problem extends Origin {
  message: string;
}

/** One author or editor. Corporate names (`{{World Health Organization}}`) are `literal`. */
export interface Person {
  family: string;
  given?: string;
  /** von part: "van", "de la". */
  prefix?: string;
  /** Jr part: "Jr.", "III". */
  suffix?: string;
  literal?: boolean;
  /** The `and others` marker that ends a truncated list; rendered back as `others`. */
  others?: boolean;
}

export interface Paper {
  /** Citation key; readers of keyless formats leave it empty and the library assigns one. */
  key: string;
  /** Entry type, lower case, BibTeX vocabulary: article, inproceedings, misc, … */
  type: string;
  /** Display text: LaTeX rendered as Unicode. */
  title: string;
  authors: Person[];
  editors?: Person[];
  year?: string;
  /** Journal, booktitle, publisher or archive, rendered as Unicode. */
  venue?: string;
  abstract?: string;
  keywords?: string;
  doi?: string;
  url?: string;
  /**
   * Every field as BibTeX source text (macros expanded, crossref/xref inherited, LaTeX markup kept),
   * lower-case names. Rendering a BibTeX entry starts from these so a user's markup survives.
   * Readers of non-BibTeX formats fill them from their own data (plain Unicode text).
   */
  fields: Record<string, string>;
  /** True when `fields` hold BibTeX source (set by the BibTeX reader); otherwise they are plain text to escape. */
  latexFields?: boolean;
  origin: Origin;
  /**
   * Set by the library on a paper whose key other papers it keeps have too (a corpus file that gives two papers
   * one key, as Mendeley exports do): those papers, in file order. Citing the key is ambiguous.
   */
  sameKey?: KeySharer[];
}

/** Another paper under the same key: enough to tell the two apart. */
export interface KeySharer {
  title: string;
  year?: string;
  origin: Origin;
}

/** What reading one corpus file yields. */
export interface ReadResult {
  papers: Paper[];
  problems: Problem[];
}

export type CorpusFormat = 'bibtex' | 'csl-json' | 'ris' | 'listing' | 'arxiv-jsonl';

/** One corpus file after reading: the unit the library is built from. */
export interface CorpusSource extends ReadResult {
  file: string;
  format: CorpusFormat;
}

/** "Family, Given" style name used for display and search. */
export function personName(person: Person): string {
  if (person.literal) return person.family;
  const family = [person.prefix, person.family].filter(Boolean).join(' ');
  const given = [person.given, person.suffix].filter(Boolean).join(' ');
  return given ? `${given} ${family}` : family;
}

/** "Vaswani et al." / "Vaswani and Shazeer" / "Vaswani": short author text for lists. */
export function shortAuthors(people: Person[]): string {
  const families = people.map((p) => (p.literal ? p.family : [p.prefix, p.family].filter(Boolean).join(' ')));
  if (families.length === 0) return '';
  if (families.length === 1) return families[0];
  if (families.length === 2) return `${families[0]} and ${families[1]}`;
  return `${families[0]} et al.`;
}
