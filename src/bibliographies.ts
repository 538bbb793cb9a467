// Which .bib files a document uses and what they define, shared by completion, hover, definition, citing and the
// citation check through the service object, so one cache serves every keystroke.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BibliographyContents } from './core/bibedit';
import { declaredBibliographies, type DeclarationCache, type DeclaredBibliographies } from './core/documents/bibliographies';
import { documentLanguage } from './core/documents/citations';
import { readBibtex } from './core/formats/bibtex';
import type { Paper } from './core/paper';
import type { Settings } from './services';

/** The text of a file as the editor has it when it is open (unsaved changes included), else from disk. */
export function currentText(file: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === file);
  if (open) return open.getText();
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Changes whenever the text `currentText` gives can have changed. */
function textStamp(file: string): string {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === file);
  if (open) return `open:${open.version}:${open.isDirty}`;
  try {
    const stat = statSync(file);
    return `disk:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

/** The bibliography files a document uses: those it declares, or the default one beside it. */
export interface DocumentBibliography {
  files: string[];
  /** False when the document declares none and `files` holds the default. */
  declared: boolean;
  /** The document declarations are read from (the LaTeX root). */
  root: string;
}

/**
 * Reads which .bib files a document uses and what they define, cached by document version and file stamps,
 * so completion and hover on every keystroke cost a stat per file, not a read; of the LaTeX files a root pulls
 * in, only the one that changed is scanned again.
 */
export class BibliographyReader {
  private readonly declaredCache = new Map<string, { version: number; declared: DeclaredBibliographies }>();
  private readonly declarationCache: DeclarationCache = new Map();
  private readonly textCache = new Map<string, { stamp: string; text: string | undefined }>();
  private readonly contentsCache = new Map<string, { stamps: string; contents: BibliographyContents }>();
  private readonly papersCache = new Map<string, { stamp: string; papers: Paper[] }>();

  constructor(private readonly settings: Settings) {}

  /** `currentText`, read again only when the file's stamp changed: the same string while it did not. */
  private readonly cachedText = (file: string): string | undefined => {
    const stamp = textStamp(file);
    const cached = this.textCache.get(file);
    if (cached && cached.stamp === stamp) return cached.text;
    const text = currentText(file);
    this.textCache.set(file, { stamp, text });
    return text;
  };

  bibliography(document: vscode.TextDocument): DocumentBibliography | undefined {
    const language = documentLanguage(document.languageId);
    if (!language || document.uri.scheme !== 'file') return undefined;
    const key = document.uri.toString();
    let cached = this.declaredCache.get(key);
    if (!cached || cached.version !== document.version) {
      cached = {
        version: document.version,
        declared: declaredBibliographies(document.uri.fsPath, document.getText(), language, this.cachedText, this.declarationCache),
      };
      this.declaredCache.set(key, cached);
    }
    const { files, root } = cached.declared;
    if (files.length > 0) return { files, declared: true, root };
    const fallback = path.resolve(path.dirname(document.uri.fsPath), this.settings.defaultBibliography(document.uri));
    return { files: [fallback], declared: false, root };
  }

  contents(document: vscode.TextDocument): BibliographyContents {
    const files = this.bibliography(document)?.files ?? [];
    const key = files.join('\n');
    const stamps = files.map(textStamp).join('\n');
    const cached = this.contentsCache.get(key);
    if (cached && cached.stamps === stamps) return cached.contents;
    const contents = new BibliographyContents(
      files.flatMap((file) => {
        const text = currentText(file);
        return text === undefined ? [] : [{ file, text }];
      }),
    );
    this.contentsCache.set(key, { stamps, contents });
    return contents;
  }

  /** The entry of a bibliography file read as a paper, for keys the library does not hold. */
  paperInFile(file: string, key: string): Paper | undefined {
    const stamp = textStamp(file);
    let cached = this.papersCache.get(file);
    if (!cached || cached.stamp !== stamp) {
      cached = { stamp, papers: readBibtex(currentText(file) ?? '', file).papers };
      this.papersCache.set(file, cached);
    }
    const lower = key.toLowerCase();
    return cached.papers.find((paper) => paper.key.toLowerCase() === lower);
  }
}
