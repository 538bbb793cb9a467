// Which reader a corpus file needs: its extension first, then a look at its content.
import type { CorpusFormat } from '../paper';

const BY_EXTENSION: Record<string, CorpusFormat> = {
  bib: 'bibtex', bibtex: 'bibtex', biblatex: 'bibtex',
  ris: 'ris',
  jsonl: 'arxiv-jsonl', ndjson: 'arxiv-jsonl',
};

function extensionOf(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** A BibTeX entry start at the beginning of a line, as opposed to an `@` in prose. */
const BIBTEX_ENTRY = /^[ \t]*@[A-Za-z]+[ \t]*[{(]/m;
const RIS_TYPE_LINE = /^TY {2}- /m;

/** The first non-blank line, without a BOM. */
function firstLine(text: string): string {
  const start = text.search(/\S/);
  if (start < 0) return '';
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

/** An array of objects (or an empty one), as opposed to prose that starts with `[Fau86]`. */
const JSON_ARRAY_START = /^\s*\[\s*[{\]]/;

/** `[{` opens a CSL-JSON array; a first line that is a whole JSON object is a JSON-lines record. */
function sniffJson(text: string): CorpusFormat | undefined {
  const line = firstLine(text);
  if (line.startsWith('[')) return JSON_ARRAY_START.test(text.slice(0, 4096)) ? 'csl-json' : undefined;
  if (line.startsWith('{')) {
    if (line.endsWith('}')) {
      try {
        JSON.parse(line);
        return 'arxiv-jsonl';
      } catch {
        // A pretty-printed object spans lines: a single CSL item or an object wrapping items.
      }
    }
    return 'csl-json';
  }
  return undefined;
}

/**
 * The corpus format of a file: `.bib`/`.ris`/`.jsonl` by extension; `.json` is CSL-JSON unless it is JSON lines;
 * `.txt` and unknown extensions by content (BibTeX entries, RIS tags, JSON lines, else a paper listing).
 * Undefined for other extensions whose content matches no format.
 */
export function detectFormat(file: string, text: string): CorpusFormat | undefined {
  const extension = extensionOf(file);
  const known = BY_EXTENSION[extension];
  if (known) return known;
  if (extension === 'json') return sniffJson(text) ?? 'csl-json';
  const json = sniffJson(text);
  if (json) return json;
  if (RIS_TYPE_LINE.test(text.slice(0, 4096))) return 'ris';
  if (BIBTEX_ENTRY.test(text)) return 'bibtex';
  if (extension === 'txt' || extension === '') return 'listing';
  return undefined;
}
