// Uncited claims: sentences that report what others found and cite nothing.
import { describe, expect, it } from 'vitest';
import { uncitedClaims } from '../../../src/core/related/claims';

const claimsIn = (text: string, language: 'latex' | 'markdown'): string[] =>
  uncitedClaims(text, language).map((claim) => `${claim.cue} | ${text.slice(claim.start, claim.end)}`);

describe('uncited claims', () => {
  it('flags cue phrases, percentages and comparisons in sentences without a citation', () => {
    const tex = [
      'It has been shown that deeper networks generalise better.',
      'Transformers are the state of the art for translation \\cite{vaswani2017}.',
      'Recent work on graphs ignores the spectrum entirely.',
      'Our detector reaches 93.5\\% recall on the held-out molecules.',
      'Sparse models run faster than dense ones on this hardware.',
      'We now describe the data set in detail.',
      '% It has been shown that comments are never claims.',
      'Short: outperforms.',
    ].join('\n');
    expect(claimsIn(tex, 'latex')).toEqual([
      'has been shown | It has been shown that deeper networks generalise better.',
      'Recent work | Recent work on graphs ignores the spectrum entirely.',
      '93.5% | Our detector reaches 93.5\\% recall on the held-out molecules.',
      'faster than | Sparse models run faster than dense ones on this hardware.',
    ]);
  });

  it('reads Markdown citations, including a marker, as citations', () => {
    const md = 'Prior studies have shown that dropout helps [@srivastava2014]. Our model outperforms every baseline by 4 percent. Kernels are slower than networks [@?].';
    expect(claimsIn(md, 'markdown')).toEqual(['outperforms | Our model outperforms every baseline by 4 percent.']);
  });
});
