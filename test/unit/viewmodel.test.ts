import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/paper';
import {
  allCitedRowLabel,
  authorList,
  citedKeyRowLabel,
  citedKeys,
  codeFence,
  excerptEnd,
  firstPage,
  groupedDigits,
  highlightRanges,
  keyUseRow,
  libraryFailedRowLabel,
  moreRowLabel,
  NO_CITATIONS_ROW_LABEL,
  paperFilter,
  paperPreviewText,
  paperRowLabel,
  paperView,
  problemRowLabel,
  problemsRowLabel,
  unusedEntryRowLabel,
  unusedSourceRowLabel,
  resultCountLabel,
  segments,
  sourceOptions,
  sourceRowLabel,
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
    expect(view.originLabel).toBe('references.bib:12');
    expect(view.origin).toEqual({ file: '/home/u/refs/references.bib', line: 12 });
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

describe('groupedDigits', () => {
  it('groups thousands as en-US writes them, as toLocaleString did', () => {
    for (const count of [0, 7, 999, 1000, 88_327, 100_000, 1_234_567, 20_000_000]) expect(groupedDigits(count)).toBe(count.toLocaleString('en-US'));
    expect(groupedDigits(88_327)).toBe('88,327');
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

  it('keeps the BibTeX block whole when an abstract in it holds a code fence', () => {
    // A BibTeX source keeps its fields as written: a ``` line in an abstract used to end the preview's block early.
    const bibtex = '@article{vaswani2017attention,\n  abstract = {We show the call:\n```\nrun(model)\n```\nand a ````quad```` run.},\n}\n';
    const tokens = new MarkdownIt().parse(paperPreviewText(paper(), bibtex), {});
    const fences = tokens.filter((token) => token.type === 'fence');
    expect(fences.map((token) => token.info)).toEqual(['bibtex']);
    expect(fences[0].content).toBe(bibtex);
  });
});

describe('codeFence', () => {
  it('is three backticks unless the text has a run as long, then one longer', () => {
    expect(codeFence('@misc{x}')).toBe('```');
    expect(codeFence('a `b` c')).toBe('```');
    expect(codeFence('a ``` b')).toBe('````');
    expect(codeFence('a ````` b `` c')).toBe('``````');
  });
});

describe('tree row labels', () => {
  it('reads a source as its name, papers and problems, without its path or format', () => {
    expect(sourceRowLabel({ file: '/home/u/thesis/references.bib', papers: 12, kept: 12, problems: 1 })).toBe('references.bib, 12 papers, 1 problem');
    expect(sourceRowLabel({ file: 'C:\\lit\\acl.bib', papers: 88_131, kept: 87_408, problems: 405 })).toBe(
      'acl.bib, 87,408 papers, 723 duplicates, 405 problems',
    );
    expect(sourceRowLabel({ file: '/x/one.ris', papers: 1, kept: 1, problems: 0 })).toBe('one.ris, 1 paper');
  });

  it('reads problems as a count, and each problem by its line without the path', () => {
    expect(problemsRowLabel(1)).toBe('1 problem');
    expect(problemsRowLabel(1_204)).toBe('1,204 problems');
    const problem = { file: '/home/u/thesis/broken.bib', line: 14, message: 'Entry not terminated' };
    expect(problemRowLabel(problem)).toBe('Problem at line 14: Entry not terminated');
  });

  it('reads a paper as title, authors and year', () => {
    expect(paperRowLabel(paper())).toBe('Attention Is All You Need, Vaswani et al., 2017');
    expect(paperRowLabel(paper({ title: '', authors: [], year: undefined }))).toBe('vaswani2017attention');
  });

  it('reads the paging row, the failed row and the empty Cited view as short sentences', () => {
    expect(moreRowLabel(1_204)).toBe('Show 500 more, 1,204 not shown');
    expect(moreRowLabel(7)).toBe('Show 7 more, 7 not shown');
    expect(libraryFailedRowLabel('papers.bib: permission denied')).toBe('The library could not be loaded: papers.bib: permission denied');
    expect(NO_CITATIONS_ROW_LABEL).toBe('No citations yet. Press Enter to insert one.');
  });

  it('reads a cited key with how often it is cited and what is known of it', () => {
    expect(citedKeyRowLabel('vaswani2017attention', 1, { kind: 'found', title: 'Attention Is All You Need' })).toBe(
      'vaswani2017attention, cited once: Attention Is All You Need',
    );
    expect(citedKeyRowLabel('ha2017', 2, { kind: 'missing' })).toBe('ha2017, cited twice, not in the library');
    expect(citedKeyRowLabel('ha2017', 12, { kind: 'loading' })).toBe('ha2017, cited 12 times, loading the library');
  });
});

describe('key use rows', () => {
  const useOf = (file: string, line: number, lineText: string, key: string) => {
    const start = lineText.indexOf(key);
    return { file, line, lineText, start, end: start + key.length };
  };

  it('says where the use is, then shows the line around the key', () => {
    expect(keyUseRow(useOf('chapters/intro.tex', 1, 'As shown before \\cite{jones2019, smith2020}, small worlds are common.', 'smith2020'))).toEqual({
      label: 'chapters/intro.tex:2',
      description: '…shown before \\cite{jones2019, smith2020}, small worlds are common.',
      accessibilityLabel: 'chapters/intro.tex, line 2: …shown before \\cite{jones2019, smith2020}, small worlds are common.',
    });
  });

  it('drops the indent, keeps a short line whole and cuts a long one at word ends on both sides', () => {
    expect(keyUseRow(useOf('main.tex', 2, '    Growth \\cite{smith2020}.   ', 'smith2020')).description).toBe('Growth \\cite{smith2020}.');
    const long = keyUseRow(useOf('a.md', 9, `${'word '.repeat(20)}[@key] ${'more '.repeat(20)}`, 'key'));
    expect(long.description).toBe(`…${'word '.repeat(5)}[@key] ${'more '.repeat(9).trimEnd()}…`);
    expect(long.label).toBe('a.md:10');
  });
});

describe('unused entry rows', () => {
  it('reads a .bib by its name and how many entries nothing cites, and says when every entry is cited', () => {
    expect(unusedSourceRowLabel('/home/u/thesis/refs.bib', 1)).toBe('refs.bib, 1 unused entry');
    expect(unusedSourceRowLabel('/home/u/thesis/refs.bib', 1_204)).toBe('refs.bib, 1,204 unused entries');
    expect(unusedSourceRowLabel('C:\\thesis\\refs.bib', 0)).toBe('refs.bib, every entry cited');
    expect(allCitedRowLabel('/home/u/thesis/refs.bib')).toBe('Every entry of refs.bib is cited');
    expect(unusedEntryRowLabel('neverCited', 14)).toBe('neverCited, line 15, cited nowhere in the project');
  });
});
