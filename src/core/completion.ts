// Completion items for the citation at the cursor, as plain models the VS Code layer converts.
// The engine ranks; every item carries the typed text as its filter text and its rank as its sort text, so
// the editor keeps the engine's order and filters nothing away.
import type { BibliographyContents } from './bibedit';
import type { CiteContext } from './documents/types';
import type { Library } from './library';
import { shortAuthors, type Paper } from './paper';

/** Enough to pick from; more costs time on every keystroke. */
export const COMPLETION_LIMIT = 50;

export interface CompletionItemModel {
  /** The key inserted: the paper's, or the one its DOI already has in the document's bibliography. */
  key: string;
  /** Shown after the key: marks papers already in the document's bibliography. */
  labelDetail: string;
  /** Shown at the right of the row: the title. */
  description: string;
  /** Header of the details pane: "Vaswani et al. · 2017 · NeurIPS". */
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
 * a tie); without one, the bibliography's papers in file order, then the library's.
 */
export function completionItems(
  library: Pick<Library, 'search' | 'papers' | 'byKey'>,
  context: CiteContext,
  typed: string,
  bibliography: BibliographyContents,
  limit = COMPLETION_LIMIT,
): CompletionItemModel[] {
  const query = context.partial.trim();
  let ranked: Paper[];
  if (query === '') {
    const inBibliography = bibliography
      .keys()
      .map((key) => library.byKey(key))
      .filter((paper): paper is Paper => paper !== undefined);
    const seen = new Set(inBibliography);
    const others: Paper[] = [];
    for (const paper of library.papers()) {
      if (inBibliography.length + others.length >= limit) break;
      if (!seen.has(paper) && bibliography.keyOf(paper) === undefined) others.push(paper);
    }
    ranked = [...inBibliography.slice(0, limit), ...others];
  } else {
    ranked = library
      .search(query, { limit })
      .map((hit, rank) => ({ hit, rank, inBibliography: bibliography.keyOf(hit.paper) !== undefined }))
      .sort((a, b) => b.hit.score - a.hit.score || Number(b.inBibliography) - Number(a.inBibliography) || a.rank - b.rank)
      .map(({ hit }) => hit.paper);
  }
  const width = String(ranked.length).length;
  return ranked.map((paper, rank) => {
    const bibliographyKey = bibliography.keyOf(paper);
    const key = bibliographyKey ?? paper.key;
    return {
      key,
      labelDetail: bibliographyKey === undefined ? '' : IN_BIBLIOGRAPHY_MARK,
      description: paper.title,
      detail: [shortAuthors(paper.authors.length > 0 ? paper.authors : (paper.editors ?? [])), paper.year, paper.venue]
        .filter(Boolean)
        .join(' · '),
      insertText: key + context.separatorAfter,
      filterText: typed,
      sortText: String(rank).padStart(width, '0'),
      inBibliography: bibliographyKey !== undefined,
      paper,
    };
  });
}
