// The Search webview view: the extension side of src/webview/search.ts. It passes the view's queries to the server
// and turns its action buttons into the paperlens.* commands, so a result acts exactly like the palette.
import * as vscode from 'vscode';
import { showWebviewPage } from '../client/webviewHtml';
import type { Services } from '../client/services';
import { COMMANDS, INTERNAL_COMMANDS, VIEWS } from '../ids';
import { LibraryInfoRequest, SearchRequest } from '../protocol';
import { isPaperAction, paperTarget, type ExtensionToWebview, type SimilarTo, type WebviewToExtension } from '../webview/messages';

/** Results drawn per query: enough to scan, small enough to post and draw at once. */
const RESULT_LIMIT = 100;
/** "Similar papers" listed, among those the view's filters let through. */
const SIMILAR_LIMIT = 30;

export function register(services: Services): vscode.Disposable {
  /** The view's "show similar papers" once its page listens; until then the request waits here. */
  let showSimilar: ((paper: SimilarTo) => void) | undefined;
  let waitingSimilar: SimilarTo | undefined;
  return vscode.Disposable.from(
    vscode.window.registerWebviewViewProvider(VIEWS.search, {
      resolveWebviewView: (view) => {
        showSimilar = undefined;
        resolveSearchView(services, view, (show) => {
          showSimilar = show;
          if (waitingSimilar) show(waitingSimilar);
          waitingSimilar = undefined;
        });
      },
    }),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.searchShowSimilar, (paper: SimilarTo) => {
      if (showSimilar) showSimilar(paper);
      else waitingSimilar = paper;
    }),
  );
}

/** `onListening` gets the view's way to show similar papers once its page has loaded (and again after a reload). */
function resolveSearchView(services: Services, view: vscode.WebviewView, onListening: (showSimilar: (paper: SimilarTo) => void) => void): void {
  showWebviewPage(services.context.extensionUri, view, 'search', 'Search papers');

  let disposed = false;
  // Answers can arrive after the view closed (a slow cite, the first load): a disposed webview takes no messages.
  const post = (message: ExtensionToWebview) => {
    if (!disposed) void view.webview.postMessage(message);
  };
  const postLibrary = async () => {
    const { sourceSummaries: _sources, ...library } = await services.server.request(LibraryInfoRequest, undefined);
    post({ type: 'library', library });
  };
  const postLibraryLogged = () => void postLibrary().catch((error: unknown) => services.log.error(`The search view could not be updated: ${String(error)}`));

  const disposables: vscode.Disposable[] = [
    services.server.onDidChangeStatus(postLibraryLogged),
    view.webview.onDidReceiveMessage(async (message: WebviewToExtension) => {
      switch (message.type) {
        case 'ready':
          postLibraryLogged();
          onListening((paper) => post({ type: 'showSimilar', ...paper }));
          break;
        case 'search':
        case 'similar':
          try {
            const result = await services.server.request(SearchRequest, {
              kind: message.type,
              text: message.type === 'search' ? message.query : message.key,
              origin: message.type === 'similar' ? paperTarget(message)?.origin : undefined,
              filter: message.filter,
              limit: message.type === 'search' ? RESULT_LIMIT : SIMILAR_LIMIT,
            });
            post({ type: 'results', requestId: message.requestId, hits: result.hits, countLabel: result.countLabel });
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            services.log.error(`Search failed: ${reason}`);
            post({ type: 'error', requestId: message.requestId, message: `The search failed: ${reason}. See "Paperlens: Show Paperlens Output".` });
          }
          break;
        case 'action': {
          const paper = paperTarget(message);
          if (!isPaperAction(message.action) || !paper) {
            services.log.error(`The search view asked for an unknown action or paper: ${JSON.stringify(message.action)} ${JSON.stringify(message.key)}`);
            break;
          }
          const { action } = message;
          void vscode.commands.executeCommand<boolean>(COMMANDS[action], paper).then(
            (ok) => post({ type: 'actionDone', action, key: paper.key, ok: ok !== false }),
            (error: unknown) => {
              services.log.error(`${action} ${paper.key} failed: ${error instanceof Error ? error.message : String(error)}`);
              post({ type: 'actionDone', action, key: paper.key, ok: false });
            },
          );
          break;
        }
        case 'addCorpusFile':
          void vscode.commands.executeCommand(COMMANDS.addCorpusFile);
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

