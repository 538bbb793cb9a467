// Opening a paper: its source entry (file at line) when that is a file worth reading, otherwise a readable,
// read-only preview document (scheme paperlens-paper) with title, authors, year, venue, abstract and BibTeX.
import * as vscode from 'vscode';
import { renderBibtex } from '../core/bibtex-render';
import type { CorpusFormat, Paper } from '../core/paper';
import { paperPreviewText } from '../core/viewmodel';
import type { Services } from '../services';

export const PREVIEW_SCHEME = 'paperlens-paper';

/** Formats whose entries read badly as source text: a listing line or a JSON record says less than a preview. */
const PREVIEWED_FORMATS: readonly CorpusFormat[] = ['listing', 'arxiv-jsonl'];

export function register(services: Services): vscode.Disposable {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => {
      const key = keyOfPreview(uri);
      const library = services.library.library;
      const paper = library.byKey(key);
      if (!paper) return `# ${key}\n\nThis paper is no longer in the library. Run "Paperlens: Rebuild Library" or add the corpus file that has it.\n`;
      return paperPreviewText(paper, renderBibtex(paper), library.origins(paper.key));
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider),
    // An open preview follows the library: a rebuilt corpus may have changed the paper.
    services.library.onDidChange(() => {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme === PREVIEW_SCHEME) changed.fire(document.uri);
      }
    }),
  );
}

/** The preview's address: a readable tab title ("<key>.md", Markdown colouring) and the exact key in the query. */
export function previewUri(paper: Paper): vscode.Uri {
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${paper.key.replace(/[\\/]/g, '_')}.md`, query: encodeURIComponent(paper.key) });
}

function keyOfPreview(uri: vscode.Uri): string {
  return decodeURIComponent(uri.query);
}

export async function showPreview(paper: Paper): Promise<void> {
  const document = await vscode.workspace.openTextDocument(previewUri(paper));
  await vscode.window.showTextDocument(document, { preview: true });
}

/** Opens the paper's entry in its corpus file at its line; a paper whose file is not on disk gets the preview. */
export async function openSourceEntry(paper: Paper): Promise<void> {
  const file = vscode.Uri.file(paper.origin.file);
  if (!(await exists(file))) return showPreview(paper);
  const line = Math.max(0, paper.origin.line - 1);
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, 0), preview: true });
}

/** What clicking a paper does: the source entry for BibTeX, CSL-JSON and RIS files, the preview otherwise. */
export async function openPaper(services: Services, paper: Paper): Promise<void> {
  const format = services.library.library.sources.find((source) => source.file === paper.origin.file)?.format;
  if (format && PREVIEWED_FORMATS.includes(format)) return showPreview(paper);
  return openSourceEntry(paper);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

