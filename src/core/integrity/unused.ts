// Entries of a project's bibliographies that nothing in the project cites, and the edit that removes them.
import { entryRemovalRange } from './bibEntries';
import type { Project } from './project';
import type { FileEdits, Location } from './types';
import { keyIdentity, type WorkspaceIndex } from './workspace';

export interface UnusedEntries {
  entries: { key: string; location: Location }[];
  /** One edit per file, whole entries with their trailing blank line. */
  removal: FileEdits;
}

/**
 * Cited means cited by a project document, or the crossref/xref parent of a cited entry (BibTeX needs the parent).
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
    const edits = [];
    for (const entry of bibliography.entries) {
      if (cited.has(keyIdentity(entry.key))) continue;
      result.entries.push({ key: entry.key, location: { file: bibliography.file, range: bibliography.lines.range(entry.keyStart, entry.keyEnd) } });
      const [start, end] = entryRemovalRange(bibliography.text, entry);
      edits.push({ range: bibliography.lines.range(start, end), newText: '' });
    }
    if (edits.length > 0) result.removal[bibliography.file] = edits;
  }
  return result;
}
