import { describe, expect, it } from 'vitest';
import { bibliographyDiagnostics, mergeDuplicateEntry } from '../../../src/core/integrity/bibDiagnostics';
import { LineIndex } from '../../../src/core/integrity/lines';
import { findReferences } from '../../../src/core/integrity/references';
import { renameKey } from '../../../src/core/integrity/rename';
import { unusedEntries } from '../../../src/core/integrity/unused';
import { fileKind, WorkspaceIndex } from '../../../src/core/integrity/workspace';
import { applyChanges } from './workspace';

describe('LineIndex', () => {
  it('converts offsets and positions both ways, CRLF lines counted without their \\r', () => {
    const lines = new LineIndex('ab\r\ncd\n\nef');
    expect(lines.positionAt(0)).toEqual({ line: 0, character: 0 });
    expect(lines.positionAt(5)).toEqual({ line: 1, character: 1 });
    expect(lines.positionAt(8)).toEqual({ line: 3, character: 0 });
    expect(lines.positionAt(99)).toEqual({ line: 3, character: 2 });
    expect(lines.offsetAt({ line: 1, character: 1 })).toBe(5);
    expect(lines.offsetAt({ line: 1, character: 50 })).toBe(6);
    expect(lines.offsetAt({ line: 9, character: 0 })).toBe(10);
    expect(lines.lineRange(1)).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 2 } });
  });
});

describe('WorkspaceIndex', () => {
  it('reads LaTeX, Markdown, Quarto, R Markdown and .bib files by name and ignores the rest', () => {
    expect(['a.tex', 'b.md', 'c.qmd', 'd.Rmd', 'e.bib', 'f.txt', '_quarto.yml'].map(fileKind)).toEqual(['latex', 'markdown', 'markdown', 'markdown', 'bibtex', undefined, undefined]);
    const index = new WorkspaceIndex();
    index.set('/p/notes.txt', '\\cite{a}');
    expect(index.files()).toEqual([]);
  });

  it('parses a file again only when its text changes, and forgets deleted files', () => {
    const index = new WorkspaceIndex();
    index.set('/p/a.tex', '\\cite{one}');
    const first = index.document('/p/a.tex');
    index.set('/p/a.tex', '\\cite{one}');
    expect(index.document('/p/a.tex')).toBe(first);
    index.set('/p/a.tex', '\\cite{two}');
    expect(index.document('/p/a.tex')?.citations.map((cited) => cited.key)).toEqual(['two']);
    index.set('/p/b.tex', '\\cite{two}');
    expect(findReferences(index, 'two').map((location) => location.file)).toEqual(['/p/a.tex', '/p/b.tex']);
    expect(index.offsetAt('/p/b.tex', { line: 0, character: 7 })).toBe(7);
    expect(index.offsetAt('/p/none.tex', { line: 0, character: 7 })).toBeUndefined();
    index.set('/p/c.md', 'See [@Two; @three].');
    index.set('/p/d.md', 'See [@four].');
    // a.tex and b.tex are parsed already; of the others only c.md names the key.
    expect(index.documents('TWO').map((document) => document.file)).toEqual(['/p/a.tex', '/p/b.tex', '/p/c.md']);
    // The key is searched as written: `fo.r` is not a pattern that finds d.md's `four`.
    expect(index.documents('fo.r').map((document) => document.file)).toEqual(['/p/a.tex', '/p/b.tex', '/p/c.md']);
    expect(index.documents('four').map((document) => document.file)).toEqual(['/p/a.tex', '/p/b.tex', '/p/c.md', '/p/d.md']);
    index.delete('/p/a.tex');
    expect(findReferences(index, 'two').map((location) => location.file)).toEqual(['/p/b.tex', '/p/c.md']);
  });
});

describe('CRLF files and two bibliographies', () => {
  const index = new WorkspaceIndex();
  const refs = '/p/refs.bib';
  const more = '/p/more.bib';
  const texts: Record<string, string> = {
    [refs]: '@article{first2020,\r\n  title = {Same Paper},\r\n  year = {2020}\r\n}\r\n\r\n@misc{lonely,\r\n  title = {Lonely}\r\n}\r\n',
    [more]: '@article{second2020,\r\n  title = {Same paper},\r\n  year = {2020},\r\n  doi = {10.1/same}\r\n}\r\n',
    '/p/main.tex': 'See \\cite{second2020} and \\cite{first2020}.\r\n\\bibliography{refs,more}\r\n',
  };
  for (const [file, text] of Object.entries(texts)) index.set(file, text);
  const bibliographies = [index.bibliography(refs)!, index.bibliography(more)!];

  it('merges a duplicate in another file into the first, keeping CRLF', () => {
    expect(bibliographyDiagnostics(bibliographies).map((diagnostic) => `${diagnostic.file}:${diagnostic.range.start.line} ${diagnostic.code}`)).toEqual([
      '/p/more.bib:0 duplicate-entry',
    ]);
    const changes = mergeDuplicateEntry(index, bibliographies, more, texts[more].indexOf('second2020'));
    const after = applyChanges(changes!, (file) => texts[file]);
    expect(after[refs]).toBe('@article{first2020,\r\n  title = {Same Paper},\r\n  year = {2020},\r\n  doi = {10.1/same}\r\n}\r\n\r\n@misc{lonely,\r\n  title = {Lonely}\r\n}\r\n');
    expect(after[more]).toBe('');
    expect(after['/p/main.tex']).toBe('See \\cite{first2020} and \\cite{first2020}.\r\n\\bibliography{refs,more}\r\n');
  });

  it('renames and removes unused entries in CRLF files without touching the line endings', () => {
    const renamed = renameKey(index, 'lonely', 'alone2019');
    expect('changes' in renamed && applyChanges(renamed.changes, (file) => texts[file])[refs]).toBe(texts[refs].replace('@misc{lonely,', '@misc{alone2019,'));
    const { removal } = unusedEntries(index, { root: '/p/main.tex', documents: ['/p/main.tex'], bibliographies: [refs, more] });
    expect(applyChanges(removal, (file) => texts[file])[refs]).toBe('@article{first2020,\r\n  title = {Same Paper},\r\n  year = {2020}\r\n}\r\n');
  });
});
