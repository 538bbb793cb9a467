// Problems found while reading corpus files appear in the Problems panel, at their file and line.
import * as vscode from 'vscode';
import type { Library } from '../core/library';
import type { Services } from '../services';

/** Enough to find and fix them; a broken 88k-entry file must not flood the panel. */
const MAX_PER_FILE = 500;

export function register(services: Services): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('paperlens');
  const publish = (library: Library) => {
    collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problem of library.sources.flatMap((source) => source.problems)) {
      const list = byFile.get(problem.file) ?? [];
      if (list.length >= MAX_PER_FILE) continue;
      const line = Math.max(0, problem.line - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), problem.message, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'Paperlens';
      list.push(diagnostic);
      byFile.set(problem.file, list);
    }
    collection.set([...byFile].map(([file, diagnostics]) => [vscode.Uri.file(file), diagnostics]));
  };
  publish(services.library.library);
  return vscode.Disposable.from(collection, services.library.onDidChange(publish));
}
