// The `paperlens` command: search a corpus, check corpus files, print a paper's BibTeX entry.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { renderBibtex } from './core/bibtex-render';
import { Library } from './core/library';
import { loadCorpusFiles } from './core/load';
import { personName, shortAuthors, type CorpusSource, type Problem } from './core/paper';
import { runStdioServer } from './server/main';
import { RELATED_USAGE, runRelated } from './cli/related';

export interface CliIo {
  /** One line (or block of lines) for standard output. */
  out(text: string): void;
  /** One line for standard error. */
  err(text: string): void;
}

const USAGE = `Usage:
  paperlens search "<query>" [--corpus FILE ...] [--limit N] [--json]
      Papers matching the query, best first (default corpus: the bundled sample).
      Repeat --corpus for several files; the first file wins on duplicates.
  paperlens parse FILE ... [--json]
      Read corpus files (.bib, CSL .json, .ris, arXiv .jsonl, .txt listings) and report their problems.
  paperlens bibtex KEY [--corpus FILE ...]
      The BibTeX entry of the paper with this key.
  paperlens lsp --stdio
      The Paperlens language server over standard input and output, for any editor with an LSP client.
${RELATED_USAGE}
  paperlens --help
      This text.`;

const DEFAULT_LIMIT = 10;

/** The sample corpus shipped with the package: corpus/ beside dist/ (and beside src/ when run from source). */
function bundledCorpus(): string {
  return path.resolve(__dirname, '..', 'corpus', 'papers.txt');
}

/** The command line is wrong: exit 2. */
class UsageError extends Error {}
/** A corpus file is missing or unreadable: exit 1. */
class InputError extends Error {}

interface ParsedArgs {
  positionals: string[];
  corpus: string[];
  limit?: number;
  json: boolean;
}

const OPTIONS_BY_COMMAND: Record<string, string[]> = {
  search: ['--corpus', '--limit', '--json'],
  parse: ['--json'],
  bibtex: ['--corpus'],
};

function parseArgs(command: string, args: string[]): ParsedArgs {
  const allowed = OPTIONS_BY_COMMAND[command];
  const parsed: ParsedArgs = { positionals: [], corpus: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      parsed.positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      parsed.positionals.push(arg);
      continue;
    }
    const [name, inlineValue] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!allowed.includes(name)) throw new UsageError(`unknown option ${name} for "${command}"`);
    if (name === '--json') {
      parsed.json = true;
      continue;
    }
    const value = inlineValue ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    if (name === '--limit') {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--limit needs a positive whole number, not "${value}"`);
      parsed.limit = Number(value);
    } else {
      parsed.corpus.push(value);
    }
  }
  return parsed;
}

/** Missing and unreadable files stop the command: a silent empty corpus would look like "no results". */
async function checkReadable(files: string[]): Promise<void> {
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new InputError(`${file}: no such file`);
    if (!info.isFile()) throw new InputError(`${file}: not a file`);
  }
}

/**
 * Sources, or an InputError naming the first file that could not be read at all (a problem at line 0). With
 * `needPapers` (search, bibtex), a file that gave no papers but problems is unreadable too: its first problem says why.
 */
async function loadSources(files: string[], needPapers: boolean): Promise<CorpusSource[]> {
  await checkReadable(files);
  const sources = await loadCorpusFiles(files);
  const fatal = sources.flatMap((source) => source.problems).find((problem) => problem.line === 0);
  if (fatal) throw new InputError(`${fatal.file}: ${fatal.message}`);
  const empty = needPapers ? sources.find((source) => source.papers.length === 0 && source.problems.length > 0) : undefined;
  if (empty) throw new InputError(`${formatProblem(empty.problems[0])} (no papers read; see paperlens parse ${empty.file})`);
  return sources;
}

function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

async function search(args: ParsedArgs, io: CliIo): Promise<number> {
  const query = args.positionals.join(' ').trim();
  if (query === '') throw new UsageError('search needs a query');
  const library = Library.build(await loadSources(args.corpus.length > 0 ? args.corpus : [bundledCorpus()], true));
  const hits = library.search(query, { limit: args.limit ?? DEFAULT_LIMIT });
  if (args.json) {
    const rows = hits.map(({ paper, score }) => ({
      key: paper.key,
      title: paper.title,
      authors: paper.authors.filter((person) => !person.others).map(personName),
      year: paper.year ?? null,
      score,
    }));
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (hits.length === 0) {
    io.out(`No papers match "${query}" (${library.size} searched).`);
    return 0;
  }
  const width = String(hits.length).length;
  hits.forEach(({ paper }, index) => {
    const byline = [shortAuthors(paper.authors), paper.year, paper.venue].filter(Boolean).join(' · ');
    io.out(`${String(index + 1).padStart(width)}. ${paper.key}  ${paper.title}${byline ? `\n${' '.repeat(width + 2)}${byline}` : ''}`);
  });
  return 0;
}

async function parse(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length === 0) throw new UsageError('parse needs at least one FILE');
  const sources = await loadSources(args.positionals, false);
  const papers = sources.reduce((sum, source) => sum + source.papers.length, 0);
  const problems = sources.flatMap((source) => source.problems);
  if (args.json) {
    io.out(JSON.stringify({ papers, problems: problems.map(({ file, line, message }) => ({ file, line, message })) }, null, 2));
    return 0;
  }
  for (const source of sources) {
    const count = source.problems.length;
    io.out(`${source.file}: ${source.papers.length} papers (${source.format}), ${count} problem${count === 1 ? '' : 's'}`);
  }
  for (const problem of problems) io.out(formatProblem(problem));
  if (sources.length > 1) io.out(`total: ${papers} papers, ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  return 0;
}

async function bibtex(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('bibtex needs exactly one KEY');
  const [key] = args.positionals;
  const files = args.corpus.length > 0 ? args.corpus : [bundledCorpus()];
  const library = Library.build(await loadSources(files, true));
  const paper = library.byKey(key);
  if (!paper) {
    const near = library.search(key, { limit: 3 }).map((hit) => hit.paper.key);
    io.err(`paperlens: no paper with key "${key}"${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`);
    return 1;
  }
  io.out(renderBibtex(paper).trimEnd());
  return 0;
}

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help' || options.includes('--help') || options.includes('-h')) {
    if (command === undefined) {
      io.err(USAGE);
      return 2;
    }
    io.out(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'search':
        return await search(parseArgs(command, rest), io);
      case 'parse':
        return await parse(parseArgs(command, rest), io);
      case 'bibtex':
        return await bibtex(parseArgs(command, rest), io);
      case 'related':
        return await runRelated(rest, io, bundledCorpus());
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`paperlens: ${error.message} (see paperlens --help)`);
      return 2;
    }
    if (error instanceof InputError) {
      io.err(`paperlens: ${error.message}`);
      return 1;
    }
    io.err(`paperlens: ${(error as Error).message}`);
    return 1;
  }
}

/**
 * Output streams as CliIo. A reader that stops early (`paperlens parse big.bib | head`) closes the pipe: the rest of
 * the output is dropped quietly instead of crashing with an unhandled EPIPE.
 */
export function streamIo(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): CliIo {
  let closed = false;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    out: (text) => {
      if (!closed) stdout.write(`${text}\n`);
    },
    err: (text) => {
      stderr.write(`${text}\n`);
    },
  };
}

if (typeof require !== 'undefined' && require.main === module && process.argv[2] === 'lsp') {
  // The server runs until its client says exit; it owns standard output.
  runStdioServer();
} else if (typeof require !== 'undefined' && require.main === module) {
  void runCli(process.argv.slice(2), streamIo(process.stdout, process.stderr)).then((code) => {
    process.exitCode = code;
  });
}
