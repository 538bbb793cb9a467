// The edits of citing, computed in the server and applied by the client (workspace/applyEdit, which keeps unsaved
// editors respected): a paper's entry appended to the document's bibliography, a key cited at the cursor with its
// entry, the default bibliography declared. Any number of entries is one insertion in one edit: one undo step.
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, TextDocumentEdit, WorkspaceEdit, CreateFile } from 'vscode-languageserver';
import { planBibAppend } from '../core/bibedit';
import { renderBibtex } from '../core/bibtex-render';
import { planBibliographyDeclaration } from '../core/documents/bibliographies';
import { citationInsertion } from '../core/documents/citations';
import type { Paper } from '../core/paper';
import type { CiteOutcome } from '../protocol';
import type { BibliographyReader, DocumentBibliography, DocumentInput } from './bibliographies';
import { fileUri } from './uris';

export interface PlannedEdit {
  edit: WorkspaceEdit;
  outcome: CiteOutcome;
}

/** The .bib that receives new entries: the first declared one that exists, else the first declared, else the default. */
function targetFile(reader: BibliographyReader, bibliography: DocumentBibliography): string {
  return bibliography.files.find((file) => reader.currentText(file) !== undefined) ?? bibliography.files[0];
}

/** The one insertion that turns `before` into `after`, which differ by inserted text only. */
function insertionBetween(before: string, after: string): { offset: number; text: string } {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { offset: start, text: after.slice(start, after.length - tail) };
}

interface EntriesPlan {
  changes: (TextDocumentEdit | CreateFile)[];
  /** The text the changes insert into the .bib. */
  appendedText?: string;
  /** The key each paper is cited under: its own, or the one the bibliography already has it under. */
  keys: string[];
  target: string;
  appended: boolean;
  creates: boolean;
  wasDirty: boolean;
}

/** Appends the entries of the papers the bibliography lacks (by key or DOI) to its target file, as one insertion. */
function planEntries(reader: BibliographyReader, bibliography: DocumentBibliography, papers: readonly Paper[]): EntriesPlan {
  const target = targetFile(reader, bibliography);
  const original = reader.currentText(target);
  const elsewhere = reader.contents(bibliography);
  let text = original ?? '';
  const keys: string[] = [];
  for (const paper of papers) {
    const plan = planBibAppend(text, paper, renderBibtex(paper), elsewhere);
    if (plan.kind === 'present') {
      keys.push(plan.key);
      continue;
    }
    keys.push(paper.key);
    text = text.slice(0, plan.offset) + plan.text + text.slice(plan.offset);
  }
  const before = original ?? '';
  const creates = original === undefined;
  if (text === before) return { changes: [], keys, target, appended: false, creates: false, wasDirty: false };
  const insertion = insertionBetween(before, text);
  const uri = fileUri(target);
  const at = TextDocument.create(uri, 'bibtex', 0, before).positionAt(insertion.offset);
  const changes: (TextDocumentEdit | CreateFile)[] = [];
  if (creates) changes.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
  changes.push({ textDocument: { uri, version: null }, edits: [{ range: { start: at, end: at }, newText: insertion.text }] });
  return { changes, appendedText: insertion.text, keys, target, appended: true, creates, wasDirty: !creates && reader.isDirty(target) };
}

function outcomeOf(plan: EntriesPlan, bibliography: DocumentBibliography): CiteOutcome {
  return {
    applied: true,
    key: plan.keys[0],
    bibliography: plan.appended ? plan.target : undefined,
    bibliographyWasDirty: plan.wasDirty,
    createdBibliography: plan.creates,
    appendedText: plan.appendedText,
    declared: bibliography.declared,
  };
}

/** Adds the papers' entries to the document's bibliography, those it lacks, as one edit; undefined edit when it has them all. */
export function addEntriesEdit(reader: BibliographyReader, document: DocumentInput, papers: readonly Paper[]): PlannedEdit {
  const bibliography = reader.bibliography(document);
  const plan = planEntries(reader, bibliography, papers);
  return { edit: { documentChanges: plan.changes }, outcome: outcomeOf(plan, bibliography) };
}

/**
 * Cites the paper at `position` (a new `\cite{key}` / `[@key]`, or joined to the citation there) and adds its entry
 * to the bibliography, in one edit; the outcome says where the cursor goes.
 */
export function citeAtEdit(reader: BibliographyReader, document: DocumentInput, position: Position, paper: Paper): PlannedEdit {
  const bibliography = reader.bibliography(document);
  const plan = planEntries(reader, bibliography, [paper]);
  const key = plan.keys[0];
  const text = TextDocument.create(document.uri, document.language, document.version, document.text);
  const insertion = citationInsertion(document.text, text.offsetAt(position), document.language, key);
  const range = { start: text.positionAt(insertion.start), end: text.positionAt(insertion.end) };
  const cited = TextDocument.create(document.uri, document.language, document.version + 1, document.text.slice(0, insertion.start) + insertion.text + document.text.slice(insertion.end));
  const edit: WorkspaceEdit = {
    documentChanges: [...plan.changes, { textDocument: { uri: document.uri, version: null }, edits: [{ range, newText: insertion.text }] }],
  };
  return { edit, outcome: { ...outcomeOf(plan, bibliography), cursor: cited.positionAt(insertion.start + insertion.text.length) } };
}

/** Declares the default bibliography in a document (its LaTeX root) that declares none. */
export function declareBibliographyEdit(reader: BibliographyReader, document: DocumentInput): PlannedEdit {
  const bibliography = reader.bibliography(document);
  if (bibliography.declared) {
    const names = bibliography.files.map((file) => path.basename(file)).join(', ');
    return { edit: {}, outcome: { applied: false, message: `${path.basename(document.file)} already declares its bibliography: ${names}.` } };
  }
  const rootText = bibliography.root === document.file ? document.text : reader.currentText(bibliography.root);
  if (rootText === undefined) return { edit: {}, outcome: { applied: false, message: `${bibliography.root} cannot be read.` } };
  const relative = path.relative(path.dirname(bibliography.root), bibliography.files[0]).split(path.sep).join('/');
  const insertion = planBibliographyDeclaration(rootText, document.language, relative, bibliography.root);
  const uri = bibliography.root === document.file ? document.uri : fileUri(bibliography.root);
  const at = TextDocument.create(uri, 'text', 0, rootText).positionAt(insertion.offset);
  return {
    edit: { documentChanges: [{ textDocument: { uri, version: null }, edits: [{ range: { start: at, end: at }, newText: insertion.text }] }] },
    outcome: { applied: true, declared: true },
  };
}
