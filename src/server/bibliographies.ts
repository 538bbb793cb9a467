// Which .bib files a document uses and what they define, shared by completion, hover, definition, citing and the
// citation check, so one cache serves every keystroke. Open documents are read as the editor has them (unsaved
// changes included, synced over LSP), other files from disk.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { BibliographyContents, type BibliographyFile } from '../core/bibedit';
import { createProject, type ProjectModel } from '../core/documents/project';
import type { DocumentLanguage } from '../core/documents/types';
import { readBibtex } from '../core/formats/bibtex';
import type { Paper } from '../core/paper';

/** An open document's text and version, by file path. */
export type OpenText = (file: string) => { text: string; version: number } | undefined;

/** The bibliography files a document uses: those its project declares, or the default one beside its root. */
export interface DocumentBibliography {
  /** Where new entries go. */
  files: string[];
  /** False when the document declares none and `files` holds the default. */
  declared: boolean;
  /** The document declarations are read from and a declaration goes into: the LaTeX root, `index.Rmd`, `_quarto.yml`, or itself. */
  root: string;
  /** Every root the document belongs to. */
  roots: string[];
  /** The bibliographies of every root: what the document may cite from (is a key defined, hover, definition). */
  filesOfEveryRoot: string[];
  /** Which root was chosen, when there was a choice. */
  note?: string;
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
 * completion and hover on every keystroke cost a stat per file, not a read. Which files a document uses comes from
 * the project model (core/documents/project: the roots found by scanning the workspace folders), kept current by
 * the documents' changes and the client's file events.
 */
export class BibliographyReader {
  private readonly declaredCache = new Map<string, { version: number; generation: number; bibliography: DocumentBibliography }>();
  private readonly project: ProjectModel;
  /** Counts project changes, so a cached answer is not kept past a change to another file of the project. */
  private generation = 0;
  private readonly textCache = new Map<string, { stamp: string; text: string | undefined }>();
  private readonly contentsCache = new Map<string, { stamps: string; contents: BibliographyContents }>();
  private readonly papersCache = new Map<string, { stamp: string; papers: Paper[] }>();

  constructor(
    private readonly openText: OpenText,
    /** File name, relative to the document's root, that receives cited entries when the document declares none. */
    private readonly defaultBibliography: (file: string) => string,
    folders: readonly string[],
  ) {
    this.project = createProject({
      folders,
      readFile: this.cachedText,
      exists: (file) => this.openText(file) !== undefined || existsSync(file),
    });
  }

  /** A file of the project changed (`text`: its editor's text) or was created; without `text` it is read again. */
  fileChanged(file: string, text?: string): void {
    this.project.update(file, text);
    this.generation++;
  }

  fileDeleted(file: string): void {
    this.project.remove(file);
    this.generation++;
  }

  foldersChanged(folders: readonly string[]): void {
    this.project.rescan(folders);
    this.generation++;
  }

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
    const cached = this.declaredCache.get(document.uri);
    if (cached && cached.version === document.version && cached.generation === this.generation) return cached.bibliography;
    const answer = this.project.bibliographiesOf(document.file, document.text, document.language, {
      defaultBibliography: this.defaultBibliography(document.file),
    });
    const bibliography: DocumentBibliography = {
      // No bibliography declared: the default file beside the root, never beside a chapter.
      files: answer.declared ? answer.files : [answer.fallback],
      declared: answer.declared,
      root: answer.root,
      roots: answer.roots,
      filesOfEveryRoot: answer.declared ? answer.filesOfEveryRoot : [answer.fallback],
      ...(answer.note === undefined ? {} : { note: answer.note }),
    };
    this.declaredCache.set(document.uri, { version: document.version, generation: this.generation, bibliography });
    return bibliography;
  }

  /** The texts of the bibliography files of every root that exist, as the editor has them. */
  files(bibliography: DocumentBibliography | undefined): BibliographyFile[] {
    return (bibliography?.filesOfEveryRoot ?? []).flatMap((file) => {
      const text = this.cachedText(file);
      return text === undefined ? [] : [{ file, text }];
    });
  }

  /** What the bibliographies of every root of the document define. */
  contents(bibliography: DocumentBibliography | undefined): BibliographyContents {
    const files = bibliography?.filesOfEveryRoot ?? [];
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
