// Rename Symbol on a citation key: the entry's key in every .bib that defines it, the crossref/xref fields that
// name it and every use in the workspace's documents, as one set of edits. Keys in comments and verbatim are not
// uses (the documents layer blanks them out), so they stay as they are.
import * as path from 'node:path';
import { keyAtOffset } from './references';
import type { FileEdits, TextEdit, TextRange } from './types';
import { keyIdentity, type IndexedBibliography, type WorkspaceIndex } from './workspace';

export type PrepareRenameResult = { range: TextRange; placeholder: string } | { refused: string };
export type RenameResult = { changes: FileEdits } | { refused: string };

/** Characters that end or break a key in a .bib entry or a LaTeX key list. */
const NOT_IN_BIBTEX_KEY = /[\s,{}()=#"%\\]/u;
/** Pandoc's key rule: a letter, digit or `_` first; inner punctuation only when a letter, digit or `_` follows. */
const PANDOC_KEY = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;

/** The key under the cursor and its range, or why it cannot be renamed from there. */
export function prepareRename(index: WorkspaceIndex, file: string, offset: number): PrepareRenameResult {
  const found = keyAtOffset(index, file, offset);
  if (!found) return { refused: 'Put the cursor on a citation key or on a .bib entry\'s key to rename it.' };
  return { range: found.range, placeholder: found.key };
}

/** Renames the key under the cursor to `newName` everywhere in the workspace. */
export function rename(index: WorkspaceIndex, file: string, offset: number, newName: string): RenameResult {
  const found = keyAtOffset(index, file, offset);
  if (!found) return { refused: 'Put the cursor on a citation key or on a .bib entry\'s key to rename it.' };
  return renameKey(index, found.key, newName);
}

/** Why `newName` cannot replace `oldKey` (not a valid key where it is used, or taken), or undefined when it can. */
export function renameRefusal(index: WorkspaceIndex, oldKey: string, newName: string): string | undefined {
  if (newName === '') return 'A citation key cannot be empty.';
  const bad = NOT_IN_BIBTEX_KEY.exec(newName);
  if (bad) {
    const what = /\s/u.test(bad[0]) ? 'a space' : `"${bad[0]}"`;
    return `"${newName}" is not a valid citation key: it contains ${what} (keys cannot hold spaces or any of , { } ( ) = # " % \\).`;
  }
  if (!PANDOC_KEY.test(newName)) {
    const identity = keyIdentity(oldKey);
    const markdown = index.documents(oldKey).find((document) => document.language === 'markdown' && document.citations.some((cited) => keyIdentity(cited.key) === identity));
    if (markdown) {
      return `"${newName}" is not a valid Pandoc citation key (${path.basename(markdown.file)} cites this key): a key starts with a letter, digit or _, and punctuation inside it must be followed by a letter or digit.`;
    }
  }
  if (keyIdentity(newName) !== keyIdentity(oldKey)) {
    // The clash that matters most is in a file that defines the key being renamed: name that one first.
    const defines = (bibliography: IndexedBibliography) => bibliography.entries.some((entry) => keyIdentity(entry.key) === keyIdentity(oldKey));
    const bibliographies = index.bibliographies(newName).sort((a, b) => Number(defines(b)) - Number(defines(a)));
    for (const bibliography of bibliographies) {
      const taken = bibliography.entries.find((entry) => keyIdentity(entry.key) === keyIdentity(newName));
      if (taken) return `"${newName}" already exists (${path.basename(bibliography.file)}:${taken.line}): pick another key, or merge the two entries.`;
    }
  }
  return undefined;
}

/** The edits that rename `oldKey` (in any case) to `newName`, or why they are refused. */
export function renameKey(index: WorkspaceIndex, oldKey: string, newName: string): RenameResult {
  const refusal = renameRefusal(index, oldKey, newName);
  if (refusal) return { refused: refusal };
  return { changes: keyEdits(index, oldKey, newName, true) };
}

/**
 * Edits that write `newName` wherever `oldKey` (in any case) is cited or named by a crossref/xref field, and with
 * `entries` where an entry defines it. Unchecked: callers decide whether the new name may be used.
 */
export function keyEdits(index: WorkspaceIndex, oldKey: string, newName: string, entries: boolean): FileEdits {
  const identity = keyIdentity(oldKey);
  const changes: FileEdits = {};
  const add = (file: string, edit: TextEdit) => (changes[file] ??= []).push(edit);
  for (const bibliography of index.bibliographies(oldKey)) {
    for (const entry of bibliography.entries) {
      if (entries && keyIdentity(entry.key) === identity && entry.key !== newName) {
        add(bibliography.file, { range: bibliography.lines.range(entry.keyStart, entry.keyEnd), newText: newName });
      }
      for (const link of entry.links) {
        if (keyIdentity(link.key) === identity && link.key !== newName) add(bibliography.file, { range: bibliography.lines.range(link.start, link.end), newText: newName });
      }
    }
  }
  for (const document of index.documents(oldKey)) {
    for (const cited of document.citations) {
      if (keyIdentity(cited.key) === identity && cited.key !== newName) {
        add(document.file, { range: document.lines.range(cited.start, cited.end), newText: newName });
      }
    }
  }
  return changes;
}
