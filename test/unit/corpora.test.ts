import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CORPORA_VARIABLE, corporaFolder, corpusPath } from './corpora';

const saved = process.env[CORPORA_VARIABLE];
afterEach(() => {
  if (saved === undefined) delete process.env[CORPORA_VARIABLE];
  else process.env[CORPORA_VARIABLE] = saved;
});

const repositoryRoot = path.resolve(__dirname, '../..');

describe('corpusPath: the one corpora-folder setting', () => {
  it('defaults to ../shared/corpora beside the repository', () => {
    delete process.env[CORPORA_VARIABLE];
    expect(corporaFolder()).toBe(path.resolve(repositoryRoot, '../shared/corpora'));
  });

  it('follows PAPERLENS_CORPORA, a relative value taken from the repository root', () => {
    process.env[CORPORA_VARIABLE] = 'test/unit';
    expect(corpusPath('formats', 'bibtex.test.ts')).toBe(path.join(repositoryRoot, 'test/unit/formats/bibtex.test.ts'));
    expect(existsSync(corpusPath('formats', 'bibtex.test.ts'))).toBe(true);
  });

  it('fails on a missing folder with a message naming the folder and the variable to set', () => {
    const missing = path.join(repositoryRoot, 'no-such-corpora');
    process.env[CORPORA_VARIABLE] = missing;
    expect(() => corpusPath('edge/xampl.bib')).toThrow(
      `test corpora not found at ${missing} (from PAPERLENS_CORPORA=${missing}): set PAPERLENS_CORPORA to the folder ` +
        'that holds arxiv/, edge/ and large/ (an absolute path, or relative to the repository root)',
    );
  });
});
