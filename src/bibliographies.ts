// Which .bib files a document uses and what they define, shared by completion, hover, definition, citing and the
// citation check through the service object, so one cache serves every keystroke.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as vscode from 'vscode';
import { BibliographyContents } from './core/bibedit';
import { documentLanguage } from './core/documents/citations';
import { createProject, type ProjectModel } from './core/documents/project';
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

/** The bibliography files a document uses: those its project declares, or the default one beside its root. */
export interface DocumentBibliography {
  files: string[];
  /** False when the document declares none and `files` holds the default. */
  declared: boolean;
  /** The document declarations are read from and a declaration goes into: the LaTeX root, `index.Rmd`, `_quarto.yml`, or itself. */
  root: string;
  /** Every root the document belongs to. */
  roots: string[];
  /** The bibliographies of every root: what the document may cite from. */
  filesOfEveryRoot: string[];
  /** Which root was chosen, when there was a choice. */
  note?: string;
}

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
}

/**
 * Reads which .bib files a document uses and what they define, cached by document version and file stamps,
 * so completion and hover on every keystroke cost a stat per file, not a read. Which files a document uses comes
 * from the project model (roots found by scanning the workspace), kept up to date by editor and file events.
 */
export class BibliographyReader implements vscode.Disposable {
  private readonly declaredCache = new Map<string, { version: number; generation: number; bibliography: DocumentBibliography }>();
  private readonly textCache = new Map<string, { stamp: string; text: string | undefined }>();
  private readonly contentsCache = new Map<string, { stamps: string; contents: BibliographyContents }>();
  private readonly papersCache = new Map<string, { stamp: string; papers: Paper[] }>();
  private readonly project: ProjectModel;
  /** Counts project changes, so a cached answer is not kept past a change to another file of the project. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly settings: Settings) {
    this.project = createProject({
      folders: workspaceFolderPaths(),
      readFile: this.cachedText,
      exists: (file) => vscode.workspace.textDocuments.some((open) => open.uri.scheme === 'file' && open.uri.fsPath === file) || existsSync(file),
    });
    const changed = (uri: vscode.Uri, text?: string) => {
      if (uri.scheme !== 'file') return;
      this.project.update(uri.fsPath, text);
      this.generation++;
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{tex,md,markdown,qmd,rmd,Rmd,yml,yaml}');
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => changed(uri)),
      watcher.onDidChange((uri) => changed(uri)),
      watcher.onDidDelete((uri) => {
        if (uri.scheme !== 'file') return;
        this.project.remove(uri.fsPath);
        this.generation++;
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) changed(event.document.uri, event.document.getText());
      }),
      // Closing an editor drops its unsaved text: the file on disk holds again.
      vscode.workspace.onDidCloseTextDocument((document) => changed(document.uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.project.rescan(workspaceFolderPaths());
        this.generation++;
      }),
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

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
    const cached = this.declaredCache.get(key);
    if (cached && cached.version === document.version && cached.generation === this.generation) return cached.bibliography;
    const answer = this.project.bibliographiesOf(document.uri.fsPath, document.getText(), language, {
      defaultBibliography: this.settings.defaultBibliography(document.uri),
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
    this.declaredCache.set(key, { version: document.version, generation: this.generation, bibliography });
    return bibliography;
  }

  /** What the bibliographies of every root of the document define. */
  contents(document: vscode.TextDocument): BibliographyContents {
    const files = this.bibliography(document)?.filesOfEveryRoot ?? [];
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
