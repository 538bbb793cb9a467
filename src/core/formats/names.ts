// BibTeX name lists ("von Last, Jr, First and …") ↔ Person records, following BibTeX's own rules.
import type { Person } from '../paper';
import { latexToUnicode, unicodeToBibtex } from './latex';

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const BACKSLASH = 92;
const COMMA = 44;

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** Whitespace or a tie `~` (but not the tilde accent `\~n`) separates name words. */
function separatesWords(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return isWhitespace(code) || (code === 126 && text.charCodeAt(i - 1) !== BACKSLASH);
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127;
}

/** Splits a name list (or any BibLaTeX list) at `and` (any case) standing between whitespace at brace depth 0. */
export function splitNameList(value: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === OPEN_BRACE) depth++;
    else if (code === CLOSE_BRACE) depth = Math.max(0, depth - 1);
    else if (depth === 0 && separatesWords(value, i) && i + 4 < value.length &&
      (value.charCodeAt(i + 1) | 32) === 97 && (value.charCodeAt(i + 2) | 32) === 110 &&
      (value.charCodeAt(i + 3) | 32) === 100 && separatesWords(value, i + 4)) {
      names.push(value.slice(start, i));
      start = i + 4;
      i += 3;
    }
  }
  names.push(value.slice(start));
  return names;
}

/** Whitespace-separated tokens at depth 0, with a `,` token for each top-level comma. */
function tokenize(name: string): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === OPEN_BRACE) depth++;
    else if (code === CLOSE_BRACE) depth = Math.max(0, depth - 1);
    if (depth === 0 && (separatesWords(name, i) || code === COMMA)) {
      if (start >= 0) tokens.push(name.slice(start, i));
      start = -1;
      if (code === COMMA) tokens.push(',');
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) tokens.push(name.slice(start));
  return tokens;
}

/**
 * BibTeX's von test: the case of the first letter at brace depth 0, where a `{\…}` special character counts
 * as the letter it accents (or the command name itself for `{\ss}`, `{\o}`). Tokens with no such letter are not von.
 */
function isLowerCase(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code === OPEN_BRACE) {
      if (token.charCodeAt(i + 1) === BACKSLASH) return specialCharacterIsLower(token, i + 2);
      // A braced group without a command is caseless: skip it.
      let depth = 0;
      for (; i < token.length; i++) {
        const inner = token.charCodeAt(i);
        if (inner === OPEN_BRACE) depth++;
        else if (inner === CLOSE_BRACE && --depth === 0) break;
      }
    } else if (code === BACKSLASH) {
      let j = i + 1;
      while (j < token.length && !isLetter(token.charCodeAt(j))) j++;
      if (isAccentCommand(token, j)) j += 1;
      while (j < token.length && !isLetter(token.charCodeAt(j))) j++;
      return j < token.length && isLowerLetter(token.charCodeAt(j));
    } else if (isLetter(code)) {
      return isLowerLetter(code);
    }
  }
  return false;
}

/** Commands that are letters themselves: their own case is the case of a `{\…}` special character. */
const FOREIGN_LETTERS = new Set(['i', 'j', 'oe', 'OE', 'ae', 'AE', 'aa', 'AA', 'o', 'O', 'l', 'L', 'ss']);

/**
 * The case of the special character `{\…}` whose command starts at `at`, as BibTeX decides it: `{\ss}`, `{\O}` by
 * the command; any other (`{\"u}`, `{\v{C}}`, `{\relax Ch}`) by the first letter after the command. No letter: not lower.
 */
function specialCharacterIsLower(token: string, at: number): boolean {
  let j = at;
  while (j < token.length && isAsciiLetter(token.charCodeAt(j))) j++;
  const name = token.slice(at, j);
  if (FOREIGN_LETTERS.has(name)) return isLowerLetter(name.charCodeAt(0));
  if (name === '') j++;
  for (let depth = 1; j < token.length; j++) {
    const code = token.charCodeAt(j);
    if (code === OPEN_BRACE) depth++;
    else if (code === CLOSE_BRACE && --depth === 0) return false;
    else if (isLetter(code)) return isLowerLetter(code);
  }
  return false;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** `\v c`, `\c c`: a one-letter accent command whose case says nothing about the name. */
function isAccentCommand(token: string, at: number): boolean {
  return 'uvHcdbrkt'.includes(token[at]) && !isAsciiLetter(token.charCodeAt(at + 1));
}

function isLowerLetter(code: number): boolean {
  if (code < 128) return code >= 97 && code <= 122;
  const char = String.fromCharCode(code);
  return char !== char.toUpperCase();
}

function part(tokens: string[]): string | undefined {
  if (tokens.length === 0) return undefined;
  const text = latexToUnicode(tokens.join(' '));
  return text === '' ? undefined : text;
}

/** "von Last" tokens: von is the longest run starting and ending with lower-case tokens, last keeps ≥ 1 token. */
function splitVonLast(tokens: string[]): { prefix?: string; family: string } {
  let vonEnd = -1;
  let vonStart = -1;
  for (let i = 0; i < tokens.length - 1; i++) {
    if (isLowerCase(tokens[i])) {
      if (vonStart < 0) vonStart = i;
      vonEnd = i;
    } else if (vonStart < 0) {
      break;
    }
  }
  if (vonStart < 0) return { family: part(tokens) ?? '' };
  return { prefix: part(tokens.slice(0, vonEnd + 1)), family: part(tokens.slice(vonEnd + 1)) ?? '' };
}

/** "Krishna, Amrith": one plain family word, a comma, plain given names. Most names in large files look so. */
const SIMPLE_NAME = /^\s*([^\s,{}\\~$]+),\s*([^,{}\\~$]*?)\s*$/;

function parseName(name: string): Person | undefined {
  if (name.includes('=') && EXTENDED_NAME.test(name)) return extendedName(name);
  const simple = SIMPLE_NAME.exec(name);
  if (simple && !isLowerCase(simple[1]) && simple[1].toLowerCase() !== 'others' && !/--|''|``/.test(name)) {
    const given = simple[2].replace(/\s+/g, ' ');
    return given === '' ? { family: simple[1] } : { family: simple[1], given };
  }
  const tokens = tokenize(name);
  if (tokens.length === 0) return undefined;
  if (tokens.length === 1 && tokens[0].toLowerCase() === 'others') return { family: 'others', others: true };
  const token = tokens[0];
  if (tokens.length === 1 && token.charCodeAt(0) === OPEN_BRACE && braceGroupEnd(token) === token.length) {
    return { family: latexToUnicode(token), literal: true };
  }
  const segments: string[][] = [[]];
  for (const t of tokens) {
    if (t === ',') segments.push([]);
    else segments[segments.length - 1].push(t);
  }
  const person: Person = { family: '' };
  if (segments.length === 1) {
    // First von Last: von starts at the first lower-case token that is not the last token.
    const words = segments[0];
    let vonStart = -1;
    for (let i = 0; i < words.length - 1; i++) {
      if (isLowerCase(words[i])) {
        vonStart = i;
        break;
      }
    }
    const firstEnd = vonStart < 0 ? words.length - 1 : vonStart;
    const given = part(words.slice(0, firstEnd));
    Object.assign(person, splitVonLast(words.slice(firstEnd)));
    if (given) person.given = given;
  } else {
    Object.assign(person, splitVonLast(segments[0]));
    const given = segments.length === 2 ? segments[1] : segments.slice(2).flatMap((s, i) => (i ? [',', ...s] : s));
    const givenText = part(given.filter((t) => t !== ','));
    if (givenText) person.given = givenText;
    if (segments.length > 2) {
      const suffix = part(segments[1]);
      if (suffix) person.suffix = suffix;
    }
  }
  if (person.prefix === undefined) delete person.prefix;
  if (person.family === '' && person.given !== undefined) {
    person.family = person.given;
    delete person.given;
  }
  return person.family === '' ? undefined : person;
}

/** A name written in BibLaTeX's extended format names one of these parts (`useprefix=` does not count). */
const EXTENDED_NAME = /(?:^|[^a-z-])(?:family|given|prefix|suffix)\s*=/i;
/** `key = value` at the start of a part of an extended name; `given-i` (and `giveni`) hold initials. */
const EXTENDED_PART = /^([a-z]+(?:-?i)?)\s*=\s*/i;
/** Options biblatex accepts for a whole name list, written as an item of its own: `useprefix=false and …`. */
const NAME_LIST_OPTIONS = new Set(['useprefix', 'sortingnamekeytemplatename', 'uniquelist', 'uniquename', 'nohashothers', 'nosortothers']);
const NAME_LIST_OPTION = /^\s*([a-z]+)\s*=\s*\S*\s*$/i;
/** A granular XDATA reference standing for names of another entry (`xdata=set-author-2`); resolved before parsing. */
export const XDATA_REFERENCE = /^\s*xdata\s*=\s*(\S+)\s*$/i;

/** An item of a name list that is no name: a list option or an XDATA reference left unresolved. */
function isNotAName(item: string): boolean {
  if (XDATA_REFERENCE.test(item)) return true;
  const option = NAME_LIST_OPTION.exec(item);
  return option !== null && NAME_LIST_OPTIONS.has(option[1].toLowerCase());
}

/** Top-level comma-separated parts; braces and double quotes keep commas inside a value. */
function splitExtendedParts(name: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === OPEN_BRACE) depth++;
    else if (code === CLOSE_BRACE) depth = Math.max(0, depth - 1);
    else if (code === 34 && depth === 0) quoted = !quoted;
    else if (code === COMMA && depth === 0 && !quoted) {
      parts.push(name.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(name.slice(start));
  return parts;
}

/**
 * BibLaTeX's extended name format, `family=Adler, given=Alfred, prefix=von, useprefix=true`, as biber reads it:
 * the name parts by name, `middle` after the given names, and everything else (`id=`, `useprefix=`, `uniquename=`,
 * initials in `given-i=`) not part of the displayed name.
 */
function extendedName(name: string): Person | undefined {
  const values: Record<string, string> = {};
  for (const text of splitExtendedParts(name)) {
    const match = EXTENDED_PART.exec(text.trim());
    if (!match) continue;
    let value = text.trim().slice(match[0].length).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    const converted = latexToUnicode(value);
    // A part given twice: the later one wins, as in biber.
    if (converted !== '') values[match[1].toLowerCase()] = converted;
  }
  const given = [values.given, values.middle].filter((part) => part !== undefined).join(' ');
  const family = values.family ?? (given === '' ? undefined : given);
  if (family === undefined) return undefined;
  const person: Person = { family };
  if (values.family !== undefined && given !== '') person.given = given;
  if (values.prefix !== undefined) person.prefix = values.prefix;
  if (values.suffix !== undefined) person.suffix = values.suffix;
  return person;
}

/** Index after the group opening at 0, so `{A} {B}` is not taken for one corporate name. */
function braceGroupEnd(token: string): number {
  let depth = 0;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code === OPEN_BRACE) depth++;
    else if (code === CLOSE_BRACE && --depth === 0) return i + 1;
  }
  return token.length;
}

/**
 * BibTeX `and`-separated names → people, display parts rendered as Unicode. `{World Health Organization}` is a
 * literal; `and others` becomes `{ family: 'others', others: true }`.
 */
export function parseNames(value: string): Person[] {
  const people: Person[] = [];
  for (const name of splitNameList(value)) {
    if (name.includes('=') && isNotAName(name)) continue;
    const person = parseName(name);
    if (person) people.push(person);
  }
  return people;
}

/** Braces a name part that would otherwise be split or re-parsed differently (commas, `and`, lower-case start). */
function namePart(text: string, guardCase: boolean): string {
  const escaped = unicodeToBibtex(text);
  const first = text.charCodeAt(0);
  const needsBraces = text.includes(',') || /(^|\s)and(\s|$)/i.test(text) ||
    (guardCase && isLowerLetter(first) && isLetter(first));
  return needsBraces ? `{${escaped}}` : escaped;
}

/** People → a BibTeX name list ("von Last, Jr, First and …") that parseNames reads back to the same people. */
export function formatNamesBibtex(people: Person[]): string {
  return people
    .map((person) => {
      if (person.others) return 'others';
      // A lone multi-word family ("The BABAR Collaboration") would read back as given + family names.
      const whole = person.literal || (!person.given && !person.prefix && !person.suffix && /\s/.test(person.family));
      if (whole) return `{${unicodeToBibtex(person.family)}}`;
      let name = person.prefix ? `${unicodeToBibtex(person.prefix)} ` : '';
      name += namePart(person.family, true);
      if (person.suffix) name += `, ${namePart(person.suffix, false)}`;
      if (person.given || person.suffix) name += `, ${namePart(person.given ?? '', false)}`;
      return name;
    })
    .join(' and ');
}
