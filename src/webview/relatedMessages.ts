// Messages between the Related view's webview (related.ts) and its extension side (features/relatedView.ts).

/** A paper as the Related view and the "Find citations" pick list show it. */
export interface RelatedPaperView {
  key: string;
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

export type RelatedAction = 'cite' | 'open' | 'similar';

export type RelatedToExtension = { type: 'ready' } | { type: 'action'; action: RelatedAction; key: string } | { type: 'back' };
