// The one setting that says where the shared test corpora live (arxiv/, edge/, large/): the PAPERLENS_CORPORA
// environment variable, by default ../shared/corpora beside the repository. Unit tests and benchmarks name corpus
// files only through this module, so a clone without that folder fails with a message saying what to set.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPORA_VARIABLE = 'PAPERLENS_CORPORA';
const DEFAULT_CORPORA = '../shared/corpora';

/**
 * The folder holding package.json above this module. Found by walking up rather than by a fixed `../..`, because
 * benchmarks run this file bundled into bench/results/build/.
 */
function repositoryRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) return process.cwd();
    folder = parent;
  }
  return folder;
}

/** The corpora folder, absolute: PAPERLENS_CORPORA (relative paths from the repository root) or the default. */
export function corporaFolder(): string {
  return path.resolve(repositoryRoot(), process.env[CORPORA_VARIABLE] || DEFAULT_CORPORA);
}

/** What to do when the corpora folder is missing. */
function missingCorporaMessage(folder: string): string {
  const source = process.env[CORPORA_VARIABLE] ? `${CORPORA_VARIABLE}=${process.env[CORPORA_VARIABLE]}` : `the default ${DEFAULT_CORPORA}`;
  return `test corpora not found at ${folder} (from ${source}): set ${CORPORA_VARIABLE} to the folder that holds ` +
    `arxiv/, edge/ and large/ (an absolute path, or relative to the repository root)`;
}

/** A file or folder inside the corpora folder; throws missingCorporaMessage when the folder does not exist. */
export function corpusPath(...parts: string[]): string {
  const folder = corporaFolder();
  if (!existsSync(folder)) throw new Error(missingCorporaMessage(folder));
  return path.join(folder, ...parts);
}
