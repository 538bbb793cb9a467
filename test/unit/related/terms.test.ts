// How the ranking reads words: terms shared across spellings and plurals, compounds, function words dropped.
import { describe, expect, it } from 'vitest';
import { compoundBase, termOf, topicWords } from '../../../src/core/related/terms';

describe('terms of words', () => {
  it('folds plurals and British spelling, and keeps distinct ideas apart', () => {
    expect(['graphs', 'anomalies', 'processes', 'boxes', 'states', 'analysis', 'class', 'physics'].map(termOf)).toEqual([
      'graph', 'anomaly', 'process', 'box', 'state', 'analysis', 'class', 'physic',
    ]);
    expect(termOf('localisations')).toBe(termOf('localization'));
    expect(termOf('optimise')).toBe(termOf('optimize'));
    expect(termOf('behaviour')).toBe(termOf('behavior'));
    expect(termOf('general')).not.toBe(termOf('generation'));
    expect(termOf('i2b2')).toBe('i2b2');
  });

  it('reads a compound as its last part too', () => {
    expect(compoundBase('supercurrent')).toBe('current');
    expect(compoundBase('nonequilibrium')).toBe('equilibrium');
    expect(compoundBase('multiorbital')).toBe('orbital');
    expect(compoundBase('current')).toBeUndefined();
    expect(compoundBase('subset')).toBeUndefined();
  });

  it('gives topic words with their offsets, accents folded, function words and single letters dropped', () => {
    expect(topicWords('The Müller graphs of a 3D world, in 2007').map((word) => [word.text, word.stem, word.start])).toEqual([
      ['Müller', 'muller', 4],
      ['graphs', 'graph', 11],
      ['3D', '3d', 23],
      ['world', 'world', 26],
      ['2007', '2007', 36],
    ]);
  });
});
