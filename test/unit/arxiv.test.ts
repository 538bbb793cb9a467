import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { corpusPath } from './corpora';

const file = corpusPath('arxiv/arxiv-metadata-0704-first2000.jsonl');
const text = readFileSync(file, 'utf8');

describe('readArxivJsonl on the arXiv sample', () => {
  const { papers, problems } = readArxivJsonl(text, file);

  it('reads all 2000 records', () => {
    expect(papers).toHaveLength(2000);
    expect(problems).toEqual([]);
  });

  it('maps the first record', () => {
    const paper = papers[0];
    expect(paper).toMatchObject({
      key: '',
      type: 'misc',
      title: 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
      year: '2007',
      venue: 'arXiv',
      doi: '10.1103/PhysRevD.76.013009',
      url: 'https://arxiv.org/abs/0704.0001',
      keywords: 'hep-ph',
      origin: { file, line: 1 },
    });
    expect(paper.authors.slice(0, 2)).toEqual([
      { family: 'Balázs', given: 'C.' },
      { family: 'Berger', given: 'E. L.' },
    ]);
    expect(paper.abstract).toMatch(/^A fully differential calculation in perturbative quantum chromodynamics is presented/);
    expect(paper.abstract).not.toMatch(/\n|\s{2}/);
    expect(paper.fields).toMatchObject({
      eprint: '0704.0001',
      archiveprefix: 'arXiv',
      primaryclass: 'hep-ph',
      author: 'Balázs, C. and Berger, E. L. and Nadolsky, P. M. and Yuan, C. -P.',
      year: '2007',
    });
  });

  it('takes the first of several DOIs (the paper\'s, then its errata) as the DOI', () => {
    const paper = papers.find((p) => p.fields.eprint === '0704.0033')!;
    expect([paper.doi, paper.fields.doi]).toEqual(['10.1364/JOSAA.23.002578', '10.1364/JOSAA.23.002578']);
  });

  it('renders TeX in titles and abstracts as Unicode, in fields too', () => {
    const dyadic = papers.find((p) => p.fields.eprint === '0704.0005');
    expect(dyadic?.title).toBe('From dyadic Λ_α to Λ_α');
    expect(dyadic?.fields.title).toBe('From dyadic Λ_α to Λ_α');
    const schrodinger = papers.find((p) => p.title.startsWith('On universality of critical behaviour in the focusing nonlinear'));
    expect(schrodinger?.title).toMatch(/nonlinear Schrödinger equation/);
  });
});

describe('readArxivJsonl recovery', () => {
  const good = (id: string, extra = '') =>
    `{"id": "${id}", "title": "A  title\\n  here", "abstract": "Text.", "authors": "A. One and B. Two"${extra}}`;

  it('reports a bad line with its number and keeps the rest', () => {
    const input = [good('0704.0001'), '{"id": "0704.0002", "title": ', '', good('0704.0003'), '[1, 2]', '{"title": "No id"}'].join('\n');
    const { papers, problems } = readArxivJsonl(input, 'x.jsonl');
    expect(papers.map((p) => [p.fields.eprint, p.origin.line])).toEqual([
      ['0704.0001', 1],
      ['0704.0003', 4],
    ]);
    expect(papers[0].title).toBe('A title here');
    expect(papers[0].authors).toEqual([
      { family: 'One', given: 'A.' },
      { family: 'Two', given: 'B.' },
    ]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['x.jsonl', 2],
      ['x.jsonl', 5],
      ['x.jsonl', 6],
    ]);
    expect(problems[0].message).toMatch(/^not a JSON record/);
    expect(problems[1].message).toBe('not a JSON object');
    expect(problems[2].message).toBe('record has no "id"');
  });

  it('loses only the record whose TeX nests deeper than the stack', () => {
    const deep = JSON.stringify({ id: '0704.0002', title: `${'\\"{'.repeat(20_000)}u${'}'.repeat(20_000)}` });
    const { papers, problems } = readArxivJsonl([good('0704.0001'), deep, good('0704.0003')].join('\n'), 'd.jsonl');
    expect(papers.map((p) => p.fields.eprint)).toEqual(['0704.0001', '0704.0003']);
    expect(problems).toEqual([{ file: 'd.jsonl', line: 2, message: 'record could not be read (Maximum call stack size exceeded); skipped' }]);
  });

  it('takes the year from old-style ids and from the first version otherwise', () => {
    const input = [
      good('hep-th/9901001'),
      good('quant-ph/0512010'),
      good('weird-id', ', "versions": [{"version": "v1", "created": "Mon, 2 Apr 2012 19:18:42 GMT"}]'),
    ].join('\n');
    expect(readArxivJsonl(input, 'x.jsonl').papers.map((p) => p.year)).toEqual(['1999', '2005', '2012']);
  });

  it('survives fields of the wrong type, keeping what is usable', () => {
    const input = [
      '{"id": 5, "title": "Numeric id"}',
      '{"id": "0704.0009", "title": ["not", "text"]}',
      '{"id": "0704.0010", "title": "Odd authors", "authors_parsed": [null, [1, 2], ["Solo"], ["Doe", "J.", "Jr."]], "versions": [null], "categories": 7}',
    ].join('\n');
    const { papers, problems } = readArxivJsonl(input, 'x.jsonl');
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [1, 'record has no "id"'],
      [2, 'record 0704.0009 has no "title"'],
    ]);
    expect(papers).toHaveLength(1);
    expect(papers[0].authors).toEqual([{ family: 'Solo' }, { family: 'Doe', given: 'J.', suffix: 'Jr.' }]);
    expect(papers[0].year).toBe('2007');
    expect(papers[0].keywords).toBeUndefined();
  });
});
