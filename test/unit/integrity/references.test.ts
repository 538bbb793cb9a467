import { describe, expect, it } from 'vitest';
import { findDefinitions, findReferences, keyAtOffset } from '../../../src/core/integrity/references';
import { book, describe as where, indexFolder, offsetOf, thesis } from './workspace';
import { fixtures } from './workspace';

const workspace = indexFolder(fixtures);

describe('the key under the cursor', () => {
  it('is the cited key in a document, anywhere in a key list', () => {
    const file = thesis('chapters', 'intro', 'intro.tex');
    const found = keyAtOffset(workspace, file, offsetOf(file, 'hochreiter1997long', 4));
    expect(found && where(found)).toBe('thesis/chapters/intro/intro.tex:3:42 hochreiter1997long');
    expect(keyAtOffset(workspace, file, offsetOf(file, 'changed the field'))).toBeUndefined();
    // A key in a comment is no key.
    expect(keyAtOffset(workspace, file, offsetOf(file, '% \\cite{vaswani', 10))).toBeUndefined();
  });

  it('is the entry\'s key in a .bib, and the parent named by a crossref', () => {
    const file = thesis('bib', 'papers.bib');
    expect(where(keyAtOffset(workspace, file, offsetOf(file, 'lecun2015deep'))!)).toBe('thesis/bib/papers.bib:10:9 lecun2015deep');
    expect(where(keyAtOffset(workspace, file, offsetOf(file, 'crossref = {naacl', 14))!)).toBe('thesis/bib/papers.bib:46:14 naacl2019');
    expect(keyAtOffset(workspace, file, offsetOf(file, 'Deep Learning'))).toBeUndefined();
  });

  it('is the key after @ in Markdown, the @ included', () => {
    const file = book('chapters', 'intro.qmd');
    expect(where(keyAtOffset(workspace, file, offsetOf(file, '@lecun2015deep'))!)).toBe('quarto-book/chapters/intro.qmd:3:38 lecun2015deep');
  });
});

describe('findReferences', () => {
  it('lists the entries, then every use in LaTeX and Markdown, never in comments, verbatim or code', () => {
    expect(findReferences(workspace, 'vaswani2017attention').map((location) => where(location))).toEqual([
      'quarto-book/references.bib:1:15 vaswani2017attention',
      'thesis/bib/papers.bib:2:15 vaswani2017attention',
      'quarto-book/chapters/intro.qmd:3:4 vaswani2017attention',
      'quarto-book/chapters/methods.qmd:3:24 vaswani2017attention',
      'thesis/chapters/intro/intro.tex:4:17 vaswani2017attention',
      'thesis/chapters/methods/methods.tex:2:70 vaswani2017attention',
      'thesis/frontmatter/abstract.tex:2:86 vaswani2017attention',
    ]);
  });

  it('without the declaration lists the uses only; a crossref parent is used by its children', () => {
    expect(findReferences(workspace, 'lecun2015deep', false).map((location) => where(location))).toEqual([
      'quarto-book/chapters/intro.qmd:3:38 lecun2015deep',
      'quarto-book/chapters/methods.qmd:3:47 lecun2015deep',
      'thesis/chapters/intro/intro.tex:3:27 lecun2015deep',
    ]);
    expect(findReferences(workspace, 'naacl2019').map((location) => where(location))).toEqual([
      'thesis/bib/papers.bib:50:13 naacl2019',
      'thesis/bib/papers.bib:46:14 naacl2019',
    ]);
  });

  it('treats keys differing only in case as one key, as BibTeX does: both definitions are found', () => {
    expect(findDefinitions(workspace, 'HOCHREITER1997LONG').map((location) => where(location))).toEqual([
      'quarto-book/references.bib:16:9 hochreiter1997long',
      'thesis/bib/books.bib:22:9 Hochreiter1997Long',
      'thesis/bib/papers.bib:20:9 hochreiter1997long',
    ]);
  });
});
