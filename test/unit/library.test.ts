import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { readListing } from '../../src/core/formats/listing';
import { Library } from '../../src/core/library';
import { loadCorpusFiles } from '../../src/core/load';
import type { CorpusSource, Paper } from '../../src/core/paper';
import { corpusPath } from './corpora';

const listingFile = path.resolve(__dirname, '../../corpus/papers.txt');
const arxivFile = corpusPath('arxiv/arxiv-metadata-0704-first2000.jsonl');
const listing: CorpusSource = { file: listingFile, format: 'listing', ...readListing(readFileSync(listingFile, 'utf8'), listingFile) };
const arxiv: CorpusSource = { file: arxivFile, format: 'arxiv-jsonl', ...readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile) };

function paper(overrides: Partial<Paper>): Paper {
  return { key: '', type: 'article', title: '', authors: [], fields: {}, origin: { file: 'my.bib', line: 1 }, ...overrides };
}

function source(file: string, papers: Paper[]): CorpusSource {
  return { file, format: 'bibtex', papers: papers.map((p) => ({ ...p, origin: { ...p.origin, file } })), problems: [] };
}

describe('Library.build', () => {
  const library = Library.build([listing, arxiv]);

  it('keeps every paper of the two corpora and assigns keys', () => {
    expect(library.size).toBe(2198);
    expect(library.sources.map((s) => [s.format, s.papers, s.kept])).toEqual([
      ['listing', 198, 198],
      ['arxiv-jsonl', 2000, 2000],
    ]);
    expect(library.papers()[0].key).toBe('learninggeneratetask');
    expect(library.byKey('balazs2007calculation')?.fields.eprint).toBe('0704.0001');
    expect(new Set(library.papers().map((p) => p.key.toLowerCase())).size).toBe(2198);
  });

  it('does not change the papers it was given', () => {
    expect(listing.papers[0].key).toBe('');
  });

  it('looks keys up exactly, then in any case', () => {
    expect(library.byKey('Balazs2007Calculation')?.fields.eprint).toBe('0704.0001');
    expect(library.byKey('nosuchkey')).toBeUndefined();
  });
});

describe('Library dedupe', () => {
  const mine = source('my.bib', [
    paper({ key: 'Vaswani2017', title: 'Attention Is All You Need', year: '2017', origin: { file: '', line: 3 } }),
    paper({ key: 'graphs', title: 'Graph Networks', doi: '10.1000/XYZ', origin: { file: '', line: 9 } }),
    paper({ key: 'vaswani2017', title: 'Something Else', origin: { file: '', line: 20 } }),
  ]);
  const theirs = source('big.bib', [
    paper({ key: 'vaswani2017', title: 'Attention is all you need', year: '2017', origin: { file: '', line: 100 } }),
    paper({ key: 'other', title: 'Another Name', doi: 'https://doi.org/10.1000/xyz', origin: { file: '', line: 200 } }),
    paper({ key: 'att', title: 'Attention is All You Need!', year: '2017', origin: { file: '', line: 300 } }),
    paper({ key: 'att2020', title: 'Attention Is All You Need', year: '2020', origin: { file: '', line: 400 } }),
    paper({ key: 'müller', title: 'Über Graphen', authors: [{ family: 'Müller', given: 'Jörg' }], year: '1990', origin: { file: '', line: 500 } }),
  ]);
  const listed = source('list.txt', [paper({ title: 'Über graphen', origin: { file: '', line: 7 } })]);
  const library = Library.build([mine, theirs, listed]);

  it('drops duplicates by key, DOI and title with year; the earlier source wins', () => {
    expect(library.papers().map((p) => p.key)).toEqual(['Vaswani2017', 'graphs', 'vaswani2017', 'att2020', 'müller']);
    expect(library.byKey('vaswani2017')?.origin).toEqual({ file: 'my.bib', line: 3 });
    expect(library.sources.map((s) => [s.file, s.papers, s.kept])).toEqual([
      ['my.bib', 3, 3],
      ['big.bib', 5, 2],
      ['list.txt', 1, 0],
    ]);
  });

  it('remembers every place a paper was found', () => {
    expect(library.origins('Vaswani2017')).toEqual([
      { file: 'my.bib', line: 3 },
      { file: 'big.bib', line: 100 },
      { file: 'big.bib', line: 300 },
    ]);
    expect(library.origins('graphs')).toEqual([
      { file: 'my.bib', line: 9 },
      { file: 'big.bib', line: 200 },
    ]);
    expect(library.origins('müller')).toEqual([
      { file: 'big.bib', line: 500 },
      { file: 'list.txt', line: 7 },
    ]);
    expect(library.origins('missing')).toEqual([]);
  });

  it('keeps entries of one file under different keys, and same titles by other authors or with other DOIs', () => {
    const tugboat = source('tugboat.bib', [
      paper({ key: 'Palais:TB2-1-3', title: "Chairman's report", year: '1981', authors: [{ family: 'Palais', given: 'Richard' }] }),
      paper({ key: 'Spivak:TB2-2-3', title: "Chairman's report", year: '1981', authors: [{ family: 'Spivak', given: 'Michael' }] }),
      paper({ key: 'same:again', title: "Chairman's Report", year: '1981', authors: [{ family: 'Palais', given: 'R.' }] }),
      paper({ key: 'doi:again', title: 'Other', doi: '10.1/a' }),
      paper({ key: 'doi:first', title: 'First', doi: '10.1/A' }),
    ]);
    const other = source('other.bib', [
      paper({ key: 'x1', title: "Chairman's report", year: '1981', authors: [{ family: 'Knuth', given: 'Donald' }] }),
      paper({ key: 'x2', title: "Chairman's report", year: '1981', authors: [{ family: 'Spivak', given: 'M.' }] }),
      paper({ key: 'x3', title: 'First', doi: '10.1/other' }),
      paper({ key: 'x4', title: 'Unrelated', doi: '10.1/A' }),
      paper({ key: 'x5', title: 'Über Bäche', authors: [{ family: 'van Beethoven', given: 'Ludwig' }] }),
    ]);
    const csl = source('lib.json', [
      paper({ key: 'y1', title: 'Uber Bache', authors: [{ family: 'Beethoven', prefix: 'van', given: 'L.' }] }),
      paper({ title: 'Measurement of X', year: '2007', authors: [{ family: 'The BABAR Collaboration' }] }),
      paper({ title: 'Measurement of X', year: '2007', authors: [{ family: 'The Belle Collaboration' }] }),
    ]);
    const merged = Library.build([tugboat, other, csl]);
    expect(merged.papers().map((p) => p.key)).toEqual([
      'Palais:TB2-1-3', 'Spivak:TB2-2-3', 'same:again', 'doi:again', 'doi:first', 'x1', 'x3', 'x5',
      'thebabarcollaboration2007measurement', 'thebellecollaboration2007measurement',
    ]);
    expect(merged.origins('Spivak:TB2-2-3')).toEqual([{ file: 'tugboat.bib', line: 1 }, { file: 'other.bib', line: 1 }]);
    expect(merged.origins('doi:again')).toEqual([{ file: 'tugboat.bib', line: 1 }, { file: 'other.bib', line: 1 }]);
    expect(merged.origins('x5')).toEqual([{ file: 'other.bib', line: 1 }, { file: 'lib.json', line: 1 }]);
  });

  it('reads a DOI written with any resolver prefix as the same DOI', () => {
    const merged = Library.build([
      source('a.bib', [paper({ key: 'a', title: 'A', doi: '10.1000/XYZ' })]),
      source('b.bib', [paper({ key: 'b', title: 'B', doi: 'https://www.doi.org/10.1000/xyz' })]),
      source('c.bib', [paper({ key: 'c', title: 'C', doi: ' doi.org/10.1000/xyz' })]),
    ]);
    expect(merged.papers().map((p) => p.key)).toEqual(['a']);
  });

  it('keeps another paper under a key repeated within one file, and says so at its line', () => {
    expect(library.papersWithKey('VASWANI2017').map((p) => p.title)).toEqual(['Attention Is All You Need', 'Something Else']);
    expect(library.sources[0].problems).toEqual([
      { file: 'my.bib', line: 20, message: 'key "vaswani2017" is also used by the entry at line 3 (a different paper); both are kept, citing it is ambiguous' },
    ]);
    expect(library.sources[1].problems).toEqual([]);
  });
});

describe('Library.search', () => {
  const library = Library.build([listing, arxiv]);
  const keys = (query: string, limit = 5) => library.search(query, { limit }).map((hit) => hit.paper.key);

  it('keeps finding a paper by an abstract word while it is being typed ("garmen" of "garments", in one abstract only)', () => {
    expect(library.search('garmen', { limit: 1 }).map((hit) => [hit.paper.key, hit.terms])).toEqual([['anyfitcontrollablevirtual', ['garment', 'garments']]]);
    // A finished word (a space after it) matches whole abstract words only.
    expect(keys('garmen ', 1)).toEqual([]);
  });

  it('finds an author and a year, with accents folded', () => {
    expect(keys('balazs 2007', 1)).toEqual(['balazs2007calculation']);
    expect(library.search('balazs 2007', { limit: 1 })[0].terms).toEqual(['Balázs', '2007']);
  });

  it('completes the last word as a prefix and forgives misspellings', () => {
    expect(keys('rayleigh quot', 1)).toEqual(['rayleighquotientgraph']);
    expect(keys('hypernetwrks', 1)).toEqual(['hypernetworks']);
    expect(keys('streinu2007sp', 1)).toEqual(['streinu2007sparsity']);
  });

  it('does not treat a finished last word as a prefix', () => {
    expect(keys('graph rayl', 1)).toEqual(['rayleighquotientgraph']);
    expect(library.search('rayl ')).toEqual([]);
  });

  it('ranks papers with all the words above those with some, scores falling', () => {
    const hits = library.search('rayleigh quotient anomaly', { limit: 10 });
    expect(hits[0].paper.key).toBe('rayleighquotientgraph');
    expect(hits).toHaveLength(10);
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('returns nothing for blank or stop-word-only queries and honours limit and filter', () => {
    expect(library.search('   ')).toEqual([]);
    expect(library.search('the of a')).toEqual([]);
    expect(library.search('graph', { limit: 3 })).toHaveLength(3);
    const onlyArxiv = library.search('graph neural', { limit: 5, filter: (p) => p.venue === 'arXiv' });
    expect(onlyArxiv.length).toBeGreaterThan(0);
    expect(onlyArxiv.every((hit) => hit.paper.venue === 'arXiv')).toBe(true);
  });

  it('finds papers similar to a paper, not the paper itself', () => {
    const similar = library.similar('rayleighquotientgraph', 5).map((hit) => hit.paper.key);
    expect(similar).toHaveLength(5);
    expect(similar).not.toContain('rayleighquotientgraph');
    // Graph-level learning with GNNs, like the Rayleigh quotient paper.
    expect(similar[0]).toBe('revisitinggraphneural');
    // The rare, repeated "hypernetworks" outweighs the corpus-wide "networks".
    expect(library.similar('hypernetworks', 1).map((hit) => hit.paper.key)).toEqual(['graphhypernetworksneural']);
    // Diphoton production at hadron colliders → jet production at hadron colliders.
    expect(library.similar('balazs2007calculation', 1).map((hit) => hit.paper.key)).toEqual(['deflorian2007resummed']);
    expect(library.similar('nosuchkey')).toEqual([]);
    const fromArxiv = library.similar('rayleighquotientgraph', 3, (p) => p.venue === 'arXiv');
    expect(fromArxiv).toHaveLength(3);
    expect(fromArxiv.every((hit) => hit.paper.venue === 'arXiv')).toBe(true);
  });

  it('an empty library finds nothing', () => {
    const empty = Library.empty();
    expect(empty.size).toBe(0);
    expect(empty.search('graph')).toEqual([]);
    expect(empty.byKey('x')).toBeUndefined();
  });
});

describe('Library indexing details', () => {
  const library = Library.build([
    source('venues.bib', [
      paper({
        key: 'acl',
        title: 'Parsing Sentences',
        authors: [{ family: 'Müller', given: 'Jörg' }],
        year: '2020',
        venue: 'Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics',
      }),
      paper({ key: 'proc', title: 'Proceedings Considered Harmful', year: '2019', venue: 'Journal of Examples' }),
    ]),
  ]);
  const keys = (query: string) => library.search(query).map((hit) => hit.paper.key);

  it('indexes a venue by its distinctive words, not its boilerplate', () => {
    expect(keys('computational linguistics')).toEqual(['acl']);
    expect(keys('proceedings ')).toEqual(['proc']);
    expect(keys('58th ')).toEqual([]);
  });

  it('reports matched words as the paper spells them', () => {
    expect(library.search('muller parsing')[0].terms).toEqual(['Parsing', 'Müller']);
    // "joerg" is one edit from the folded "jorg".
    expect(library.search('joerg muller')[0].terms).toEqual(['Jörg', 'Müller']);
  });

  it('finds a paper by its year and its key', () => {
    expect(keys('2019 ')).toEqual(['proc']);
    expect(keys('acl')).toEqual(['acl']);
    expect(keys('pro')).toEqual(['proc']);
  });
});

describe('a corpus file that gives one key to two papers (a Mendeley export)', async () => {
  const file = path.resolve(__dirname, '../fixtures/library/mendeley-same-key.bib');
  const [mendeley] = await loadCorpusFiles([file]);
  const library = Library.build([mendeley]);
  const at = (line: number) => ({ file, line });

  it('keeps both papers, each from its own line, and merges the same paper entered twice', () => {
    expect(library.papers().map((p) => [p.key, p.origin.line, p.title])).toEqual([
      ['Smith2020', 6, 'Keys that collide in reference managers'],
      ['Smith2020', 19, 'Sediment transport in braided rivers'],
      ['Vaswani2017', 29, 'Attention is all you need'],
      ['Knuth1984', 45, 'The TeXbook'],
    ]);
    expect(library.origins('Vaswani2017')).toEqual([at(29), at(36)]);
    expect(library.sources.map((s) => [s.papers, s.kept])).toEqual([[5, 4]]);
  });

  it('reports each repeated key at its line, worded by whether it is another paper or the same one again', () => {
    expect(library.sources[0].problems).toEqual([
      { file, line: 19, message: 'key "Smith2020" is also used by the entry at line 6 (a different paper); both are kept, citing it is ambiguous' },
      { file, line: 36, message: 'duplicate key "Vaswani2017"; the entry at line 29 is used' },
    ]);
  });

  it('finds both by search and by key prefix', () => {
    expect(library.search('sediment rivers', { limit: 3 }).map((hit) => hit.paper.origin.line)).toEqual([19]);
    expect(library.search('collide', { limit: 3 }).map((hit) => hit.paper.origin.line)).toEqual([6]);
    expect(library.papersWithKeyPrefix('smith', 10).map((p) => p.origin.line)).toEqual([6, 19]);
  });

  it('answers a key lookup with the first paper, marked with the other, and lists them all on request', () => {
    expect(library.byKey('smith2020')).toMatchObject({
      origin: at(6),
      sameKey: [{ title: 'Sediment transport in braided rivers', year: '2020', origin: at(19) }],
    });
    expect(library.papersWithKey('SMITH2020').map((p) => [p.origin.line, p.sameKey?.map((other) => other.origin.line)])).toEqual([
      [6, [19]],
      [19, [6]],
    ]);
    expect(library.byKey('Vaswani2017')?.sameKey).toBeUndefined();
  });

  it('keeps a same-key paper from another file out, as a copy of the first paper under the key', () => {
    const other = source('other.bib', [paper({ key: 'smith2020', title: 'Sediment transport in braided rivers', year: '2020' })]);
    const both = Library.build([mendeley, other]);
    expect(both.papersWithKey('smith2020').map((p) => p.origin.line)).toEqual([6, 19]);
    expect(both.origins('smith2020')).toEqual([at(6)]);
    expect(both.size).toBe(4);
  });

  it('keeps the other paper under the key when an earlier source has one of the two (a cite into the document\'s .bib)', () => {
    const cited = source('refs.bib', [paper({ key: 'Smith2020', title: 'Sediment transport in braided rivers', year: '2020' })]);
    const both = Library.build([cited, mendeley]);
    expect(both.papersWithKey('smith2020').map((p) => [p.origin.file, p.origin.line, p.title])).toEqual([
      ['refs.bib', 1, 'Sediment transport in braided rivers'],
      [file, 6, 'Keys that collide in reference managers'],
    ]);
    expect(both.origins('smith2020')).toEqual([{ file: 'refs.bib', line: 1 }, at(19)]);
    expect(both.size).toBe(4);
  });
});
