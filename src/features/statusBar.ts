// "Paperlens: 198 papers" in the status bar; a click opens the Paperlens view.
import * as vscode from 'vscode';
import type { LibraryService, LoadState } from '../services';

export function register(library: LibraryService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('paperlens.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Paperlens';
  item.command = { command: 'workbench.view.extension.paperlens', title: 'Show Paperlens' };
  const show = (state: LoadState) => {
    const problems = library.library.sources.reduce((sum, source) => sum + source.problems.length, 0);
    const papers = library.library.size;
    if (state.kind === 'loading') {
      item.text = '$(sync~spin) Paperlens: loading…';
      item.tooltip = 'Reading and indexing the corpus files.';
    } else if (state.kind === 'failed') {
      item.text = '$(error) Paperlens: library failed';
      item.tooltip = `${state.message}\nRun "Paperlens: Show Paperlens Output" for details, then "Paperlens: Rebuild Library".`;
    } else {
      item.text = `Paperlens: ${papers} ${papers === 1 ? 'paper' : 'papers'}`;
      const sources = library.library.sources.map((source) => `${source.papers} from ${vscode.workspace.asRelativePath(source.file)}`);
      item.tooltip = [
        `${papers} papers in ${sources.length} source${sources.length === 1 ? '' : 's'} (${state.fromCache ? 'snapshot' : 'indexed'} in ${state.millis} ms)`,
        ...sources,
        problems ? `${problems} problem${problems === 1 ? '' : 's'} found: see the Problems panel or the Library view.` : '',
        'Click to open the Paperlens view.',
      ]
        .filter(Boolean)
        .join('\n');
    }
    item.show();
  };
  show(library.state);
  return vscode.Disposable.from(item, library.onDidChangeState(show));
}
