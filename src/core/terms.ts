// Words and index terms: how text is split, folded and filtered, the same for indexing and for queries.
import { foldDiacritics } from './citekey';

export const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have in into is it its of on or that the their then there these ' +
    'this to was we were which with our via towards toward than can using based'
  ).split(' '),
);

const NON_ASCII = /[^\u0000-\u007f]/;

/** Words are runs of letters and digits: TeX markup, math and punctuation all separate them. */
export function words(text: string): string[] {
  // The ASCII pattern is several times faster than the Unicode one, and most text is ASCII.
  return text.split(NON_ASCII.test(text) ? /[^\p{L}\p{N}]+/u : /[^A-Za-z0-9]+/).filter((word) => word !== '');
}

/** Index and query terms: words lower-cased and accent-folded ("muller" finds "Müller"), a field at a time. */
export function tokenize(text: string): string[] {
  return words(foldDiacritics(text.toLowerCase()));
}

/**
 * Words every proceedings title repeats. Venues are the longest field of a typical .bib (the ACL anthology has
 * more venue words than title words): indexing these costs a third of the build and finds nothing.
 */
export const VENUE_NOISE = new Set(
  'proceedings conference annual meeting association volume papers long short international joint workshop workshops'.split(' '),
);
/** Numbers in a venue repeat the year or count editions ("61st"). */
const VENUE_NUMBER = /^\d+(?:st|nd|rd|th)?$/;

/** A term from tokenize, or null for stop words, single letters and venue boilerplate. */
export function processTerm(term: string, field?: string): string | null {
  if (STOP_WORDS.has(term)) return null;
  if (term.length === 1 && !/\d/.test(term)) return null;
  if (field === 'venue' && (VENUE_NOISE.has(term) || VENUE_NUMBER.test(term))) return null;
  return term;
}
