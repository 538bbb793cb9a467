// Hover on a cited key: the paper (title, authors, year, venue, abstract, links) and where its entry is defined.
// Bibliography text is escaped by core/render; the hover trusts exactly one command, the one showing a whole abstract.
import * as vscode from 'vscode';
import { keyAt, documentLanguage } from '../core/documents/citations';
import type { Paper } from '../core/paper';
import { hoverMarkdown, paperPlainText, SHOW_ABSTRACT_COMMAND } from '../core/render';
import type { Services } from '../services';

const SELECTOR: vscode.DocumentSelector = ['latex', 'tex', 'markdown', 'quarto', 'rmd'];

export function register(services: Services): vscode.Disposable {
  const reader = services.bibliographies;
  /** The paper of the last hover, so its abstract link works for a paper only a .bib defines (one, not every one hovered). */
  let lastShown: Paper | undefined;

  const provider: vscode.HoverProvider = {
    provideHover(document, position) {
      const language = documentLanguage(document.languageId);
      if (!language) return undefined;
      const found = keyAt(document.getText(), document.offsetAt(position), language);
      if (!found) return undefined;
      const definitions = reader.contents(document).definitions(found.key);
      const paper =
        services.library.library.byKey(found.key) ??
        definitions.map((origin) => reader.paperInFile(origin.file, found.key)).find((known) => known !== undefined);
      if (paper) lastShown = paper;
      const markdown = new vscode.MarkdownString(hoverMarkdown({ key: found.key, paper, definitions }));
      markdown.isTrusted = { enabledCommands: [SHOW_ABSTRACT_COMMAND] };
      markdown.supportHtml = false;
      return new vscode.Hover(markdown, new vscode.Range(document.positionAt(found.start), document.positionAt(found.end)));
    },
  };

  const showAbstract = async (key: string): Promise<void> => {
    const paper = services.library.library.byKey(key) ?? (lastShown?.key === key ? lastShown : undefined);
    if (!paper) {
      void vscode.window.showInformationMessage(`${key} is no longer in the library.`);
      return;
    }
    await vscode.window.showInformationMessage(paper.title || paper.key, { modal: true, detail: paperPlainText(paper) });
  };

  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(SELECTOR, provider),
    vscode.commands.registerCommand(SHOW_ABSTRACT_COMMAND, showAbstract),
  );
}
