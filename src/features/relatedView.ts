// The Related view (webview view paperlens.related) and "Find citations for this sentence": the extension side of
// src/webview/related.ts. The view follows the cursor and the text of the LaTeX or Markdown editor: a pause of
// RELATED_DELAY_MS asks the server for the paragraph's papers, and the next change cancels a request still running
// (LSP cancellation reaches the library worker), so typing never waits for it. Cite goes through the server's
// citing command, exactly as completion cites: the key at the cursor and its entry in the document's .bib.
import * as vscode from 'vscode';
import { showWebviewPage } from '../client/webviewHtml';
import { citePaper } from '../client/citing';
import { openPaper } from '../client/paperDocuments';
import type { Services } from '../client/services';
import { CITING_LANGUAGES, COMMANDS, VIEWS } from '../ids';
import { PaperRequest, RelatedRequest, RelatedSimilarRequest, SentencePapersRequest, ServerCommands, type RelatedPaperView, type RelatedResult } from '../protocol';
import { paperTarget, type PaperTarget } from '../webview/messages';
import { isRelatedAction, type RelatedToExtension, type RelatedToWebview, type RelatedViewState } from '../webview/relatedMessages';

/** The pause after typing or moving the cursor before the paragraph is ranked again. */
const RELATED_DELAY_MS = 300;
const RELATED_LIMIT = 10;
const PARAGRAPH_HEADING = 'Related to this paragraph';

function isCitingEditor(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return (
    editor !== undefined &&
    ['file', 'untitled'].includes(editor.document.uri.scheme) &&
    (CITING_LANGUAGES as readonly string[]).includes(editor.document.languageId)
  );
}

/** What the view shows for the server's answer about a paragraph. */
function paragraphState(result: RelatedResult): RelatedViewState {
  switch (result.kind) {
    case 'papers':
      return result.hits.length === 0
        ? { kind: 'message', heading: PARAGRAPH_HEADING, message: 'No related papers in the library for this paragraph.' }
        : { kind: 'papers', heading: PARAGRAPH_HEADING, hits: result.hits, canGoBack: false };
    case 'tooShort':
      return { kind: 'message', heading: PARAGRAPH_HEADING, message: 'Too short: write a few more words of this paragraph to see related papers.' };
    case 'noParagraph':
      return { kind: 'message', heading: PARAGRAPH_HEADING, message: 'Put the cursor in a paragraph to see the papers related to it.' };
    case 'noDocument':
      return { kind: 'message', heading: PARAGRAPH_HEADING, message: 'Open a LaTeX or Markdown document to see the papers related to what you write.' };
  }
}

export function register(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.window.registerWebviewViewProvider(VIEWS.related, { resolveWebviewView: (view) => resolveRelatedView(services, view) }),
    vscode.commands.registerCommand(COMMANDS.findCitations, (uri?: string, position?: { line: number; character: number }) =>
      findCitations(services, uri, position),
    ),
  );
}

function resolveRelatedView(services: Services, view: vscode.WebviewView): void {
  showWebviewPage(services.context.extensionUri, view, 'related', 'Related papers');

  let disposed = false;
  const post = (message: RelatedToWebview) => {
    if (!disposed) void view.webview.postMessage(message);
  };
  /** The editor the view follows: the last LaTeX or Markdown editor (the view itself takes focus when clicked). */
  let editor = isCitingEditor(vscode.window.activeTextEditor) ? vscode.window.activeTextEditor : undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: vscode.CancellationTokenSource | undefined;
  /** Showing the papers similar to one paper: the cursor does not replace them until "Back". */
  let showingSimilar = false;

  const refresh = async () => {
    running?.cancel();
    const source = new vscode.CancellationTokenSource();
    running = source;
    if (!editor) {
      post({ type: 'state', state: paragraphState({ kind: 'noDocument' }) });
      return;
    }
    const position = editor.selection.active;
    try {
      const result = await services.server.request(
        RelatedRequest,
        { uri: services.server.uriOf(editor.document.uri), position: { line: position.line, character: position.character }, limit: RELATED_LIMIT },
        source.token,
      );
      if (!source.token.isCancellationRequested && !showingSimilar) post({ type: 'state', state: paragraphState(result) });
    } catch (error) {
      if (source.token.isCancellationRequested) return;
      const reason = error instanceof Error ? error.message : String(error);
      services.log.error(`Related papers failed: ${reason}`);
      post({ type: 'state', state: { kind: 'error', heading: PARAGRAPH_HEADING, message: `Finding related papers failed: ${reason}. See "Paperlens: Show Paperlens Output".` } });
    } finally {
      if (running === source) running = undefined;
      source.dispose();
    }
  };
  const schedule = () => {
    // The answer being computed is for a text that no longer is: drop it now, not after the pause.
    running?.cancel();
    clearTimeout(timer);
    if (showingSimilar || !view.visible) return;
    timer = setTimeout(() => void refresh(), RELATED_DELAY_MS);
  };

  const showSimilar = async (paper: PaperTarget) => {
    showingSimilar = true;
    running?.cancel();
    const heading = `Similar to ${paper.key}`;
    post({ type: 'state', state: { kind: 'loading', heading } });
    const hits: RelatedPaperView[] = await services.server.request(RelatedSimilarRequest, { key: paper.key, origin: paper.origin, limit: RELATED_LIMIT });
    post({
      type: 'state',
      state: hits.length === 0 ? { kind: 'message', heading, message: 'No similar papers in the library.' } : { kind: 'papers', heading, hits, canGoBack: true },
    });
    return true;
  };

  const act = async (action: 'cite' | 'open' | 'similar', paper: PaperTarget): Promise<boolean> => {
    switch (action) {
      case 'cite':
        return citePaper(services, paper, editor);
      case 'open': {
        const found = await services.server.request(PaperRequest, { key: paper.key, origin: paper.origin });
        if (!found) return false;
        await openPaper(found.paper, found.format);
        return true;
      }
      case 'similar':
        return showSimilar(paper);
    }
  };

  const disposables: vscode.Disposable[] = [
    vscode.window.onDidChangeActiveTextEditor((active) => {
      if (isCitingEditor(active)) {
        editor = active;
        schedule();
      }
    }),
    vscode.window.onDidChangeTextEditorSelection((event) => {
      if (event.textEditor === editor) schedule();
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === editor?.document && event.contentChanges.length > 0) schedule();
    }),
    view.onDidChangeVisibility(() => schedule()),
    view.webview.onDidReceiveMessage((message: RelatedToExtension) => {
      switch (message.type) {
        case 'ready':
          void refresh();
          break;
        case 'back':
          showingSimilar = false;
          void refresh();
          break;
        case 'action': {
          const paper = paperTarget(message);
          if (!paper || !isRelatedAction(message.action)) {
            services.log.error(`The Related view asked for an unknown action or paper: ${JSON.stringify(message.action)} ${JSON.stringify(message.key)}`);
            break;
          }
          const { action } = message;
          act(action, paper).then(
            (ok) => post({ type: 'actionDone', action, key: paper.key, ok }),
            (error: unknown) => {
              services.log.error(`${action} ${paper.key} failed: ${error instanceof Error ? error.message : String(error)}`);
              post({ type: 'actionDone', action, key: paper.key, ok: false });
            },
          );
          break;
        }
      }
    }),
  ];
  view.onDidDispose(() => {
    disposed = true;
    clearTimeout(timer);
    running?.cancel();
    vscode.Disposable.from(...disposables).dispose();
  });
}

/**
 * "Find citations for this sentence" (the code action, with the document and position) and "Find Citations for
 * Selection" (the palette, on the selection or the sentence at the cursor): a pick list of the same ranking; the
 * chosen paper is cited at the end of the sentence, joined to a citation already there, with its entry added.
 */
async function findCitations(services: Services, uri?: string, position?: { line: number; character: number }): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!uri && !isCitingEditor(editor)) {
    void vscode.window.showInformationMessage('Open a LaTeX or Markdown document and select the sentence to find citations for.');
    return false;
  }
  const documentUri = uri ?? services.server.uriOf((editor as vscode.TextEditor).document.uri);
  const selection = !uri && editor && !editor.selection.isEmpty ? editor.selection : undefined;
  const at = position ?? editor?.selection.active ?? new vscode.Position(0, 0);
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Finding citations…' }, () =>
    services.server.request(SentencePapersRequest, {
      uri: documentUri,
      position: { line: at.line, character: at.character },
      selection: selection && { start: { line: selection.start.line, character: selection.start.character }, end: { line: selection.end.line, character: selection.end.character } },
      limit: RELATED_LIMIT,
    }),
  );
  if (!found || found.tooShort || found.hits.length === 0) {
    void vscode.window.showInformationMessage(
      !found ? 'Put the cursor in a sentence to find citations for it.' : found.tooShort ? 'The sentence is too short to find citations for.' : 'No papers in the library match this sentence.',
    );
    return false;
  }
  const picked = await vscode.window.showQuickPick(
    found.hits.map((hit) => ({
      label: hit.title || hit.key,
      description: [hit.key, hit.year].filter(Boolean).join(' · '),
      detail: [hit.authors, hit.reason].filter(Boolean).join(' — '),
      paper: { key: hit.key, origin: hit.origin },
    })),
    { title: 'Find citations for this sentence', placeHolder: 'The paper to cite at the end of the sentence', matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return false;
  const outcome = await services.server.runCommand(ServerCommands.citeAt, documentUri, found.citePosition, picked.paper.key, picked.paper.origin);
  return outcome?.applied === true;
}

