import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/core/formats/detect';

describe('detectFormat', () => {
  it.each([
    ['refs.bib', '', 'bibtex'],
    ['REFS.BIB', '', 'bibtex'],
    ['lib.ris', '', 'ris'],
    ['arxiv.jsonl', '', 'arxiv-jsonl'],
    ['lib.json', '[\n  {"id": "a"}\n]', 'csl-json'],
    ['records.json', '{"id": "0704.0001", "title": "T"}\n{"id": "0704.0002", "title": "U"}\n', 'arxiv-jsonl'],
    ['papers.txt', 'Get trending papers in your email inbox!\nA Title\nAn abstract.\n', 'listing'],
    ['papers.txt', '{"id": "0704.0001", "title": "T"}\n', 'arxiv-jsonl'],
    ['export.txt', 'Header line\n@article{k,\n  title = {T}\n}\n', 'bibtex'],
    ['export.txt', 'TY  - JOUR\nTI  - T\nER  - \n', 'ris'],
    ['citations.txt', '[Fau86] Faulkner, W. (1986)', 'listing'],
    ['notes', '', 'listing'],
  ])('%s with %j → %s', (file, text, format) => {
    expect(detectFormat(file, text)).toBe(format);
  });

  it('gives up on an unknown extension with unknown content', () => {
    expect(detectFormat('picture.png', '\u0089PNG')).toBeUndefined();
  });
});
