// The paperlens.* settings as the server reads them: from the client's workspace/configuration per workspace folder
// (resource-scoped settings differ per folder), else from the initialization options, with the documented defaults.
import type { KeyFormula } from '../core/citekey';

const KEY_FORMULAS: readonly KeyFormula[] = ['authYearTitle', 'authYear', 'authTitle'];

/** The settings of one scope, with defaults filled in. */
export interface PaperlensSettings {
  corpusFiles: string[];
  includeWorkspaceBibFiles: boolean;
  bundledCorpus: boolean;
  defaultBibliography: string;
  keyFormula: KeyFormula;
  /** Hint at sentences that read as claims about prior work and cite nothing (related.ts). */
  uncitedClaims: boolean;
}

/** The `paperlens` section as a client sends it (nested objects, any of it missing or of the wrong type). */
export function settingsFrom(section: unknown): PaperlensSettings {
  const root = (section && typeof section === 'object' ? section : {}) as Record<string, unknown>;
  const group = (name: string) => {
    const value = root[name];
    return (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  };
  // Flat keys ("corpus.files") are what some clients send for a dotted setting name.
  const read = (name: string, key: string): unknown => group(name)[key] ?? root[`${name}.${key}`];
  const files = read('corpus', 'files');
  const formula = read('cite', 'keyFormula');
  const defaultBibliography = read('cite', 'defaultBibliography');
  return {
    corpusFiles: Array.isArray(files) ? files.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '') : [],
    includeWorkspaceBibFiles: read('corpus', 'includeWorkspaceBibFiles') !== false,
    bundledCorpus: read('corpus', 'bundled') !== false,
    defaultBibliography: typeof defaultBibliography === 'string' && defaultBibliography.trim() !== '' ? defaultBibliography : 'references.bib',
    keyFormula: (KEY_FORMULAS as readonly unknown[]).includes(formula) ? (formula as KeyFormula) : 'authYearTitle',
    uncitedClaims: read('related', 'uncitedClaims') === true,
  };
}
