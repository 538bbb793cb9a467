import { describe, expect, it } from 'vitest';
import { BibliographyContents } from '../../../src/core/bibedit';
import { readBibtex } from '../../../src/core/formats/bibtex';
import { addMissingEntries } from '../../../src/core/integrity/addMissing';
import { applyEdits } from './workspace';

const library = readBibtex(
  [
    '@article{alpha2020, title = {Alpha}, year = {2020}}',
    '@article{beta2021, title = {Beta}, year = {2021}, doi = {10.5/beta}}',
    '@article{gamma2022, title = {Gamma}, year = {2022}}',
  ].join('\n'),
  '/corpus.bib',
).papers;

describe('add all missing entries', () => {
  it('appends every missing entry in one edit, after one blank line, in the order asked', () => {
    const text = '@misc{own, title = {Own}}\n';
    const result = addMissingEntries([{ file: '/p/refs.bib', text, papers: [library[2], library[0]] }]);
    expect(result.changes['/p/refs.bib']).toHaveLength(1);
    expect(applyEdits(text, result.changes['/p/refs.bib'])).toBe(
      '@misc{own, title = {Own}}\n\n@article{gamma2022,\n  title = {Gamma},\n  year = {2022},\n}\n\n@article{alpha2020,\n  title = {Alpha},\n  year = {2020},\n}\n',
    );
    expect(result.added).toEqual([{ key: 'gamma2022', file: '/p/refs.bib' }, { key: 'alpha2020', file: '/p/refs.bib' }]);
  });

  it('skips papers the file or the project\'s other files have (by key or DOI), and a paper asked twice', () => {
    const text = '@article{Beta, title = {Beta again}, doi = {https://doi.org/10.5/BETA}}\r\n';
    const elsewhere = new BibliographyContents([{ file: '/p/other.bib', text: '@misc{gamma2022, title = {Gamma}}' }]);
    const result = addMissingEntries([{ file: '/p/refs.bib', text, papers: [library[0], library[1], library[2], library[0]] }], elsewhere);
    expect(result.added).toEqual([{ key: 'alpha2020', file: '/p/refs.bib' }]);
    expect(result.present).toEqual([{ key: 'beta2021', as: 'Beta' }, { key: 'gamma2022', as: 'gamma2022' }, { key: 'alpha2020', as: 'alpha2020' }]);
    expect(applyEdits(text, result.changes['/p/refs.bib'])).toBe(`${text}\r\n@article{alpha2020,\r\n  title = {Alpha},\r\n  year = {2020},\r\n}\r\n`);
  });

  it('edits nothing when nothing is missing, and an empty file gets the entries alone', () => {
    expect(addMissingEntries([{ file: '/p/refs.bib', text: '@misc{alpha2020, title = {A}}\n', papers: [library[0]] }]).changes).toEqual({});
    const empty = addMissingEntries([{ file: '/p/new.bib', text: '', papers: [library[0], library[2]] }]);
    expect(applyEdits('', empty.changes['/p/new.bib'])).toBe(
      '@article{alpha2020,\n  title = {Alpha},\n  year = {2020},\n}\n\n@article{gamma2022,\n  title = {Gamma},\n  year = {2022},\n}\n',
    );
  });
});
