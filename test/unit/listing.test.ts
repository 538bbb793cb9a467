import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanListing, readListing } from '../../src/core/formats/listing';

const rawFile = path.resolve(__dirname, '../../../shared/corpus/papers-network-listing.txt');
const cleanedFile = path.resolve(__dirname, '../../corpus/papers.txt');
const raw = readFileSync(rawFile, 'utf8');

describe('readListing on the raw saved page', () => {
  const { papers, problems } = readListing(raw, rawFile);

  it('reads all 198 papers without problems', () => {
    expect(papers).toHaveLength(198);
    expect(problems).toEqual([]);
  });

  it('drops the chrome and the Subscribe label glued to the first title', () => {
    expect(papers[0].title).toBe('Learning to Generate Task-Specific Adapters from Task Description');
    expect(papers[0].origin).toEqual({ file: rawFile, line: 3 });
    expect(papers[0].abstract).toMatch(/^Pre-trained text-to-text transformers such as BART/);
  });

  it('leaves keys to the library and records each title line', () => {
    expect(papers[1]).toMatchObject({
      key: '',
      type: 'misc',
      title: 'AnyFit: Controllable Virtual Try-on for Any Combination of Attire Across Any Scenario',
      authors: [],
      origin: { file: rawFile, line: 5 },
    });
    expect(papers[1].fields.title).toBe(papers[1].title);
    expect(papers[197].origin.line).toBe(397);
    expect(papers[197].title).toBe('Theoretical bounds on the network community profile from low-rank semi-definite programming');
  });
});

describe('readListing on the cleaned bundled corpus', () => {
  it('reads the same papers, lines shifted by the two chrome lines', () => {
    const raws = readListing(raw, rawFile).papers;
    const cleaned = readListing(readFileSync(cleanedFile, 'utf8'), cleanedFile);
    expect(cleaned.problems).toEqual([]);
    expect(cleaned.papers.map((p) => [p.title, p.abstract])).toEqual(raws.map((p) => [p.title, p.abstract]));
    expect(cleaned.papers[5].origin.line).toBe(raws[5].origin.line - 2);
  });
});

describe('cleanListing', () => {
  it('turns the raw save into the bundled corpus', () => {
    expect(cleanListing(raw)).toBe(readFileSync(cleanedFile, 'utf8'));
  });

  it('leaves a clean listing and titles that merely start with "Subscribe" alone', () => {
    const text = 'Subscribers and Networks\nAn abstract that is long enough to read as one, with several words in it.\n';
    expect(cleanListing(text)).toBe(text);
  });
});

describe('readListing problems', () => {
  const abstract = (topic: string) =>
    `We study ${topic} in depth and show that a simple method works well. ` +
    'Experiments on three benchmarks confirm the gains over strong baselines by a wide margin.';

  it('reports a title without an abstract at its line and keeps reading', () => {
    const text = ['First Title', abstract('graphs'), 'Orphan Title', 'Third Title', abstract('trees')].join('\n');
    const { papers, problems } = readListing(text, 'list.txt');
    expect(papers.map((p) => p.title)).toEqual(['First Title', 'Orphan Title', 'Third Title']);
    expect(papers[1].abstract).toBeUndefined();
    expect(papers[2].abstract).toMatch(/^We study trees/);
    expect(problems).toEqual([{ file: 'list.txt', line: 3, message: 'title "Orphan Title" has no abstract line after it' }]);
  });

  it('reports a trailing title and an abstract without a title', () => {
    const long = `${abstract('a long topic')} ${abstract('more of it')}`;
    const text = ['', long, 'A Title', abstract('nets'), '', 'Last Title', ''].join('\r\n');
    const { papers, problems } = readListing(text, 'list.txt');
    expect(papers.map((p) => [p.title, p.origin.line])).toEqual([
      ['A Title', 3],
      ['Last Title', 6],
    ]);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'abstract line without a title line before it; skipped'],
      [6, 'title "Last Title" has no abstract line after it'],
    ]);
  });

  it('reads an empty file as no papers', () => {
    expect(readListing('', 'empty.txt')).toEqual({ papers: [], problems: [] });
  });

  it('reads a file that is not a listing as titles without abstracts, without throwing', () => {
    const { papers, problems } = readListing('\u0000\u0001\uFFFD binary\n@article{x,\n', 'odd.txt');
    expect(papers.map((p) => p.title)).toEqual(['\u0000\u0001\uFFFD binary', '@article{x,']);
    expect(problems.map((p) => p.line)).toEqual([1, 2]);
  });
});
