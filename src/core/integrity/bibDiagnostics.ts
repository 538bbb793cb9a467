// Diagnostics of .bib files read together (one file, or a project's bibliographies): keys defined twice, the same
// paper entered twice under two keys, and every problem the reader found, each at its line. The fix for a paper
// entered twice merges the second entry into the first and moves the second's citations to the first's key.
import * as path from 'node:path';
import { normaliseDoi } from '../bibedit';
import { foldDiacritics } from '../citekey';
import type { Paper } from '../paper';
import type { BibEntry } from './bibEntries';
import { entryRemovalRange } from './bibEntries';
import { keyEdits } from './rename';
import type { FileEdits, IntegrityDiagnostic, Location, TextEdit } from './types';
import { keyIdentity, type IndexedBibliography, type WorkspaceIndex } from './workspace';

interface Placed {
  bibliography: IndexedBibliography;
  entry: BibEntry;
}

function place({ bibliography, entry }: Placed): Location {
  return { file: bibliography.file, range: bibliography.lines.range(entry.keyStart, entry.keyEnd) };
}

function where({ bibliography, entry }: Placed): string {
  return `${path.basename(bibliography.file)}:${entry.line}`;
}

/** Title words, lower case, accents folded: "Attention {Is} All You Need" and "Attention is all you need" agree. */
export function normaliseTitle(title: string): string {
  return foldDiacritics(title.toLowerCase()).split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
}

/** Each entry whose key an earlier entry (in file order, then entry order) already defines, with that first one. */
export function duplicateKeys(bibliographies: readonly IndexedBibliography[]): { duplicate: Placed; first: Placed }[] {
  const firstByKey = new Map<string, Placed>();
  const found: { duplicate: Placed; first: Placed }[] = [];
  for (const bibliography of bibliographies) {
    for (const entry of bibliography.entries) {
      const placed = { bibliography, entry };
      const first = firstByKey.get(keyIdentity(entry.key));
      if (first) found.push({ duplicate: placed, first });
      else firstByKey.set(keyIdentity(entry.key), placed);
    }
  }
  return found;
}

/** A person's last family word, lower case: "van Beethoven" and "Beethoven, L." agree. */
function familyOf(paper: Paper): string {
  const first = paper.authors.find((person) => !person.others);
  return first ? (normaliseTitle(first.family).split(' ').at(-1) ?? '') : '';
}

/**
 * Two entries with one title and year are still two papers when their DOIs, first authors, volumes, numbers or
 * pages differ: a column's "Editorial" in every issue of a journal, one author's two talks of one name.
 */
function toldApart(paper: Paper, other: Paper): boolean {
  const differ = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a !== '' && b !== '' && a !== b;
  const field = (of: Paper, name: string) => of.fields[name]?.replace(/\s+/g, '');
  return differ(paper.doi && normaliseDoi(paper.doi), other.doi && normaliseDoi(other.doi)) ||
    differ(familyOf(paper), familyOf(other)) ||
    ['volume', 'number', 'pages'].some((name) => differ(field(paper, name), field(other, name)));
}

/** Entries under another key that repeat an earlier entry's DOI, or its normalised title and year. */
export function duplicateEntries(bibliographies: readonly IndexedBibliography[]): { duplicate: Placed; first: Placed; by: 'DOI' | 'title and year' }[] {
  const seenKeys = new Set<string>();
  const byDoi = new Map<string, Placed>();
  const byTitle = new Map<string, { placed: Placed; paper: Paper }[]>();
  const found: { duplicate: Placed; first: Placed; by: 'DOI' | 'title and year' }[] = [];
  for (const bibliography of bibliographies) {
    const contents = bibliography.contents();
    for (const entry of bibliography.entries) {
      const identity = keyIdentity(entry.key);
      // A key defined twice is a duplicate key already; comparing its papers again would report it twice.
      if (seenKeys.has(identity)) continue;
      seenKeys.add(identity);
      const paper = contents.paperOf(entry);
      if (!paper) continue;
      const placed = { bibliography, entry };
      const doi = paper.doi ? normaliseDoi(paper.doi) : undefined;
      const title = normaliseTitle(paper.title);
      const titleYear = title !== '' && paper.year ? `${title}\u0000${paper.year}` : undefined;
      const sameDoi = doi ? byDoi.get(doi) : undefined;
      const sameTitles = titleYear ? byTitle.get(titleYear) : undefined;
      const sameTitle = sameTitles?.find((seen) => !toldApart(paper, seen.paper));
      if (sameDoi) found.push({ duplicate: placed, first: sameDoi, by: 'DOI' });
      else if (sameTitle) found.push({ duplicate: placed, first: sameTitle.placed, by: 'title and year' });
      if (doi && !byDoi.has(doi)) byDoi.set(doi, placed);
      // Only papers of their own are compared with later ones: a duplicate's first already stands for it.
      if (titleYear && !sameDoi && !sameTitle) {
        if (sameTitles) sameTitles.push({ placed, paper });
        else byTitle.set(titleYear, [{ placed, paper }]);
      }
    }
  }
  return found;
}

/** The reader marks a repeated key as a problem too; the duplicate-key diagnostic says it with a link instead. */
const READER_DUPLICATE_KEY = /: duplicate key \(first defined on line \d+\); skipped$/;

/** Diagnostics of the given .bib files, read together in this order (the first definition of a key wins). */
export function bibliographyDiagnostics(bibliographies: readonly IndexedBibliography[]): IntegrityDiagnostic[] {
  const diagnostics: IntegrityDiagnostic[] = [];
  for (const { duplicate, first } of duplicateKeys(bibliographies)) {
    diagnostics.push({
      ...place(duplicate),
      severity: 'error',
      code: 'duplicate-key',
      key: duplicate.entry.key,
      message: `Duplicate key "${duplicate.entry.key}": first defined at ${where(first)}; BibTeX and biber keep the first and ignore this one.`,
      related: [{ location: place(first), message: `First definition of "${first.entry.key}"` }],
    });
  }
  for (const { duplicate, first, by } of duplicateEntries(bibliographies)) {
    diagnostics.push({
      ...place(duplicate),
      severity: 'information',
      code: 'duplicate-entry',
      key: duplicate.entry.key,
      message: `"${duplicate.entry.key}" has the same ${by} as "${first.entry.key}" (${where(first)}): the same paper entered twice? The quick fix merges it into "${first.entry.key}".`,
      related: [{ location: place(first), message: `"${first.entry.key}", the entry it repeats` }],
    });
  }
  for (const bibliography of bibliographies) {
    for (const problem of bibliography.contents().problems) {
      if (READER_DUPLICATE_KEY.test(problem.message)) continue;
      diagnostics.push({
        file: bibliography.file,
        range: bibliography.lines.lineRange(problem.line),
        severity: 'warning',
        code: 'reader-problem',
        message: problem.message,
      });
    }
  }
  return diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The edit that adds fields before an entry's closing delimiter, in the indentation of its first field. */
function addFieldsEdit(bibliography: IndexedBibliography, entry: BibEntry, fields: [string, string][]): TextEdit {
  const { text } = bibliography;
  const close = entry.end - 1;
  let last = close - 1;
  while (last > entry.keyEnd && /\s/.test(text[last])) last--;
  const indent = /\n([ \t]+)\S/.exec(text.slice(entry.keyEnd, close))?.[1] ?? '  ';
  const eol = lineEnding(text);
  const added = fields.map(([name, value]) => `${eol}${indent}${name} = {${value}}`).join(',');
  const offset = last + 1;
  // The closing brace on the last field's line (`year = 2000}`) moves to a line of its own.
  const closer = text.slice(offset, close).includes('\n') ? '' : eol;
  return { range: bibliography.lines.range(offset, offset), newText: (text[last] === ',' ? '' : ',') + added + closer };
}

/**
 * The fix for a `duplicate-entry` diagnostic: fields the first entry lacks are added to it, the second entry is
 * removed (with its trailing blank line), and every citation of the second key becomes the first key.
 * `bibliographies` are the files the diagnostic was computed over; `offset` is in the second entry's key.
 */
export function mergeDuplicateEntry(index: WorkspaceIndex, bibliographies: readonly IndexedBibliography[], file: string, offset: number): FileEdits | undefined {
  const pair = duplicateEntries(bibliographies).find(
    ({ duplicate }) => duplicate.bibliography.file === file && duplicate.entry.keyStart <= offset && offset <= duplicate.entry.keyEnd,
  );
  if (!pair) return undefined;
  const { duplicate, first } = pair;
  const firstFields = first.bibliography.contents().fieldsOf(first.entry) ?? {};
  const secondFields = duplicate.bibliography.contents().fieldsOf(duplicate.entry) ?? {};
  const missing = Object.entries(secondFields).filter(([name]) => firstFields[name] === undefined);
  const changes: FileEdits = {};
  const add = (target: string, edit: TextEdit) => (changes[target] ??= []).push(edit);
  if (missing.length > 0) add(first.bibliography.file, addFieldsEdit(first.bibliography, first.entry, missing));
  const [start, end] = entryRemovalRange(duplicate.bibliography.text, duplicate.entry);
  add(duplicate.bibliography.file, { range: duplicate.bibliography.lines.range(start, end), newText: '' });
  if (keyIdentity(duplicate.entry.key) !== keyIdentity(first.entry.key)) {
    // The first key exists, so this is no rename to check: only citations and crossrefs move to it.
    for (const [target, edits] of Object.entries(keyEdits(index, duplicate.entry.key, first.entry.key, false))) {
      for (const edit of edits) {
        const inRemoved = target === duplicate.bibliography.file && within(duplicate.bibliography, edit, start, end);
        if (!inRemoved) add(target, edit);
      }
    }
  }
  for (const edits of Object.values(changes)) edits.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return changes;
}

function within(bibliography: IndexedBibliography, edit: TextEdit, start: number, end: number): boolean {
  const offset = bibliography.lines.offsetAt(edit.range.start);
  return start <= offset && offset < end;
}
