import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBibtex } from '../../src/core/bibtex-render';
import { readBibtex } from '../../src/core/formats/bibtex';
import { readCslJson } from '../../src/core/formats/csljson';
import { readRis } from '../../src/core/formats/ris';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { loadCorpusFiles } from '../../src/core/load';
import { personName, type Paper } from '../../src/core/paper';
import { corpusPath } from './corpora';

const corpora = corpusPath();
const fixtures = path.resolve(__dirname, '../fixtures');

/** What a reader of the rendered entry must see again. */
function essentials(paper: Paper) {
  return {
    key: paper.key, type: paper.type, title: paper.title, authors: paper.authors, year: paper.year,
    venue: paper.venue, abstract: paper.abstract, doi: paper.doi, url: paper.url,
  };
}

function readBack(paper: Paper): Paper {
  const { papers, problems } = readBibtex(renderBibtex(paper), 'back.bib');
  expect(problems).toEqual([]);
  expect(papers).toHaveLength(1);
  return papers[0];
}

describe('renderBibtex: papers read from BibTeX', () => {
  const text = [
    '@string{stoc = "Symposium on the Theory of Computing"}',
    '@InProceedings{child,',
    '  author = {M{\\"u}ller, J{\\"o}rg and {World Health Organization}},',
    '  title = {On {VLSI} Circuits \\& $\\alpha$-Things},',
    '  crossref = {proc},',
    '  month = jan,',
    '}',
    '@proceedings{proc, title = "Proc. " # stoc, year = 1983, doi = {10.1/x\\_y}}',
  ].join('\n');
  const { papers } = readBibtex(text, '/home/u/refs.bib');

  it('keeps the LaTeX source, inherited fields and bare months, and drops the crossref', () => {
    expect(renderBibtex(papers[0])).toBe(
      '@inproceedings{child,\n' +
        '  author = {M{\\"u}ller, J{\\"o}rg and {World Health Organization}},\n' +
        '  title = {On {VLSI} Circuits \\& $\\alpha$-Things},\n' +
        '  month = jan,\n' +
        '  booktitle = {Proc. Symposium on the Theory of Computing},\n' +
        '  year = {1983},\n' +
        '  doi = {10.1/x\\_y},\n' +
        '}\n',
    );
  });

  it('reads back to the same paper', () => {
    expect(essentials(readBack(papers[0]))).toEqual(essentials(papers[0]));
    expect(readBack(papers[0]).fields.month).toBe('January');
  });

  it('reads back every entry of real files unchanged', async () => {
    const files = ['edge/xampl.bib', 'edge/biblatex-examples.bib', 'large/tugboat.bib', 'large/cdl.bib'].map((f) => path.join(corpora, f));
    for (const source of await loadCorpusFiles(files)) {
      expect(source.papers.length).toBeGreaterThan(30);
      for (const paper of source.papers) expect(essentials(readBack(paper))).toEqual(essentials(paper));
    }
  });
});

describe('renderBibtex: papers from plain-text formats', () => {
  const csl = readCslJson(readFileSync(path.join(fixtures, 'csl/zotero-better-csl.json'), 'utf8'), 'lib.json').papers;

  it('escapes text for BibTeX and writes names in BibTeX form', () => {
    expect(renderBibtex(csl[1])).toBe(
      '@article{beethoven2020,\n' +
        '  title = {Graph Neural Networks \\& Their 50\\% Solutions},\n' +
        '  author = {van Beethoven, Ludwig and {World Health Organization}},\n' +
        '  journal = {Journal of Network Science},\n' +
        '  year = {2020},\n' +
        '  month = {3},\n' +
        '  volume = {8},\n' +
        '  number = {2},\n' +
        '  pages = {1-20},\n' +
        '  doi = {10.1017/nws.2020.1},\n' +
        '  keywords = {graphs, networks},\n' +
        '}\n',
    );
  });

  it('reads back CSL-JSON, RIS and arXiv papers with the same essentials', () => {
    const ris = readRis(readFileSync(path.join(fixtures, 'ris/zotero-export.ris'), 'utf8'), 'lib.ris').papers;
    const arxivFile = path.join(corpora, 'arxiv/arxiv-metadata-0704-first2000.jsonl');
    const arxiv = readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile).papers.slice(0, 300);
    const plain = [...csl, ...ris, ...arxiv].map((paper, index) => ({ ...paper, key: paper.key || `k${index}` }));
    expect(plain.length).toBeGreaterThan(300);
    for (const paper of plain) {
      const back = readBack(paper);
      // BibTeX reads whitespace runs as one space; a braced "The BABAR Collaboration" reads back as a literal name.
      const collapse = (text: string | undefined) => text?.replace(/\s+/g, ' ').trim();
      expect({ ...essentials(back), authors: back.authors.map(personName) }).toEqual({
        ...essentials(paper), title: collapse(paper.title), abstract: collapse(paper.abstract), authors: paper.authors.map(personName),
      });
    }
  });
});

describe('renderBibtex: identifiers that would break the entry', () => {
  it('percent-encodes the braces and backslashes of a DOI or URL only when they do not balance', () => {
    const paper: Paper = {
      key: 'k', type: 'misc', title: 'T', authors: [], doi: '10.1/a{b', url: 'https://x.org/a\\',
      fields: { title: 'T', eprint: 'x}y', isbn: '{balanced}' }, origin: { file: 'f.ris', line: 1 },
    };
    const text = renderBibtex(paper);
    expect(text).toContain('  doi = {10.1/a%7Bb},\n');
    expect(text).toContain('  url = {https://x.org/a%5C},\n');
    expect(text).toContain('  eprint = {x%7Dy},\n');
    expect(text).toContain('  isbn = {{balanced}},\n');
    expect(readBack(paper)).toMatchObject({ key: 'k', title: 'T', doi: '10.1/a%7Bb', url: 'https://x.org/a%5C' });
  });
});

describe('renderBibtex and the source format', () => {
  const source = '@article{knuth84,\n  author = {Donald E. Knuth},\n  title = {Literate {P}rogramming \\& {\\TeX}},\n  journal = {The Computer Journal},\n  year = {1984}\n}\n';

  it('keeps the LaTeX of a BibTeX entry whatever the file is called', () => {
    const [paper] = readBibtex(source, '/exports/refs.txt').papers;
    expect(renderBibtex(paper)).toContain('title = {Literate {P}rogramming \\& {\\TeX}}');
  });

  it('escapes plain text that did not come from BibTeX', () => {
    const [paper] = readBibtex(source, '/exports/refs.bib').papers;
    const plain: Paper = { ...paper, latexFields: undefined, title: 'R&D at 100% — a_b', fields: { title: 'R&D at 100% — a_b' } };
    expect(renderBibtex(plain)).toContain('title = {R\\&D at 100\\% — a\\_b}');
  });
});
