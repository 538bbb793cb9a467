import { describe, expect, it } from 'vitest';
import { citedKeysInOrder, exportCitedEntries } from '../../../src/core/integrity/exportCited';
import { readBibtex } from '../../../src/core/formats/bibtex';
import type { Paper } from '../../../src/core/paper';
import { WorkspaceIndex } from '../../../src/core/integrity/workspace';
import { bookProject, fixtures, indexFolder, read, thesis, thesisProject } from './workspace';

const workspace = indexFolder(fixtures);
const nothing = () => undefined;

/** The entry of `key` as written in the file, from its `@` to its closing brace. */
function entryText(file: string, key: string): string {
  const text = read(file);
  const start = text.search(new RegExp(`@\\w+\\{${key},`));
  return text.slice(start, text.indexOf('\n}', start) + 2);
}

describe('export cited entries', () => {
  it('lists the thesis keys in order of first citation through the root, front matter and chapters', () => {
    expect(citedKeysInOrder(workspace, thesisProject, () => true)).toEqual([
      'hochreiter1997long', 'vaswani2017attention', 'lecun2015deep', 'attention2017', 'devlin2019bert', 'vaswani2017atention',
      'knuth1984texbook', 'he2016deep', 'goodfellow2016deep',
    ]);
  });

  it('copies the project\'s entries verbatim, in that order, crossref parents last; unknown keys are reported', () => {
    const papers = thesis('bib', 'papers.bib');
    const books = thesis('bib', 'books.bib');
    const exported = exportCitedEntries(workspace, thesisProject, nothing);
    expect(exported.exported).toEqual([
      'hochreiter1997long', 'vaswani2017attention', 'lecun2015deep', 'attention2017', 'devlin2019bert', 'knuth1984texbook', 'he2016deep',
      'goodfellow2016deep', 'naacl2019',
    ]);
    expect(exported.missing).toEqual(['vaswani2017atention']);
    const blocks = exported.text.split('\n\n');
    expect(blocks[0]).toBe(entryText(papers, 'hochreiter1997long'));
    expect(blocks[5]).toBe(entryText(books, 'knuth1984texbook'));
    expect(blocks[6]).toBe(entryText(papers, 'he2016deep'));
    expect(blocks[8]).toBe(`${entryText(papers, 'naacl2019')}\n`);
    expect(exported.text.endsWith('}\n')).toBe(true);
  });

  it('renders what only the library knows; Markdown cross-references, e-mail addresses and code are not citations', () => {
    const library = readBibtex('@article{smith2020missing,\n  title = {Found in the Library},\n  year = {2020}\n}\n', '/corpus.bib').papers;
    const lookup = (key: string): Paper | undefined => library.find((paper) => paper.key === key);
    const exported = exportCitedEntries(workspace, bookProject, lookup);
    expect(exported.exported).toEqual(['knuth1984texbook', 'vaswani2017attention', 'lecun2015deep', 'hochreiter1997long', 'smith2020missing']);
    expect(exported.missing).toEqual([]);
    expect(exported.text.split('\n\n').at(-1)).toBe('@article{smith2020missing,\n  title = {Found in the Library},\n  year = {2020},\n}\n');
  });
});

describe('export from CRLF and LF files', () => {
  it('writes one file with \\n line breaks', () => {
    const index = new WorkspaceIndex();
    index.set('/p/a.bib', '@misc{a,\r\n  title = {A}\r\n}\r\n');
    index.set('/p/b.bib', '@misc{b,\n  title = {B}\n}\n');
    index.set('/p/main.tex', '\\cite{b,a}');
    const exported = exportCitedEntries(index, { root: '/p/main.tex', documents: ['/p/main.tex'], bibliographies: ['/p/a.bib', '/p/b.bib'] }, nothing);
    expect(exported.text).toBe('@misc{b,\n  title = {B}\n}\n\n@misc{a,\n  title = {A}\n}\n');
  });
});
