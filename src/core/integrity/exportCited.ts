// A .bib with exactly the entries a project cites, in order of first citation: entries of the project's own
// bibliographies copied as written, then what the library knows rendered as BibTeX; crossref parents follow.
import { checkCitations } from '../citationCheck';
import { renderBibtex } from '../bibtex-render';
import type { Paper } from '../paper';
import type { BibEntry } from './bibEntries';
import type { Project } from './project';
import { keyIdentity, type IndexedBibliography, type WorkspaceIndex } from './workspace';

export interface ExportedBibliography {
  text: string;
  /** Keys written, in order (crossref parents at the end). */
  exported: string[];
  /** Cited keys neither the bibliographies nor the library know. */
  missing: string[];
}

type Definition = { bibliography: IndexedBibliography; entry: BibEntry };

function definitionsByKey(index: WorkspaceIndex, project: Project): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  for (const file of project.bibliographies) {
    const bibliography = index.bibliography(file);
    for (const entry of bibliography?.entries ?? []) {
      if (!definitions.has(keyIdentity(entry.key))) definitions.set(keyIdentity(entry.key), { bibliography: bibliography!, entry });
    }
  }
  return definitions;
}

/**
 * Keys the project cites, in order of first citation through its documents, each once. A Markdown `@name` that no
 * bibliography or library knows counts only where it is surely a citation (in brackets, not a `@fig:` reference).
 */
export function citedKeysInOrder(index: WorkspaceIndex, project: Project, known: (key: string) => boolean): string[] {
  const seen = new Map<string, string>();
  for (const file of project.documents) {
    const document = index.document(file);
    if (!document) continue;
    for (const citation of document.citations) {
      const identity = keyIdentity(citation.key);
      if (citation.key === '*' || seen.has(identity)) continue;
      const isCitation = known(citation.key) || checkCitations(document.text, document.language, [citation], () => false, () => false).length > 0;
      if (isCitation) seen.set(identity, citation.key);
    }
  }
  return [...seen.values()];
}

/** The entry as written; line breaks become `\n`, so entries from CRLF and LF files make one consistent file. */
function entryText({ bibliography, entry }: Definition): string {
  return bibliography.text.slice(entry.start, entry.end).replace(/\r\n/g, '\n');
}

export function exportCitedEntries(index: WorkspaceIndex, project: Project, lookup: (key: string) => Paper | undefined): ExportedBibliography {
  const definitions = definitionsByKey(index, project);
  const keys = citedKeysInOrder(index, project, (key) => definitions.has(keyIdentity(key)) || lookup(key) !== undefined);
  const written = new Set<string>();
  const blocks: string[] = [];
  const exported: string[] = [];
  const missing: string[] = [];
  const parents: string[] = [];
  for (const key of keys) {
    const definition = definitions.get(keyIdentity(key));
    if (definition) {
      blocks.push(entryText(definition));
      exported.push(definition.entry.key);
      parents.push(...definition.entry.links.map((link) => link.key));
    } else {
      const paper = lookup(key);
      if (!paper) {
        missing.push(key);
        continue;
      }
      blocks.push(renderBibtex(paper).trimEnd());
      exported.push(paper.key);
    }
    written.add(keyIdentity(key));
  }
  // BibTeX reads a crossref parent only after the entries that use it.
  for (const parent of parents) {
    const definition = definitions.get(keyIdentity(parent));
    if (!definition || written.has(keyIdentity(parent))) continue;
    written.add(keyIdentity(parent));
    blocks.push(entryText(definition));
    exported.push(definition.entry.key);
  }
  return { text: blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`, exported, missing };
}
