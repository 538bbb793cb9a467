// Corpus files → sources: decode, detect the format, read; BibTeX files of one load share @string macros and
// crossref targets, in load order.
import { readFile } from 'node:fs/promises';
import type { CorpusFormat, CorpusSource, Problem, ReadResult } from './paper';
import { entriesToPapers, parseBibtex, readBibtex, resolveCrossrefs, type BibtexEntry } from './formats/bibtex';
import { readCslJson } from './formats/csljson';
import { readRis } from './formats/ris';
import { readListing } from './formats/listing';
import { readArxivJsonl } from './formats/arxiv';
import { detectFormat } from './formats/detect';

/** Without a BOM and with `\n` line ends, so values and line numbers are the same on every platform. */
function normalizeText(text: string): string {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
}

interface DecodedText {
  text: string;
  problems: Problem[];
}

/** An encoding a file names for itself, and the line that names it. */
interface DeclaredEncoding {
  label: string;
  line: number;
}

/** Emacs's file-variables line, which must be the first line (or the second after `#!`): `-*- coding: latin-9-unix -*-`. */
const EMACS_CODING = /-\*-.*?\bcoding:\s*([\w.:-]+).*?-\*-/i;
/** JabRef's header, among the comment lines that open the file: `% Encoding: ISO8859_2`. */
const JABREF_ENCODING = /^%\s*Encoding:\s*([\w.:-]+)/i;

/** The encoding the first lines declare, if any; read as Latin-1, which keeps every ASCII byte as it is. */
function declaredEncoding(bytes: Uint8Array): DeclaredEncoding | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096)).split(/\r\n?|\n/);
  for (let index = 0; index < head.length; index++) {
    const line = head[index];
    const emacs = index < 2 ? EMACS_CODING.exec(line) : null;
    if (emacs) return { label: emacs[1], line: index + 1 };
    const jabref = JABREF_ENCODING.exec(line);
    if (jabref) return { label: jabref[1], line: index + 1 };
    // The declaration belongs to the header: stop at the first line that is neither a comment nor blank.
    if (index > 0 && line.trim() !== '' && !line.trimStart().startsWith('%')) break;
  }
  return undefined;
}

/**
 * An Emacs or Java (JabRef) encoding name as a TextDecoder label, or undefined when TextDecoder knows no such
 * encoding: `latin-9-unix` → iso-8859-15, `ISO8859_2` → iso-8859-2, `Cp1250` → windows-1250.
 */
function decoderLabel(declared: string): string | undefined {
  let label = declared.toLowerCase().replace(/_/g, '-').replace(/-(unix|dos|mac)$/, '');
  label = label.replace(/^(?:iso-?)?latin-?(\d+)$/, 'latin$1').replace(/^iso-?8859-?(\d+)$/, 'iso-8859-$1');
  label = label.replace(/^cp-?(125\d)$/, 'windows-$1').replace(/^utf-?8(?:-with-signature)?$/, 'utf-8');
  // Latin-9 is ISO-8859-15, a name TextDecoder does not know; its other latinN names it does.
  if (label === 'latin9' || label === 'latin-9') label = 'iso-8859-15';
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

/** The line of the first byte sequence that is not UTF-8. */
function firstInvalidUtf8Line(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const bad = lenient.indexOf('\uFFFD');
  let line = 1;
  for (let nl = lenient.indexOf('\n'); nl !== -1 && nl < bad; nl = lenient.indexOf('\n', nl + 1)) line++;
  return line;
}

/**
 * UTF-16 when it starts with its BOM (Windows exporters write RIS so); UTF-8 (BOM stripped) whenever the bytes are
 * valid UTF-8, whatever the file declares (a header left over after a conversion would otherwise garble it);
 * otherwise the encoding the file declares (Emacs `coding:` line, JabRef `% Encoding:`), else Latin-1 with a
 * problem naming the line of the first byte that is not UTF-8.
 */
function decodeCorpusBytes(bytes: Uint8Array, file: string): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), problems: [] };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), problems: [] };
  const withoutBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(withoutBom), problems: [] };
  } catch {
    const declared = declaredEncoding(withoutBom);
    const label = declared === undefined ? undefined : decoderLabel(declared.label);
    if (declared !== undefined && label !== undefined && label !== 'utf-8') {
      return { text: new TextDecoder(label).decode(withoutBom), problems: [] };
    }
    const line = firstInvalidUtf8Line(withoutBom);
    const why = declared === undefined ? 'file is not valid UTF-8'
      : label === undefined ? `file declares encoding '${declared.label}' (line ${declared.line}), which is unknown, and is not valid UTF-8`
        : `file declares UTF-8 (line ${declared.line}) but is not valid UTF-8`;
    return {
      text: new TextDecoder('latin1').decode(withoutBom),
      problems: [{ file, line, message: `${why}; read as Latin-1 (save it as UTF-8 to silence this)` }],
    };
  }
}

/** One file's text → a source. BibTeX macros go into `macros` when given, so later files can use them. */
export function readCorpusText(file: string, text: string, format?: CorpusFormat, macros?: Map<string, string>): CorpusSource {
  const source = normalizeText(text);
  const detected = format ?? detectFormat(file, source);
  if (detected === undefined) {
    return { file, format: 'listing', papers: [], problems: [{ file, line: 0, message: 'unknown corpus format (expected .bib, .json, .ris, .jsonl or .txt)' }] };
  }
  const result = readFormat(detected, source, file, macros);
  return { file, format: detected, papers: result.papers, problems: result.problems };
}

function readFormat(format: CorpusFormat, text: string, file: string, macros?: Map<string, string>): ReadResult {
  switch (format) {
    case 'bibtex':
      return readBibtex(text, file, { macros, keepRepeatedKeys: true });
    case 'csl-json':
      return readCslJson(text, file);
    case 'ris':
      return readRis(text, file);
    case 'listing':
      return readListing(text, file);
    case 'arxiv-jsonl':
      return readArxivJsonl(text, file);
  }
}

interface PendingBibtex {
  index: number;
  entries: BibtexEntry[];
  problems: Problem[];
}

/**
 * Read files in order (BOM stripped, CRLF ok, non-UTF-8 decoded as Latin-1 with a reported problem), detect each
 * format, share @string macros across files in load order, resolve crossref across the BibTeX files of one load,
 * never throw: an unreadable/missing file becomes a problem {file, line: 0, message}.
 */
export async function loadCorpusFiles(files: string[]): Promise<CorpusSource[]> {
  const sources: CorpusSource[] = [];
  const macros = new Map<string, string>();
  const bibtex: PendingBibtex[] = [];
  for (const file of files) {
    let decoded: DecodedText;
    try {
      decoded = decodeCorpusBytes(await readFile(file), file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read file: ${(error as Error).message}`;
      sources.push({ file, format: detectFormat(file, '') ?? 'bibtex', papers: [], problems: [{ file, line: 0, message: reason }] });
      continue;
    }
    const text = normalizeText(decoded.text);
    const format = detectFormat(file, text);
    try {
      if (format === 'bibtex') {
        // Papers are built once every BibTeX file is parsed: crossref targets may live in a later file.
        const parsed = parseBibtex(text, file, macros, true);
        bibtex.push({ index: sources.length, entries: parsed.entries, problems: [...decoded.problems, ...parsed.problems] });
        sources.push({ file, format, papers: [], problems: [] });
        continue;
      }
      const source = readCorpusText(file, text, format, macros);
      source.problems.unshift(...decoded.problems);
      sources.push(source);
    } catch (error) {
      // Readers report bad input as problems; this guards the load against a reader bug.
      sources.push({ file, format: format ?? 'listing', papers: [], problems: [...decoded.problems, { file, line: 0, message: `could not be read: ${(error as Error).message}` }] });
    }
  }
  const crossrefProblems = resolveCrossrefs(bibtex.flatMap((pending) => pending.entries));
  for (const pending of bibtex) {
    const source = sources[pending.index];
    const converted = entriesToPapers(pending.entries);
    source.papers = converted.papers;
    source.problems = [...pending.problems, ...crossrefProblems.filter((problem) => problem.file === source.file), ...converted.problems];
  }
  return sources;
}
