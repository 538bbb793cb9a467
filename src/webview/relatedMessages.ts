// Messages between the Related view's webview (related.ts) and its extension side (features/relatedView.ts).
import type { Origin } from '../core/paper';

/** A paper as the Related view and the "Find citations" pick list show it. */
export interface RelatedPaperView {
  key: string;
  /** Where the paper was read: with the key, it names this paper among others under the same key. */
  origin: Origin;
  title: string;
  /** "Ashish Vaswani, Noam Shazeer et al." — empty when the source names no authors. */
  authors: string;
  year?: string;
  /** One line: the ideas the paper shares with the text ("Shares graph anomaly, spectral energy"). */
  reason: string;
  /** Where the shared words are in `reason`, for highlighting: [start, end) pairs. */
  reasonMarks: [number, number][];
  /** The paragraph already cites it. */
  cited: boolean;
}

export type RelatedViewState =
  | { kind: 'papers'; heading: string; hits: RelatedPaperView[]; canGoBack: boolean }
  /** Nothing to show, said in words: no editor, too short a paragraph, no related papers. */
  | { kind: 'message'; heading: string; message: string }
  | { kind: 'loading'; heading: string }
  | { kind: 'error'; heading: string; message: string };

export type RelatedToWebview = { type: 'state'; state: RelatedViewState } | { type: 'actionDone'; action: RelatedAction; key: string; ok: boolean };

export const RELATED_ACTIONS = ['cite', 'open', 'similar'] as const;
export type RelatedAction = (typeof RELATED_ACTIONS)[number];

/** The extension acts only on these: a message is data from a web page. */
export function isRelatedAction(action: unknown): action is RelatedAction {
  return typeof action === 'string' && (RELATED_ACTIONS as readonly string[]).includes(action);
}

export type RelatedToExtension =
  | { type: 'ready' }
  /** `origin`: the row's, so that Cite and Open reach this paper and not another under its key. */
  | { type: 'action'; action: RelatedAction; key: string; origin: Origin }
  | { type: 'back' };
