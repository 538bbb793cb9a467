// The tooltip of a paper in the trees: title, then authors · year · venue, then the given paragraphs; all of it
// escaped (appendText).
import * as vscode from 'vscode';
import type { Paper } from '../core/paper';
import { authorList } from '../core/viewmodel';

export function paperTooltip(paper: Paper, ...paragraphs: string[]): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**');
  tooltip.appendText(paper.title || paper.key);
  tooltip.appendMarkdown('**');
  const byline = [authorList(paper.authors), paper.year, paper.venue].filter(Boolean).join(' · ');
  for (const paragraph of [byline, ...paragraphs].filter(Boolean)) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(paragraph);
  }
  return tooltip;
}
