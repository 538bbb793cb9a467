import { describe, expect, it } from 'vitest';
import { prepareRename, rename } from '../../../src/core/integrity/rename';
import { applyChanges, book, describe as where, fixtures, indexFolder, offsetOf, read, thesis } from './workspace';

const workspace = indexFolder(fixtures);

function changed(result: ReturnType<typeof rename>): Record<string, string> {
  if ('refused' in result) throw new Error(result.refused);
  return applyChanges(result.changes);
}

describe('prepareRename', () => {
  it('gives the key\'s range and text in a document and in a .bib entry', () => {
    const chapter = thesis('chapters', 'methods', 'methods.tex');
    const prepared = prepareRename(workspace, chapter, offsetOf(chapter, 'knuth1984texbook', 3));
    expect('range' in prepared && [where({ file: chapter, range: prepared.range }), prepared.placeholder]).toEqual([
      'thesis/chapters/methods/methods.tex:2:20 knuth1984texbook',
      'knuth1984texbook',
    ]);
    const bib = thesis('bib', 'books.bib');
    const fromBib = prepareRename(workspace, bib, offsetOf(bib, 'bishop2006pattern'));
    expect('range' in fromBib && fromBib.placeholder).toBe('bishop2006pattern');
  });

  it('is refused with a message away from a key', () => {
    const chapter = thesis('chapters', 'methods', 'methods.tex');
    expect(prepareRename(workspace, chapter, offsetOf(chapter, 'typesetting'))).toEqual({
      refused: "Put the cursor on a citation key or on a .bib entry's key to rename it.",
    });
  });
});

describe('rename', () => {
  it('from the .bib renames the entry and every use in LaTeX and Markdown, leaving comments, verbatim and code alone', () => {
    const bib = thesis('bib', 'papers.bib');
    const texts = changed(rename(workspace, bib, offsetOf(bib, 'vaswani2017attention'), 'vaswani2017transformer'));
    expect(Object.keys(texts).map((file) => file.slice(fixtures.length + 1)).sort()).toEqual([
      'quarto-book/chapters/intro.qmd',
      'quarto-book/chapters/methods.qmd',
      'quarto-book/references.bib',
      'thesis/bib/papers.bib',
      'thesis/chapters/intro/intro.tex',
      'thesis/chapters/methods/methods.tex',
      'thesis/frontmatter/abstract.tex',
    ]);
    expect(texts[bib]).toBe(read(bib).replace('@inproceedings{vaswani2017attention,', '@inproceedings{vaswani2017transformer,'));
    const intro = thesis('chapters', 'intro', 'intro.tex');
    expect(texts[intro].split('\n').slice(3, 7)).toEqual([
      'Attention \\citet{vaswani2017transformer} and its repetition \\cite{attention2017}.',
      '% \\cite{vaswani2017attention} is commented out and stays as it is.',
      '\\begin{verbatim}',
      '\\cite{vaswani2017attention} inside verbatim stays as it is.',
    ]);
    const markdown = book('chapters', 'intro.qmd');
    expect(texts[markdown]).toBe(read(markdown).replace('As @vaswani2017attention showed', 'As @vaswani2017transformer showed'));
  });

  it('from a chapter without %!TEX root reaches the .bib and the other chapters', () => {
    const chapter = thesis('chapters', 'methods', 'methods.tex');
    const texts = changed(rename(workspace, chapter, offsetOf(chapter, 'knuth1984texbook'), 'knuth1986texbook'));
    expect(Object.keys(texts).map((file) => file.slice(fixtures.length + 1)).sort()).toEqual([
      'quarto-book/index.qmd',
      'quarto-book/references.bib',
      'thesis/bib/books.bib',
      'thesis/chapters/methods/methods.tex',
    ]);
    expect(texts[thesis('bib', 'books.bib')]).toContain('@book{knuth1986texbook,\n  title = {The {\\TeX}book},');
    expect(texts[chapter]).toContain('We follow \\textcite{knuth1986texbook} for typesetting');
  });

  it('renames a crossref parent in the fields that name it', () => {
    const bib = thesis('bib', 'papers.bib');
    const texts = changed(rename(workspace, bib, offsetOf(bib, 'naacl2019'), 'naacl2019proceedings'));
    expect(texts[bib]).toBe(read(bib).replace('crossref = {naacl2019}', 'crossref = {naacl2019proceedings}').replace('@proceedings{naacl2019,', '@proceedings{naacl2019proceedings,'));
  });

  it('renames keys written in another case too, so they agree afterwards', () => {
    const bib = thesis('bib', 'books.bib');
    const result = rename(workspace, bib, offsetOf(bib, 'Hochreiter1997Long'), 'hochreiter1997lstm');
    expect('changes' in result && result.changes[bib].map((edit) => edit.newText)).toEqual(['hochreiter1997lstm']);
    expect('changes' in result && Object.keys(result.changes).length).toBe(6);
  });

  it('refuses a name that exists (in any case), with where it is defined', () => {
    const bib = thesis('bib', 'papers.bib');
    expect(rename(workspace, bib, offsetOf(bib, 'attention2017'), 'Lecun2015Deep')).toEqual({
      refused: '"Lecun2015Deep" already exists (papers.bib:10): pick another key, or merge the two entries.',
    });
  });

  it('refuses what is not a key: spaces, braces, commas, an empty name', () => {
    const bib = thesis('bib', 'books.bib');
    const at = offsetOf(bib, 'bishop2006pattern');
    expect(rename(workspace, bib, at, 'bishop 2006')).toEqual({
      refused: '"bishop 2006" is not a valid citation key: it contains a space (keys cannot hold spaces or any of , { } ( ) = # " % \\).',
    });
    expect(rename(workspace, bib, at, 'bishop{2006}')).toMatchObject({ refused: expect.stringContaining('it contains "{"') });
    expect(rename(workspace, bib, at, 'a,b')).toMatchObject({ refused: expect.stringContaining('it contains ","') });
    expect(rename(workspace, bib, at, '')).toEqual({ refused: 'A citation key cannot be empty.' });
  });

  it('applies Pandoc\'s key rule only to keys Markdown cites', () => {
    const bib = book('references.bib');
    expect(rename(workspace, bib, offsetOf(bib, 'lecun2015deep'), 'lecun2015deep.')).toEqual({
      refused: '"lecun2015deep." is not a valid Pandoc citation key (intro.qmd cites this key): a key starts with a letter, digit or _, and punctuation inside it must be followed by a letter or digit.',
    });
    // bishop2006pattern is cited nowhere in Markdown: a BibTeX-valid key is fine.
    expect(rename(workspace, bib, offsetOf(bib, 'bishop2006pattern'), '-bishop2006')).toHaveProperty('changes');
  });

  it('a rename to the same name changes nothing', () => {
    const bib = thesis('bib', 'books.bib');
    expect(rename(workspace, bib, offsetOf(bib, 'bishop2006pattern'), 'bishop2006pattern')).toEqual({ changes: {} });
  });
});
