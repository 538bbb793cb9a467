import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bibliographyDiagnostics, mergeDuplicateEntry } from '../../../src/core/integrity/bibDiagnostics';
import type { IntegrityDiagnostic } from '../../../src/core/integrity/types';
import { WorkspaceIndex } from '../../../src/core/integrity/workspace';
import { applyChanges, describe as where, fixtures, indexFolder, offsetOf, read, thesis } from './workspace';
import { corpusPath } from '../corpora';

const workspace = indexFolder(fixtures);
const thesisBibliographies = () => [thesis('bib', 'papers.bib'), thesis('bib', 'books.bib')].map((file) => workspace.bibliography(file)!);

function summary(diagnostic: IntegrityDiagnostic): string {
  const related = (diagnostic.related ?? []).map((info) => ` → ${where(info.location)}`).join('');
  return `${where(diagnostic)} [${diagnostic.severity} ${diagnostic.code}] ${diagnostic.message}${related}`;
}

describe('.bib diagnostics of a thesis\'s two bibliographies', () => {
  it('reports duplicate keys (with the first definition), the same paper twice, and reader problems at their lines', () => {
    expect(bibliographyDiagnostics(thesisBibliographies()).map(summary)).toEqual([
      'thesis/bib/books.bib:22:9 Hochreiter1997Long [error duplicate-key] Duplicate key "Hochreiter1997Long": first defined at papers.bib:20; BibTeX and biber keep the first and ignore this one. → thesis/bib/papers.bib:20:9 hochreiter1997long',
      'thesis/bib/papers.bib:28:6 attention2017 [information duplicate-entry] "attention2017" has the same title and year as "vaswani2017attention" (papers.bib:2): the same paper entered twice? The quick fix merges it into "vaswani2017attention". → thesis/bib/papers.bib:2:15 vaswani2017attention',
      'thesis/bib/papers.bib:56:9 he2016deep [error duplicate-key] Duplicate key "he2016deep": first defined at papers.bib:36; BibTeX and biber keep the first and ignore this one. → thesis/bib/papers.bib:36:15 he2016deep',
      "thesis/bib/papers.bib:64:0   title = {A Broken Entry} [warning reader-problem] @article{broken2020: missing ',' after field 'title' (found 'y'); skipped",
    ]);
  });

  it('finds the same DOI under two keys, and the same title and year by one author, never two DOIs, authors or page ranges', () => {
    const index = new WorkspaceIndex();
    const file = '/project/refs.bib';
    index.set(file, [
      '@article{a, title = {One}, year = 2020, doi = {10.1/X}}',
      '@article{b, title = {Two}, year = 2021, doi = {https://doi.org/10.1/x}}',
      '@article{c, title = {Editorial}, year = 1981, doi = {10.2/1}}',
      '@article{d, title = {Editorial}, year = 1981, doi = {10.2/2}}',
      '@article{e, title = {Editorial}, year = 1982, author = {Smith, A.}, pages = {1--2}}',
      '@article{f, title = {Editorial}, year = 1982, author = {Jones, B.}, pages = {3--4}}',
      '@article{g, title = {{E}ditorial}, year = 1982, author = {Jones, Bea}, pages = {3--4}}',
    ].join('\n'));
    expect(bibliographyDiagnostics([index.bibliography(file)!]).map((diagnostic) => diagnostic.message)).toEqual([
      '"b" has the same DOI as "a" (refs.bib:1): the same paper entered twice? The quick fix merges it into "a".',
      '"g" has the same title and year as "f" (refs.bib:6): the same paper entered twice? The quick fix merges it into "f".',
    ]);
  });
});

describe('merging a duplicate entry', () => {
  it('adds the fields the first lacks, removes the second with its blank line, and moves its citations to the first key', () => {
    const bib = thesis('bib', 'papers.bib');
    const changes = mergeDuplicateEntry(workspace, thesisBibliographies(), bib, offsetOf(bib, 'attention2017'));
    expect(Object.keys(changes!).map((file) => file.slice(fixtures.length + 1)).sort()).toEqual(['thesis/bib/papers.bib', 'thesis/chapters/intro/intro.tex']);
    const texts = applyChanges(changes!);
    const original = read(bib);
    expect(texts[bib]).toBe(
      original
        .replace('  doi = {10.48550/arXiv.1706.03762}\n}', '  doi = {10.48550/arXiv.1706.03762},\n  eprint = {1706.03762},\n  archiveprefix = {arXiv}\n}')
        .replace(/@misc\{attention2017,[\s\S]*?\n}\n\n/, ''),
    );
    expect(texts[thesis('chapters', 'intro', 'intro.tex')]).toContain('and its repetition \\cite{vaswani2017attention}.');
    // The result reads without a duplicate left.
    const merged = new WorkspaceIndex();
    merged.set(bib, texts[bib]);
    expect(bibliographyDiagnostics([merged.bibliography(bib)!]).map((diagnostic) => diagnostic.code)).toEqual(['duplicate-key', 'reader-problem']);
  });

  it('puts a closing brace that sat on the last field\'s line on a line of its own; nothing for an entry that is no duplicate', () => {
    const index = new WorkspaceIndex();
    const file = '/project/refs.bib';
    index.set(file, '@article{a, title = {One}, year = 2020, doi = {10.1/x}}\n\n@article{b, doi = {10.1/x}, pages = {1--2}}\n');
    index.set('/project/draft.md', 'See [@b; @a].\n');
    const changes = mergeDuplicateEntry(index, [index.bibliography(file)!], file, index.bibliography(file)!.text.indexOf('{b,') + 1);
    const texts = applyChanges(changes!, (name) => (name === file ? index.bibliography(file)!.text : index.document(name)!.text));
    expect(texts[file]).toBe('@article{a, title = {One}, year = 2020, doi = {10.1/x},\n  pages = {1--2}\n}\n');
    expect(texts['/project/draft.md']).toBe('See [@a; @a].\n');
    expect(mergeDuplicateEntry(index, [index.bibliography(file)!], file, 9)).toBeUndefined();
  });
});

describe('the same paper twice, in real bibliographies', () => {
  const corpora = corpusPath();
  const duplicates = (name: string) => {
    const file = path.join(corpora, 'large', name);
    const index = new WorkspaceIndex();
    index.set(file, readFileSync(file, 'utf8'));
    return bibliographyDiagnostics([index.bibliography(file)!]).filter((diagnostic) => diagnostic.code === 'duplicate-entry').map((diagnostic) => diagnostic.message);
  };

  it('finds the two in cdl.bib (a chapter entered with one and with two authors; a paper with and without "and others")', () => {
    expect(duplicates('cdl.bib')).toEqual([
      '"RuggAlla00" has the same title and year as "Rugg00" (cdl.bib:23143): the same paper entered twice? The quick fix merges it into "Rugg00".',
      '"GoenLogo08" has the same title and year as "GoenEtal08" (cdl.bib:34506): the same paper entered twice? The quick fix merges it into "GoenEtal08".',
    ]);
  });

  it('finds none among TUGboat\'s columns that repeat a title every issue (other authors, volumes, numbers or pages)', () => {
    expect(duplicates('tugboat.bib')).toEqual([]);
  });
});
