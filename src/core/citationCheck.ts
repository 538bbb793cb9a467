// Which cited keys a document's bibliography lacks: those the library can supply (a quick fix adds them) and those
// nobody knows (a typo, or a corpus file not loaded). LaTeX would print "?" for both; we say so while writing.
import type { CitedKey, DocumentLanguage } from './documents/types';

export type CitationFinding = CitedKey & { kind: 'fromLibrary' | 'unknown' };

/** pandoc-crossref references look like citations (`@fig:plot`) but point into the document. */
const CROSS_REFERENCE = /^(?:fig|sec|tbl|eq|lst|thm|lem|def|cor|prp|apx):/i;

/** In running Markdown text `@name` may be a handle, not a citation: only bracketed ones are surely citations. */
function insideBrackets(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset) + 1;
  const before = text.slice(lineStart, offset);
  return before.lastIndexOf('[') > before.lastIndexOf(']');
}

export function checkCitations(
  text: string,
  language: DocumentLanguage,
  cited: readonly CitedKey[],
  inBibliography: (key: string) => boolean,
  inLibrary: (key: string) => boolean,
): CitationFinding[] {
  const findings: CitationFinding[] = [];
  for (const citation of cited) {
    if (inBibliography(citation.key)) continue;
    if (language === 'markdown' && CROSS_REFERENCE.test(citation.key)) continue;
    if (inLibrary(citation.key)) findings.push({ ...citation, kind: 'fromLibrary' });
    else if (language === 'latex' || insideBrackets(text, citation.start)) findings.push({ ...citation, kind: 'unknown' });
  }
  return findings;
}

/** Optimal string alignment distance (Levenshtein plus swapped neighbours), case-insensitive. */
export function keyDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) rows[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[s.length][t.length];
}

/** The keys a mistyped key most likely meant: within a couple of edits (more for long keys), closest first. */
export function likelyKeys(key: string, candidates: Iterable<string>, limit = 3): string[] {
  const allowed = Math.max(2, Math.floor(key.length / 6));
  const scored = new Map<string, number>();
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === key.toLowerCase() || scored.has(candidate)) continue;
    const distance = keyDistance(key, candidate);
    if (distance <= allowed) scored.set(candidate, distance);
  }
  return [...scored].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([candidate]) => candidate);
}
