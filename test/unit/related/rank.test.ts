// The ranking over the bundled corpus (198 papers): papers for a text with their reasons, similar papers, how a
// citation fits its sentence, the model's round trip through JSON, and the document-level calls the editor makes.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readListing } from '../../../src/core/formats/listing';
import { Library } from '../../../src/core/library';
import { RelatedModel } from '../../../src/core/related/model';
import { RelatedIndex } from '../../../src/core/related/rank';
import { citationFit, citationFitAt, papersForParagraph, papersForSentence } from '../../../src/core/related/writing';
import { citationInsertion } from '../../../src/core/documents/citations';

const listingFile = path.resolve(__dirname, '../../../corpus/papers.txt');
const library = Library.build([{ file: listingFile, format: 'listing', ...readListing(readFileSync(listingFile, 'utf8'), listingFile) }]);
const papers = library.papers();
const index = RelatedIndex.build(papers);
const positionOf = (key: string): number | undefined => {
  const position = papers.findIndex((paper) => paper.key === key);
  return position < 0 ? undefined : position;
};
const keys = (hits: { paper: { key: string } }[]): string[] => hits.map((hit) => hit.paper.key);

describe('papers for a text', () => {
  const paragraph =
    'Detecting abnormal graphs as a whole, rather than abnormal nodes, matters for screening molecules. The energy ' +
    'a graph signal accumulates over the spectrum separates anomalous graphs from normal ones.';

  it('puts the paper the paragraph is about first and says why, with spans in the text and in the paper', () => {
    const [first] = index.related(paragraph, { limit: 5 });
    expect(first.paper.key).toBe('rayleighquotientgraph');
    expect(first.reason).toBe('Shares graph signal, anomalous, energy, normal');
    const anomalous = first.shared.find((term) => term.paperText === 'anomalous')!;
    expect(anomalous.querySpans.map(([start, end]) => paragraph.slice(start, end))).toEqual(['anomalous']);
    const inPaper = anomalous.paperSpans.map(({ field, start, end }) => (field === 'title' ? first.paper.title : first.paper.abstract!).slice(start, end));
    expect(new Set(inPaper)).toEqual(new Set(['anomalous']));
    expect(first.shared.reduce((sum, term) => sum + term.weight, 0)).toBeCloseTo(1, 5);
  });

  it('finds papers from a writer\'s words for them, not the abstract\'s', () => {
    expect(keys(index.related('a hypernetwork that writes small adapter layers from the written description of a task', { limit: 1 }))).toEqual([
      'learninggeneratetask',
    ]);
    expect(keys(index.related('8-bit floating point numbers with 4 exponent bits for training', { limit: 1 }))).toEqual(['fp8formatsdeep']);
  });

  it('gives nothing for a text without topic words, and leaves out excluded papers', () => {
    expect(index.related('it is of the and to', { limit: 5 })).toEqual([]);
    const position = positionOf('rayleighquotientgraph')!;
    expect(keys(index.related(paragraph, { limit: 5, exclude: (other) => other === position }))).not.toContain('rayleighquotientgraph');
  });

  it('finds similar papers from a paper\'s own title and abstract, itself excluded', () => {
    const similar = keys(index.similar(positionOf('whitepaperneural')!, { limit: 5 }));
    expect(similar).not.toContain('whitepaperneural');
    expect(similar.slice(0, 2).sort()).toEqual(['lowbitmodel', 'splitquantlayersplitting']);
  });
});

describe('how a citation fits its sentence', () => {
  const sentence = 'Message passing models can recover hidden node coordinates from the links alone.';

  it('fits the right paper, with the ideas it shares', () => {
    const fit = citationFit(index, sentence, positionOf('graphneuralnetworksa')!);
    expect(fit).toMatchObject({ key: 'graphneuralnetworksa', fit: 1, rank: 1, betterMatch: undefined });
    expect(fit.reason).toBe('Shares recover the hidden, node, alone');
  });

  it('names the paper the sentence is about when the cited one shares nothing with it', () => {
    const fit = citationFit(index, sentence, positionOf('fp8formatsdeep')!);
    expect(fit).toMatchObject({ key: 'fp8formatsdeep', fit: 0, rank: 0, reason: '' });
    expect(fit.betterMatch?.paper.key).toBe('graphneuralnetworksa');
  });

  it('reads the citation under the cursor and its sentence from a document', () => {
    const tex = 'Intro text.\n\nMessage passing models recover hidden node coordinates from the links alone \\cite{fp8formatsdeep}. Next.';
    const fit = citationFitAt(index, tex, tex.indexOf('fp8formats') + 3, 'latex', positionOf);
    expect(fit?.betterMatch?.paper.key).toBe('graphneuralnetworksa');
    expect(citationFitAt(index, tex, tex.indexOf('Next'), 'latex', positionOf)).toBeUndefined();
    expect(citationFitAt(index, tex.replace('fp8formatsdeep', 'nosuchkey'), tex.indexOf('fp8formats') + 3, 'latex', positionOf)).toBeUndefined();
  });
});

describe('the document-level calls', () => {
  const tex = [
    '\\section{Background}',
    'Detecting abnormal graphs as a whole matters for screening molecules \\cite{rayleighquotientgraph}. The energy a graph',
    'signal accumulates over the spectrum separates anomalous graphs from normal ones.',
    '',
    'Too short.',
    '',
    'Eight-bit floating point formats with four exponent bits match sixteen-bit training',
  ].join('\n');

  it('ranks the paragraph at the cursor, marking the keys it already cites and keeping them in the list', () => {
    const result = papersForParagraph(index, tex, tex.indexOf('spectrum'), 'latex', { limit: 3 })!;
    expect(tex.slice(result.paragraph.start, result.paragraph.end)).toMatch(/^Detecting abnormal .* normal ones\.$/s);
    expect(result.citedKeys).toEqual(['rayleighquotientgraph']);
    expect(result.tooShort).toBe(false);
    expect(keys(result.hits)[0]).toBe('rayleighquotientgraph');
  });

  it('says a paragraph is too short instead of ranking noise', () => {
    expect(papersForParagraph(index, tex, tex.indexOf('short'), 'latex')).toMatchObject({ tooShort: true, hits: [] });
    expect(papersForParagraph(index, tex, tex.indexOf('Background'), 'latex')).toBeUndefined();
  });

  it('ranks the sentence at the cursor and says where its citation goes: at its end, or into the citation there', () => {
    const open = papersForSentence(index, tex, tex.indexOf('exponent'), 'latex', { limit: 1 })!;
    expect(keys(open.hits)).toEqual(['fp8formatsdeep']);
    expect(open.citeOffset).toBe(tex.length);
    expect(citationInsertion(tex, open.citeOffset, 'latex', 'fp8formatsdeep').text).toBe('\\cite{fp8formatsdeep}');

    const cited = papersForSentence(index, tex, tex.indexOf('screening'), 'latex')!;
    expect(tex[cited.citeOffset]).toBe('}');
    const insertion = citationInsertion(tex, cited.citeOffset, 'latex', 'other2020');
    expect(tex.slice(0, insertion.start) + insertion.text + tex.slice(insertion.end)).toContain('\\cite{rayleighquotientgraph, other2020}.');
  });

  it('puts a Markdown citation before the closing period', () => {
    const md = 'Eight-bit floating point formats with four exponent bits match sixteen-bit training.';
    const result = papersForSentence(index, md, 10, 'markdown')!;
    expect(result.citeOffset).toBe(md.length - 1);
  });
});

describe('the model', () => {
  it('round-trips through JSON and ranks the same', () => {
    const saved = JSON.parse(JSON.stringify(index.model.toJSON()));
    const loaded = RelatedModel.fromJSON(saved, papers)!;
    expect(loaded).toBeDefined();
    const text = 'spotting unusual nodes in graphs with spectral filters';
    expect(new RelatedIndex(papers, loaded).related(text, { limit: 10 })).toEqual(index.related(text, { limit: 10 }));
  });

  it('refuses a model saved for other papers or by another version', () => {
    const saved = index.model.toJSON();
    expect(RelatedModel.fromJSON(saved, papers.slice(1))).toBeUndefined();
    expect(RelatedModel.fromJSON(saved, [...papers.slice(1), papers[0]])).toBeUndefined();
    expect(RelatedModel.fromJSON({ ...saved, version: saved.version + 1 }, papers)).toBeUndefined();
    expect(() => new RelatedIndex(papers.slice(1), index.model)).toThrow(/198 papers, the library 197/);
  });

  it('counts every paper and term it was built from', () => {
    const model = index.model;
    expect(model.paperCount).toBe(198);
    const graph = model.termId('graph')!;
    const withGraph = papers.filter((paper) => /\bgraphs?\b/i.test(`${paper.title} ${paper.abstract ?? ''}`)).length;
    expect(model.documentFrequency(graph)).toBe(withGraph);
  });
});
