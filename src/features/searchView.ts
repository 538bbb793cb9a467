// The Search webview view: the extension side of src/webview/search.ts. It answers the view's queries from the
// engine and turns its action buttons into the paperlens.* commands, so a result acts exactly like the palette.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Library } from '../core/library';
import { paperFilter, papersLabel, paperView, resultCountLabel, sourceOptions, yearRange, type YearRange } from '../core/viewmodel';
import type { Services } from '../services';
import { isPaperAction, type ExtensionToWebview, type WebviewToExtension } from '../webview/messages';

export const SEARCH_VIEW_ID = 'paperlens.search';
/** Results drawn per query: enough to scan, small enough to post and draw at once. */
const RESULT_LIMIT = 100;
/** "Similar papers" listed, among those the view's filters let through. */
const SIMILAR_LIMIT = 30;

export function register(services: Services): vscode.Disposable {
  return vscode.window.registerWebviewViewProvider(SEARCH_VIEW_ID, {
    resolveWebviewView: (view) => resolveSearchView(services, view),
  });
}

function resolveSearchView(services: Services, view: vscode.WebviewView): void {
  const extensionUri = services.context.extensionUri;
  const scriptRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const mediaRoot = vscode.Uri.joinPath(extensionUri, 'media');
  view.webview.options = { enableScripts: true, localResourceRoots: [scriptRoot, mediaRoot] };
  view.webview.html = searchHtml(
    view.webview,
    view.webview.asWebviewUri(vscode.Uri.joinPath(scriptRoot, 'search.js')),
    view.webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'search.css')),
  );

  let disposed = false;
  // Computing the year range walks every paper; do it once per library, not on each post.
  let described: { library: Library; years: YearRange | undefined } | undefined;
  // Answers can arrive after the view closed (a slow cite, the first load): a disposed webview takes no messages.
  const post = (message: ExtensionToWebview) => {
    if (!disposed) void view.webview.postMessage(message);
  };
  const postLibrary = () => {
    const library = services.library.library;
    if (described?.library !== library) described = { library, years: yearRange(library.papers()) };
    const loadState = services.library.state;
    // Later loads keep showing the previous library; only the first one shows as loading.
    const state = loadState.kind === 'failed' ? 'failed' : loadState.kind === 'loading' && library.size === 0 ? 'loading' : 'ready';
    const failure = loadState.kind === 'failed' ? loadState.message : undefined;
    post({ type: 'library', library: { state, failure, size: library.size, sources: sourceOptions(library.sources), years: described.years } });
  };

  const disposables: vscode.Disposable[] = [
    services.library.onDidChangeState(postLibrary),
    view.webview.onDidReceiveMessage((message: WebviewToExtension) => {
      switch (message.type) {
        case 'ready':
          postLibrary();
          break;
        case 'search':
        case 'similar':
          try {
            post(answer(services.library.library, message));
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            services.log.error(`Search failed: ${reason}`);
            post({ type: 'error', requestId: message.requestId, message: `The search failed: ${reason}. See "Paperlens: Show Paperlens Output".` });
          }
          break;
        case 'action':
          if (!isPaperAction(message.action)) {
            services.log.error(`The search view asked for an unknown action: ${JSON.stringify(message.action)}`);
            break;
          }
          void vscode.commands.executeCommand<boolean>(`paperlens.${message.action}`, message.key).then(
            (ok) => post({ type: 'actionDone', action: message.action, key: message.key, ok: ok !== false }),
            (error: unknown) => {
              services.log.error(`${message.action} ${message.key} failed: ${error instanceof Error ? error.message : String(error)}`);
              post({ type: 'actionDone', action: message.action, key: message.key, ok: false });
            },
          );
          break;
        case 'addCorpusFile':
          void vscode.commands.executeCommand('paperlens.addCorpusFile');
          break;
        case 'showOutput':
          services.log.show();
          break;
        case 'openSettings':
          void vscode.commands.executeCommand('workbench.action.openSettings', 'paperlens');
          break;
      }
    }),
  ];
  view.onDidDispose(() => {
    disposed = true;
    vscode.Disposable.from(...disposables).dispose();
  });
}

function answer(library: Library, request: Extract<WebviewToExtension, { type: 'search' | 'similar' }>): ExtensionToWebview {
  const filter = paperFilter(request.filter, (paper) => library.origins(paper.key).map((origin) => origin.file));
  const hits =
    request.type === 'search'
      ? library.search(request.query, { limit: RESULT_LIMIT, filter })
      : library.similar(request.key, SIMILAR_LIMIT, filter);
  return {
    type: 'results',
    requestId: request.requestId,
    hits: hits.map(paperView),
    // The engine returns at most RESULT_LIMIT hits and no total, so a full page reads "Best 100 of …".
    countLabel: `${countLabel(request.type, hits.length, library.size)}${filter ? ' (filtered)' : ''}`,
  };
}

function countLabel(kind: 'search' | 'similar', matches: number, librarySize: number): string {
  if (kind === 'similar') return `${matches} similar ${matches === 1 ? 'paper' : 'papers'}`;
  if (matches >= RESULT_LIMIT) return `Best ${matches} of ${papersLabel(librarySize)}`;
  return resultCountLabel(matches, librarySize);
}

function searchHtml(webview: vscode.Webview, script: vscode.Uri, style: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Search papers</title>
</head>
<body>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
