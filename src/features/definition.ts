// Go to Definition on a cited key: its entry in the document's bibliography files.
import * as vscode from 'vscode';
import { documentLanguage, keyAt } from '../core/documents/citations';
import type { Services } from '../services';

const SELECTOR: vscode.DocumentSelector = ['latex', 'tex', 'markdown', 'quarto', 'rmd'];

export function register(services: Services): vscode.Disposable {
  const reader = services.bibliographies;
  return vscode.languages.registerDefinitionProvider(SELECTOR, {
    provideDefinition(document, position) {
      const language = documentLanguage(document.languageId);
      const found = language && keyAt(document.getText(), document.offsetAt(position), language);
      if (!found) return undefined;
      return reader
        .contents(document)
        .definitions(found.key)
        .map((origin) => new vscode.Location(vscode.Uri.file(origin.file), new vscode.Position(origin.line - 1, 0)));
    },
  });
}
