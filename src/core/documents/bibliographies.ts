// The bibliography files a document declares, and the edit that declares one when it has none.
// LaTeX follows `%!TEX root`, subfiles and \input/\include/\import from the root; Markdown reads the front matter.
// Files are read through an injected `readFile` so this stays pure and testable.
import * as path from 'node:path';
import { latexIgnoredRanges } from './latex';
import { FRONT_MATTER } from './markdown';
import { blankOut, type DocumentLanguage } from './types';

/** The text of a file, or undefined when it cannot be read. */
export type ReadFile = (file: string) => string | undefined;

export interface DeclaredBibliographies {
  /** Absolute paths of the declared bibliography files, in declaration order, without duplicates. */
  files: string[];
  /** The document the declarations were read from: the LaTeX root, or the document itself. */
  root: string;
}

/** An insertion into the document's text. */
export interface TextInsertion {
  offset: number;
  text: string;
}

const MAGIC_ROOT = /^[ \t]*%[ \t]*!T[eE]X[ \t]+root[ \t]*=[ \t]*(.+?)[ \t]*$/m;
const SUBFILES_CLASS = /\\documentclass\s*\[([^\]]+)\]\s*\{subfiles\}/;
/** Bibliography declarations and the commands that pull in other files, in one pattern so document order is kept. */
const LATEX_DECLARATION = new RegExp(
  [
    String.raw`\\(bibliography|nobibliography|addbibresource|addglobalbib|addsectionbib)\s*(?:\[([^\]]*)\])?\s*\{([^}]*)\}`,
    String.raw`\\(input|include|subfile|InputIfFileExists|subfileinclude)\s*\{([^}]+)\}`,
    String.raw`\\(import|subimport|inputfrom|subinputfrom|includefrom|subincludefrom)\*?\s*\{([^}]*)\}\s*\{([^}]+)\}`,
  ].join('|'),
  'g',
);
/** Deep enough for any real thesis; stops include cycles the visited set would miss through odd paths. */
const MAX_INCLUDE_DEPTH = 20;

/** What one LaTeX file declares, in document order: bibliography names and the files it pulls in. */
type LatexDeclaration =
  | { kind: 'bibliography'; name: string }
  /** `parts` resolve against the root's folder, or (`\subfile`, `\subimport`) the including file's. */
  | { kind: 'include'; relativeTo: 'root' | 'here'; parts: string[] };

/**
 * Declarations of LaTeX files by path, reused while a file's text is the same: completion asks on every
 * keystroke, and a thesis root pulls in many chapters that did not change.
 */
export type DeclarationCache = Map<string, { text: string; declarations: LatexDeclaration[] }>;

export function declaredBibliographies(
  documentPath: string,
  text: string,
  language: DocumentLanguage,
  readFile: ReadFile,
  cache: DeclarationCache = new Map(),
): DeclaredBibliographies {
  if (language === 'markdown') return { files: frontMatterBibliographies(documentPath, text), root: documentPath };
  const rootPath = latexRoot(documentPath, text);
  const rootText = rootPath === documentPath ? text : readFile(rootPath);
  if (rootText === undefined) return { files: latexBibliographies(documentPath, text, readFile, cache), root: documentPath };
  return { files: latexBibliographies(rootPath, rootText, readFile, cache), root: rootPath };
}

/** The root named by a `%!TEX root` comment or a subfiles class option, else the document itself. */
function latexRoot(documentPath: string, text: string): string {
  return namedLatexRoot(documentPath, text) ?? documentPath;
}

/** The root a `%!TEX root` comment or a subfiles class option names, when the document names one. */
export function namedLatexRoot(documentPath: string, text: string): string | undefined {
  const head = text.slice(0, 4000);
  const named = MAGIC_ROOT.exec(head)?.[1] ?? SUBFILES_CLASS.exec(head)?.[1];
  if (!named) return undefined;
  const resolved = path.resolve(path.dirname(documentPath), named.trim());
  return path.extname(resolved) === '' ? `${resolved}.tex` : resolved;
}

function latexDeclarations(text: string): LatexDeclaration[] {
  const declarations: LatexDeclaration[] = [];
  const masked = blankOut(text, latexIgnoredRanges(text));
  const pattern = new RegExp(LATEX_DECLARATION.source, 'g');
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(masked))) {
    if (match[1] !== undefined) {
      if (/location\s*=\s*remote/.test(match[2] ?? '')) continue;
      for (const name of match[3].split(',').map((part) => part.trim()).filter(Boolean)) {
        // Biblatex resources are named in full; BibTeX adds `.bib` itself.
        const bibtex = match[1] === 'bibliography' || match[1] === 'nobibliography';
        declarations.push({ kind: 'bibliography', name: bibtex ? bibtexName(name) : name });
      }
    } else if (match[4] !== undefined) {
      // \subfile names its file relative to the including file; \input and \include relative to the root.
      const relativeTo = match[4] === 'subfile' || match[4] === 'subfileinclude' ? 'here' : 'root';
      declarations.push({ kind: 'include', relativeTo, parts: [match[5].trim()] });
    } else if (match[6] !== undefined) {
      const relativeTo = match[6].startsWith('sub') ? 'here' : 'root';
      declarations.push({ kind: 'include', relativeTo, parts: [match[7].trim(), match[8].trim()] });
    }
  }
  return declarations;
}

function latexBibliographies(rootPath: string, rootText: string, readFile: ReadFile, cache: DeclarationCache): string[] {
  return latexGraph(rootPath, rootText, readFile, cache).bibliographies;
}

/** What a LaTeX root pulls together: every file of its include graph and the bibliographies they declare. */
export interface LatexGraph {
  /** The root and every file it includes, as read (with `.tex` added where the include omits it). */
  files: string[];
  /** Absolute paths of the declared bibliography files, in declaration order, without duplicates. */
  bibliographies: string[];
}

/** Walks the include graph of a root: `\input`/`\include`/`\import` resolve against the root's folder, `\subfile`/`\subimport` against the including file's. */
export function latexGraph(rootPath: string, rootText: string, readFile: ReadFile, cache: DeclarationCache = new Map()): LatexGraph {
  const rootDirectory = path.dirname(rootPath);
  const bibliographies: string[] = [];
  const visited = new Set<string>();

  const readTex = (file: string): { file: string; text: string } | undefined => {
    for (const candidate of path.extname(file) === '.tex' ? [file] : [`${file}.tex`, file]) {
      const text = readFile(candidate);
      if (text !== undefined) return { file: candidate, text };
    }
    return undefined;
  };

  const scan = (file: string, text: string, depth: number): void => {
    if (visited.has(file) || depth > MAX_INCLUDE_DEPTH) return;
    visited.add(file);
    const here = path.dirname(file);
    for (const declaration of cachedDeclarations(cache, file, text)) {
      if (declaration.kind === 'bibliography') {
        bibliographies.push(path.resolve(rootDirectory, declaration.name));
      } else {
        const included = readTex(path.resolve(declaration.relativeTo === 'here' ? here : rootDirectory, ...declaration.parts));
        if (included) scan(included.file, included.text, depth + 1);
      }
    }
  };

  scan(rootPath, rootText, 0);
  return { files: [...visited], bibliographies: [...new Set(bibliographies)] };
}

/** What a LaTeX file declares (bibliographies and included files), read again only when its text changed. */
export function cachedDeclarations(cache: DeclarationCache, file: string, text: string): LatexDeclaration[] {
  const cached = cache.get(file);
  if (cached && cached.text === text) return cached.declarations;
  const declarations = latexDeclarations(text);
  cache.set(file, { text, declarations });
  return declarations;
}

const DOCUMENT_CLASS = /\\documentclass\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}/;
const BEGIN_DOCUMENT = /\\begin\s*\{document\}/;

/** Classes of documents made to be included in another (`\subfile`, `\includestandalone`), never roots. */
const INCLUDED_CLASSES = new Set(['subfiles', 'standalone']);

/** A file LaTeX compiles on its own: a `\documentclass` (not one made for inclusion) and a `\begin{document}`, outside comments. */
export function isLatexRoot(text: string): boolean {
  if (!text.includes('\\documentclass')) return false;
  const masked = blankOut(text, latexIgnoredRanges(text));
  const documentClass = DOCUMENT_CLASS.exec(masked);
  return documentClass !== null && !INCLUDED_CLASSES.has(documentClass[1].trim()) && BEGIN_DOCUMENT.test(masked);
}

function bibtexName(name: string): string {
  return name.toLowerCase().endsWith('.bib') ? name : `${name}.bib`;
}

/** `bibliography:` of the YAML front matter, resolved against the document's folder. */
function frontMatterBibliographies(documentPath: string, text: string): string[] {
  const body = FRONT_MATTER.exec(text)?.[1];
  if (!body) return [];
  const directory = path.dirname(documentPath);
  return [...new Set(yamlBibliographyNames(body).map((name) => path.resolve(directory, name)))];
}

/** The YAML front matter of a Markdown document (its lines between the fences), when it has one. */
export function frontMatterOf(text: string): string | undefined {
  return FRONT_MATTER.exec(text)?.[1];
}

/**
 * The names `bibliography:` gives in YAML (front matter, `_quarto.yml`, `_metadata.yml`): one file, a flow list
 * `[a.bib, b.bib]`, or a block list; the first `bibliography:` key at any depth (Quarto also takes it under `format:`).
 */
export function yamlBibliographyNames(yaml: string): string[] {
  const lines = yaml.split(/\r?\n/);
  const index = lines.findIndex((line) => /^[ \t]*bibliography[ \t]*:/.test(line));
  if (index < 0) return [];
  const value = lines[index].replace(/^[ \t]*bibliography[ \t]*:/, '').replace(/[ \t]+#.*$/, '').trim();
  let names: string[];
  if (value.startsWith('[')) {
    names = value.replace(/^\[|\]$/g, '').split(',');
  } else if (value !== '') {
    names = [value];
  } else {
    names = [];
    for (const line of lines.slice(index + 1)) {
      const item = /^[ \t]*-[ \t]+(.+?)[ \t]*$/.exec(line);
      if (item) names.push(item[1]);
      else if (line.trim() !== '') break;
    }
  }
  return [...new Set(names.map(unquote).filter(Boolean))];
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Declares `bibliography` (a path relative to the document, `/`-separated) in a document that declares none:
 * `\addbibresource{…}` in a biblatex preamble, `\bibliography{…}` before `\end{document}` otherwise (with a
 * `\bibliographystyle` when there is none), `bibliography:` in the Markdown front matter, made when absent, or
 * at the end of a project's YAML file (`file`, the project model's root for a Quarto book).
 */
export function planBibliographyDeclaration(text: string, language: DocumentLanguage, bibliography: string, file?: string): TextInsertion {
  const eol = lineEnding(text);
  if (file !== undefined && /\.ya?ml$/i.test(file)) {
    // A project file (`_quarto.yml`): a top-level key at the end applies to every document of the project.
    const needsLineBreak = text !== '' && !text.endsWith('\n');
    return { offset: text.length, text: `${needsLineBreak ? eol : ''}bibliography: ${yamlScalar(bibliography)}${eol}` };
  }
  if (language === 'markdown') {
    const line = `bibliography: ${yamlScalar(bibliography)}${eol}`;
    const frontMatter = FRONT_MATTER.exec(text);
    if (!frontMatter) return { offset: 0, text: `---${eol}${line}---${eol}${eol}` };
    const closing = frontMatter[0].search(/(?:---|\.\.\.)[ \t]*(?:\r?\n)?$/);
    return { offset: closing, text: line };
  }
  const masked = blankOut(text, latexIgnoredRanges(text));
  const usesBiblatex = /\\usepackage\s*(?:\[[^\]]*\])?\s*\{[^}]*\bbiblatex\b[^}]*\}/.test(masked);
  const beginDocument = masked.search(/\\begin\s*\{document\}/);
  if (usesBiblatex && beginDocument >= 0) {
    return { offset: lineStart(text, beginDocument), text: `\\addbibresource{${bibliography}}${eol}` };
  }
  const style = /\\bibliographystyle\s*\{/.test(masked)
    ? ''
    : `\\bibliographystyle{${/\\usepackage\s*(?:\[[^\]]*\])?\s*\{[^}]*\bnatbib\b/.test(masked) ? 'plainnat' : 'plain'}}${eol}`;
  const declaration = `${style}\\bibliography{${bibliography.replace(/\.bib$/i, '')}}${eol}`;
  const endDocument = masked.search(/\\end\s*\{document\}/);
  if (endDocument >= 0) return { offset: lineStart(text, endDocument), text: declaration };
  const needsLineBreak = text !== '' && !text.endsWith('\n');
  return { offset: text.length, text: (needsLineBreak ? eol : '') + declaration };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Plain when YAML reads it back unchanged, double-quoted otherwise. */
function yamlScalar(value: string): string {
  return /^[\w./-][\w ./-]*$/.test(value) && !/\s$/.test(value) ? value : JSON.stringify(value);
}
