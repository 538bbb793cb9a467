// The citation check of a project: keys its documents cite that no bibliography defines, keys defined twice (and
// citations of them), every reader problem, and declared bibliographies that are missing. The editor shows these
// as diagnostics; `paperlens check` prints them and fails a CI build on undefined or duplicated keys.
import * as path from 'node:path';
import { checkCitations, likelyKeys } from '../citationCheck';
import { bibliographyDiagnostics } from './bibDiagnostics';
import type { Project } from './project';
import type { IntegrityDiagnostic } from './types';
import { keyIdentity, type IndexedBibliography, type WorkspaceIndex } from './workspace';

/** Manubot cites by persistent identifier (`@doi:10.1093/nar/gky427`, `@pmid:…`, `@url:…`) and resolves it itself. */
const PERSISTENT_IDENTIFIER = /^(?:doi|pmid|pmcid|arxiv|url|isbn|wikidata):/i;

/** Diagnostics of one document of the project: undefined keys, and citations of a key defined more than once. */
export function citationDiagnostics(index: WorkspaceIndex, project: Project, file: string): IntegrityDiagnostic[] {
  return documentDiagnostics(index, file, projectBibliographies(index, project));
}

function documentDiagnostics(index: WorkspaceIndex, file: string, bibliographies: IndexedBibliography[]): IntegrityDiagnostic[] {
  const document = index.document(file);
  if (!document) return [];
  const definitionsOf = (key: string) => bibliographies.flatMap((bibliography) => (bibliography.entriesByKey().get(keyIdentity(key)) ?? []).map((entry) => ({ bibliography, entry })));
  const inBibliography = (key: string) => bibliographies.some((bibliography) => bibliography.entriesByKey().has(keyIdentity(key)));
  const diagnostics: IntegrityDiagnostic[] = [];
  for (const finding of checkCitations(document.text, document.language, document.citations, inBibliography, () => false)) {
    if (document.language === 'markdown' && PERSISTENT_IDENTIFIER.test(finding.key)) continue;
    const near = likelyKeys(finding.key, candidateKeys(finding.key, bibliographies));
    diagnostics.push({
      file,
      range: document.lines.range(finding.start, finding.end),
      severity: 'error',
      code: 'undefined-key',
      key: finding.key,
      message: `Undefined citation key "${finding.key}"${near.length > 0 ? `; did you mean ${near.map((key) => `"${key}"`).join(', ')}?` : ''}`,
    });
  }
  for (const citation of document.citations) {
    if (!inBibliography(citation.key)) continue;
    const places = definitionsOf(citation.key);
    if (places.length < 2) continue;
    diagnostics.push({
      file,
      range: document.lines.range(citation.start, citation.end),
      severity: 'warning',
      code: 'ambiguous-key',
      key: citation.key,
      message: `"${citation.key}" is defined ${places.length} times (${places.map(({ bibliography, entry }) => `${path.basename(bibliography.file)}:${entry.line}`).join(', ')}): the first is used; if the others are other papers, give them keys of their own.`,
      related: places.map(({ bibliography, entry }) => ({
        location: { file: bibliography.file, range: bibliography.lines.range(entry.keyStart, entry.keyEnd) },
        message: `Definition of "${entry.key}"`,
      })),
    });
  }
  return diagnostics;
}

/** Every diagnostic of the project: its documents' citations, its bibliographies, and bibliographies not found. */
export function projectDiagnostics(index: WorkspaceIndex, project: Project): IntegrityDiagnostic[] {
  const bibliographies = projectBibliographies(index, project);
  const diagnostics = project.documents.flatMap((file) => documentDiagnostics(index, file, bibliographies));
  diagnostics.push(...bibliographyDiagnostics(bibliographies));
  for (const file of project.bibliographies) {
    if (!index.has(file)) diagnostics.push(missingBibliography(index, project, file));
  }
  return diagnostics;
}

function projectBibliographies(index: WorkspaceIndex, project: Project): IndexedBibliography[] {
  return project.bibliographies.flatMap((file) => index.bibliography(file) ?? []);
}

/** Letters and digits of a key counted in 37 buckets (a–z, 0–9, anything else). */
function characterCounts(key: string): Uint8Array {
  const counts = new Uint8Array(37);
  for (const char of key.toLowerCase()) {
    const code = char.charCodeAt(0);
    const bucket = code >= 97 && code <= 122 ? code - 97 : code >= 48 && code <= 57 ? 26 + code - 48 : 36;
    counts[bucket] = Math.min(255, counts[bucket] + 1);
  }
  return counts;
}

interface KeyCounts {
  table: { key: string; counts: Uint8Array }[];
  /** Candidates found per asked key: the same typo is asked again on every edit of the document. */
  asked: Map<string, string[]>;
}

const keyCountsByBibliography = new WeakMap<IndexedBibliography, KeyCounts>();

/**
 * Keys that may be within likelyKeys' edit distance of `key`: an edit changes the character counts by at most two,
 * so keys whose counts differ by more than twice the allowed distance are skipped without computing a distance
 * (against a 10,000-entry .bib that is most of the check's time).
 */
function candidateKeys(key: string, bibliographies: IndexedBibliography[]): string[] {
  const allowed = Math.max(2, Math.floor(key.length / 6));
  let counts: Uint8Array | undefined;
  const candidates: string[] = [];
  for (const bibliography of bibliographies) {
    let known = keyCountsByBibliography.get(bibliography);
    if (!known) {
      known = { table: bibliography.entries.map((entry) => ({ key: entry.key, counts: characterCounts(entry.key) })), asked: new Map() };
      keyCountsByBibliography.set(bibliography, known);
    }
    let found = known.asked.get(key);
    if (!found) {
      counts ??= characterCounts(key);
      found = [];
      for (const other of known.table) {
        if (Math.abs(other.key.length - key.length) > allowed) continue;
        let difference = 0;
        for (let i = 0; i < 37 && difference <= 2 * allowed; i++) difference += Math.abs(other.counts[i] - counts[i]);
        if (difference <= 2 * allowed) found.push(other.key);
      }
      known.asked.set(key, found);
    }
    candidates.push(...found);
  }
  return candidates;
}

/** At the declaration that names the file (the first document line mentioning its name), else the root's start. */
function missingBibliography(index: WorkspaceIndex, project: Project, file: string): IntegrityDiagnostic {
  const name = path.basename(file, path.extname(file));
  for (const documentFile of project.documents) {
    const document = index.document(documentFile);
    const at = document?.text.search(new RegExp(`(?:bibliography|bibresource|bib)[^\\n]*\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
    if (document && at !== undefined && at >= 0) {
      const start = document.text.indexOf(name, at);
      return { file: documentFile, range: document.lines.range(start, start + name.length), severity: 'error', code: 'missing-bibliography', message: `Bibliography file not found: ${file}` };
    }
  }
  const origin = { line: 0, character: 0 };
  return { file: project.root, range: { start: origin, end: origin }, severity: 'error', code: 'missing-bibliography', message: `Bibliography file not found: ${file}` };
}

/** One finding of `paperlens check`: 1-based line and column, as compilers print them. */
export interface CheckFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The undefined or duplicated key. */
  key?: string;
}

export interface CheckReport {
  undefined: CheckFinding[];
  duplicates: CheckFinding[];
  problems: CheckFinding[];
}

/** The check's three lists from diagnostics (of one or several projects; a finding two projects share is listed once). */
export function checkReport(diagnostics: readonly IntegrityDiagnostic[]): CheckReport {
  const report: CheckReport = { undefined: [], duplicates: [], problems: [] };
  const listed = new Set<string>();
  for (const diagnostic of diagnostics) {
    const list =
      diagnostic.code === 'undefined-key' ? report.undefined
      : diagnostic.code === 'duplicate-key' ? report.duplicates
      : diagnostic.code === 'reader-problem' || diagnostic.code === 'missing-bibliography' ? report.problems
      : undefined;
    if (!list) continue;
    const finding: CheckFinding = { file: diagnostic.file, line: diagnostic.range.start.line + 1, column: diagnostic.range.start.character + 1, message: diagnostic.message };
    if (diagnostic.key !== undefined) finding.key = diagnostic.key;
    const identity = `${finding.file}:${finding.line}:${finding.column}:${finding.message}`;
    if (listed.has(identity)) continue;
    listed.add(identity);
    list.push(finding);
  }
  const order = (a: CheckFinding, b: CheckFinding) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
  report.undefined.sort(order);
  report.duplicates.sort(order);
  report.problems.sort(order);
  return report;
}
