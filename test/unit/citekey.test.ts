import { describe, expect, it } from 'vitest';
import { assignKeys, foldDiacritics, makeKey } from '../../src/core/citekey';
import type { Paper } from '../../src/core/paper';

function paper(overrides: Partial<Paper>): Paper {
  return { key: '', type: 'misc', title: '', authors: [], fields: {}, origin: { file: 'f', line: 1 }, ...overrides };
}

const attention = paper({
  title: 'Attention Is All You Need',
  authors: [{ family: 'Vaswani', given: 'Ashish' }, { family: 'Shazeer', given: 'Noam' }],
  year: '2017',
});

describe('makeKey', () => {
  it('joins family name, year and first significant title word', () => {
    expect(makeKey(attention)).toBe('vaswani2017attention');
    expect(makeKey(attention, 'authYear')).toBe('vaswani2017');
    expect(makeKey(attention, 'authTitle')).toBe('vaswaniattention');
  });

  it('skips stop words and folds accents and special letters', () => {
    const p = paper({ title: 'On the Theory of Everything', authors: [{ family: 'Müller' }], year: '2020' });
    expect(makeKey(p)).toBe('muller2020theory');
    expect(makeKey(paper({ title: 'Towards Łódź', authors: [{ family: 'Łukasiewicz', prefix: 'de' }], year: '1999' }))).toBe(
      'lukasiewicz1999lodz',
    );
    expect(makeKey(paper({ title: 'A Study', authors: [{ family: 'Abu-Shammala' }], year: '2007' }))).toBe('abushammala2007study');
  });

  it('ignores inline math and takes the year from a date', () => {
    const p = paper({ title: 'From dyadic $\\Lambda_{\\alpha}$ to X', authors: [{ family: 'Torchinsky' }], year: '2007-04-02' });
    expect(makeKey(p)).toBe('torchinsky2007dyadic');
  });

  it('uses the title alone, three significant words, when there is no author', () => {
    expect(makeKey(paper({ title: 'Learning to Generate Task-Specific Adapters from Task Description' }))).toBe(
      'learninggeneratetask',
    );
    expect(makeKey(paper({ title: 'HyperNetworks' }))).toBe('hypernetworks');
    expect(makeKey(paper({ title: 'Deep Residual Learning', year: '2016' }))).toBe('deepresiduallearning2016');
    expect(makeKey(paper({ title: '' }))).toBe('untitled');
    expect(makeKey(paper({ title: '图神经网络', authors: [{ family: '王' }], year: '2020' }))).toBe('untitled2020');
  });

  it('falls back to editors and uses corporate names by their first significant word', () => {
    expect(makeKey(paper({ title: 'Handbook', editors: [{ family: 'Smith' }], year: '2001' }))).toBe('smith2001handbook');
    expect(makeKey(paper({ title: 'Report', authors: [{ family: 'The World Health Organization', literal: true }], year: '2020' }))).toBe(
      'world2020report',
    );
  });
});

describe('assignKeys', () => {
  it('fills empty keys, suffixing a, b, … against taken keys and each other', () => {
    const papers = [paper({ ...attention }), paper({ ...attention }), paper({ ...attention, key: 'kept' }), paper({ ...attention })];
    const taken = new Set(['vaswani2017attention']);
    assignKeys(papers, taken);
    expect(papers.map((p) => p.key)).toEqual(['vaswani2017attentiona', 'vaswani2017attentionb', 'kept', 'vaswani2017attentionc']);
    expect(taken.has('vaswani2017attentionc')).toBe(true);
  });

  it('gives the same keys on every run', () => {
    const run = () => {
      const papers = [paper({ ...attention }), paper({ title: 'Graph Nets' }), paper({ ...attention })];
      assignKeys(papers, new Set());
      return papers.map((p) => p.key);
    };
    expect(run()).toEqual(['vaswani2017attention', 'graphnets', 'vaswani2017attentiona']);
    expect(run()).toEqual(run());
  });

  it('runs past z to two-letter suffixes', () => {
    const papers = Array.from({ length: 28 }, () => paper({ ...attention }));
    assignKeys(papers, new Set());
    expect(papers.slice(25).map((p) => p.key)).toEqual(['vaswani2017attentiony', 'vaswani2017attentionz', 'vaswani2017attentionaa']);
  });
});

describe('foldDiacritics', () => {
  it('drops accents and spells out special letters', () => {
    expect(foldDiacritics('Müller Gödel Straße Øresund Çağ')).toBe('Muller Godel Strasse Oresund Cag');
  });
});
