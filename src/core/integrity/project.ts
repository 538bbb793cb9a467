// Which files a document's citations are checked with: its project. The project model proper (roots from the include
// graph, `%!TEX root`, `_quarto.yml`, bookdown's `index.Rmd`) is documents/project.ts; integrity reaches it through
// this file only, so the editor, the server and `paperlens check` see the same projects.
import type { ProjectModel } from '../documents/project';
import { fileKind } from './workspace';

export interface Project {
  /** The root: the LaTeX root, Quarto's `_quarto.yml`, bookdown's `index.Rmd`, or the document itself. */
  root: string;
  /** The documents the root heads, in reading order; citations are in order of first use through these. */
  documents: string[];
  /** Absolute paths of the bibliography files, in declaration order (the first definition of a key wins). */
  bibliographies: string[];
}

/**
 * The projects a document belongs to (a chapter included by two theses belongs to both), the root the model
 * chooses first. `readFile` gives the current texts the model reads too.
 */
export function projectsOf(model: ProjectModel, readFile: (file: string) => string | undefined, document: string): Project[] {
  const roots = model.rootsOf(document);
  return (roots.length > 0 ? roots : [document]).map((root) => projectOfRoot(model, readFile, root));
}

export function projectOfRoot(model: ProjectModel, readFile: (file: string) => string | undefined, root: string): Project {
  const documents = model.documentsOf(root).filter((file) => {
    const kind = fileKind(file);
    return kind === 'latex' || kind === 'markdown';
  });
  const rootKind = fileKind(root);
  // A LaTeX root declares for all its chapters; a book's chapters each add what their front matter declares.
  const declaring = rootKind === 'latex' ? [root] : documents;
  const bibliographies = declaring.flatMap((file) => {
    const language = fileKind(file);
    if (language !== 'latex' && language !== 'markdown') return [];
    return model.bibliographiesOf(file, readFile(file) ?? '', language).files;
  });
  return { root, documents, bibliographies: [...new Set(bibliographies)] };
}
