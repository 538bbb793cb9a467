// Words of prose as the ranking reads them: lower-cased, accent-folded, British spelling folded to American, plurals
// folded to singulars, function words dropped. Each word keeps its offset so that reasons can point at it.
//
// Measured on the evaluation sets (test/unit/related): Porter's stemmer and a long list of boilerplate stop words
// ("propose", "method", "first") each cost paragraphs more than they gained; conflating "general" with
// "generation" blurs the ideas a paragraph is about, and rarity already weighs boilerplate down.
import { foldDiacritics } from '../citekey';

export interface Word {
  /** The word as written. */
  text: string;
  /** Its term: the unit the ranking counts. */
  stem: string;
  start: number;
  end: number;
}

/** Function words: the same list the search engine drops (library.ts). */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have in into is it its of on or that the their then there these ' +
    'this to was we were which with our via towards toward than can using based'
  ).split(' '),
);

/** Words every abstract uses whatever its topic: terms for the ranking (rarity weighs them down), never a reason. */
const BOILERPLATE = new Set(
  (
    'paper propose proposed present show shown study result approach method novel new use used work also however ' +
    'demonstrate obtain find found consider introduce provide recent recently given discuss investigate report ' +
    'not no more most such other both each all only may well been being one two three first while further ' +
    'studied proposed presented showed demonstrated obtained found considered introduced provided reported'
  ).split(' '),
);

const NON_ASCII = /[^\u0000-\u007f]/;
const ASCII_WORD = /[A-Za-z0-9]+/g;
const UNICODE_WORD = /[\p{L}\p{N}]+/gu;

/** True for words that carry no topic: function words, single letters, bare numbers of one or two digits. */
export function isStopWord(lower: string): boolean {
  if (STOP_WORDS.has(lower)) return true;
  if (lower.length === 1) return true;
  return /^\d{1,2}$/.test(lower);
}

/** True for terms a reason should not name ("show", "method"): they are shared by every paper. */
export function isBoilerplate(stem: string): boolean {
  return BOILERPLATE.has(stem);
}

/** Prefixes that make compounds of a word ("supercurrent", "nonequilibrium", "multiorbital"). */
const COMPOUND_PREFIX = /^(?:super|sub|non|multi|anti|semi|inter|intra|hyper|micro|nano|ultra|pseudo|quasi|meta|poly|mono|self|un|bi|tri)(?=[a-z]{4,}$)/;

/**
 * The term of a compound's last part ("current" for "supercurrent"), or undefined for a word that is not one. A
 * writer's "supercurrent" and a paper's "persistent current" then share a term, if a weaker one.
 */
export function compoundBase(lower: string): string | undefined {
  const prefix = COMPOUND_PREFIX.exec(lower);
  return prefix ? termOf(lower.slice(prefix[0].length)) : undefined;
}

/**
 * The term of a lower-case word: British -ise/-isation/-our spelt the American way, then plural endings removed
 * ("anomalies" → "anomaly", "graphs" → "graph", "localisations" → "localization").
 */
export function termOf(lower: string): string {
  if (lower.length <= 3 || /\d/.test(lower)) return lower;
  let word = lower
    .replace(/(?<=\w{2})is(ation|ations|e|es|ed|ing|er|ers)$/, 'iz$1')
    .replace(/(?<=\w{3})our(s|ed|ing|ize|izes|ized|ful)?$/, 'or$1');
  if (word.endsWith('ies') && !/[ae]ies$/.test(word)) word = `${word.slice(0, -3)}y`;
  else if (word.endsWith('es') && /(?:[sxz]|[cs]h)es$/.test(word)) word = word.slice(0, -2);
  else if (word.endsWith('s') && !/(?:[us]s|is)$/.test(word)) word = word.slice(0, -1);
  return word;
}

export function hasNonAscii(text: string): boolean {
  return NON_ASCII.test(text);
}

/** The pattern of `text`'s words, reset to its start (a shared global RegExp: use it to the end before the next text). */
export function wordPattern(text: string): RegExp {
  const pattern = hasNonAscii(text) ? UNICODE_WORD : ASCII_WORD;
  pattern.lastIndex = 0;
  return pattern;
}

/** The term of a lower-cased word as written, or '' for a word that carries no topic. */
export function termOfWord(lower: string): string {
  const folded = NON_ASCII.test(lower) ? foldDiacritics(lower) : lower;
  return isStopWord(folded) ? '' : termOf(folded);
}

/** The topic words of `text` with their offsets. `terms` caches terms by lower-cased word (most words repeat). */
export function topicWords(text: string, terms: Map<string, string> = new Map()): Word[] {
  const pattern = wordPattern(text);
  const words: Word[] = [];
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text))) {
    const written = match[0];
    const lower = written.toLowerCase();
    let stem = terms.get(lower);
    if (stem === undefined) {
      stem = termOfWord(lower);
      terms.set(lower, stem);
    }
    if (stem !== '') words.push({ text: written, stem, start: match.index, end: match.index + written.length });
  }
  return words;
}
