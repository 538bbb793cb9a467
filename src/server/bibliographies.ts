// Which .bib files a document uses and what they define, shared by completion, hover, definition, citing and the
// citation check, so one cache serves every keystroke. Open documents are read as the editor has them (unsaved
// changes included, synced over LSP), other files from disk.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { BibliographyContents, type BibliographyFile } from '../core/bibedit';
import { declaredBibliographies, type DeclarationCache, type DeclaredBibliographies } from '../core/documents/bibliographies';
import type { DocumentLanguage } from '../core/documents/types';
import { readBibtex } from '../core/formats/bibtex';
import type { Paper } from '../core/paper';

/** An open document's text and version, by file path. */
export type OpenText = (file: string) => { text: string; version: number } | undefined;

/** The bibliography files a document uses: those it declares, or the default one beside it. */
export interface DocumentBibliography {
  files: string[];
  /** False when the document declares none and `files` holds the default. */
  declared: boolean;
  /** The document declarations are read from (the LaTeX root). */
  root: string;
}

/** A document as the reader needs it. */
export interface DocumentInput {
  file: string;
  uri: string;
  version: number;
  text: string;
  language: DocumentLanguage;
}

function diskText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Reads which .bib files a document uses and what they define, cached by document version and file stamps, so
 * completion and hover on every keystroke cost a stat per file, not a read.
 */
export class BibliographyReader {
  private readonly declaredCache = new Map<string, { version: number; declared: DeclaredBibliographies }>();
  private readonly declarationCache: DeclarationCache = new Map();
  private readonly textCache = new Map<string, { stamp: string; text: string | undefined }>();
  private readonly contentsCache = new Map<string, { stamps: string; contents: BibliographyContents }>();
  private readonly papersCache = new Map<string, { stamp: string; papers: Paper[] }>();

  constructor(
    private readonly openText: OpenText,
    /** File name, relative to the document, that receives cited entries when the document declares none. */
    private readonly defaultBibliography: (file: string) => string,
  ) {}

  /** The text of a file as the editor has it when it is open, else from disk; undefined when it does not exist. */
  currentText(file: string): string | undefined {
    return this.openText(file)?.text ?? diskText(file);
  }

  /** True when the file is open with changes not on disk. */
  isDirty(file: string): boolean {
    const open = this.openText(file);
    return open !== undefined && open.text !== diskText(file);
  }

  /** Changes whenever the text `currentText` gives can have changed. */
  private stamp(file: string): string {
    const open = this.openText(file);
    if (open) return `open:${open.version}`;
    try {
      const stat = statSync(file);
      return `disk:${stat.mtimeMs}:${stat.size}`;
    } catch {
      return 'missing';
    }
  }

  /** `currentText`, read again only when the file's stamp changed. */
  private readonly cachedText = (file: string): string | undefined => {
    const stamp = this.stamp(file);
    const cached = this.textCache.get(file);
    if (cached && cached.stamp === stamp) return cached.text;
    const text = this.currentText(file);
    this.textCache.set(file, { stamp, text });
    return text;
  };

  bibliography(document: DocumentInput): DocumentBibliography {
    let cached = this.declaredCache.get(document.uri);
    if (!cached || cached.version !== document.version) {
      cached = {
        version: document.version,
        declared: declaredBibliographies(document.file, document.text, document.language, this.cachedText, this.declarationCache),
      };
      this.declaredCache.set(document.uri, cached);
    }
    const { files, root } = cached.declared;
    if (files.length > 0) return { files, declared: true, root };
    const fallback = path.resolve(path.dirname(document.file), this.defaultBibliography(document.file));
    return { files: [fallback], declared: false, root };
  }

  /** The texts of the bibliography's files that exist, as the editor has them. */
  files(bibliography: DocumentBibliography | undefined): BibliographyFile[] {
    return (bibliography?.files ?? []).flatMap((file) => {
      const text = this.cachedText(file);
      return text === undefined ? [] : [{ file, text }];
    });
  }

  contents(bibliography: DocumentBibliography | undefined): BibliographyContents {
    const files = bibliography?.files ?? [];
    const key = files.join('\n');
    const stamps = files.map((file) => this.stamp(file)).join('\n');
    const cached = this.contentsCache.get(key);
    if (cached && cached.stamps === stamps) return cached.contents;
    const contents = new BibliographyContents(
      files.flatMap((file) => {
        const text = this.currentText(file);
        return text === undefined ? [] : [{ file, text }];
      }),
    );
    this.contentsCache.set(key, { stamps, contents });
    return contents;
  }

  /** The entry of a bibliography file read as a paper, for keys the library does not hold. */
  paperInFile(file: string, key: string): Paper | undefined {
    const stamp = this.stamp(file);
    let cached = this.papersCache.get(file);
    if (!cached || cached.stamp !== stamp) {
      cached = { stamp, papers: readBibtex(this.currentText(file) ?? '', file).papers };
      this.papersCache.set(file, cached);
    }
    const lower = key.toLowerCase();
    return cached.papers.find((paper) => paper.key.toLowerCase() === lower);
  }

  /** A closed document's cached declarations are not needed again. */
  forget(uri: string): void {
    this.declaredCache.delete(uri);
  }
}
