import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCslJson } from '../../../src/core/formats/csljson';

const fixture = path.resolve(__dirname, '../../fixtures/csl/zotero-better-csl.json');

describe('readCslJson', () => {
  const { papers, problems } = readCslJson(readFileSync(fixture, 'utf8'), 'lib.json');

  it('maps a Better BibTeX export item by item', () => {
    expect(papers.map((p) => [p.key, p.type, p.year, p.origin.line])).toEqual([
      ['vaswani2017attention', 'inproceedings', '2017', 2],
      ['beethoven2020', 'article', '2020', 18],
      ['', 'book', '2010', 34],
    ]);
    expect(papers[0]).toMatchObject({
      title: 'Attention is All you Need',
      venue: 'Advances in Neural Information Processing Systems',
      authors: [{ family: 'Vaswani', given: 'Ashish' }, { family: 'Shazeer', given: 'Noam' }],
      abstract: 'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks that include an encoder and a decoder.',
      url: 'https://proceedings.neurips.cc/paper/2017/hash/3f5ee243547dee91fbd053c1c4a845aa-Abstract.html',
    });
    expect(papers[0].fields.booktitle).toBe('Advances in Neural Information Processing Systems');
  });

  it('reads particles, literal names, DOI prefixes, keywords and plain fields', () => {
    expect(papers[1]).toMatchObject({
      authors: [{ family: 'Beethoven', given: 'Ludwig', prefix: 'van' }, { family: 'World Health Organization', literal: true }],
      doi: '10.1017/nws.2020.1',
      keywords: 'graphs, networks',
      venue: 'Journal of Network Science',
    });
    expect(papers[1].fields).toEqual({
      title: 'Graph Neural Networks & Their 50% Solutions',
      author: 'van Beethoven, Ludwig and World Health Organization',
      year: '2020',
      month: '3',
      journal: 'Journal of Network Science',
      volume: '8',
      number: '2',
      pages: '1-20',
      keywords: 'graphs, networks',
      doi: '10.1017/nws.2020.1',
    });
  });

  it('takes no key from a Zotero item URI, and the year from a raw date', () => {
    expect(papers[2]).toMatchObject({ key: '', venue: 'Oxford University Press', year: '2010' });
  });

  it('shows titles without Zotero\'s rich-text tags', () => {
    const text = '[{"id": "a", "title": "Genes of <i>Drosophila</i> and <span class=\\"nocase\\">mRNA</span> in H<sub>2</sub>O < 5", "container-title": "<b>J</b>"}]';
    expect(readCslJson(text, 'r.json').papers.map((p) => [p.title, p.venue])).toEqual([['Genes of Drosophila and mRNA in H2O < 5', 'J']]);
  });

  it('takes no key from a numeric id: exporters number their records', () => {
    const text = '[{"id": 1, "title": "A"}, {"id": "2", "title": "B"}, {"id": "ITEM-3", "title": "C"}]';
    expect(readCslJson(text, 'n.json').papers.map((p) => p.key)).toEqual(['', '', 'ITEM-3']);
  });

  it('reports an item without a title on its line', () => {
    expect(problems).toEqual([{ file: 'lib.json', line: 43, message: 'CSL item untitled2021 has no title; skipped' }]);
  });

  it('reports a file that is not an array, and JSON syntax errors with their line', () => {
    expect(readCslJson('{"items": []}', 'o.json')).toEqual({
      papers: [],
      problems: [{ file: 'o.json', line: 1, message: 'expected a CSL-JSON array of items' }],
    });
    const broken = readCslJson('[\n  {"id": "a", "title": "A"},\n  {"id": "b" "title": "B"}\n]', 'b.json');
    expect(broken.papers).toEqual([]);
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]).toMatchObject({ file: 'b.json', line: 3 });
    expect(broken.problems[0].message).toMatch(/^not valid JSON: /);
  });

  it('reports an element that is not an object', () => {
    expect(readCslJson('[\n  "just a string",\n  {"id": "k", "title": "T"}\n]', 's.json')).toMatchObject({
      papers: [{ key: 'k', title: 'T', origin: { line: 3 } }],
      problems: [{ file: 's.json', line: 2, message: 'CSL item is not an object; skipped' }],
    });
  });
});
