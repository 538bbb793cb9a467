import { describe, expect, it } from 'vitest';
import { entryRemovalRange, readBibContents, scanBibEntries } from '../../../src/core/integrity/bibEntries';
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
  it('takes the entry\'s lines and the blank line after it, leaving the neighbours as they were', () => {
    const text = '@a{one,\n  x = {1}\n}\n\n  @a{two, x = {2}}  \n\n@a{three, x = {3}}';
    const [one, two, three] = scanBibEntries(text);
    const cut = (range: [number, number]) => text.slice(0, range[0]) + text.slice(range[1]);
    expect(cut(entryRemovalRange(text, two))).toBe('@a{one,\n  x = {1}\n}\n\n@a{three, x = {3}}');
    expect(cut(entryRemovalRange(text, one))).toBe('  @a{two, x = {2}}  \n\n@a{three, x = {3}}');
    expect(cut(entryRemovalRange(text, three))).toBe('@a{one,\n  x = {1}\n}\n\n  @a{two, x = {2}}  \n\n');
  });
});
