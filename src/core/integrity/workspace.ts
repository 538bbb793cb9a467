// The workspace's LaTeX, Markdown and .bib files as integrity checks read them: each file parsed once per text
// (citations with their ranges, or entries with their spans) and kept until its text changes, so references and
// rename across hundreds of files look up parsed files instead of parsing them again.
import * as path from 'node:path';
import { findCitations } from '../documents/citations';
import { latexIgnoredRanges } from '../documents/latex';
import { FRONT_MATTER } from '../documents/markdown';
import { blankOut, type CitedKey, type DocumentLanguage } from '../documents/types';
import { readBibContents, scanBibEntries, type BibContents, type BibEntry } from './bibEntries';
import { LineIndex } from './lines';
import type { Position } from './types';

export type FileKind = DocumentLanguage | 'bibtex';

const KIND_BY_EXTENSION: Record<string, FileKind> = {
  '.tex': 'latex', '.ltx': 'latex', '.latex': 'latex', '.rnw': 'latex',
  '.md': 'markdown', '.markdown': 'markdown', '.qmd': 'markdown', '.rmd': 'markdown', '.pmd': 'markdown',
  '.bib': 'bibtex',
};

/** What a file holds by its name: a LaTeX or Markdown document, a .bib, or nothing integrity reads. */
export function fileKind(file: string): FileKind | undefined {
  return KIND_BY_EXTENSION[path.extname(file).toLowerCase()];
}

/** BibTeX, biber and Pandoc's citeproc disagree on case; a key differing only in case is treated as the same key. */
export function keyIdentity(key: string): string {
  return key.toLowerCase();
}

export interface IndexedDocument {
  file: string;
  text: string;
  language: DocumentLanguage;
  citations: CitedKey[];
  /** `\\nocite{*}`, or Pandoc's `nocite: '@*'` in the front matter: every entry counts as cited. */
  citesAll: boolean;
  lines: LineIndex;
}

export interface IndexedBibliography {
  file: string;
  text: string;
  entries: BibEntry[];
  lines: LineIndex;
  /** Entries by key identity (several when a key is defined twice), built on first use. */
  entriesByKey(): Map<string, BibEntry[]>;
  /** The reader's view (papers, own fields, problems): read on first use, it costs more than the entry scan. */
  contents(): BibContents;
}

type Indexed = IndexedDocument | IndexedBibliography;

export class WorkspaceIndex {
  private readonly texts = new Map<string, string>();
  private readonly parsed = new Map<string, Indexed>();

  /** Adds or updates a file (an absolute path); files integrity does not read are ignored. */
  set(file: string, text: string): void {
    if (fileKind(file) === undefined || this.texts.get(file) === text) return;
    this.texts.set(file, text);
    this.parsed.delete(file);
  }

  delete(file: string): void {
    this.texts.delete(file);
    this.parsed.delete(file);
  }

  has(file: string): boolean {
    return this.texts.has(file);
  }

  /** Every indexed file, sorted by path so results come in a stable order. */
  files(): string[] {
    return [...this.texts.keys()].sort();
  }

  document(file: string): IndexedDocument | undefined {
    const indexed = this.get(file);
    return indexed && 'citations' in indexed ? indexed : undefined;
  }

  bibliography(file: string): IndexedBibliography | undefined {
    const indexed = this.get(file);
    return indexed && 'entries' in indexed ? indexed : undefined;
  }

  /** The offset of an LSP position in an indexed file, for requests that come with a position. */
  offsetAt(file: string, position: Position): number | undefined {
    return this.get(file)?.lines.offsetAt(position);
  }

  /** Every document; with `mentioning`, only those that may cite the key: parsed ones, and others whose text holds it. */
  documents(mentioning?: string): IndexedDocument[] {
    return this.filesMentioning(mentioning).flatMap((file) => this.document(file) ?? []);
  }

  /** Every .bib; with `mentioning`, only those that may define the key: parsed ones, and others whose text holds it. */
  bibliographies(mentioning?: string): IndexedBibliography[] {
    return this.filesMentioning(mentioning).flatMap((file) => this.bibliography(file) ?? []);
  }

  /** A text search before any parsing: a query about one key parses only the files that name it (in any case). */
  private filesMentioning(key: string | undefined): string[] {
    if (key === undefined) return this.files();
    const pattern = new RegExp(key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
    // A parsed file answers from its parse faster than a search of its text (a 10,000-entry .bib is 12 MB).
    return this.files().filter((file) => this.parsed.has(file) || pattern.test(this.texts.get(file)!));
  }

  private get(file: string): Indexed | undefined {
    const cached = this.parsed.get(file);
    if (cached) return cached;
    const text = this.texts.get(file);
    const kind = fileKind(file);
    if (text === undefined || kind === undefined) return undefined;
    const indexed = kind === 'bibtex' ? indexBibliography(file, text) : indexDocument(file, text, kind);
    this.parsed.set(file, indexed);
    return indexed;
  }
}

function indexDocument(file: string, text: string, language: DocumentLanguage): IndexedDocument {
  return { file, text, language, citations: findCitations(text, language), citesAll: citesAll(text, language), lines: new LineIndex(text) };
}

function citesAll(text: string, language: DocumentLanguage): boolean {
  if (language === 'latex') return text.includes('nocite') && /\\nocite\s*\{\s*\*\s*\}/.test(blankOut(text, latexIgnoredRanges(text)));
  const frontMatter = FRONT_MATTER.exec(text)?.[1] ?? '';
  return /^nocite:[^\n]*(?:\n[ \t]+[^\n]*)*@\*/m.test(frontMatter);
}

function indexBibliography(file: string, text: string): IndexedBibliography {
  let contents: BibContents | undefined;
  let byKey: Map<string, BibEntry[]> | undefined;
  const entries = scanBibEntries(text);
  const entriesByKey = () => {
    if (byKey) return byKey;
    byKey = new Map();
    for (const entry of entries) {
      const same = byKey.get(keyIdentity(entry.key));
      if (same) same.push(entry);
      else byKey.set(keyIdentity(entry.key), [entry]);
    }
    return byKey;
  };
  return {
    file,
    text,
    entries,
    lines: new LineIndex(text),
    entriesByKey,
    contents: () => (contents ??= readBibContents(file, text, entries)),
  };
}
