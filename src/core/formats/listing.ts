// Paper listings saved from a listing web page: a title line, then an abstract line, alternating.
// The raw save carries page chrome (two header lines and a "Subscribe" button label glued to the first
// title); the cleaned form (the bundled corpus) has none. Both read the same.
import type { Paper, Problem, ReadResult } from '../paper';

const CHROME_LINE = /^Get trending papers in your email inbox/;
// The button label is glued to the first title, so it is followed directly by the title's first character.
const GLUED_SUBSCRIBE = /^Subscribe(?=[^\sa-z])/;
/** Titles in practice stay under ~25 words; abstracts run 80–300. */
const ABSTRACT_MIN_WORDS = 40;
const SHORT_ABSTRACT_MIN_WORDS = 12;

/** Remove the page chrome: the two header lines and "Subscribe" glued to the first title; nothing else changed. */
export function cleanListing(text: string): string {
  const lines = text.split('\n');
  let first = 0;
  while (first < lines.length && first < 2 && CHROME_LINE.test(lines[first])) first++;
  const body = lines.slice(first);
  const firstContent = body.findIndex((line) => line.trim() !== '');
  if (firstContent >= 0) body[firstContent] = body[firstContent].replace(GLUED_SUBSCRIBE, '');
  return body.join('\n');
}

function wordCount(line: string): number {
  return line.split(/\s+/).filter(Boolean).length;
}

/** An abstract is long, or at least a few sentences' worth ending like prose; a title is neither. */
function looksLikeAbstract(line: string): boolean {
  const words = wordCount(line);
  return words >= ABSTRACT_MIN_WORDS || (words >= SHORT_ABSTRACT_MIN_WORDS && /[.!?]["')\]]?$/.test(line));
}

function listingPaper(title: string, abstract: string | undefined, file: string, line: number): Paper {
  const fields: Record<string, string> = { title };
  if (abstract !== undefined) fields.abstract = abstract;
  return { key: '', type: 'misc', title, authors: [], abstract, fields, origin: { file, line } };
}

export function readListing(text: string, file: string): ReadResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const papers: Paper[] = [];
  const problems: Problem[] = [];
  let chrome = 0;
  while (chrome < lines.length && chrome < 2 && CHROME_LINE.test(lines[chrome])) chrome++;
  let pendingTitle: { title: string; line: number } | undefined;
  let seenContent = false;
  const titleWithoutAbstract = (pending: { title: string; line: number }): void => {
    problems.push({ file, line: pending.line, message: `title "${pending.title}" has no abstract line after it` });
    papers.push(listingPaper(pending.title, undefined, file, pending.line));
  };

  for (let index = chrome; index < lines.length; index++) {
    let line = lines[index].trim().replace(/\s+/g, ' ');
    if (line === '') continue;
    if (!seenContent) {
      line = line.replace(GLUED_SUBSCRIBE, '');
      seenContent = true;
    }
    const lineNumber = index + 1;
    if (pendingTitle) {
      if (looksLikeAbstract(line)) {
        papers.push(listingPaper(pendingTitle.title, line, file, pendingTitle.line));
        pendingTitle = undefined;
      } else {
        titleWithoutAbstract(pendingTitle);
        pendingTitle = { title: line, line: lineNumber };
      }
    } else if (wordCount(line) >= ABSTRACT_MIN_WORDS) {
      problems.push({ file, line: lineNumber, message: 'abstract line without a title line before it; skipped' });
    } else {
      pendingTitle = { title: line, line: lineNumber };
    }
  }
  if (pendingTitle) titleWithoutAbstract(pendingTitle);
  return { papers, problems };
}
