// Every id Paperlens declares in package.json, once: the languages it cites in, its commands and its views. A unit
// test compares these lists with the manifest's `contributes` and activation events.
import { SHOW_ABSTRACT_COMMAND, SHOW_SIMILAR_COMMAND } from './core/render';

/** VS Code language ids of documents Paperlens cites in (core/documents reads them as LaTeX or Markdown). */
export const CITING_LANGUAGES = ['latex', 'tex', 'latex-expl3', 'markdown', 'quarto', 'rmd', 'pandoc'] as const;

/** The bibliography language: its documents are synced to the server so it sees unsaved entries. */
export const BIBLIOGRAPHY_LANGUAGE = 'bibtex';

export const VIEWS = {
  container: 'paperlens',
  search: 'paperlens.search',
  library: 'paperlens.library',
  cited: 'paperlens.cited',
  related: 'paperlens.related',
} as const;

/** Commands in the manifest (palette, menus, keys). */
export const COMMANDS = {
  searchPapers: 'paperlens.searchPapers',
  insertCitation: 'paperlens.insertCitation',
  copyBibtexAtCursor: 'paperlens.copyBibtexAtCursor',
  rebuildLibrary: 'paperlens.rebuildLibrary',
  addCorpusFile: 'paperlens.addCorpusFile',
  showOutput: 'paperlens.showOutput',
  focus: 'paperlens.focus',
  cite: 'paperlens.cite',
  copyBibtex: 'paperlens.copyBibtex',
  copyKey: 'paperlens.copyKey',
  copyReference: 'paperlens.copyReference',
  openSource: 'paperlens.openSource',
  addBibliographyDeclaration: 'paperlens.addBibliographyDeclaration',
  showUnusedEntries: 'paperlens.showUnusedEntries',
  removeUnusedEntries: 'paperlens.removeUnusedEntries',
  exportCitedEntries: 'paperlens.exportCitedEntries',
  findCitations: 'paperlens.findCitations',
  showSimilarPapers: SHOW_SIMILAR_COMMAND,
  libraryShowOnlyUnused: 'paperlens.libraryShowOnlyUnused',
  libraryShowAll: 'paperlens.libraryShowAll',
} as const;

/** Context keys Paperlens sets, which the manifest's `when` clauses read. */
export const CONTEXT_KEYS = {
  /** The Library shows only the active project's unused .bib entries: its title bar offers "Show All Entries". */
  libraryShowsUnused: 'paperlens.libraryShowsUnused',
} as const;

/** Commands only Paperlens's own items run (tree rows, hover links): registered, not in the manifest. */
export const INTERNAL_COMMANDS = {
  showAbstract: SHOW_ABSTRACT_COMMAND,
  libraryShowMore: 'paperlens.library.showMore',
  libraryOpenPaper: 'paperlens.library.openPaper',
  /** Shows `{ key, title }`'s similar papers in the Search view (run by Show Similar Papers once the view is open). */
  searchShowSimilar: 'paperlens.search.showSimilar',
} as const;
