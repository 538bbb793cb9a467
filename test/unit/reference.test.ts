import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/paper';
import { formatCitation, oneLineReference } from '../../src/core/reference';

function paper(overrides: Partial<Paper>): Paper {
  return { key: 'k', type: 'misc', title: '', authors: [], fields: {}, origin: { file: 'f', line: 1 }, ...overrides };
}

const attention = paper({
  key: 'vaswani2017attention',
  type: 'inproceedings',
  title: 'Attention Is All You Need',
  authors: [
    { family: 'Vaswani', given: 'Ashish' },
    { family: 'Shazeer', given: 'Noam' },
    { family: 'Parmar', given: 'Niki' },
  ],
  year: '2017',
  venue: 'NeurIPS',
  fields: { pages: '5998--6008' },
});

describe('oneLineReference', () => {
  it('lists two authors by initials, then et al.', () => {
    expect(oneLineReference(attention)).toBe('Vaswani, A., Shazeer, N., et al. (2017). Attention Is All You Need. NeurIPS.');
  });

  it('handles particles, hyphenated given names, corporate authors and "and others"', () => {
    expect(oneLineReference(paper({ title: 'T', authors: [{ family: 'Berg', prefix: 'van den', given: 'Jean-Pierre' }], year: '2001' }))).toBe(
      'van den Berg, J.-P. (2001). T.',
    );
    expect(oneLineReference(paper({ title: 'Report?', authors: [{ family: 'World Health Organization', literal: true }] }))).toBe(
      'World Health Organization. Report?',
    );
    expect(oneLineReference(paper({ title: 'T', authors: [{ family: 'Solo', given: 'Han' }, { family: 'others', others: true }] }))).toBe(
      'Solo, H., et al. T.',
    );
  });

  it('is the title alone for a listing paper', () => {
    expect(oneLineReference(paper({ title: 'HyperNetworks' }))).toBe('HyperNetworks.');
  });
});

describe('formatCitation', () => {
  it('formats APA, Vancouver and Harvard through CSL', () => {
    const two = { ...attention, authors: attention.authors.slice(0, 2) };
    expect(formatCitation([two])).toBe('Vaswani, A., & Shazeer, N. (2017). Attention Is All You Need. NeurIPS, 5998–6008.');
    expect(formatCitation([two], 'vancouver')).toBe('1. Vaswani A, Shazeer N. Attention Is All You Need. In: NeurIPS. 2017. p. 5998–6008.');
    expect(formatCitation([two], 'harvard1')).toMatch(/^Vaswani, A\. and Shazeer, N\. \(2017\) “Attention Is All You Need,” NeurIPS/);
  });

  it('gives one line per paper and nothing for no papers', () => {
    const other = paper({ key: 'b', title: 'Graph Nets', authors: [{ family: 'Battaglia', given: 'Peter' }], year: '2018', type: 'article' });
    expect(formatCitation([attention, other]).split('\n')).toHaveLength(2);
    expect(formatCitation([])).toBe('');
  });
});
