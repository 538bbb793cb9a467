// `paperlens related (--text "…" | --file FILE) [--corpus FILE ...] [--limit N] [--json]`: the library's papers
// for a paragraph, best first, with the reason. A LaTeX or Markdown paragraph is read as the editor reads it:
// commands, citations, math, URLs, comments and front matter are not query words.
import { readFile, stat } from 'node:fs/promises';
import type { DocumentLanguage } from '../core/documents/citations';
import { Library } from '../core/library';
import { loadCorpusFiles } from '../core/load';
import { personName, shortAuthors } from '../core/paper';
import { proseText } from '../core/related/prose';
import { RelatedIndex } from '../core/related/rank';
import { MIN_QUERY_WORDS } from '../core/related/writing';

export interface RelatedIo {
  out(text: string): void;
  err(text: string): void;
}

export const RELATED_USAGE = `  paperlens related (--text "<paragraph>" | --file FILE) [--corpus FILE ...] [--limit N] [--json]
      Papers that speak to a paragraph (LaTeX or Markdown), best first, with what they share with it.`;

const DEFAULT_LIMIT = 10;

interface RelatedArgs {
  text?: string;
  file?: string;
  corpus: string[];
  limit: number;
  json: boolean;
}

/** A wrong command line: exit 2, as the other commands do. */
class UsageError extends Error {}

function parseArgs(args: string[]): RelatedArgs {
  const parsed: RelatedArgs = { corpus: [], limit: DEFAULT_LIMIT, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const equals = arg.indexOf('=');
    const [name, inline] = arg.startsWith('--') && equals > 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
    if (name === '--json') {
      parsed.json = true;
      continue;
    }
    if (!['--text', '--file', '--corpus', '--limit'].includes(name)) {
      throw new UsageError(name.startsWith('--') ? `unknown option ${name} for "related"` : `unexpected argument "${arg}" (quote the paragraph after --text)`);
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    if (name === '--limit') {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--limit needs a positive whole number, not "${value}"`);
      parsed.limit = Number(value);
    } else if (name === '--corpus') {
      parsed.corpus.push(value);
    } else if (parsed.text !== undefined || parsed.file !== undefined) {
      throw new UsageError('give either --text or --file, once');
    } else if (name === '--text') {
      parsed.text = value;
    } else {
      parsed.file = value;
    }
  }
  if (parsed.text === undefined && parsed.file === undefined) throw new UsageError('related needs --text "…" or --file FILE');
  return parsed;
}

/** By the file's extension; for text, by its markup (a backslash command or a citation command is LaTeX). */
function languageOf(text: string, file?: string): DocumentLanguage {
  if (file && /\.(?:tex|ltx|latex|sty|cls)$/i.test(file)) return 'latex';
  if (file && /\.(?:md|markdown|qmd|rmd|pandoc)$/i.test(file)) return 'markdown';
  return /\\[a-zA-Z]+\s*[{[]/.test(text) ? 'latex' : 'markdown';
}

async function readable(file: string): Promise<string | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return `${file}: no such file`;
  if (!info.isFile()) return `${file}: not a file`;
  return undefined;
}

/** Runs `paperlens related …` (the arguments after the command); returns the exit code. Never throws. */
export async function runRelated(args: string[], io: RelatedIo, defaultCorpus: string): Promise<number> {
  let parsed: RelatedArgs;
  try {
    parsed = parseArgs(args);
  } catch (error) {
    io.err(`paperlens: ${(error as Error).message} (see paperlens --help)`);
    return 2;
  }
  const corpus = parsed.corpus.length > 0 ? parsed.corpus : [defaultCorpus];
  for (const file of [...(parsed.file ? [parsed.file] : []), ...corpus]) {
    const problem = await readable(file);
    if (problem) {
      io.err(`paperlens: ${problem}`);
      return 1;
    }
  }
  try {
    return await printRelated(parsed, corpus, io);
  } catch (error) {
    io.err(`paperlens: ${(error as Error).message}`);
    return 1;
  }
}

async function printRelated(parsed: RelatedArgs, corpus: string[], io: RelatedIo): Promise<number> {
  const text = parsed.text ?? (await readFile(parsed.file!, 'utf8'));
  const sources = await loadCorpusFiles(corpus);
  const unreadable = sources.find((source) => source.papers.length === 0 && source.problems.length > 0);
  if (unreadable) {
    const [problem] = unreadable.problems;
    io.err(`paperlens: ${problem.file}:${problem.line}: ${problem.message} (no papers read; see paperlens parse ${unreadable.file})`);
    return 1;
  }
  const library = Library.build(sources);
  const index = RelatedIndex.build(library.papers());
  const query = index.query(proseText(text, languageOf(text, parsed.file)));
  const hits = query.wordCount < MIN_QUERY_WORDS ? [] : index.rank(query, { limit: parsed.limit });
  if (parsed.json) {
    const rows = hits.map(({ paper, score, reason }) => ({
      key: paper.key,
      title: paper.title,
      authors: paper.authors.filter((person) => !person.others).map(personName),
      year: paper.year ?? null,
      score,
      reason,
    }));
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (query.wordCount < MIN_QUERY_WORDS) {
    io.out(`Too few words to find papers by (${query.wordCount}; at least ${MIN_QUERY_WORDS} besides markup and function words).`);
    return 0;
  }
  if (hits.length === 0) {
    io.out(`No paper shares a word with the text (${library.size} searched).`);
    return 0;
  }
  const width = String(hits.length).length;
  const indent = ' '.repeat(width + 2);
  hits.forEach(({ paper, reason }, position) => {
    const byline = [shortAuthors(paper.authors), paper.year].filter(Boolean).join(' · ');
    const lines = [`${String(position + 1).padStart(width)}. ${paper.key}  ${paper.title}`];
    if (byline) lines.push(`${indent}${byline}`);
    if (reason) lines.push(`${indent}${reason}`);
    io.out(lines.join('\n'));
  });
  return 0;
}
