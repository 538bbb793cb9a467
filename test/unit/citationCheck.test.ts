import { describe, expect, it } from 'vitest';
import { checkCitations, keyDistance, likelyKeys } from '../../src/core/citationCheck';
import { findCitations } from '../../src/core/documents/citations';
import type { DocumentLanguage } from '../../src/core/documents/types';

const bibliography = new Set(['simonyan2015very']);
const library = new Set(['simonyan2015very', 'ha2017hypernetworks']);

function check(text: string, language: DocumentLanguage) {
  return checkCitations(text, language, findCitations(text, language), (key) => bibliography.has(key), (key) => library.has(key)).map(
    (finding) => [finding.key, finding.kind, text.slice(finding.start, finding.end)],
  );
}

describe('checkCitations', () => {
  it('reports LaTeX keys missing from the bibliography: from the library, or unknown', () => {
    expect(check('See \\citep{simonyan2015very, ha2017hypernetworks} and \\cite{smtih2020}.', 'latex')).toEqual([
      ['ha2017hypernetworks', 'fromLibrary', 'ha2017hypernetworks'],
      ['smtih2020', 'unknown', 'smtih2020'],
    ]);
  });

  it('ignores comments in LaTeX', () => {
    expect(check('% \\cite{smtih2020}\n\\cite{simonyan2015very}', 'latex')).toEqual([]);
  });

  it('in Markdown reports unknown keys only inside brackets, and never cross-references', () => {
    const text = 'As [@ha2017hypernetworks; @nobody2020] show (see @fig:plot and [@sec:intro]), ping @someone.';
    expect(check(text, 'markdown')).toEqual([
      ['ha2017hypernetworks', 'fromLibrary', 'ha2017hypernetworks'],
      ['nobody2020', 'unknown', 'nobody2020'],
    ]);
  });

  it('offers a library paper cited in running Markdown text', () => {
    expect(check('Hypernetworks, @ha2017hypernetworks, write weights.', 'markdown')).toEqual([
      ['ha2017hypernetworks', 'fromLibrary', 'ha2017hypernetworks'],
    ]);
  });
});

describe('likelyKeys', () => {
  it('measures swaps, insertions and deletions as one edit each, ignoring case', () => {
    expect([keyDistance('simonyan2015vrey', 'simonyan2015very'), keyDistance('Ha2017', 'ha2017'), keyDistance('ha2017x', 'ha2017'), keyDistance('abc', 'xyz')]).toEqual([1, 0, 1, 3]);
  });

  it('suggests the closest keys first and nothing far away', () => {
    const candidates = ['simonyan2015very', 'simonyan2014very', 'sutskever2014sequence', 'simonyan2015verydeep'];
    expect(likelyKeys('simonyan2015vrey', candidates)).toEqual(['simonyan2015very', 'simonyan2014very']);
    expect(likelyKeys('vaswani2017attention', candidates)).toEqual([]);
  });
});
