// activate(): build the one service object, register every feature, and tell the user when starting fails
// (VS Code itself shows nothing when an extension's activation throws).
import * as vscode from 'vscode';
import { WorkerLibraryService } from './libraryService';
import type { Services } from './services';
import { createSettings } from './settings';
import * as diagnostics from './features/diagnostics';
import * as statusBar from './features/statusBar';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Paperlens', { log: true });
  context.subscriptions.push(log);
  try {
    const settings = createSettings();
    const library = new WorkerLibraryService(context, settings, log);
    const services: Services = { context, library, settings, log };
    context.subscriptions.push(library, statusBar.register(library), diagnostics.register(services));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Paperlens failed to start: ${error instanceof Error ? error.stack : message}`);
    void vscode.window.showErrorMessage(`Paperlens failed to start: ${message}`, 'Show Output').then((choice) => {
      if (choice) log.show();
    });
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
