// Which files a document's citations are checked with: its project. The project model proper (roots from the include
// graph, `%!TEX root`, `_quarto.yml`, bookdown's `index.Rmd`) is documents/project.ts; integrity reaches it through
// this one type, so the editor, the server and `paperlens check` all see the same project.
import { declaredBibliographies, type ReadFile } from '../documents/bibliographies';
import { fileKind } from './workspace';

export interface Project {
  /** The root document: the LaTeX root, or the document itself. */
  root: string;
  /** The root and every document it includes, in reading order; citations are in order of first use through these. */
  documents: string[];
  /** Absolute paths of the bibliography files, in declaration order (the first definition of a key wins). */
  bibliographies: string[];
}

export type ProjectOf = (document: string) => Project;

/** The project as the document's own declarations say (its root's bibliographies; the root and the document). */
export function declaredProject(readFile: ReadFile): ProjectOf {
  return (document) => {
    const kind = fileKind(document);
    const text = readFile(document);
    if (text === undefined || (kind !== 'latex' && kind !== 'markdown')) return { root: document, documents: [document], bibliographies: [] };
    const declared = declaredBibliographies(document, text, kind, readFile);
    return { root: declared.root, documents: [...new Set([declared.root, document])], bibliographies: declared.files };
  };
}

/** The project lookup every integrity caller uses. */
export function projectResolver(readFile: ReadFile): ProjectOf {
  return declaredProject(readFile);
}
