// Test helpers: a fixture folder read into a WorkspaceIndex, and edits applied to texts to check what they do.
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../../../src/core/integrity/lines';
import type { FileEdits, Location, TextEdit } from '../../../src/core/integrity/types';
import { WorkspaceIndex } from '../../../src/core/integrity/workspace';

export const fixtures = path.resolve(__dirname, '../../fixtures/integrity');
export const thesis = (...parts: string[]) => path.join(fixtures, 'thesis', ...parts);
export const book = (...parts: string[]) => path.join(fixtures, 'quarto-book', ...parts);

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every file of a fixture folder, as the server would index a workspace. */
export function indexFolder(folder: string, index = new WorkspaceIndex()): WorkspaceIndex {
  for (const file of filesUnder(folder)) index.set(file, readFileSync(file, 'utf8'));
  return index;
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((edit) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), text: edit.newText }));
  spans.sort((a, b) => b.start - a.start);
  for (let i = 1; i < spans.length; i++) if (spans[i].end > spans[i - 1].start) throw new Error('overlapping edits');
  return spans.reduce((result, span) => result.slice(0, span.start) + span.text + result.slice(span.end), text);
}

/** The texts after the edits, by file (only the files edited). */
export function applyChanges(changes: FileEdits, readText: (file: string) => string = read): Record<string, string> {
  return Object.fromEntries(Object.entries(changes).map(([file, edits]) => [file, applyEdits(readText(file), edits)]));
}

/** `relative/path:line:character` (1-based line, 0-based character as LSP has it) and the text at the range. */
export function describe(location: Location, root = fixtures): string {
  const text = read(location.file);
  const lines = new LineIndex(text);
  const covered = text.slice(lines.offsetAt(location.range.start), lines.offsetAt(location.range.end));
  return `${path.relative(root, location.file)}:${location.range.start.line + 1}:${location.range.start.character} ${covered}`;
}

/** Offset of the first occurrence of `marker` in the file, plus `shift`. */
export function offsetOf(file: string, marker: string, shift = 0): number {
  const at = read(file).indexOf(marker);
  if (at < 0) throw new Error(`${marker} not in ${file}`);
  return at + shift;
}

/** The projects of the fixtures as the editor sees them: root first, then the documents in reading order. */
export const thesisProject = {
  root: thesis('main.tex'),
  documents: [thesis('main.tex'), thesis('frontmatter', 'abstract.tex'), thesis('chapters', 'intro', 'intro.tex'), thesis('chapters', 'methods', 'methods.tex')],
  bibliographies: [thesis('bib', 'papers.bib'), thesis('bib', 'books.bib')],
};
export const bookProject = {
  root: book('_quarto.yml'),
  documents: [book('index.qmd'), book('chapters', 'intro.qmd'), book('chapters', 'methods.qmd')],
  bibliographies: [book('references.bib')],
};
