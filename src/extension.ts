// activate(): build the one service object, register every feature, and tell the user when starting fails
// (VS Code itself shows nothing when an extension's activation throws).
import * as vscode from 'vscode';
import { BibliographyReader } from './bibliographies';
import { WorkerLibraryService } from './libraryService';
import type { Services } from './services';
import { createSettings } from './settings';
import * as cite from './features/cite';
import * as citationCheck from './features/citationCheck';
import * as citedTree from './features/citedTree';
import * as commands from './features/commands';
import * as completion from './features/completion';
import * as definition from './features/definition';
import * as diagnostics from './features/diagnostics';
import * as hover from './features/hover';
import * as libraryTree from './features/libraryTree';
import * as paperPreview from './features/paperPreview';
import * as searchView from './features/searchView';
import * as statusBar from './features/statusBar';

/** Every feature that takes the service object; one that fails to start does not stop the others. */
const FEATURES: Readonly<Record<string, { register(services: Services): vscode.Disposable }>> = {
  diagnostics,
  cite,
  completion,
  citationCheck,
  hover,
  definition,
  commands,
  paperPreview,
  searchView,
  libraryTree,
  citedTree,
};

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Paperlens', { log: true });
  context.subscriptions.push(log);
  const failed: string[] = [];
  const start = (name: string, register: () => vscode.Disposable) => {
    try {
      context.subscriptions.push(register());
    } catch (error) {
      failed.push(name);
      log.error(`Paperlens could not start ${name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  };
  const settings = createSettings();
  let library: WorkerLibraryService | undefined;
  start('the library', () => (library = new WorkerLibraryService(context, settings, log)));
  if (library) {
    const bibliographies = new BibliographyReader(settings);
    context.subscriptions.push(bibliographies);
    const services: Services = { context, library, settings, bibliographies, log };
    const loaded = library;
    start('the status bar', () => statusBar.register(loaded));
    for (const [name, feature] of Object.entries(FEATURES)) start(name, () => feature.register(services));
  }
  if (failed.length > 0) {
    void vscode.window
      .showErrorMessage(`Paperlens failed to start: ${failed.join(', ')}. The output log has the details.`, 'Show Output')
      .then((choice) => {
        if (choice) log.show();
      });
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
