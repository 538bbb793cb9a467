// What an entry takes from other entries, as biber resolves it (`biber --tool --output-resolve` is the reference):
// @xdata blocks named by `xdata = {…}` and granular `xdata=key-field-n` references first, then crossref parents by
// biblatex.def's inheritance rules. `xref` names a parent but passes nothing on. Entries are found by key, by key
// in any case, or by one of their `ids = {…}` aliases.
import type { Problem } from '../paper';
import type { BibtexEntry } from './bibtex';
import { splitNameList, XDATA_REFERENCE } from './names';

/** Fields no entry takes from a parent or an @xdata block (biblatex.def's global \noinherit, and the links). */
const NOT_INHERITED = new Set([
  'ids', 'crossref', 'xref', 'xdata', 'entryset', 'entrysubtype', 'execute', 'label', 'options', 'presort', 'related',
  'relatedoptions', 'relatedstring', 'relatedtype', 'shorthand', 'shorthandintro', 'sortkey',
]);
/** BibTeX names biber reads as their BibLaTeX fields: a child's `journal` is its `journaltitle`. */
const FIELD_ALIASES: Record<string, string> = {
  journal: 'journaltitle', journaltitle: 'journal', address: 'location', location: 'address', school: 'institution',
  institution: 'school',
};
/** Date parts: a child with a date or year of its own takes none of them (biber inherits dates as a whole). */
const DATE_FIELDS = new Set(['date', 'year', 'month', 'day']);
/** Real chains are a level or two deep (paper → proceedings → series); a longer one is a generated or broken file. */
const MAX_CHAIN_DEPTH = 32;

interface InheritanceRule {
  parents: string[];
  children: string[];
  /** Parent field → child field. */
  map: [string, string][];
  /** Parent fields the child does not take at all under this rule. */
  suppress: string[];
}

const TITLE_INDEX_FIELDS = ['shorttitle', 'sorttitle', 'indextitle', 'indexsorttitle'];
const titlesTo = (prefix: string): [string, string][] =>
  [['title', `${prefix}title`], ['subtitle', `${prefix}subtitle`], ['titleaddon', `${prefix}titleaddon`]];

/** biblatex.def's \DeclareDataInheritance rules; every other field is copied under its own name when missing. */
const RULES: InheritanceRule[] = [
  { parents: ['mvbook', 'book'], children: ['inbook', 'bookinbook', 'suppbook'], map: [['author', 'author'], ['author', 'bookauthor']], suppress: [] },
  { parents: ['mvbook'], children: ['book', 'inbook', 'bookinbook', 'suppbook'], map: titlesTo('main'), suppress: TITLE_INDEX_FIELDS },
  {
    parents: ['mvcollection', 'mvreference'], children: ['collection', 'reference', 'incollection', 'inreference', 'suppcollection'],
    map: titlesTo('main'), suppress: TITLE_INDEX_FIELDS,
  },
  { parents: ['mvproceedings'], children: ['proceedings', 'inproceedings'], map: titlesTo('main'), suppress: TITLE_INDEX_FIELDS },
  { parents: ['book'], children: ['inbook', 'bookinbook', 'suppbook'], map: titlesTo('book'), suppress: TITLE_INDEX_FIELDS },
  {
    parents: ['collection', 'reference'], children: ['incollection', 'inreference', 'suppcollection'],
    map: titlesTo('book'), suppress: TITLE_INDEX_FIELDS,
  },
  { parents: ['proceedings'], children: ['inproceedings'], map: titlesTo('book'), suppress: TITLE_INDEX_FIELDS },
  { parents: ['periodical'], children: ['article', 'suppperiodical'], map: titlesTo('journal'), suppress: TITLE_INDEX_FIELDS },
];

/** The BibLaTeX type the rules know a BibTeX type by. */
function ruleType(type: string): string {
  return type === 'conference' ? 'inproceedings' : type;
}

/** The field, under its own name or its BibTeX/BibLaTeX alias, is set. */
function has(fields: Record<string, string>, name: string): boolean {
  const present = (field: string | undefined): boolean =>
    field !== undefined && fields[field] !== undefined && Object.prototype.hasOwnProperty.call(fields, field);
  return present(name) || present(FIELD_ALIASES[name]);
}

function hasDate(fields: Record<string, string>): boolean {
  return has(fields, 'date') || has(fields, 'year');
}

/** Entries by key, by lower-case key and by their `ids` aliases; the first definition wins. */
class EntryIndex {
  private readonly byKey = new Map<string, BibtexEntry>();
  private readonly byLowerKey = new Map<string, BibtexEntry>();

  constructor(entries: BibtexEntry[]) {
    for (const entry of entries) if (entry.key !== '') this.add(entry.key, entry);
    for (const entry of entries) {
      for (const alias of listItems(entry.fields.ids)) this.add(alias, entry);
    }
  }

  private add(name: string, entry: BibtexEntry): void {
    if (!this.byKey.has(name)) this.byKey.set(name, entry);
    const lower = name.toLowerCase();
    if (!this.byLowerKey.has(lower)) this.byLowerKey.set(lower, entry);
  }

  find(name: string): BibtexEntry | undefined {
    return this.byKey.get(name) ?? this.byLowerKey.get(name.toLowerCase());
  }
}

/** `a, b ,c` → ['a', 'b', 'c']. */
function listItems(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function label(entry: BibtexEntry): string {
  return `@${entry.type}{${entry.key}`;
}

function problemAt(entry: BibtexEntry, message: string): Problem {
  return { file: entry.file, line: entry.line, message: `${label(entry)}: ${message}` };
}

/**
 * Resolves, in place and across every entry given (so targets may come later or from another file of the same
 * load), what entries take from others: @xdata data, then crossref parents (recursively, by biblatex.def's rules).
 * An `xref` is only checked. Missing targets, cycles and over-long chains become problems, never exceptions.
 */
export function resolveCrossrefs(entries: BibtexEntry[]): Problem[] {
  const problems: Problem[] = [];
  const needsIndex = entries.some((entry) =>
    entry.type === 'xdata' || entry.fields.crossref !== undefined || entry.fields.xref !== undefined);
  if (!needsIndex) return problems;
  const index = new EntryIndex(entries);
  if (entries.some((entry) => entry.type === 'xdata')) new XdataResolver(index, problems).resolveAll(entries);
  new CrossrefResolver(index, problems).resolveAll(entries);
  return problems;
}

class XdataResolver {
  private readonly resolved = new Set<BibtexEntry>();
  private readonly inProgress: BibtexEntry[] = [];
  /** `key\0field` of granular references being followed, for cycles like lxd1:loop → lxd2:loop → lxd1:loop. */
  private readonly fieldsInProgress: string[] = [];

  constructor(private readonly index: EntryIndex, private readonly problems: Problem[]) {}

  resolveAll(entries: BibtexEntry[]): void {
    for (const entry of entries) this.resolve(entry);
  }

  /** Granular references in every field, then the @xdata blocks the entry names (their own ones resolved first). */
  private resolve(entry: BibtexEntry): void {
    if (this.resolved.has(entry)) return;
    this.resolved.add(entry);
    for (const field of Object.keys(entry.fields)) {
      if (field !== 'xdata' && field !== 'ids') this.granularField(entry, field);
    }
    const names = listItems(entry.fields.xdata);
    if (names.length === 0) return;
    this.inProgress.push(entry);
    for (const name of names) {
      const source = this.index.find(name);
      if (source === undefined) {
        this.problems.push(problemAt(entry, `xdata entry '${name}' not found`));
      } else if (source.type !== 'xdata') {
        this.problems.push(problemAt(entry, `xdata names '${name}', which is a @${source.type}, not an @xdata entry; not used`));
      } else if (this.inProgress.includes(source)) {
        const cycle = [...this.inProgress.slice(this.inProgress.indexOf(source)), source].map((e) => e.key).join(' → ');
        this.problems.push(problemAt(entry, `xdata cycle ${cycle}; not inherited`));
      } else {
        this.resolve(source);
        for (const [field, value] of Object.entries(source.fields)) {
          if (!NOT_INHERITED.has(field) && !has(entry.fields, field)) entry.fields[field] = value;
        }
      }
    }
    this.inProgress.pop();
  }

  /**
   * Replaces each `xdata=key-field` (all of the field) or `xdata=key-field-n` (its n-th name or item) standing as an
   * item of the field, as biber does; a reference that cannot be resolved is reported and left out.
   */
  private granularField(entry: BibtexEntry, field: string): string | undefined {
    const value = entry.fields[field];
    if (value === undefined || !/xdata\s*=/i.test(value)) return value;
    const items = splitNameList(value);
    if (!items.some((item) => XDATA_REFERENCE.test(item))) return value;
    const marker = `${entry.key}\0${field}`;
    if (this.fieldsInProgress.includes(marker)) {
      this.problems.push(problemAt(entry, `xdata reference cycle through field '${field}'; not resolved`));
      return undefined;
    }
    this.fieldsInProgress.push(marker);
    const resolved: string[] = [];
    for (const item of items) {
      const reference = XDATA_REFERENCE.exec(item);
      if (reference === null) {
        resolved.push(item.trim());
        continue;
      }
      const text = this.referencedText(entry, field, reference[1]);
      if (text !== undefined && text !== '') resolved.push(text);
    }
    this.fieldsInProgress.pop();
    // Nothing left (every reference unresolvable): the field is absent rather than empty.
    if (resolved.length === 0) {
      delete entry.fields[field];
      return undefined;
    }
    entry.fields[field] = resolved.join(' and ');
    return entry.fields[field];
  }

  /** The text `key-field[-n]` stands for, or undefined with a problem. Split at `-` as biber splits it. */
  private referencedText(entry: BibtexEntry, field: string, reference: string): string | undefined {
    const [key, sourceField = '', position] = reference.split('-');
    const source = this.index.find(key);
    const where = `field '${field}': xdata reference '${reference}'`;
    if (source === undefined || source.type !== 'xdata') {
      this.problems.push(problemAt(entry, `${where} names no @xdata entry; left out`));
      return undefined;
    }
    const name = sourceField.toLowerCase();
    if (source.fields[name] === undefined) {
      this.problems.push(problemAt(entry, `${where}: @xdata{${source.key} has no field '${sourceField}'; left out`));
      return undefined;
    }
    // Undefined here is a cycle or a field whose own references all failed, already reported.
    const sourceValue = this.granularField(source, name);
    if (sourceValue === undefined) return undefined;
    if (position === undefined) return sourceValue;
    const item = splitNameList(sourceValue)[Number(position) - 1];
    if (item === undefined) this.problems.push(problemAt(entry, `${where}: @xdata{${source.key} has no item ${position} in '${sourceField}'; left out`));
    return item?.trim();
  }
}

class CrossrefResolver {
  private readonly resolved = new Set<BibtexEntry>();
  private readonly inProgress: BibtexEntry[] = [];

  constructor(private readonly index: EntryIndex, private readonly problems: Problem[]) {}

  resolveAll(entries: BibtexEntry[]): void {
    for (const entry of entries) {
      if (entry.fields.crossref !== undefined) this.resolve(entry);
      const xref = entry.fields.xref?.trim();
      if (xref && this.index.find(xref) === undefined) this.problems.push(problemAt(entry, `xref target '${xref}' not found`));
    }
  }

  private resolve(entry: BibtexEntry): void {
    if (this.resolved.has(entry)) return;
    const target = entry.fields.crossref?.trim();
    if (target) {
      this.inProgress.push(entry);
      const parent = this.index.find(target);
      if (parent === undefined) {
        this.problems.push(problemAt(entry, `crossref target '${target}' not found`));
      } else if (this.inProgress.includes(parent)) {
        const cycle = [...this.inProgress.slice(this.inProgress.indexOf(parent)), parent].map((e) => e.key).join(' → ');
        this.problems.push(problemAt(entry, `crossref cycle ${cycle}; not inherited`));
      } else if (this.inProgress.length >= MAX_CHAIN_DEPTH && !this.resolved.has(parent)) {
        this.problems.push(problemAt(entry, `crossref chain more than ${MAX_CHAIN_DEPTH} entries deep; not inherited`));
      } else {
        this.resolve(parent);
        inherit(entry, parent);
      }
      this.inProgress.pop();
    }
    this.resolved.add(entry);
  }
}

/**
 * The child takes what it lacks: first the fields biblatex.def's rules map for this pair of types (a book's title
 * is an inbook's booktitle, even when the book has a booktitle of its own; an mvbook's title is a maintitle; a
 * book's author is also the bookauthor), then every other field under its own name. A child with a date or year
 * of its own takes no date part of the parent's.
 */
function inherit(child: BibtexEntry, parent: BibtexEntry): void {
  const fields = child.fields;
  // Aliases count against the child's own fields only: a parent with both `address` and `location` gives both.
  const own = { ...fields };
  const childType = ruleType(child.type);
  const parentType = ruleType(parent.type);
  const handled = new Set<string>();
  for (const rule of RULES) {
    if (!rule.parents.includes(parentType) || !rule.children.includes(childType)) continue;
    for (const [from, to] of rule.map) {
      if (!has(parent.fields, from)) continue;
      handled.add(from);
      if (!has(own, to) && !Object.prototype.hasOwnProperty.call(fields, to)) fields[to] = parent.fields[from];
    }
    for (const name of rule.suppress) handled.add(name);
  }
  const childHasDate = hasDate(own);
  for (const name of Object.keys(parent.fields)) {
    if (NOT_INHERITED.has(name) || handled.has(name) || has(own, name) || Object.prototype.hasOwnProperty.call(fields, name)) continue;
    if (childHasDate && DATE_FIELDS.has(name)) continue;
    fields[name] = parent.fields[name];
  }
}
