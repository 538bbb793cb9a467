// `paperlens check`: the citation check of documents (following their roots and includes as the editor does)
// against their bibliographies, for a paper's CI. Exit 1 when a key is undefined or duplicated, 0 otherwise, 2 for
// usage errors.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from '../cli';
import { checkReport, projectDiagnostics, type CheckFinding } from '../core/integrity/check';
import { createProject } from '../core/documents/project';
import { projectsOf, type Project } from '../core/integrity/project';
import { fileKind, WorkspaceIndex } from '../core/integrity/workspace';

export const CHECK_USAGE = `  paperlens check FILE ... [--bib FILE ...] [--json]
      Check the citations of LaTeX and Markdown documents (with the chapters their roots include) against their
      bibliographies: undefined keys, duplicate keys, problems reading a .bib. --bib adds a bibliography to every
      document; a .bib given as FILE is checked on its own. Exit 1 when a key is undefined or duplicated.`;

class UsageError extends Error {}

interface CheckArgs {
  files: string[];
  bibliographies: string[];
  json: boolean;
}

function parseCheckArgs(args: string[], cwd: string): CheckArgs {
  const parsed: CheckArgs = { files: [], bibliographies: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      parsed.files.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) parsed.files.push(arg);
    else if (arg === '--json') parsed.json = true;
    else if (arg === '--bib' || arg.startsWith('--bib=')) {
      const value = arg === '--bib' ? args[++i] : arg.slice('--bib='.length);
      if (value === undefined || value === '') throw new UsageError('--bib needs a value');
      parsed.bibliographies.push(value);
    } else throw new UsageError(`unknown option ${arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg} for "check"`);
  }
  if (parsed.files.length === 0) throw new UsageError('check needs at least one FILE');
  for (const file of [...parsed.files, ...parsed.bibliographies]) {
    const info = statSync(path.resolve(cwd, file), { throwIfNoEntry: false });
    if (!info) throw new UsageError(`${file}: no such file`);
    if (!info.isFile()) throw new UsageError(`${file}: not a file`);
    if (fileKind(file) === undefined) throw new UsageError(`${file}: not a LaTeX, Markdown or .bib file`);
  }
  for (const file of parsed.bibliographies) {
    if (fileKind(file) !== 'bibtex') throw new UsageError(`--bib ${file}: not a .bib file`);
  }
  return parsed;
}

/** Paths under the working folder print relative to it, as compilers print them; others stay absolute. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * The projects of the files, one per root, each with the extra bibliographies; a .bib alone is a project of itself.
 * The working folder is the workspace the roots are looked for in (a CI job runs at the repository's top), and the
 * folder of each file outside it.
 */
function projectsFor(args: CheckArgs, readFile: (file: string) => string | undefined, cwd: string): Project[] {
  const files = args.files.map((name) => path.resolve(cwd, name));
  const extra = args.bibliographies.map((file) => path.resolve(cwd, file));
  const outside = files.filter((file) => path.relative(cwd, file).startsWith('..')).map((file) => path.dirname(file));
  const model = createProject({ folders: [cwd, ...new Set(outside)], readFile });
  const byRoot = new Map<string, Project>();
  for (const file of files) {
    const projects = fileKind(file) === 'bibtex' ? [{ root: file, documents: [], bibliographies: [file] }] : projectsOf(model, readFile, file);
    for (const project of projects) {
      if (!byRoot.has(project.root)) byRoot.set(project.root, { ...project, bibliographies: [...new Set([...project.bibliographies, ...extra])] });
    }
  }
  return [...byRoot.values()];
}

export async function runCheck(args: string[], io: CliIo, cwd = process.cwd()): Promise<number> {
  let parsed: CheckArgs;
  try {
    parsed = parseCheckArgs(args, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`paperlens: ${error.message} (see paperlens --help)`);
    return 2;
  }
  const texts = new Map<string, string | undefined>();
  const readFile = (file: string): string | undefined => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(file, 'utf8'));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  const projects = projectsFor(parsed, readFile, cwd);
  const index = new WorkspaceIndex();
  for (const file of new Set(projects.flatMap((project) => [...project.documents, ...project.bibliographies]))) {
    const text = readFile(file);
    if (text !== undefined) index.set(file, text);
  }
  // A chapter two roots include is checked with each root's bibliographies: say which root lacks the key.
  const projectsByDocument = new Map<string, number>();
  for (const document of projects.flatMap((project) => project.documents)) projectsByDocument.set(document, (projectsByDocument.get(document) ?? 0) + 1);
  const diagnostics = projects.flatMap((project) =>
    projectDiagnostics(index, project).map((diagnostic) =>
      diagnostic.code === 'undefined-key' && (projectsByDocument.get(diagnostic.file) ?? 0) > 1
        ? { ...diagnostic, message: `${diagnostic.message} (in ${displayPath(project.root, cwd)})` }
        : diagnostic,
    ),
  );
  const report = checkReport(diagnostics);
  const shown = (finding: CheckFinding): CheckFinding => ({ ...finding, file: displayPath(finding.file, cwd) });
  if (parsed.json) {
    io.out(JSON.stringify({ undefined: report.undefined.map(shown), duplicates: report.duplicates.map(shown), problems: report.problems.map(shown) }, null, 2));
  } else {
    const findings = [...report.undefined, ...report.duplicates, ...report.problems].map(shown);
    findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    for (const finding of findings) io.out(`${finding.file}:${finding.line}:${finding.column}: ${finding.message}`);
    const documents = new Set(projects.flatMap((project) => project.documents)).size;
    const bibliographies = new Set(projects.flatMap((project) => project.bibliographies)).size;
    io.out(
      `${count(report.undefined.length, 'undefined key')}, ${count(report.duplicates.length, 'duplicate key')}, ${count(report.problems.length, 'problem')} ` +
        `(${count(documents, 'document')}, ${count(bibliographies, 'bibliography', 'bibliographies')})`,
    );
  }
  return report.undefined.length > 0 || report.duplicates.length > 0 ? 1 : 0;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
