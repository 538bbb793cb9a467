// The citation check of a project: keys its documents cite that no bibliography defines, keys defined twice (and
// citations of them), every reader problem, and declared bibliographies that are missing. The editor shows these
// as diagnostics; `paperlens check` prints them and fails a CI build on undefined or duplicated keys.
import * as path from 'node:path';
import { checkCitations, likelyKeys } from '../citationCheck';
import { bibliographyDiagnostics } from './bibDiagnostics';
import type { Project } from './project';
import type { IntegrityDiagnostic, Location } from './types';
import { keyIdentity, type IndexedBibliography, type WorkspaceIndex } from './workspace';

/** Diagnostics of one document of the project: undefined keys, and citations of a key defined more than once. */
export function citationDiagnostics(index: WorkspaceIndex, project: Project, file: string): IntegrityDiagnostic[] {
  return documentDiagnostics(index, file, definitionsOf(projectBibliographies(index, project)));
}

function documentDiagnostics(index: WorkspaceIndex, file: string, definitions: Map<string, Definition[]>): IntegrityDiagnostic[] {
  const document = index.document(file);
  if (!document) return [];
  const diagnostics: IntegrityDiagnostic[] = [];
  const inBibliography = (key: string) => definitions.has(keyIdentity(key));
  let known: string[] | undefined;
  const keys = () => (known ??= [...definitions.values()].map((places) => places[0].key));
  for (const finding of checkCitations(document.text, document.language, document.citations, inBibliography, () => false)) {
    const near = likelyKeys(finding.key, keys());
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
    const places = definitions.get(keyIdentity(citation.key));
    if (!places || places.length < 2) continue;
    diagnostics.push({
      file,
      range: document.lines.range(citation.start, citation.end),
      severity: 'warning',
      code: 'ambiguous-key',
      key: citation.key,
      message: `"${citation.key}" is defined ${places.length} times (${places.map((place) => `${path.basename(place.location.file)}:${place.line}`).join(', ')}): which entry is printed depends on the tool.`,
      related: places.map((place) => ({ location: place.location, message: `Definition of "${place.key}"` })),
    });
  }
  return diagnostics;
}

/** Every diagnostic of the project: its documents' citations, its bibliographies, and bibliographies not found. */
export function projectDiagnostics(index: WorkspaceIndex, project: Project): IntegrityDiagnostic[] {
  const bibliographies = projectBibliographies(index, project);
  const definitions = definitionsOf(bibliographies);
  const diagnostics = project.documents.flatMap((file) => documentDiagnostics(index, file, definitions));
  diagnostics.push(...bibliographyDiagnostics(bibliographies));
  for (const file of project.bibliographies) {
    if (!index.has(file)) diagnostics.push(missingBibliography(index, project, file));
  }
  return diagnostics;
}

type Definition = { key: string; line: number; location: Location };

function projectBibliographies(index: WorkspaceIndex, project: Project): IndexedBibliography[] {
  return project.bibliographies.flatMap((file) => index.bibliography(file) ?? []);
}

function definitionsOf(bibliographies: IndexedBibliography[]): Map<string, Definition[]> {
  const definitions = new Map<string, Definition[]>();
  for (const bibliography of bibliographies) {
    for (const entry of bibliography.entries) {
      const place = { key: entry.key, line: entry.line, location: { file: bibliography.file, range: bibliography.lines.range(entry.keyStart, entry.keyEnd) } };
      const known = definitions.get(keyIdentity(entry.key));
      if (known) known.push(place);
      else definitions.set(keyIdentity(entry.key), [place]);
    }
  }
  return definitions;
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
