// Citation keys for papers that come without one, in the spirit of Better BibTeX's default
// ([auth:lower][year][shorttitle:1]): vaswani2017attention.
import type { Paper, Person } from './paper';

export type KeyFormula = 'authYearTitle' | 'authYear' | 'authTitle';

/** Letters NFD does not decompose into base + mark. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D',
  þ: 'th', Þ: 'TH', ı: 'i', ħ: 'h', Ħ: 'H',
};
const SPECIAL_LETTER = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');

const NON_ASCII = /[^\u0000-\u007f]/;

/** Müller → Muller, Łukasz → Lukasz: accents dropped, letters without an ASCII form left as they are. */
export function foldDiacritics(text: string): string {
  // Most text is ASCII; NFD normalisation is the expensive part of indexing otherwise.
  if (!NON_ASCII.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(SPECIAL_LETTER, (letter) => SPECIAL_LETTERS[letter]);
}

/** Better BibTeX's skip words for short titles (English, plus the commonest German/French/Spanish articles). */
const TITLE_SKIP_WORDS = new Set(
  (
    'a an the some from on in to of do with for towards toward and or but nor at by into onto upon via about ' +
    'as is are be its vs der die das ein eine einer eines einem einen un une la le les el las los al uno una ' +
    'unos unas de des del du'
  ).split(' '),
);

function asciiWords(text: string): string[] {
  return foldDiacritics(text)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function significantTitleWords(title: string): string[] {
  // Inline math ($\Lambda_{\alpha}$) says nothing a key can use.
  const words = asciiWords(title.replace(/\$[^$]*\$/g, ' '));
  const significant = words.filter((word) => !TITLE_SKIP_WORDS.has(word));
  return significant.length > 0 ? significant : words;
}

function authorPart(people: Person[]): string {
  const first = people.find((person) => !person.others);
  if (!first) return '';
  if (first.literal) return significantTitleWords(first.family)[0] ?? '';
  return asciiWords(first.family).join('');
}

/** The key the formula gives this paper, before it is made unique. Never empty. */
export function makeKey(paper: Paper, formula: KeyFormula = 'authYearTitle'): string {
  const author = authorPart(paper.authors.length > 0 ? paper.authors : (paper.editors ?? []));
  const year = /\d{4}/.exec(paper.year ?? '')?.[0] ?? '';
  const titleWords = significantTitleWords(paper.title);
  if (!author) {
    // Title alone reads as a key only with a few words of it.
    return (titleWords.slice(0, 3).join('') || 'untitled') + year;
  }
  const titleWord = titleWords[0] ?? '';
  switch (formula) {
    case 'authYear':
      return author + (year || titleWord);
    case 'authTitle':
      return author + titleWord;
    case 'authYearTitle':
      return author + year + titleWord;
  }
}

/** a, b, …, z, aa, ab, …: Better BibTeX's disambiguation suffixes. */
export function keySuffix(index: number): string {
  let result = '';
  let n = index;
  do {
    result = String.fromCharCode(97 + (n % 26)) + result;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return result;
}

/**
 * Fill every empty key in place, unique against `taken` (lower-case keys; BibTeX compares keys without
 * case) and against each other. Stable: the same papers in the same order get the same keys.
 * Every assigned key is added to `taken`.
 */
export function assignKeys(papers: Paper[], taken: Set<string>, formula: KeyFormula = 'authYearTitle'): void {
  for (const paper of papers) {
    if (paper.key !== '') continue;
    const base = makeKey(paper, formula);
    let key = base;
    for (let index = 0; taken.has(key); index++) key = base + keySuffix(index);
    taken.add(key);
    paper.key = key;
  }
}
