// "Add all missing entries": any number of papers appended to a bibliography file as one edit, so the fix is one
// undo step and one save, with the same rules as a single cite (a key or DOI already there is not added again).
import { planBibAppend, type BibliographyContents } from '../bibedit';
import { renderBibtex } from '../bibtex-render';
import type { Paper } from '../paper';
import { LineIndex } from './lines';
import type { FileEdits } from './types';

export interface MissingEntriesRequest {
  /** The bibliography file the entries go to, and its current text (unsaved changes included). */
  file: string;
  text: string;
  papers: Paper[];
}

export interface MissingEntriesEdit {
  /** At most one edit per file. */
  changes: FileEdits;
  added: { key: string; file: string }[];
  /** Papers the bibliographies have already, and the key they have there. */
  present: { key: string; as: string }[];
}

/** One insertion per file holding every entry it lacks, in the order given; `elsewhere` is the project's other files. */
export function addMissingEntries(requests: readonly MissingEntriesRequest[], elsewhere?: BibliographyContents): MissingEntriesEdit {
  const result: MissingEntriesEdit = { changes: {}, added: [], present: [] };
  for (const { file, text, papers } of requests) {
    let updated = text;
    for (const paper of papers) {
      const plan = planBibAppend(updated, paper, renderBibtex(paper), elsewhere);
      if (plan.kind === 'present') {
        result.present.push({ key: paper.key, as: plan.key });
        continue;
      }
      updated = updated.slice(0, plan.offset) + plan.text + updated.slice(plan.offset);
      result.added.push({ key: paper.key, file });
    }
    if (updated === text) continue;
    // Every append lands after the last entry, so the texts differ in one stretch: one edit replaces it.
    let prefix = 0;
    while (prefix < text.length && text[prefix] === updated[prefix]) prefix++;
    let suffix = 0;
    while (suffix < text.length - prefix && text[text.length - 1 - suffix] === updated[updated.length - 1 - suffix]) suffix++;
    const lines = new LineIndex(text);
    result.changes[file] = [{ range: lines.range(prefix, text.length - suffix), newText: updated.slice(prefix, updated.length - suffix) }];
  }
  return result;
}
