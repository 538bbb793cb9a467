// "Paperlens: 198 papers" in the status bar (a click opens the Paperlens view); while the server loads, its progress
// ("Paperlens: reading 3 of 12 corpus files…"), and for a load that takes longer than two seconds a notification
// with Cancel.
import * as vscode from 'vscode';
import type { Services } from '../client/services';
import { groupedDigits } from '../core/viewmodel';
import type { LibraryStatus } from '../protocol';

/** A load shorter than this needs no notification. */
const NOTIFY_AFTER_MS = 2000;

function progressText(status: Extract<LibraryStatus, { kind: 'loading' }>): string {
  if (status.done !== undefined && status.total !== undefined) {
    return `${status.message} ${groupedDigits(status.done)} of ${groupedDigits(status.total)}`;
  }
  return status.message;
}

export function register(services: Services): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('paperlens.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Paperlens';
  item.command = { command: 'workbench.view.extension.paperlens', title: 'Show Paperlens' };
  let notifyTimer: NodeJS.Timeout | undefined;
  /** The open progress notification: told of each step, closed when the load ends. */
  let notification: { report(message: string): void; close(): void } | undefined;

  const openNotification = () => {
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Paperlens', cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          token.onCancellationRequested(() => {
            services.server.cancelLoad();
            resolve();
          });
          notification = { report: (message) => progress.report({ message }), close: resolve };
          const status = services.server.status;
          if (status.kind === 'loading') progress.report({ message: `${progressText(status)}…` });
          else resolve();
        }),
    );
  };

  const show = (status: LibraryStatus) => {
    if (status.kind === 'loading') {
      const text = progressText(status);
      item.text = `$(sync~spin) Paperlens: ${text}…`;
      item.tooltip = status.size > 0 ? `Loading the library; the ${status.size} papers loaded before answer meanwhile.` : 'Reading and indexing the corpus files.';
      notification?.report(`${text}…`);
      if (!notifyTimer && !notification) notifyTimer = setTimeout(openNotification, NOTIFY_AFTER_MS);
    } else {
      clearTimeout(notifyTimer);
      notifyTimer = undefined;
      notification?.close();
      notification = undefined;
      if (status.kind === 'failed') {
        item.text = '$(error) Paperlens: library failed';
        item.tooltip = `${status.message}\nRun "Paperlens: Show Paperlens Output" for details, then "Paperlens: Rebuild Library".`;
      } else {
        const abstracts = status.abstracts ? ` $(sync~spin) abstracts ${Math.floor((100 * status.abstracts.done) / status.abstracts.total)}%` : '';
        item.text = `Paperlens: ${status.size} ${status.size === 1 ? 'paper' : 'papers'}${abstracts}`;
        item.tooltip = [
          `${status.size} papers in ${status.sources} source${status.sources === 1 ? '' : 's'} (indexed in ${status.millis} ms)`,
          status.abstracts
            ? `Indexing abstracts: ${groupedDigits(status.abstracts.done)} of ${groupedDigits(status.abstracts.total)}; keys, titles and authors are searchable already.`
            : '',
          status.problems ? `${status.problems} problem${status.problems === 1 ? '' : 's'} found: see the Problems panel or the Library view.` : '',
          'Click to open the Paperlens view.',
        ]
          .filter(Boolean)
          .join('\n');
      }
    }
    item.show();
  };
  show(services.server.status);
  return vscode.Disposable.from(item, services.server.onDidChangeStatus(show), {
    dispose: () => {
      clearTimeout(notifyTimer);
      notification?.close();
    },
  });
}
