// The documents API features use: the citation at the cursor, every cited key, and where a new citation goes.
import { latexCitationInsertion, latexCitations, latexCiteContext, latexKeyAt } from './latex';
import { markdownCitationInsertion, markdownCitations, markdownCiteContext, markdownKeyAt } from './markdown';
import type { CitationInsertion, CiteContext, CitedKey, DocumentLanguage } from './types';

export type { CitationInsertion, CiteContext, CitedKey, DocumentLanguage } from './types';

/** The citation being typed at `offset`, when the cursor is where a key goes. */
export function citeContext(text: string, offset: number, language: DocumentLanguage): CiteContext | undefined {
  return language === 'latex' ? latexCiteContext(text, offset) : markdownCiteContext(text, offset);
}

/** Every cited key with its range, in document order. */
export function findCitations(text: string, language: DocumentLanguage): CitedKey[] {
  return language === 'latex' ? latexCitations(text) : markdownCitations(text);
}

/** The cited key under the offset. */
export function keyAt(text: string, offset: number, language: DocumentLanguage): CitedKey | undefined {
  return language === 'latex' ? latexKeyAt(text, offset) : markdownKeyAt(text, offset);
}

/** The edit that cites `key` at `offset`: into the citation there, or as a new one. */
export function citationInsertion(text: string, offset: number, language: DocumentLanguage, key: string): CitationInsertion {
  return language === 'latex' ? latexCitationInsertion(text, offset, key) : markdownCitationInsertion(text, offset, key);
}

/** The documents language of a VS Code language id, or undefined for documents without citations. */
export function documentLanguage(languageId: string): DocumentLanguage | undefined {
  if (languageId === 'latex' || languageId === 'tex' || languageId === 'latex-expl3') return 'latex';
  if (languageId === 'markdown' || languageId === 'quarto' || languageId === 'rmd' || languageId === 'pandoc') return 'markdown';
  return undefined;
}
