// activate(): start the Paperlens language server (it owns the library), build the one service object, register
// every feature, and tell the user when starting fails (VS Code itself shows nothing when activation throws).
import * as vscode from 'vscode';
import { EventLoopDelay } from './client/eventLoopDelay';
import { PaperlensServer } from './client/server';
import type { Services } from './client/services';
import * as cite from './features/cite';
import * as citedTree from './features/citedTree';
import * as commands from './features/commands';
import * as integrity from './features/integrity';
import * as libraryTree from './features/libraryTree';
import * as paperPreview from './features/paperPreview';
import * as relatedView from './features/relatedView';
import * as searchView from './features/searchView';
import * as statusBar from './features/statusBar';

/** Every feature; one that fails to start does not stop the others. */
const FEATURES: Readonly<Record<string, { register(services: Services): vscode.Disposable }>> = {
  statusBar,
  cite,
  commands,
  paperPreview,
  searchView,
  libraryTree,
  citedTree,
  integrity,
  relatedView,
};

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Paperlens', { log: true });
  context.subscriptions.push(log);
  const failed: string[] = [];
  const reportFailure = (name: string, error: unknown) => {
    failed.push(name);
    log.error(`Paperlens could not start ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };
  let server: PaperlensServer;
  try {
    server = new PaperlensServer(context, log);
  } catch (error) {
    reportFailure('the language server', error);
    showFailures(failed, log);
    return;
  }
  const eventLoopDelay = new EventLoopDelay(log);
  context.subscriptions.push(server, measureLoads(server, eventLoopDelay));
  const services: Services = { context, server, log, eventLoopDelay };
  for (const [name, feature] of Object.entries(FEATURES)) {
    try {
      context.subscriptions.push(feature.register(services));
    } catch (error) {
      reportFailure(name, error);
    }
  }
  server.start().then(
    () => showFailures(failed, log),
    (error: unknown) => {
      reportFailure('the language server', error);
      showFailures(failed, log);
    },
  );
}

/** The host's event-loop delay while the library loads: from activation to the first library, and each reload. */
function measureLoads(server: PaperlensServer, delay: EventLoopDelay): vscode.Disposable {
  let started = false;
  delay.begin('start');
  return vscode.Disposable.from(
    server.onDidChangeStatus((status) => {
      if (status.kind === 'loading') delay.begin(started ? 'reload' : 'start');
      else if (delay.measuring('start') || delay.measuring('reload')) {
        started = true;
        delay.end();
      }
    }),
    { dispose: () => delay.end() },
  );
}

function showFailures(failed: readonly string[], log: vscode.LogOutputChannel): void {
  if (failed.length === 0) return;
  void vscode.window
    .showErrorMessage(`Paperlens failed to start: ${failed.join(', ')}. The output log has the details.`, 'Show Output')
    .then((choice) => {
      if (choice) log.show();
    });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
