// The read-only preview documents of papers (scheme paperlens-paper): title, authors, year, venue, abstract and
// BibTeX, asked of the server; an open preview follows the library.
import * as vscode from 'vscode';
import { keyOfPreview, PREVIEW_SCHEME } from '../client/paperDocuments';
import type { Services } from '../client/services';
import { paperPreviewText } from '../core/viewmodel';
import { PaperRequest } from '../protocol';

export function register(services: Services): vscode.Disposable {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: async (uri, token) => {
      const key = keyOfPreview(uri);
      const found = await services.server.request(PaperRequest, { key }, token);
      if (!found) return `# ${key}\n\nThis paper is no longer in the library. Run "Paperlens: Rebuild Library" or add the corpus file that has it.\n`;
      return paperPreviewText(found.paper, found.bibtex, found.origins);
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider),
    // A rebuilt corpus may have changed the paper.
    services.server.onDidChangeLibrary(() => {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme === PREVIEW_SCHEME) changed.fire(document.uri);
      }
    }),
  );
}
