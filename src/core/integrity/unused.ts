// Entries of a project's bibliographies that nothing in the project cites, and the edit that removes them.
import { entriesRemovalRanges, type BibEntry } from './bibEntries';
import type { Project } from './project';
import type { FileEdits, Location, TextEdit } from './types';
import { keyIdentity, type IndexedBibliography, type WorkspaceIndex } from './workspace';

export interface UnusedEntries {
  entries: { key: string; location: Location; entry: BibEntry }[];
  /** The edits per file that remove them as if they had never been written (see entriesRemovalEdits). */
  removal: FileEdits;
}

/**
 * Cited means cited by a project document, or the crossref/xref/xdata parent of a cited entry (BibTeX needs the parent).
 * `\nocite{*}` cites every entry.
 */
export function unusedEntries(index: WorkspaceIndex, project: Project): UnusedEntries {
  const cited = new Set<string>();
  const result: UnusedEntries = { entries: [], removal: {} };
  for (const file of project.documents) {
    const document = index.document(file);
    if (document?.citesAll) return result;
    for (const citation of document?.citations ?? []) cited.add(keyIdentity(citation.key));
  }
  const bibliographies = project.bibliographies.flatMap((file) => index.bibliography(file) ?? []);
  const entries = bibliographies.flatMap((bibliography) => bibliography.entries);
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of entries) {
      if (!cited.has(keyIdentity(entry.key))) continue;
      for (const link of entry.links) {
        if (!cited.has(keyIdentity(link.key))) {
          cited.add(keyIdentity(link.key));
          grew = true;
        }
      }
    }
  }
  for (const bibliography of bibliographies) {
    const unused = bibliography.entries.filter((entry) => !cited.has(keyIdentity(entry.key)));
    for (const entry of unused) {
      result.entries.push({ key: entry.key, location: { file: bibliography.file, range: bibliography.lines.range(entry.keyStart, entry.keyEnd) }, entry });
    }
    if (unused.length > 0) result.removal[bibliography.file] = entriesRemovalEdits(bibliography, unused);
  }
  return result;
}

/**
 * The edits that remove entries of a .bib, leaving the text as if they had never been written: neighbours removed
 * together go as one edit, so no blank line is left doubled, and the file's last entries take the blank line before them.
 */
export function entriesRemovalEdits(bibliography: IndexedBibliography, entries: readonly BibEntry[]): TextEdit[] {
  return entriesRemovalRanges(bibliography.text, entries).map(([start, end]) => ({ range: bibliography.lines.range(start, end), newText: '' }));
}
