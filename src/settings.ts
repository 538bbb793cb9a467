// Typed, live access to the paperlens.* settings: read on every call so changes apply without a reload.
import * as vscode from 'vscode';
import type { KeyFormula } from './core/citekey';
import type { Settings } from './services';

const KEY_FORMULAS: readonly KeyFormula[] = ['authYearTitle', 'authYear', 'authTitle'];

export function createSettings(): Settings {
  const section = (scope?: vscode.Uri) => vscode.workspace.getConfiguration('paperlens', scope);
  return {
    corpusFiles: (folder) => section(folder).get<string[]>('corpus.files', []).filter((entry) => entry.trim() !== ''),
    includeWorkspaceBibFiles: (folder) => section(folder).get<boolean>('corpus.includeWorkspaceBibFiles', true),
    bundledCorpus: () => section().get<boolean>('corpus.bundled', true),
    defaultBibliography: (document) => section(document).get<string>('cite.defaultBibliography', 'references.bib') || 'references.bib',
    keyFormula: () => {
      const formula = section().get<string>('cite.keyFormula', 'authYearTitle');
      return (KEY_FORMULAS as readonly string[]).includes(formula) ? (formula as KeyFormula) : 'authYearTitle';
    },
  };
}

/** True when a configuration change touches a setting that changes what the library holds. */
export function affectsLibrary(event: vscode.ConfigurationChangeEvent): boolean {
  return ['paperlens.corpus', 'paperlens.cite.keyFormula'].some((key) => event.affectsConfiguration(key));
}
