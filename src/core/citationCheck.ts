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
