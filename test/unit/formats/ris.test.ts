import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRis } from '../../../src/core/formats/ris';

const fixture = path.resolve(__dirname, '../../fixtures/ris/zotero-export.ris');

describe('readRis', () => {
  const { papers, problems } = readRis(readFileSync(fixture, 'utf8'), 'lib.ris');

  it('reads a Zotero RIS export', () => {
    expect(papers.map((p) => [p.type, p.title, p.year, p.origin.line])).toEqual([
      ['article', 'Collective dynamics of ‘small-world’ networks', '1998', 1],
      ['inproceedings', 'node2vec: Scalable Feature Learning for Networks', '2016', 20],
      ['book', 'Networks, Crowds, and Markets', '2010', 35],
    ]);
    expect(papers[0]).toMatchObject({
      key: '',
      authors: [{ family: 'Watts', given: 'Duncan J.' }, { family: 'Strogatz', given: 'Steven H.' }],
      venue: 'Nature',
      abstract: 'Networks of coupled dynamical systems have been used to model biological oscillators, Josephson junction arrays, excitable media, neural networks.',
      doi: '10.1038/30918',
      url: 'https://www.nature.com/articles/30918',
      keywords: 'networks, small world',
    });
    expect(papers[0].fields).toMatchObject({ journal: 'Nature', volume: '393', number: '6684', pages: '440-442' });
    expect(papers[1]).toMatchObject({
      venue: 'Proceedings of the 22nd ACM SIGKDD International Conference on Knowledge Discovery and Data Mining',
      doi: '10.1145/2939672.2939754',
    });
    expect(papers[1].fields.booktitle).toBe(papers[1].venue);
    expect(papers[2]).toMatchObject({
      authors: [{ family: 'Easley', given: 'David' }, { family: 'Kleinberg', given: 'Jon' }],
      editors: [{ family: 'Tardos', given: 'Éva' }],
      venue: 'Cambridge University Press',
    });
    expect(papers[2].fields.editor).toBe('Tardos, Éva');
  });

  it('reports a record without a title and a record without ER, with their lines', () => {
    expect(problems).toEqual([
      { file: 'lib.ris', line: 30, message: 'RIS record has no title (TI or T1); skipped' },
      { file: 'lib.ris', line: 35, message: 'RIS record has no ER line before the end of the file; read up to there' },
    ]);
  });

  it('takes a citation key from ID, but not a record number or an id with spaces', () => {
    const text = ['TY  - JOUR', 'ID  - 1', 'TI  - Numbered', 'ER  - ', 'TY  - JOUR', 'ID  - Smith2017', 'TI  - Keyed', 'ER  - ',
      'TY  - JOUR', 'ID  - Smith 2017', 'TI  - Spaced', 'ER  - '].join('\n');
    expect(readRis(text, 'endnote.ris').papers.map((p) => [p.title, p.key])).toEqual([['Numbered', ''], ['Keyed', 'Smith2017'], ['Spaced', '']]);
  });

  it('reports lines outside records', () => {
    const text = 'Exported from somewhere\r\nAU  - Stray, A.\r\nTY  - GEN\r\nTI  - Kept\r\nER  -\r\n';
    expect(readRis(text, 's.ris')).toMatchObject({
      papers: [{ type: 'misc', title: 'Kept', origin: { line: 3 } }],
      problems: [
        { file: 's.ris', line: 1, message: 'not a RIS line (expected "XX  - value"): Exported from somewhere' },
        { file: 's.ris', line: 2, message: 'AU line outside a record (no TY before it); ignored' },
      ],
    });
  });
});
