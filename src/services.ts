// The one service object: built in activate(), handed to every feature's register(). No globals.
import type * as vscode from 'vscode';
import type { BibliographyReader } from './bibliographies';
import type { Library } from './core/library';
import type { KeyFormula } from './core/citekey';

export type LoadState =
  | { kind: 'loading' }
  | { kind: 'ready'; millis: number; fromCache: boolean }
  | { kind: 'failed'; message: string };

/** The live library: replaced as a whole when sources or settings change. */
export interface LibraryService {
  /** The current library; empty until the first load finishes. */
  readonly library: Library;
  /** Fires after every (re)load with the new library. */
  readonly onDidChange: vscode.Event<Library>;
  /** Loading, ready or failed; a failed load keeps the previous library. */
  readonly state: LoadState;
  readonly onDidChangeState: vscode.Event<LoadState>;
  /** Resolves once the first load has finished (successfully or not). */
  readonly ready: Promise<void>;
  /** Re-read every corpus file and rebuild the index. */
  rebuild(): Promise<void>;
}

/** Typed, live settings: read on each call so a change applies without a reload. */
export interface Settings {
  /** Resource-scoped: pass the workspace folder to get a multi-root folder's own value. */
  corpusFiles(folder?: vscode.Uri): string[];
  includeWorkspaceBibFiles(folder?: vscode.Uri): boolean;
  bundledCorpus(): boolean;
  /** File name, relative to the document, that receives cited entries when the document declares none. */
  defaultBibliography(document: vscode.Uri): string;
  keyFormula(): KeyFormula;
}

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly library: LibraryService;
  readonly settings: Settings;
  /** Which .bib files each document uses and what they define; one cache for every feature. */
  readonly bibliographies: BibliographyReader;
  readonly log: vscode.LogOutputChannel;
}
