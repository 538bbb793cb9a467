import { describe, expect, it } from 'vitest';
import { unusedEntries } from '../../../src/core/integrity/unused';
import { WorkspaceIndex } from '../../../src/core/integrity/workspace';
import { applyChanges, bookProject, describe as where, fixtures, indexFolder, read, thesis, thesisProject } from './workspace';

const workspace = indexFolder(fixtures);

describe('unused entries', () => {
  it('lists the thesis entries no chapter cites; a crossref parent of a cited entry and \\nocite keys count as cited', () => {
    const unused = unusedEntries(workspace, thesisProject);
    expect(unused.entries.map(({ key, location }) => `${key} ${where(location)}`)).toEqual([
      'broken2020 thesis/bib/papers.bib:63:9 broken2020',
      'unused2019 thesis/bib/papers.bib:68:9 unused2019',
      'bishop2006pattern thesis/bib/books.bib:15:6 bishop2006pattern',
    ]);
  });

  it('removes them with one edit list per file, leaving each file as if they had never been written', () => {
    const { removal } = unusedEntries(workspace, thesisProject);
    expect(Object.keys(removal)).toEqual([thesis('bib', 'papers.bib'), thesis('bib', 'books.bib')]);
    const texts = applyChanges(removal);
    const books = read(thesis('bib', 'books.bib'));
    expect(texts[thesis('bib', 'books.bib')]).toBe(books.replace(/@book\{bishop2006pattern,[\s\S]*?\n}\n\n/, ''));
    const papers = texts[thesis('bib', 'papers.bib')];
    expect(papers).not.toMatch(/broken2020|unused2019/);
    // broken2020 and unused2019 end the file: one edit takes both, and the blank line before them.
    expect(removal[thesis('bib', 'papers.bib')]).toHaveLength(1);
    expect(papers.endsWith('  journal = {ECCV},\n  year = {2016}\n}\n')).toBe(true);
    expect(papers).toBe(read(thesis('bib', 'papers.bib')).replace(/\n@article\{broken2020,[\s\S]*$/, ''));
  });

  it('lists bishop2006pattern in the Quarto book: cited only inside code and comments elsewhere does not count', () => {
    expect(unusedEntries(workspace, bookProject).entries.map((entry) => entry.key)).toEqual(['bishop2006pattern']);
  });

  it('lists nothing when the project has \\nocite{*}', () => {
    const index = new WorkspaceIndex();
    index.set('/p/main.tex', '\\nocite{*}\n\\bibliography{refs}\n');
    index.set('/p/refs.bib', '@misc{a, title = {A}}\n');
    expect(unusedEntries(index, { root: '/p/main.tex', documents: ['/p/main.tex'], bibliographies: ['/p/refs.bib'] }).entries).toEqual([]);
    // Without it, the entry is unused.
    index.set('/p/main.tex', '\\bibliography{refs}\n');
    expect(unusedEntries(index, { root: '/p/main.tex', documents: ['/p/main.tex'], bibliographies: ['/p/refs.bib'] }).entries.map((entry) => entry.key)).toEqual(['a']);
  });
});

describe('citing everything', () => {
  it('is Pandoc\'s nocite: @* in the front matter, in one line or a block', () => {
    const index = new WorkspaceIndex();
    index.set('/p/refs.bib', '@misc{a, title = {A}}\n');
    const project = { root: '/p/a.md', documents: ['/p/a.md'], bibliographies: ['/p/refs.bib'] };
    index.set('/p/a.md', "---\nnocite: '@*'\n---\nText.\n");
    expect(unusedEntries(index, project).entries).toEqual([]);
    index.set('/p/a.md', '---\ntitle: T\nnocite: |\n  @b, @*\n---\nText.\n');
    expect(unusedEntries(index, project).entries).toEqual([]);
    index.set('/p/a.md', '---\ntitle: T\n---\nnocite: @*\n');
    expect(unusedEntries(index, project).entries.map((entry) => entry.key)).toEqual(['a']);
  });
});
