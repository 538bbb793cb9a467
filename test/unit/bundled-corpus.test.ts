// The bundled corpus is the shared listing with only the page chrome removed.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanListing, readListing } from '../../src/core/formats/listing';

const repo = path.resolve(__dirname, '../..');
const rawFile = path.resolve(repo, '../shared/corpus/papers-network-listing.txt');
const bundledFile = path.join(repo, 'corpus/papers.txt');

describe('bundled corpus', () => {
  const raw = readFileSync(rawFile, 'utf8');
  const bundled = readFileSync(bundledFile, 'utf8');

  it('is the shared listing without the two header lines and the glued "Subscribe"', () => {
    const rawLines = raw.split('\n');
    expect(rawLines[0]).toBe('Get trending papers in your email inbox once a day!');
    expect(rawLines[2].startsWith('SubscribeLearning to Generate')).toBe(true);
    expect(bundled).toBe(['Learning' + rawLines[2].slice('SubscribeLearning'.length), ...rawLines.slice(3)].join('\n'));
    expect(cleanListing(raw)).toBe(bundled);
  });

  it('reads as 198 papers with abstracts and no problems', () => {
    const { papers, problems } = readListing(bundled, bundledFile);
    expect(problems).toEqual([]);
    expect(papers).toHaveLength(198);
    expect(papers[0].title).toBe('Learning to Generate Task-Specific Adapters from Task Description');
    expect(papers.every((paper) => (paper.abstract ?? '').length > 100)).toBe(true);
  });
});
