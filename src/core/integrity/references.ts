// Find All References and Go to Definition on a citation key, from a document or from a .bib entry; a key's uses
// in a project with their lines, for the Cited view.
import { keyAt as documentKeyAt } from '../documents/citations';
import type { Location, TextRange } from './types';
import { keyIdentity, type WorkspaceIndex } from './workspace';

/** The key under the cursor: a citation in a document, an entry's key in a .bib, or a crossref/xref/xdata to one. */
export interface KeyAtCursor {
  key: string;
  file: string;
  start: number;
  end: number;
  range: TextRange;
}

export function keyAtOffset(index: WorkspaceIndex, file: string, offset: number): KeyAtCursor | undefined {
  const document = index.document(file);
  if (document) {
    const cited = documentKeyAt(document.text, offset, document.language);
    if (!cited || cited.key === '*') return undefined;
    return { key: cited.key, file, start: cited.start, end: cited.end, range: document.lines.range(cited.start, cited.end) };
  }
  const bibliography = index.bibliography(file);
  if (!bibliography) return undefined;
  for (const entry of bibliography.entries) {
    if (offset < entry.start) break;
    if (offset > entry.end) continue;
    if (entry.keyStart <= offset && offset <= entry.keyEnd) {
      return { key: entry.key, file, start: entry.keyStart, end: entry.keyEnd, range: bibliography.lines.range(entry.keyStart, entry.keyEnd) };
    }
    const link = entry.links.find((linked) => linked.start <= offset && offset <= linked.end);
    if (link) return { key: link.key, file, start: link.start, end: link.end, range: bibliography.lines.range(link.start, link.end) };
  }
  return undefined;
}

/** Where the key's entries are: every .bib entry with the key (several when it is defined twice). */
export function findDefinitions(index: WorkspaceIndex, key: string): Location[] {
  const identity = keyIdentity(key);
  return index.bibliographies(key).flatMap((bibliography) =>
    bibliography.entries
      .filter((entry) => keyIdentity(entry.key) === identity)
      .map((entry) => ({ file: bibliography.file, range: bibliography.lines.range(entry.keyStart, entry.keyEnd) })),
  );
}

/**
 * Every use of the key in the workspace's documents (comments and verbatim excluded), and with `includeDeclaration`
 * its entries first, then the crossref/xref/xdata fields that name it. Files in path order, uses in text order.
 */
export function findReferences(index: WorkspaceIndex, key: string, includeDeclaration = true): Location[] {
  const identity = keyIdentity(key);
  const locations: Location[] = includeDeclaration ? findDefinitions(index, key) : [];
  for (const bibliography of index.bibliographies(key)) {
    for (const entry of bibliography.entries) {
      for (const link of entry.links) {
        if (keyIdentity(link.key) === identity) locations.push({ file: bibliography.file, range: bibliography.lines.range(link.start, link.end) });
      }
    }
  }
  for (const document of index.documents(key)) {
    for (const cited of document.citations) {
      if (keyIdentity(cited.key) === identity) locations.push({ file: document.file, range: document.lines.range(cited.start, cited.end) });
    }
  }
  return locations;
}

/** A use of a key with the text of its line, \r dropped: a row of the Cited view under the key. */
export interface KeyUse {
  location: Location;
  lineText: string;
}

/**
 * The key's uses in the given documents (a project's, in reading order) as Find All References finds them, in the
 * documents' order and then text order, each with its line's text.
 */
export function keyUsesIn(index: WorkspaceIndex, documents: readonly string[], key: string): KeyUse[] {
  const order = new Map(documents.map((file, at) => [file, at]));
  return findReferences(index, key, false)
    .filter((use) => order.has(use.file))
    .sort((a, b) => order.get(a.file)! - order.get(b.file)!)
    .flatMap((use) => {
      const document = index.document(use.file);
      if (!document) return [];
      const line = document.lines.lineRange(use.range.start.line + 1);
      return [{ location: use, lineText: document.text.slice(document.lines.offsetAt(line.start), document.lines.offsetAt(line.end)) }];
    });
}
