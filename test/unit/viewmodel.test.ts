import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/paper';
import {
  authorList,
  citedKeys,
  excerptEnd,
  firstPage,
  highlightRanges,
  paperFilter,
  paperPreviewText,
  paperView,
  resultCountLabel,
  segments,
  sourceOptions,
  yearRange,
} from '../../src/core/viewmodel';

function paper(overrides: Partial<Paper> = {}): Paper {
  return {
    key: 'vaswani2017attention',
    type: 'inproceedings',
    title: 'Attention Is All You Need',
    authors: [
      { family: 'Vaswani', given: 'Ashish' },
      { family: 'Shazeer', given: 'Noam' },
      { family: 'Parmar', given: 'Niki' },
      { family: 'Uszkoreit', given: 'Jakob' },
    ],
    year: '2017',
    venue: 'Advances in Neural Information Processing Systems',
    abstract: 'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.',
    fields: {},
    origin: { file: '/home/u/refs/references.bib', line: 12 },
    ...overrides,
  };
}

const covered = (text: string, ranges: [number, number][]) => ranges.map(([start, end]) => text.slice(start, end));

describe('highlightRanges', () => {
  it('marks whole words equal to a term, ignoring case', () => {
    const text = 'Attention Is All You Need';
    expect(covered(text, highlightRanges(text, ['attention', 'need']))).toEqual(['Attention', 'Need']);
  });

  it('does not mark words that only start with a term', () => {
    const text = 'Network virtualization for virtual networks';
    expect(covered(text, highlightRanges(text, ['virtual', 'Network']))).toEqual(['Network', 'virtual']);
  });

  it('matches accented words against unaccented terms', () => {
    const text = 'Erdős–Rényi random graphs';
    expect(covered(text, highlightRanges(text, ['erdos', 'renyi']))).toEqual(['Erdős', 'Rényi']);
  });

  it('returns nothing without terms', () => {
    expect(highlightRanges('Attention Is All You Need', [])).toEqual([]);
  });
});

describe('segments', () => {
  const highlighted = { text: 'deep residual learning', ranges: [[5, 13]] as [number, number][] };

  it('splits text into matching and plain runs that join back to the text', () => {
    const runs = segments(highlighted);
    expect(runs).toEqual([
      { text: 'deep ', match: false },
      { text: 'residual', match: true },
      { text: ' learning', match: false },
    ]);
    expect(runs.map((run) => run.text).join('')).toBe(highlighted.text);
  });

  it('cuts at an end offset, shortening a range that crosses it', () => {
    expect(segments(highlighted, 9)).toEqual([
      { text: 'deep ', match: false },
      { text: 'resi', match: true },
    ]);
  });
});

describe('excerptEnd', () => {
  it('keeps short text whole', () => {
    expect(excerptEnd('short abstract', 240)).toBe(14);
  });

  it('cuts long text at a space before the limit', () => {
    const text = 'word '.repeat(100);
    const end = excerptEnd(text, 42);
    expect(end).toBeLessThanOrEqual(42);
    expect(text[end]).toBe(' ');
  });
});

describe('paperView', () => {
  it('shows the first three authors, year, venue, origin and highlighted title and abstract', () => {
    const view = paperView({ paper: paper(), terms: ['attention', 'neural'] });
    expect(view.authors).toBe('Ashish Vaswani, Noam Shazeer, Niki Parmar et al.');
    expect(view.year).toBe('2017');
    expect(view.origin).toBe('references.bib:12');
    expect(covered(view.title.text, view.title.ranges)).toEqual(['Attention']);
    expect(covered(view.abstract!.text, view.abstract!.ranges)).toEqual(['neural']);
    expect(view.excerptEnd).toBe(view.abstract!.text.length);
  });

  it('leaves the abstract out when the paper has none', () => {
    const view = paperView({ paper: paper({ abstract: '  ' }), terms: ['attention'] });
    expect(view.abstract).toBeUndefined();
    expect(view.excerptEnd).toBe(0);
  });
});

describe('authorList', () => {
  it('says et al. for an "and others" list', () => {
    expect(authorList([{ family: 'Knuth', given: 'Donald E.' }, { family: 'others', others: true }])).toBe('Donald E. Knuth et al.');
  });

  it('names up to three authors in full', () => {
    expect(authorList([{ family: 'Ha', given: 'David' }, { family: 'World Health Organization', literal: true }])).toBe(
      'David Ha, World Health Organization',
    );
  });
});

describe('paperFilter', () => {
  const papers = [
    paper({ key: 'old', year: '1998' }),
    paper({ key: 'new', year: '2017-06' }),
    paper({ key: 'undated', year: undefined }),
    paper({ key: 'elsewhere', year: '2010', origin: { file: '/other.bib', line: 1 } }),
  ];
  const keys = (predicate: ((p: Paper) => boolean) | undefined) => papers.filter(predicate ?? (() => true)).map((p) => p.key);

  it('does not filter when no field is set', () => {
    expect(paperFilter({})).toBeUndefined();
  });

  it('keeps papers within the year range and drops undated ones', () => {
    expect(keys(paperFilter({ yearFrom: 2000 }))).toEqual(['new', 'elsewhere']);
    expect(keys(paperFilter({ yearFrom: 2000, yearTo: 2012 }))).toEqual(['elsewhere']);
  });

  it('keeps papers read from the chosen source, including merged duplicates', () => {
    expect(keys(paperFilter({ source: '/other.bib' }))).toEqual(['elsewhere']);
    const alsoInOther = (p: Paper) => (p.key === 'old' ? [p.origin.file, '/other.bib'] : [p.origin.file]);
    expect(keys(paperFilter({ source: '/other.bib' }, alsoInOther))).toEqual(['old', 'elsewhere']);
  });
});

describe('yearRange', () => {
  it('spans the earliest and latest years, skipping undated papers', () => {
    expect(yearRange([paper({ year: '2017' }), paper({ year: undefined }), paper({ year: 'c. 1998' })])).toEqual({ min: 1998, max: 2017 });
  });

  it('is undefined when no paper has a year', () => {
    expect(yearRange([paper({ year: undefined })])).toBeUndefined();
  });
});

describe('sourceOptions', () => {
  it('labels sources by base name, adding the folder when names repeat', () => {
    const options = sourceOptions([
      { file: '/a/refs.bib', papers: 3 },
      { file: '/b/refs.bib', papers: 4 },
      { file: '/c/papers.txt', papers: 198 },
    ]);
    expect(options.map((option) => option.label)).toEqual(['a/refs.bib', 'b/refs.bib', 'papers.txt']);
  });
});

describe('resultCountLabel', () => {
  it('counts matches against the library size', () => {
    expect(resultCountLabel(12, 198)).toBe('12 of 198 papers');
    expect(resultCountLabel(1, 1)).toBe('1 of 1 paper');
    expect(resultCountLabel(1204, 88131)).toBe('1,204 of 88,131 papers');
  });
});

describe('firstPage', () => {
  it('shows the first items and counts the hidden rest', () => {
    const items = Array.from({ length: 1203 }, (_, index) => index);
    const { visible, remaining } = firstPage(items, 500);
    expect(visible).toHaveLength(500);
    expect(visible.at(-1)).toBe(499);
    expect(remaining).toBe(703);
  });

  it('shows everything when the list is shorter than the page', () => {
    expect(firstPage(['a', 'b'], 500)).toEqual({ visible: ['a', 'b'], remaining: 0 });
  });
});

describe('citedKeys', () => {
  it('lists distinct keys in order of first use with their use counts', () => {
    const cited = citedKeys([
      { key: 'b', start: 40, end: 41 },
      { key: 'a', start: 10, end: 11 },
      { key: 'b', start: 20, end: 21 },
      { key: 'a', start: 60, end: 61 },
      { key: 'b', start: 80, end: 81 },
    ]);
    expect(cited).toEqual([
      { key: 'a', uses: 2, first: { start: 10, end: 11 } },
      { key: 'b', uses: 3, first: { start: 20, end: 21 } },
    ]);
  });
});

describe('paperPreviewText', () => {
  it('shows the paper details, every origin, the abstract and the BibTeX', () => {
    const text = paperPreviewText(paper(), '@inproceedings{vaswani2017attention,\n  title = {Attention Is All You Need}\n}\n', [
      { file: '/refs.bib', line: 12 },
      { file: '/papers.txt', line: 5 },
    ]);
    expect(text).toContain('# Attention Is All You Need');
    expect(text).toContain('Authors: Ashish Vaswani; Noam Shazeer; Niki Parmar; Jakob Uszkoreit');
    expect(text).toContain('Year: 2017');
    expect(text).toContain('Source: /refs.bib:12, /papers.txt:5');
    expect(text).toContain('## Abstract\n\nThe dominant sequence transduction models');
    expect(text).toContain('```bibtex\n@inproceedings{vaswani2017attention,');
  });

  it('says so when there is no abstract', () => {
    expect(paperPreviewText(paper({ abstract: undefined }), '@misc{x}')).toContain('This source gives no abstract for the paper.');
  });
});
