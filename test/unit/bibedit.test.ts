import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BibliographyContents, planBibAppend } from '../../src/core/bibedit';
import type { Paper } from '../../src/core/paper';
import { corpusPath } from './corpora';

function paper(key: string, doi?: string): Paper {
  return {
    key,
    type: 'article',
    title: 'A Title',
    authors: [{ family: 'Doe', given: 'Jane' }],
    year: '2020',
    doi,
    fields: {},
    origin: { file: 'corpus.bib', line: 1 },
  };
}

const ENTRY = '@article{doe2020title,\n  title = {A Title},\n  year = {2020}\n}\n';
const EXISTING = '% My references\n@book{smith1999,\n  title  = {Old},\n  doi    = {10.1000/OLD}\n}\n';

/** The .bib after applying the plan. */
function applied(bibText: string, entry = ENTRY, key = 'doe2020title', doi?: string): string {
  const plan = planBibAppend(bibText, paper(key, doi), entry);
  if (plan.kind !== 'append') throw new Error(`expected an append, got ${JSON.stringify(plan)}`);
  return bibText.slice(0, plan.offset) + plan.text + bibText.slice(plan.offset);
}

describe('planBibAppend', () => {
  it('appends after exactly one blank line, leaving the rest as it was', () => {
    expect(applied(EXISTING)).toBe(`${EXISTING}\n${ENTRY}`);
  });

  it('adds the final newline a file lacks', () => {
    expect(applied(EXISTING.trimEnd())).toBe(`${EXISTING}\n${ENTRY}`);
  });

  it('keeps trailing blank lines below the new entry, one blank line above it', () => {
    expect(applied(`${EXISTING}\n\n\n`)).toBe(`${EXISTING}\n${ENTRY}\n\n\n`);
  });

  it('writes into an empty file without a leading blank line', () => {
    expect(applied('')).toBe(ENTRY);
    expect(applied('\n\n')).toBe(`\n\n${ENTRY}`);
  });

  it('keeps CRLF line endings in a CRLF file', () => {
    const crlf = EXISTING.replace(/\n/g, '\r\n');
    expect(applied(crlf)).toBe(`${crlf}\r\n${ENTRY.replace(/\n/g, '\r\n')}`);
  });

  it('ends the entry with one newline however it was rendered', () => {
    expect(applied(EXISTING, `\n${ENTRY}\n\n`)).toBe(`${EXISTING}\n${ENTRY}`);
  });

  it('never adds a key twice, whatever its case', () => {
    expect(planBibAppend(EXISTING, paper('smith1999'), ENTRY)).toEqual({ kind: 'present', key: 'smith1999' });
    expect(planBibAppend(EXISTING, paper('Smith1999'), ENTRY)).toEqual({ kind: 'present', key: 'smith1999' });
  });

  it('never adds a DOI twice, and says under which key it is', () => {
    expect(planBibAppend(EXISTING, paper('other2000', 'https://doi.org/10.1000/old'), ENTRY)).toEqual({
      kind: 'present',
      key: 'smith1999',
    });
  });

  it.each(['https://www.doi.org/10.1000/old', 'doi.org/10.1000/OLD', 'http://dx.doi.org/10.1000/old', 'DOI: 10.1000/Old', ' 10.1000/old '])(
    'knows the DOI written as %j',
    (doi) => {
      expect(planBibAppend(EXISTING, paper('other2000', doi), ENTRY)).toEqual({ kind: 'present', key: 'smith1999' });
    },
  );

  it("never adds a paper another of the document's bibliography files has, by key or DOI", () => {
    const others = new BibliographyContents([{ file: '/p/other.bib', text: '@misc{Doe2020Title, doi = {10.1/moved}}' }]);
    expect(planBibAppend(EXISTING, paper('doe2020title'), ENTRY, others)).toEqual({ kind: 'present', key: 'Doe2020Title' });
    expect(planBibAppend(EXISTING, paper('x', 'doi:10.1/MOVED'), ENTRY, others)).toEqual({ kind: 'present', key: 'Doe2020Title' });
    expect(planBibAppend(EXISTING, paper('new2021'), ENTRY, others).kind).toBe('append');
  });

  it('appends to a real, large .bib without touching a byte of it', () => {
    const file = corpusPath('edge/xampl.bib');
    const text = readFileSync(file, 'utf8');
    const result = applied(text);
    expect(result.startsWith(text.trimEnd())).toBe(true);
    expect(result.endsWith(`\n\n${ENTRY}`)).toBe(true);
    expect(planBibAppend(result, paper('doe2020title'), ENTRY).kind).toBe('present');
  });
});

describe('BibliographyContents', () => {
  const contents = new BibliographyContents([
    { file: '/p/a.bib', text: EXISTING },
    { file: '/p/b.bib', text: '\n\n@misc{Other,\n title={x}}\n@misc{smith1999, title={dup}}' },
  ]);

  it('lists keys in file order, once each', () => {
    expect(contents.keys()).toEqual(['smith1999', 'Other']);
  });

  it('finds a paper by key in any case or by DOI', () => {
    expect(contents.keyOf(paper('other'))).toBe('Other');
    expect(contents.keyOf(paper('new', 'doi:10.1000/old'))).toBe('smith1999');
    expect(contents.keyOf(paper('new'))).toBeUndefined();
  });

  it('does not take a paper that shares its key in the library for the entry when their DOIs differ', () => {
    const sharing = { sameKey: [{ title: 'Another', origin: { file: 'corpus.bib', line: 9 } }] };
    expect(contents.keyOf({ ...paper('SMITH1999', '10.1000/new'), ...sharing })).toBeUndefined();
    expect(contents.keyOf({ ...paper('SMITH1999', '10.1000/old'), ...sharing })).toBe('smith1999');
    // Without a DOI to compare, the key is all there is.
    expect(contents.keyOf({ ...paper('Other', '10.1000/new'), ...sharing })).toBe('Other');
    expect(contents.keyOf(paper('SMITH1999', '10.1000/new'))).toBe('smith1999');
  });

  it('tells every file and line a key is defined at', () => {
    expect(contents.definitions('smith1999')).toEqual([
      { file: '/p/a.bib', line: 2 },
      { file: '/p/b.bib', line: 5 },
    ]);
  });
});
