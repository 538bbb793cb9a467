// The prose of LaTeX and Markdown documents as the ranking reads it: what is blanked, where paragraphs and
// sentences are, which citations a sentence holds.
import { describe, expect, it } from 'vitest';
import { paragraphAt, paragraphs, proseText, readProse, sentenceAt } from '../../../src/core/related/prose';

/** The words left in a text once markup is blanked. */
const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);

describe('prose of LaTeX', () => {
  const tex = [
    '\\section{Related work}',
    '% graphs are great, says a comment',
    'Spotting unusual graphs, not nodes, was done with spectral tools \\citep[see][p.~3]{kipf2017,sato2024}. The energy',
    '$x^\\top L x$ of a signal separates abnormal molecules (Fig.~\\ref{fig:one}; see \\url{https://x.org/a%20b}).',
    '\\begin{equation}',
    '  E = \\sum_i \\lambda_i',
    '\\end{equation}',
    'We found \\emph{twelve} outliers, i.e. 12\\% of them. Dr. Smith agrees.',
    '',
    'A second paragraph.',
  ].join('\n');

  it('blanks commands, citations, math, URLs, labels and comments, keeping the words of formatting commands and every offset', () => {
    const masked = proseText(tex, 'latex');
    expect(masked.length).toBe(tex.length);
    expect(words(masked)).toEqual([
      '{Related', 'work}',
      'Spotting', 'unusual', 'graphs,', 'not', 'nodes,', 'was', 'done', 'with', 'spectral', 'tools', '.', 'The', 'energy',
      'of', 'a', 'signal', 'separates', 'abnormal', 'molecules', '(Fig.~', ';', 'see', ').',
      'We', 'found', '{twelve}', 'outliers,', 'i.e.', '12', 'of', 'them.', 'Dr.', 'Smith', 'agrees.',
      'A', 'second', 'paragraph.',
    ]);
    expect(masked.indexOf('Spotting')).toBe(tex.indexOf('Spotting'));
  });

  it('knows where its citations are and which keys they name', () => {
    const prose = readProse(tex, 'latex');
    expect(prose.citations.map(([start, end]) => tex.slice(start, end))).toEqual(['\\citep[see][p.~3]{kipf2017,sato2024}']);
    expect(prose.keys.map((key) => key.key)).toEqual(['kipf2017', 'sato2024']);
  });

  it('splits paragraphs at blank lines, sectioning and environment lines', () => {
    expect(paragraphs(tex, 'latex').map((paragraph) => words(paragraph.text)[0])).toEqual(['Spotting', 'We', 'A']);
    const second = paragraphAt(tex, tex.indexOf('outliers'), 'latex')!;
    expect(tex.slice(second.start, second.end)).toBe('We found \\emph{twelve} outliers, i.e. 12\\% of them. Dr. Smith agrees.');
    expect(paragraphAt(tex, tex.indexOf('\\sum'), 'latex')).toBeUndefined();
  });

  it('finds the sentence around an offset, abbreviations and citations inside it', () => {
    const first = sentenceAt(tex, tex.indexOf('spectral'), 'latex')!;
    expect(tex.slice(first.start, first.end)).toBe(
      'Spotting unusual graphs, not nodes, was done with spectral tools \\citep[see][p.~3]{kipf2017,sato2024}.',
    );
    expect(first.citedKeys).toEqual(['kipf2017', 'sato2024']);
    expect(first.hasCitation).toBe(true);
    const second = sentenceAt(tex, tex.indexOf('abnormal'), 'latex')!;
    expect(tex.slice(second.start, second.end)).toMatch(/^The energy\n\$x\^\\top L x\$ of a signal .*a%20b\}\)\.$/);
    expect(second.hasCitation).toBe(false);
    const third = sentenceAt(tex, tex.indexOf('outliers'), 'latex')!;
    expect(tex.slice(third.start, third.end)).toBe('We found \\emph{twelve} outliers, i.e. 12\\% of them.');
    expect(tex.slice(sentenceAt(tex, tex.indexOf('Smith'), 'latex')!.start, sentenceAt(tex, tex.indexOf('Smith'), 'latex')!.end)).toBe('Dr. Smith agrees.');
  });
});

describe('prose of Markdown', () => {
  const md = [
    '---',
    'title: Anomalies everywhere',
    'bibliography: refs.bib',
    '---',
    '',
    '# Introduction {#sec:intro}',
    '',
    'Message passing on graphs recovers hidden coordinates [@sato2024; see @kipf2017, p. 3]. Mail me@example.org or',
    'read [the code](https://github.com/x/y) and `graph.py`; <span>inline</span> math $O(n^2)$ too, as @hamilton2017',
    'says.',
    '',
    '```python',
    'import anomalies',
    '```',
    '',
    '- A list item about ranking [@?].',
  ].join('\n');

  it('blanks front matter, headings attributes, citations, e-mail, link targets, code, HTML and math', () => {
    expect(words(proseText(md, 'markdown'))).toEqual([
      '#', 'Introduction',
      'Message', 'passing', 'on', 'graphs', 'recovers', 'hidden', 'coordinates', '.', 'Mail', 'or',
      'read', '[the', 'code', 'and', ';', 'inline', 'math', 'too,', 'as',
      'says.',
      '-', 'A', 'list', 'item', 'about', 'ranking', '.',
    ]);
  });

  it('reads bracketed and bare citations, and the marker of a citation yet to choose', () => {
    const prose = readProse(md, 'markdown');
    expect(prose.citations.map(([start, end]) => md.slice(start, end))).toEqual(['[@sato2024; see @kipf2017, p. 3]', '@hamilton2017', '[@?]']);
    expect(prose.keys.map((key) => key.key)).toEqual(['sato2024', 'kipf2017', 'hamilton2017']);
    const item = sentenceAt(md, md.indexOf('ranking'), 'markdown')!;
    expect(item.hasCitation).toBe(true);
    expect(item.citedKeys).toEqual([]);
  });

  it('keeps headings and list items out of the paragraph before them', () => {
    expect(paragraphs(md, 'markdown').map((paragraph) => words(paragraph.text).slice(0, 2).join(' '))).toEqual([
      'Message passing',
      '- A',
    ]);
  });
});

describe('paragraphs of lists', () => {
  it('reads each LaTeX \\item as a paragraph of its own, its words kept', () => {
    const tex = 'Intro sentence here.\n\\begin{itemize}\n\\item First point about graphs.\n\\item Second point\n  about nodes.\n\\end{itemize}\nAfter.';
    expect(paragraphs(tex, 'latex').map((paragraph) => tex.slice(paragraph.start, paragraph.end))).toEqual([
      'Intro sentence here.',
      'First point about graphs.',
      'Second point\n  about nodes.',
      'After.',
    ]);
  });
});

describe('paragraphs with comment lines', () => {
  it('keeps a LaTeX paragraph whole across a comment line, as LaTeX does', () => {
    const tex = 'First half of the paragraph\n% TODO: cite the survey here\nsecond half of it.\n\nNext paragraph.';
    expect(paragraphs(tex, 'latex').map((paragraph) => proseText(tex, 'latex').slice(paragraph.start, paragraph.end).replace(/\s+/g, ' '))).toEqual([
      'First half of the paragraph second half of it.',
      'Next paragraph.',
    ]);
  });
});
