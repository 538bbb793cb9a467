// Opening a paper: its source entry (file at line) when that is a file worth reading, otherwise a readable,
// read-only preview document (scheme paperlens-paper, served by features/paperPreview) with title, authors, year,
// venue, abstract and BibTeX.
import * as vscode from 'vscode';
import type { CorpusFormat, Paper } from '../core/paper';

export const PREVIEW_SCHEME = 'paperlens-paper';

/** Formats whose entries read badly as source text: a listing line or a JSON record says less than a preview. */
const PREVIEWED_FORMATS: readonly string[] = ['listing', 'arxiv-jsonl'] satisfies CorpusFormat[];

/** The preview's address: a readable tab title ("<key>.md", Markdown colouring) and the exact key in the query. */
export function previewUri(paper: Pick<Paper, 'key'>): vscode.Uri {
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${paper.key.replace(/[\\/]/g, '_')}.md`, query: encodeURIComponent(paper.key) });
}

export function keyOfPreview(uri: vscode.Uri): string {
  return decodeURIComponent(uri.query);
}

export async function showPreview(paper: Pick<Paper, 'key'>): Promise<void> {
  const document = await vscode.workspace.openTextDocument(previewUri(paper));
  await vscode.window.showTextDocument(document, { preview: true });
}

/** Opens the paper's entry in its corpus file at its line; a paper whose file is not on disk gets the preview. */
export async function openSourceEntry(paper: Pick<Paper, 'key' | 'origin'>): Promise<void> {
  const file = vscode.Uri.file(paper.origin.file);
  if (!(await exists(file))) return showPreview(paper);
  const line = Math.max(0, paper.origin.line - 1);
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, 0), preview: true });
}

/** What clicking a paper does: the source entry for BibTeX, CSL-JSON and RIS files, the preview otherwise. */
export async function openPaper(paper: Pick<Paper, 'key' | 'origin'>, format: string | undefined): Promise<void> {
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
