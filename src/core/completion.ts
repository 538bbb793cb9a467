// Completion items for the citation at the cursor, as plain models the VS Code layer converts.
// The engine ranks; every item carries the typed text as its filter text and its rank as its sort text, so
// the editor keeps the engine's order and filters nothing away.
import type { BibliographyContents } from './bibedit';
import type { CiteContext } from './documents/types';
import type { Library } from './library';
import { shortAuthors, type Paper } from './paper';
import { sameKeyNote } from './render';

/** Enough to pick from; more costs time on every keystroke. */
export const COMPLETION_LIMIT = 50;

export interface CompletionItemModel {
  /** The key inserted: the paper's, or the one its DOI already has in the document's bibliography. */
  key: string;
  /** Shown after the key: marks papers already in the document's bibliography. */
  labelDetail: string;
  /** Shown at the right of the row: the title. */
  description: string;
  /** Header of the details pane: "Vaswani et al. · 2017 · NeurIPS", and a warning when other papers share the key. */
  detail: string;
  insertText: string;
  filterText: string;
  sortText: string;
  /** When false, accepting the item must add the paper's entry to the bibliography. */
  inBibliography: boolean;
  /** The details pane is rendered from it (render.completionDocumentation) only for the item the user looks at. */
  paper: Paper;
}

export const IN_BIBLIOGRAPHY_MARK = ' ✓ in bibliography';

/**
 * Items for `context`: with a partial, the engine's hits best first (a paper already in the bibliography wins
 * a tie), then papers whose key starts with it; without one, the bibliography's papers, then the library's.
 */
export function completionItems(
  library: Pick<Library, 'search' | 'papers' | 'papersWithKeyPrefix' | 'byKey'>,
  context: CiteContext,
  typed: string,
  bibliography: BibliographyContents,
  limit = COMPLETION_LIMIT,
): CompletionItemModel[] {
  const query = context.partial.trim();
  // `[@watts1998 for a review`: words after a complete key in Markdown are the citation's suffix, not a query
  // (Enter must not swap the key and its suffix for another key).
  if (context.command === undefined && /\s/.test(query)) {
    const first = query.split(/\s+/)[0];
    if (library.byKey(first) !== undefined || bibliography.definitions(first).length > 0) return [];
  }
  let ranked = query === '' ? [] : rankedForQuery(library, query, bibliography, limit);
  // Until a third letter the engine searches nothing and few keys match: keep the list open (Markdown has no
  // quick suggestions to reopen it) with what an empty key would show.
  if (query === '' || (ranked.length === 0 && query.length < 3)) ranked = bibliographyFirst(library, bibliography, limit);
  // A key already in this citation is not offered again.
  const cited = new Set(context.keysBefore.map((key) => key.toLowerCase()));
  if (cited.size > 0) ranked = ranked.filter((paper) => !cited.has((bibliography.keyOf(paper) ?? paper.key).toLowerCase()));
  const width = String(ranked.length).length;
  return ranked.map((paper, rank) => {
    const bibliographyKey = bibliography.keyOf(paper);
    const key = bibliographyKey ?? paper.key;
    return {
      key,
      labelDetail: bibliographyKey === undefined ? '' : IN_BIBLIOGRAPHY_MARK,
      description: paper.title,
      detail: [
        [shortAuthors(paper.authors.length > 0 ? paper.authors : (paper.editors ?? [])), paper.year, paper.venue].filter(Boolean).join(' · '),
        sameKeyNote(paper),
      ]
        .filter(Boolean)
        .join(' — '),
      insertText: key + context.separatorAfter,
      filterText: typed,
      sortText: String(rank).padStart(width, '0'),
      inBibliography: bibliographyKey !== undefined,
      paper,
    };
  });
}

/** The bibliography's papers in file order, then the library's. */
function bibliographyFirst(library: Pick<Library, 'papers' | 'byKey'>, bibliography: BibliographyContents, limit: number): Paper[] {
  const inBibliography = bibliography
    .keys()
    .map((key) => library.byKey(key))
    .filter((paper): paper is Paper => paper !== undefined)
    .slice(0, limit);
  const seen = new Set(inBibliography);
  const others: Paper[] = [];
  for (const paper of library.papers()) {
    if (inBibliography.length + others.length >= limit) break;
    if (!seen.has(paper) && bibliography.keyOf(paper) === undefined) others.push(paper);
  }
  return [...inBibliography, ...others];
}

/** The engine's hits best first (a paper in the bibliography wins a tie), then keys starting with the query. */
function rankedForQuery(library: Pick<Library, 'search' | 'papersWithKeyPrefix' | 'byKey'>, query: string, bibliography: BibliographyContents, limit: number): Paper[] {
  const ranked = library
    .search(query, { limit })
    .map((hit, rank) => ({ hit, rank, inBibliography: bibliography.keyOf(hit.paper) !== undefined }))
    .sort((a, b) => b.hit.score - a.hit.score || Number(b.inBibliography) - Number(a.inBibliography) || a.rank - b.rank)
    .map(({ hit }) => hit.paper);
  if (ranked.length < limit && !/\s/.test(query)) ranked.push(...keysStartingWith(library, query, bibliography, new Set(ranked), limit - ranked.length));
  return ranked;
}

/**
 * Papers whose key starts with what was typed, the bibliography's first: the engine finds nothing for one or
 * two letters, and an empty answer would close a list that Markdown (no quick suggestions) does not reopen.
 */
function keysStartingWith(
  library: Pick<Library, 'papersWithKeyPrefix' | 'byKey'>,
  typed: string,
  bibliography: BibliographyContents,
  exclude: Set<Paper>,
  limit: number,
): Paper[] {
  const prefix = typed.toLowerCase();
  const found: Paper[] = [];
  const add = (paper: Paper | undefined) => {
    if (paper && found.length < limit && !exclude.has(paper) && !found.includes(paper)) found.push(paper);
  };
  for (const key of bibliography.keys()) if (key.toLowerCase().startsWith(prefix)) add(library.byKey(key));
  // Enough for `limit` after the excluded and those already found are skipped.
  for (const paper of library.papersWithKeyPrefix(prefix, limit + exclude.size + found.length)) add(paper);
  return found;
}
