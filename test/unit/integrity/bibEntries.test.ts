import { describe, expect, it } from 'vitest';
import { entriesRemovalRanges, entryRemovalRange, readBibContents, scanBibEntries } from '../../../src/core/integrity/bibEntries';
import { read, thesis } from './workspace';

describe('scanBibEntries', () => {
  it('finds each entry, its key span, type, line and crossref, skipping @string, @comment, @preamble and commented-out entries', () => {
    const text = [
      '@string{nips = {NeurIPS}}',
      '@comment{@article{inside, title={no}}}',
      '% @article{commented, title = {no}}',
      '@preamble{"\\newcommand{\\x}{y}"}',
      '@Article{ first2020,',
      '  title = {Braces {Inside} and an e-mail a@b.org},',
      '  crossref = {parent}',
      '}',
      '@book(second, title = "Paren (entry)", xref = "other")',
      '',
    ].join('\n');
    const entries = scanBibEntries(text);
    expect(entries.map(({ key, type, line }) => ({ key, type, line }))).toEqual([
      { key: 'first2020', type: 'article', line: 5 },
      { key: 'second', type: 'book', line: 9 },
    ]);
    const [first, second] = entries;
    expect(text.slice(first.keyStart, first.keyEnd)).toBe('first2020');
    expect(text.slice(first.start, first.end)).toBe(text.split('\n').slice(4, 8).join('\n'));
    expect(first.links.map((link) => [link.key, text.slice(link.start, link.end)])).toEqual([['parent', 'parent']]);
    expect(text.slice(second.start, second.end)).toBe('@book(second, title = "Paren (entry)", xref = "other")');
    expect(second.links.map((link) => link.key)).toEqual(['other']);
  });

  it('reads every key of an xdata list, each with its own span', () => {
    const text = '@set{child, title = {T}, xdata = { base ,extra}}\n';
    const [child] = scanBibEntries(text);
    expect(child.links.map((link) => [link.key, text.slice(link.start, link.end)])).toEqual([
      ['base', 'base'],
      ['extra', 'extra'],
    ]);
  });

  it('ends an unclosed entry where the next entry starts, so the next one is still found', () => {
    const text = '@article{open,\n  title = {Never closed,\n@article{next,\n  title = {Fine}\n}\n';
    const entries = scanBibEntries(text);
    expect(entries.map((entry) => entry.key)).toEqual(['open', 'next']);
    expect(text.slice(entries[0].start, entries[0].end)).toBe('@article{open,\n  title = {Never closed,');
  });

  it('matches the reader: every entry of the thesis bibliography has the reader\'s line and paper', () => {
    const file = thesis('bib', 'papers.bib');
    const contents = readBibContents(file, read(file));
    expect(contents.entries.map((entry) => `${entry.key}:${entry.line}`)).toEqual([
      'vaswani2017attention:2', 'lecun2015deep:10', 'hochreiter1997long:20', 'attention2017:28', 'he2016deep:36',
      'devlin2019bert:43', 'naacl2019:50', 'he2016deep:56', 'broken2020:63', 'unused2019:68',
    ]);
    // The reader skips the second he2016deep and the malformed broken2020; crossref fills devlin2019bert's year.
    const papers = contents.entries.map((entry) => contents.paperOf(entry)?.title ?? null);
    expect(papers[7]).toBeNull();
    expect(papers[8]).toBeNull();
    expect(contents.paperOf(contents.entries[5])?.year).toBe('2019');
    expect(contents.fieldsOf(contents.entries[5])).not.toHaveProperty('year');
  });
});

describe('entryRemovalRange', () => {
  const cut = (text: string, range: [number, number]) => text.slice(0, range[0]) + text.slice(range[1]);

  it('takes the entry\'s lines and the blank line after it, leaving the neighbours as they were', () => {
    const text = '@a{one,\n  x = {1}\n}\n\n  @a{two, x = {2}}  \n\n@a{three, x = {3}}';
    const [one, two] = scanBibEntries(text);
    expect(cut(text, entryRemovalRange(text, two))).toBe('@a{one,\n  x = {1}\n}\n\n@a{three, x = {3}}');
    expect(cut(text, entryRemovalRange(text, one))).toBe('  @a{two, x = {2}}  \n\n@a{three, x = {3}}');
  });

  it('takes the blank line before the file\'s last entry, so the file ends as it did before the entry was written', () => {
    const withEnd = '@a{one, x = {1}}\n\n@a{two, x = {2}}\n';
    expect(cut(withEnd, entryRemovalRange(withEnd, scanBibEntries(withEnd)[1]))).toBe('@a{one, x = {1}}\n');
    const withoutEnd = '@a{one, x = {1}}\r\n\r\n  @a{two, x = {2}}';
    expect(cut(withoutEnd, entryRemovalRange(withoutEnd, scanBibEntries(withoutEnd)[1]))).toBe('@a{one, x = {1}}\r\n');
    const onlyOne = '\n@a{one, x = {1}}\n\n';
    expect(cut(onlyOne, entryRemovalRange(onlyOne, scanBibEntries(onlyOne)[0]))).toBe('');
  });
});

describe('entriesRemovalRanges', () => {
  const removeKeys = (text: string, keys: string[]) => {
    const ranges = entriesRemovalRanges(text, scanBibEntries(text).filter((entry) => keys.includes(entry.key)));
    return ranges.reduceRight((result, [start, end]) => result.slice(0, start) + result.slice(end), text);
  };
  const bib = (...keys: string[]) => keys.map((key) => `@misc{${key},\n  title = {${key}}\n}\n`).join('\n');

  it('leaves the text as if the removed entries had never been written, wherever they are', () => {
    const text = bib('a', 'b', 'c', 'd', 'e');
    expect(removeKeys(text, ['b', 'c'])).toBe(bib('a', 'd', 'e'));
    expect(removeKeys(text, ['a', 'c', 'e'])).toBe(bib('b', 'd'));
    expect(removeKeys(text, ['d', 'e'])).toBe(bib('a', 'b', 'c'));
    expect(removeKeys(text, ['a', 'b', 'c', 'd', 'e'])).toBe('');
  });

  it('keeps what is written between removed entries, and the blank lines around it', () => {
    const text = `${bib('a', 'b')}\n% kept comment\n\n${bib('c')}`;
    expect(removeKeys(text, ['b', 'c'])).toBe(`${bib('a')}\n% kept comment\n`);
  });

  it('gives ranges in text order that never overlap, whatever order the entries come in', () => {
    const text = bib('a', 'b', 'c', 'd');
    const [a, b, , d] = scanBibEntries(text);
    const ranges = entriesRemovalRanges(text, [d, b, a]);
    expect(ranges.map(([start, end]) => text.slice(start, end))).toEqual([`${bib('a', 'b')}\n`, `\n${bib('d')}`]);
  });
});
