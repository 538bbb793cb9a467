// Citation completion in LaTeX and Markdown: the engine's ranking, shown as is. The list is incomplete (asked
// again on every keystroke) and every item's filter text is the typed text, so VS Code filters nothing away.
// Accepting a paper the bibliography lacks runs a command that adds its entry.
import * as vscode from 'vscode';
import { completionItems, type CompletionItemModel } from '../core/completion';
import { citeContext, documentLanguage } from '../core/documents/citations';
import type { Paper } from '../core/paper';
import { completionDocumentation } from '../core/render';
import type { Services } from '../services';
import { addToBibliography } from './cite';

/** Internal (not in the manifest): run by an accepted item to add the paper's entry to the bibliography. */
export const COMPLETION_ACCEPTED_COMMAND = 'paperlens.completionAccepted';

const LATEX: vscode.DocumentSelector = [
  { language: 'latex', scheme: 'file' },
  { language: 'tex', scheme: 'file' },
  { language: 'latex', scheme: 'untitled' },
];
const MARKDOWN: vscode.DocumentSelector = ['markdown', 'quarto', 'rmd'].flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

/** A completion item that still knows its paper, so its details are rendered only when they are shown. */
class PaperCompletionItem extends vscode.CompletionItem {
  constructor(
    label: vscode.CompletionItemLabel,
    kind: vscode.CompletionItemKind,
    readonly paper: Paper,
  ) {
    super(label, kind);
  }
}

function toCompletionItem(model: CompletionItemModel, document: vscode.TextDocument, ranges: vscode.CompletionItem['range']): PaperCompletionItem {
  const item = new PaperCompletionItem(
    { label: model.key, detail: model.labelDetail, description: model.description },
    model.inBibliography ? vscode.CompletionItemKind.Reference : vscode.CompletionItemKind.Value,
    model.paper,
  );
  item.detail = model.detail;
  item.insertText = model.insertText;
  item.filterText = model.filterText;
  item.sortText = model.sortText;
  item.range = ranges;
  if (!model.inBibliography) {
    item.command = {
      command: COMPLETION_ACCEPTED_COMMAND,
      title: 'Add the entry to the bibliography',
      arguments: [document.uri, model.paper.key],
    };
  }
  return item;
}

export function register(services: Services): vscode.Disposable {
  const reader = services.bibliographies;
  const provider: vscode.CompletionItemProvider<PaperCompletionItem> = {
    provideCompletionItems(document, position) {
      const language = documentLanguage(document.languageId);
      if (!language) return undefined;
      const text = document.getText();
      const offset = document.offsetAt(position);
      const context = citeContext(text, offset, language);
      if (!context) return undefined;
      const start = document.positionAt(context.replaceStart);
      const ranges = { inserting: new vscode.Range(start, position), replacing: new vscode.Range(start, document.positionAt(context.replaceEnd)) };
      const typed = text.slice(context.replaceStart, context.replaceEnd);
      const models = completionItems(services.library.library, context, typed, reader.contents(document));
      return new vscode.CompletionList(
        models.map((model) => toCompletionItem(model, document, ranges)),
        true,
      );
    },
    resolveCompletionItem(item) {
      item.documentation = new vscode.MarkdownString(completionDocumentation(item.paper));
      return item;
    },
  };

  const accepted = async (uri: vscode.Uri, key: string): Promise<void> => {
    const paper = services.library.library.byKey(key);
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString());
    if (!paper || !document) {
      services.log.warn(`completion accepted for ${key}, but ${paper ? 'its document is closed' : 'the library no longer has it'}`);
      return;
    }
    try {
      await addToBibliography(reader, document, paper);
    } catch (error) {
      services.log.error(`adding ${key} to the bibliography failed: ${error instanceof Error ? error.stack : String(error)}`);
      void vscode.window.showErrorMessage(`Paperlens could not add ${key} to the bibliography: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return vscode.Disposable.from(
    // `{` opens \cite{, `,` the next key, a space the next word of a query (the provider answers nothing
    // outside a key list); Markdown's quick suggestions are off by default, so `@` opens [@ and @, and a space
    // the next word of a query inside [@….
    vscode.languages.registerCompletionItemProvider(LATEX, provider, '{', ',', ' '),
    vscode.languages.registerCompletionItemProvider(MARKDOWN, provider, '@', ' '),
    vscode.commands.registerCommand(COMPLETION_ACCEPTED_COMMAND, accepted),
  );
}
