// The one contract between the search webview and the extension: a discriminated union per direction, imported by
// both sides and handled with `switch (message.type)`.
import { isOrigin, type Origin } from '../core/paper';
import type { PaperView, SearchFilter, SourceOption, YearRange } from '../core/viewmodel';

/** What a result's buttons and keys do; each maps to the paperlens.<action> command with the paper (PaperTarget). */
export const PAPER_ACTIONS = ['cite', 'copyBibtex', 'copyKey', 'openSource'] as const;
export type PaperAction = (typeof PAPER_ACTIONS)[number];

/** The extension runs `paperlens.<action>` only for these: a message is data from a web page, not a command line. */
export function isPaperAction(action: unknown): action is PaperAction {
  return typeof action === 'string' && (PAPER_ACTIONS as readonly string[]).includes(action);
}

/**
 * The paper a command acts on: its key and, from a view that shows the paper, where it was read. Two papers of a
 * corpus file can share a key; the origin says which one. Without it the key's first paper is meant.
 */
export interface PaperTarget {
  key: string;
  origin?: Origin;
}

/**
 * The paper an action message names, checked field by field: a message is data from a web page. A missing or
 * malformed origin leaves the key alone; no key, no paper.
 */
export function paperTarget(message: { key?: unknown; origin?: unknown }): PaperTarget | undefined {
  if (typeof message.key !== 'string' || message.key === '') return undefined;
  const origin = message.origin;
  return isOrigin(origin) ? { key: message.key, origin: { file: origin.file, line: origin.line } } : { key: message.key };
}

/** The paper whose similar papers the view lists, and its title for the banner. */
export interface SimilarTo extends PaperTarget {
  title: string;
}

/** The library as the search view needs it: size, load state and what the filters offer. */
export interface LibraryInfo {
  /** 'loading' until the first load finishes; later loads keep showing the previous library. */
  state: 'loading' | 'ready' | 'failed';
  /** Why the last load failed, with state 'failed'. */
  failure?: string;
  size: number;
  sources: SourceOption[];
  years?: YearRange;
}

/** Results for the search box or for "Similar papers". */
export interface ResultsMessage {
  type: 'results';
  /** Echoes the request, so the view drops answers to queries the user has already typed past. */
  requestId: number;
  hits: PaperView[];
  /** "12 of 198 papers", or "Best 100 of 88,131 papers" when the engine's limit cut the list. */
  countLabel: string;
}

export type ExtensionToWebview =
  | { type: 'library'; library: LibraryInfo }
  | ResultsMessage
  /** The outcome of an action, announced in the view's status line. */
  | { type: 'actionDone'; action: PaperAction; key: string; ok: boolean }
  | { type: 'error'; requestId: number; message: string }
  /** "Show Similar Papers" from a tree, a hover or the palette: the view lists the papers similar to this one. */
  | ({ type: 'showSimilar' } & SimilarTo);

export type WebviewToExtension =
  /** The script has loaded and listens; the extension answers with the library. */
  | { type: 'ready' }
  | { type: 'search'; requestId: number; query: string; filter: SearchFilter }
  | { type: 'similar'; requestId: number; key: string; origin?: Origin; filter: SearchFilter }
  /** `origin`: the result's, so that the action reaches this paper and not another under its key. */
  | { type: 'action'; action: PaperAction; key: string; origin: Origin }
  | { type: 'addCorpusFile' }
  | { type: 'openSettings' }
  | { type: 'showOutput' };
