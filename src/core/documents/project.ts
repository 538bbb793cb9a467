// Which project a document belongs to, and so which bibliographies it cites from and where a new one goes.
// Real theses rarely say `%!TEX root`: a chapter belongs to the workspace's root files (a `\documentclass` and a
// `\begin{document}`) whose \input/\include/\subfile/\import graph contains it. Markdown chapters inherit
// `bibliography:` from Quarto's `_quarto.yml` and `_metadata.yml`, or from a bookdown book's `index.Rmd`.
// Pure: files are listed and read through the host, so the language server, the CLI and the client share it.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import {
  cachedDeclarations,
  frontMatterOf,
  isLatexRoot,
  latexGraph,
  namedLatexRoot,
  yamlBibliographyNames,
  type DeclarationCache,
  type LatexGraph,
  type ReadFile,
} from './bibliographies';
import type { DocumentLanguage } from './types';

export interface ProjectHost {
  /** Absolute paths of the workspace folders; the scan looks for roots and project files in them. */
  folders: readonly string[];
  /** The current text of a file (an open editor's, unsaved changes included), or undefined when there is none. */
  readFile: ReadFile;
  /** Files under a folder (absolute paths); defaults to a walk of the disk that skips hidden folders and node_modules. */
  listFiles?: (folder: string) => string[];
  /** Whether a file exists; defaults to `readFile(file) !== undefined`. */
  exists?: (file: string) => boolean;
}

/** The bibliographies of a document as its project sees them. */
export interface ProjectBibliographies {
  /** Absolute paths of the declared bibliography files, by precedence (the document's own first), without duplicates. */
  files: string[];
  /** True when `files` is not empty. */
  declared: boolean;
  /**
   * The file the declarations were read from and where a declaration goes: the chosen LaTeX root, a bookdown
   * `index.Rmd`, a Quarto `_quarto.yml`, or the document itself.
   */
  root: string;
  /** Every root the document belongs to (LaTeX files with several roots list them all); `[root]` otherwise. */
  roots: string[];
  /**
   * The bibliographies of every root, the chosen root's first: what the document may cite from. Reading (is a
   * key defined, hover, definition) uses these; a new entry goes to `files`.
   */
  filesOfEveryRoot: string[];
  /** Where a new bibliography is made when none is declared: beside the root, never beside a chapter. */
  fallback: string;
  /** Why this root was chosen when there was a choice, for the user ("used main.tex: its bibliography has smith2020"). */
  note?: string;
}

export interface BibliographyQuery {
  /** A key being asked about: with several roots, the one whose bibliography has it wins. */
  key?: string;
  /** The name of a new bibliography file, relative to the root's folder. */
  defaultBibliography?: string;
}

export interface ProjectModel {
  /** The bibliographies of a document whose current text is `text`. */
  bibliographiesOf(documentPath: string, text: string, language: DocumentLanguage, query?: BibliographyQuery): ProjectBibliographies;
  /** The roots a document belongs to: LaTeX roots whose graph holds it, the Markdown project file, else itself. */
  rootsOf(documentPath: string): string[];
  /** Every document of the project a root heads (the LaTeX include graph, the Markdown files of a book), root first. */
  documentsOf(root: string): string[];
  /** A file changed: `text` is its new text, or omitted to read it again through the host. New files join the scan. */
  update(file: string, text?: string): void;
  /** A file was deleted. */
  remove(file: string): void;
  /** Forgets the scan: the next question lists the workspace folders again (folders added or removed). */
  rescan(folders?: readonly string[]): void;
}

/** Project files found by name, wherever they are. */
const PROJECT_FILE_NAMES = new Set(['_quarto.yml', '_quarto.yaml', '_metadata.yml', '_metadata.yaml', '_bookdown.yml', 'index.rmd']);
/** Documents a project may be made of. */
const DOCUMENT_EXTENSIONS = new Set(['.tex', '.md', '.markdown', '.qmd', '.rmd']);
const SKIPPED_FOLDERS = new Set(['node_modules', '_book', '_site', '_freeze', 'site-packages', '__pycache__']);
/** A workspace larger than this is scanned in part: the answer then falls back to reading files on demand. */
const MAX_SCAN_ENTRIES = 50_000;
const MAX_SCAN_DEPTH = 12;
const DEFAULT_BIBLIOGRAPHY = 'references.bib';

function isProjectFile(file: string): boolean {
  const name = path.basename(file).toLowerCase();
  return PROJECT_FILE_NAMES.has(name) || DOCUMENT_EXTENSIONS.has(path.extname(name));
}

/** Files under `folder` worth knowing for projects; hidden folders, node_modules and build output skipped, the walk capped. */
export function listProjectFiles(folder: string): { files: string[]; complete: boolean } {
  const files: string[] = [];
  let entries = 0;
  let complete = true;
  const walk = (directory: string, depth: number): void => {
    if (depth > MAX_SCAN_DEPTH || !complete) return;
    let children;
    try {
      children = readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const child of children) {
      if (++entries > MAX_SCAN_ENTRIES) {
        complete = false;
        return;
      }
      if (child.name.startsWith('.')) continue;
      const full = path.join(directory, child.name);
      if (child.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(child.name)) walk(full, depth + 1);
      } else if (isProjectFile(full)) {
        files.push(full);
      }
    }
  };
  walk(folder, 0);
  return { files, complete };
}

interface ScannedFile {
  /** Undefined until read; null when it could not be read. */
  text?: string | null;
  isRoot?: boolean;
}

interface MarkdownProject {
  /** The folder of `_quarto.yml` or of the bookdown `index.Rmd`. */
  directory: string;
  /** Where a declaration goes: `_quarto.yml` or `index.Rmd`. */
  declarationFile: string;
  /** YAML sources by precedence, each with the folder its paths are relative to. */
  sources: { yaml: string; directory: string }[];
}

export function createProject(host: ProjectHost): ProjectModel {
  let folders = host.folders.map((folder) => path.resolve(folder));
  /** Scanned files by path; undefined until the first question. */
  let scanned: Map<string, ScannedFile> | undefined;
  /** False when the scan hit its cap: files it does not list may still exist. */
  let scanComplete = true;
  /** Root graphs of the current texts, dropped whenever a LaTeX file changes. */
  let graphs = new Map<string, LatexGraph>();
  const declarations: DeclarationCache = new Map();
  const exists = host.exists ?? ((file: string) => host.readFile(file) !== undefined);

  const scan = (): Map<string, ScannedFile> => {
    if (scanned) return scanned;
    scanned = new Map();
    scanComplete = true;
    for (const folder of folders) {
      if (host.listFiles) {
        for (const file of host.listFiles(folder)) if (isProjectFile(file)) scanned.set(path.resolve(file), {});
      } else {
        const listed = listProjectFiles(folder);
        scanComplete &&= listed.complete;
        for (const file of listed.files) scanned.set(file, {});
      }
    }
    return scanned;
  };

  const insideFolders = (file: string): boolean => folders.some((folder) => isInside(folder, file));

  /** The text of a file: the scan's copy for files it knows, the host's for others; undefined when absent. */
  const textOf = (file: string): string | undefined => {
    const files = scan();
    const entry = files.get(file);
    if (!entry) {
      // A complete scan knows every project file in the folders: one it does not list does not exist.
      if (scanComplete && insideFolders(file) && isProjectFile(file)) return undefined;
      return host.readFile(file);
    }
    if (entry.text === undefined) entry.text = host.readFile(file) ?? null;
    return entry.text ?? undefined;
  };

  const setText = (file: string, text: string | null): void => {
    const files = scan();
    const entry = files.get(file);
    if (entry && entry.text === text) return;
    if (path.extname(file).toLowerCase() !== '.tex') {
      files.set(file, { text });
      return;
    }
    const isRoot = text !== null && isLatexRoot(text);
    files.set(file, { text, isRoot });
    // Typing in a chapter changes no include or bibliography: the root graphs stand unless its declarations did.
    const before = entry?.text ? JSON.stringify(cachedDeclarations(declarations, file, entry.text)) : undefined;
    const after = text === null ? undefined : JSON.stringify(cachedDeclarations(declarations, file, text));
    const wasRoot = entry?.isRoot ?? (entry?.text ? isLatexRoot(entry.text) : false);
    if (before !== after || wasRoot !== isRoot) graphs = new Map();
  };

  const latexRoots = (): string[] => {
    const roots: string[] = [];
    for (const [file, entry] of scan()) {
      if (path.extname(file).toLowerCase() !== '.tex') continue;
      if (entry.isRoot === undefined) {
        const text = textOf(file);
        entry.isRoot = text !== undefined && isLatexRoot(text);
      }
      if (entry.isRoot) roots.push(file);
    }
    return roots.sort();
  };

  const graphOf = (root: string): LatexGraph | undefined => {
    let graph = graphs.get(root);
    if (!graph) {
      const text = textOf(root);
      if (text === undefined) return undefined;
      graph = latexGraph(root, text, textOf, declarations);
      graphs.set(root, graph);
    }
    return graph;
  };

  const latexRootsOf = (documentPath: string, text: string | undefined): string[] => {
    const named = text === undefined ? undefined : namedLatexRoot(documentPath, text);
    if (named) return [named];
    const roots = latexRoots();
    if (roots.includes(documentPath)) return [documentPath];
    return roots.filter((root) => graphOf(root)?.files.includes(documentPath));
  };

  /** The folder that bounds the search upwards: the workspace folder holding the file, else the disk's root. */
  const boundaryOf = (file: string): string =>
    folders.filter((folder) => isInside(folder, file)).sort((a, b) => b.length - a.length)[0] ?? path.parse(file).root;

  /** Folders from the file's own up to its boundary, nearest first. */
  const foldersUp = (file: string): string[] => {
    const boundary = boundaryOf(file);
    const result: string[] = [];
    for (let directory = path.dirname(file); ; directory = path.dirname(directory)) {
      result.push(directory);
      if (directory === boundary || path.dirname(directory) === directory) break;
    }
    return result;
  };

  const firstExisting = (directory: string, names: string[]): { file: string; text: string } | undefined => {
    for (const name of names) {
      const file = path.join(directory, name);
      const text = textOf(file);
      if (text !== undefined) return { file, text };
    }
    return undefined;
  };

  /** The Quarto project or bookdown book a Markdown document is part of. */
  const markdownProjectOf = (documentPath: string): MarkdownProject | undefined => {
    const up = foldersUp(documentPath);
    const sources: { yaml: string; directory: string }[] = [];
    for (const directory of up) {
      const quarto = firstExisting(directory, ['_quarto.yml', '_quarto.yaml']);
      const metadata = firstExisting(directory, ['_metadata.yml', '_metadata.yaml']);
      if (metadata) sources.push({ yaml: metadata.text, directory });
      if (quarto) {
        sources.push({ yaml: quarto.text, directory });
        return { directory, declarationFile: quarto.file, sources };
      }
    }
    sources.length = 0;
    const documentDirectory = path.dirname(documentPath);
    for (const directory of up) {
      const index = firstExisting(directory, ['index.Rmd', 'index.rmd']);
      // A bookdown book: `index.Rmd` with `_bookdown.yml`, or an `index.Rmd` beside the chapter.
      if (index && (directory === documentDirectory || textOf(path.join(directory, '_bookdown.yml')) !== undefined)) {
        const frontMatter = frontMatterOf(index.text);
        if (frontMatter) sources.push({ yaml: frontMatter, directory });
        return { directory, declarationFile: index.file, sources };
      }
    }
    return undefined;
  };

  /** A relative name that does not resolve against its folder is tried against the project's root folder. */
  const resolveBibliography = (name: string, directory: string, projectDirectory: string): string => {
    const resolved = path.resolve(directory, name);
    if (path.isAbsolute(name) || directory === projectDirectory || exists(resolved)) return resolved;
    const fromProject = path.resolve(projectDirectory, name);
    return exists(fromProject) ? fromProject : resolved;
  };

  const bibliographyHasKey = (file: string, key: string): boolean => {
    const text = host.readFile(file);
    if (text === undefined) return false;
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(String.raw`@[a-zA-Z]+\s*[{(]\s*${escaped}\s*,`, 'i').test(text);
  };

  const latexBibliographies = (documentPath: string, text: string, query: BibliographyQuery): ProjectBibliographies => {
    const defaultName = query.defaultBibliography ?? DEFAULT_BIBLIOGRAPHY;
    const roots = latexRootsOf(documentPath, text);
    const candidates = roots
      .map((root) => ({ root, graph: root === documentPath ? latexGraph(root, text, textOf, declarations) : graphOf(root) }))
      .filter((candidate): candidate is { root: string; graph: LatexGraph } => candidate.graph !== undefined);
    if (candidates.length === 0) {
      // No root that can be read: the document declares for itself.
      const graph = latexGraph(documentPath, text, textOf, declarations);
      return latexAnswer(documentPath, [documentPath], graph, defaultName);
    }
    let chosen = candidates[0];
    let note: string | undefined;
    if (candidates.length > 1) {
      const withKey = query.key === undefined ? undefined : candidates.find(({ graph }) => graph.bibliographies.some((file) => bibliographyHasKey(file, query.key!)));
      const documentDirectory = path.dirname(documentPath);
      const nearest = [...candidates].sort(
        (a, b) =>
          Number(b.graph.bibliographies.length > 0) - Number(a.graph.bibliographies.length > 0) ||
          Number(isInside(path.dirname(b.root), documentDirectory)) - Number(isInside(path.dirname(a.root), documentDirectory)) ||
          path.relative(documentDirectory, a.root).length - path.relative(documentDirectory, b.root).length ||
          a.root.localeCompare(b.root),
      )[0];
      chosen = withKey ?? nearest;
      const names = candidates.map(({ root }) => path.basename(root)).join(', ');
      note = withKey
        ? `${path.basename(documentPath)} belongs to ${names}; using ${path.basename(chosen.root)}: its bibliography has ${query.key}`
        : `${path.basename(documentPath)} belongs to ${names}; using ${path.basename(chosen.root)}`;
    }
    const answer = latexAnswer(chosen.root, candidates.map(({ root }) => root), chosen.graph, defaultName);
    const filesOfEveryRoot = [
      ...new Set([...answer.files, ...candidates.flatMap((candidate) => latexAnswer(candidate.root, [], candidate.graph, defaultName).files)]),
    ];
    return note === undefined ? { ...answer, filesOfEveryRoot } : { ...answer, filesOfEveryRoot, note };
  };

  const latexAnswer = (root: string, roots: string[], graph: LatexGraph, defaultName: string): ProjectBibliographies => {
    const rootDirectory = path.dirname(root);
    const projectDirectory = boundaryOf(root);
    const files = [
      ...new Set(
        graph.bibliographies.map((file) =>
          exists(file) ? file : resolveBibliography(path.relative(rootDirectory, file), rootDirectory, projectDirectory),
        ),
      ),
    ];
    return { files, declared: files.length > 0, root, roots, filesOfEveryRoot: files, fallback: path.resolve(rootDirectory, defaultName) };
  };

  const markdownBibliographies = (documentPath: string, text: string, query: BibliographyQuery): ProjectBibliographies => {
    const defaultName = query.defaultBibliography ?? DEFAULT_BIBLIOGRAPHY;
    const project = markdownProjectOf(documentPath);
    const projectDirectory = project?.directory ?? boundaryOf(documentPath);
    const own = frontMatterOf(text);
    const sources = [...(own === undefined ? [] : [{ yaml: own, directory: path.dirname(documentPath) }]), ...(project?.sources ?? [])];
    const files = [
      ...new Set(
        sources.flatMap(({ yaml, directory }) => yamlBibliographyNames(yaml).map((name) => resolveBibliography(name, directory, projectDirectory))),
      ),
    ];
    const root = project?.declarationFile ?? documentPath;
    return { files, declared: files.length > 0, root, roots: [root], filesOfEveryRoot: files, fallback: path.resolve(path.dirname(root), defaultName) };
  };

  return {
    bibliographiesOf(documentPath, text, language, query = {}) {
      const file = path.resolve(documentPath);
      if (isProjectFile(file) && (insideFolders(file) || scan().has(file))) setText(file, text);
      return language === 'latex' ? latexBibliographies(file, text, query) : markdownBibliographies(file, text, query);
    },

    rootsOf(documentPath) {
      const file = path.resolve(documentPath);
      if (path.extname(file).toLowerCase() === '.tex') {
        const roots = latexRootsOf(file, textOf(file));
        return roots.length > 0 ? roots : [file];
      }
      return [markdownProjectOf(file)?.declarationFile ?? file];
    },

    documentsOf(root) {
      const file = path.resolve(root);
      if (path.extname(file).toLowerCase() === '.tex') return graphOf(file)?.files ?? [file];
      const name = path.basename(file).toLowerCase();
      if (!name.startsWith('_quarto.') && name !== 'index.rmd') return [file];
      // The Markdown documents of the book: every one under its folder that belongs to this project.
      const documents = [...scan().keys()].filter(
        (other) =>
          other !== file &&
          isInside(path.dirname(file), other) &&
          ['.md', '.markdown', '.qmd', '.rmd'].includes(path.extname(other).toLowerCase()) &&
          markdownProjectOf(other)?.declarationFile === file,
      );
      return [file, ...documents.sort()];
    },

    update(file, text) {
      const resolved = path.resolve(file);
      if (!isProjectFile(resolved)) return;
      setText(resolved, text ?? host.readFile(resolved) ?? null);
    },

    remove(file) {
      const resolved = path.resolve(file);
      if (scan().delete(resolved) && path.extname(resolved).toLowerCase() === '.tex') graphs = new Map();
    },

    rescan(newFolders) {
      if (newFolders) folders = newFolders.map((folder) => path.resolve(folder));
      scanned = undefined;
      graphs = new Map();
    },
  };
}

/** True when `file` is `folder` or inside it. */
function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
