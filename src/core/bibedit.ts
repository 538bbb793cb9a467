// The minimal edit that adds one entry to a user's .bib: nothing when the key or DOI is already there,
// else an insertion at the end after exactly one blank line. The rest of the file is never touched.
import { scanBibtexKeys } from './formats/bibtex';
import { doiIdentity } from './formats/plain-item';
import type { Origin, Paper } from './paper';

export type BibAppendPlan =
  /** The file (or another of the document's bibliography files) has the paper, under `key` (another when found by DOI). */
  | { kind: 'present'; key: string }
  | { kind: 'append'; offset: number; text: string };

/**
 * `elsewhere` holds what the document's other bibliography files define: a paper one of them has is not
 * added to the target again (BibTeX would warn of a duplicate key, biber keep one of two entries).
 */
export function planBibAppend(bibText: string, paper: Paper, entryText: string, elsewhere?: BibliographyContents): BibAppendPlan {
  const known = elsewhere?.keyOf(paper);
  if (known !== undefined) return { kind: 'present', key: known };
  const key = paper.key.toLowerCase();
  const doi = paper.doi ? doiIdentity(paper.doi) : undefined;
  for (const entry of scanBibtexKeys(bibText)) {
    // BibTeX itself treats keys that differ only in case as the same key.
    if (entry.key.toLowerCase() === key) return { kind: 'present', key: entry.key };
    if (doi && entry.doi && doiIdentity(entry.doi) === doi) return { kind: 'present', key: entry.key };
  }

  const eol = bibText.includes('\r\n') ? '\r\n' : '\n';
  const entry = entryText.trim().replace(/\r?\n/g, eol) + eol;
  const contentEnd = bibText.trimEnd().length;
  if (contentEnd === 0) return { kind: 'append', offset: bibText.length, text: entry };
  // After the line the last content is on, so trailing blank lines stay where they are, below the new entry.
  const newline = bibText.indexOf('\n', contentEnd);
  if (newline < 0) return { kind: 'append', offset: bibText.length, text: eol + eol + entry };
  return { kind: 'append', offset: newline + 1, text: eol + entry };
}

/** One bibliography file's text, as the editor has it (unsaved changes included). */
export interface BibliographyFile {
  file: string;
  text: string;
}

/** Which keys and DOIs a document's bibliography files define, and where. */
export class BibliographyContents {
  private readonly byKey = new Map<string, { key: string; origins: Origin[]; doi?: string }>();
  private readonly keyByDoi = new Map<string, string>();

  constructor(files: readonly BibliographyFile[]) {
    for (const { file, text } of files) {
      for (const entry of scanBibtexKeys(text)) {
        const lower = entry.key.toLowerCase();
        const known = this.byKey.get(lower);
        if (known) known.origins.push({ file, line: entry.line });
        else this.byKey.set(lower, { key: entry.key, origins: [{ file, line: entry.line }], doi: entry.doi ? doiIdentity(entry.doi) : undefined });
        if (entry.doi && !this.keyByDoi.has(doiIdentity(entry.doi))) this.keyByDoi.set(doiIdentity(entry.doi), entry.key);
      }
    }
  }

  /** Keys in file order, each once. */
  keys(): string[] {
    return [...this.byKey.values()].map((entry) => entry.key);
  }

  /**
   * The key this paper has in the bibliography: its own, or another entry's with the same DOI. Of papers the
   * library keeps under one key, the one whose DOI the bibliography's entry contradicts is not the entry.
   */
  keyOf(paper: Paper): string | undefined {
    const byKey = this.byKey.get(paper.key.toLowerCase());
    const otherPaper = paper.sameKey !== undefined && byKey?.doi !== undefined && paper.doi !== undefined && byKey.doi !== doiIdentity(paper.doi);
    if (byKey && !otherPaper) return byKey.key;
    return paper.doi ? this.keyByDoi.get(doiIdentity(paper.doi)) : undefined;
  }

  /** Where a key is defined (file and 1-based line); several places when more than one file defines it. */
  definitions(key: string): Origin[] {
    return this.byKey.get(key.toLowerCase())?.origins ?? [];
  }
}
