import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { citationInsertion, citeContext, findCitations, keyAt } from '../../../src/core/documents/citations';
import { withCursor } from './cursor';

function contextAt(marked: string) {
  const { text, offset } = withCursor(marked);
  return citeContext(text, offset, 'latex');
}

/** The context's partial, keys before and command, or undefined when completion does not open. */
function summary(marked: string) {
  const context = contextAt(marked);
  return context && { partial: context.partial, keysBefore: context.keysBefore, command: context.command };
}

describe('LaTeX: where completion opens', () => {
  it.each([
    ['\\cite{‸}', '\\cite'],
    ['\\citep{‸', '\\citep'],
    ['\\citet{‸}', '\\citet'],
    ['\\citeauthor{‸}', '\\citeauthor'],
    ['\\citeyear{‸}', '\\citeyear'],
    ['\\nocite{‸}', '\\nocite'],
    ['\\cite*{‸}', '\\cite*'],
    ['\\citep*{‸}', '\\citep*'],
    ['\\citealp{‸}', '\\citealp'],
    ['\\citealt{‸}', '\\citealt'],
    ['\\Citet{‸}', '\\Citet'],
    ['\\Citep{‸}', '\\Citep'],
    ['\\parencite{‸}', '\\parencite'],
    ['\\Parencite{‸}', '\\Parencite'],
    ['\\textcite{‸}', '\\textcite'],
    ['\\Textcite{‸}', '\\Textcite'],
    ['\\autocite{‸}', '\\autocite'],
    ['\\Autocite{‸}', '\\Autocite'],
    ['\\footcite{‸}', '\\footcite'],
    ['\\smartcite{‸}', '\\smartcite'],
    ['\\fullcite{‸}', '\\fullcite'],
    ['\\supercite{‸}', '\\supercite'],
  ])('opens in %s', (marked, command) => {
    expect(summary(`Text ${marked} more.`)).toEqual({ partial: '', keysBefore: [], command });
  });

  it('takes the partial word already typed, and the rest of the key as the replace range', () => {
    const { text, offset } = withCursor('See \\cite{vasw‸ani2017} now.');
    const context = citeContext(text, offset, 'latex')!;
    expect(context.partial).toBe('vasw');
    expect(text.slice(context.replaceStart, context.replaceEnd)).toBe('vaswani2017');
  });

  it('opens after a comma in a key list, with the keys before it', () => {
    expect(summary('\\cite{a, b, ‸}')).toEqual({ partial: '', keysBefore: ['a', 'b'], command: '\\cite' });
    expect(summary('\\cite{a,b,gra‸}')).toEqual({ partial: 'gra', keysBefore: ['a', 'b'], command: '\\cite' });
  });

  it('takes several words typed as one query', () => {
    expect(summary('\\cite{a, anomaly detection gra‸}')?.partial).toBe('anomaly detection gra');
  });

  it('keeps a query on the cursor line when the key list spans lines', () => {
    expect(summary('\\cite{first\n  second‸}')?.partial).toBe('second');
  });

  it('passes optional arguments, pre- and postnotes', () => {
    expect(summary('\\cite[see][p.~3]{‸}')?.command).toBe('\\cite');
    expect(summary('\\parencite[{[}weird]{x‸}')?.partial).toBe('x');
    expect(summary('\\parencite[{]}weird]{x‸}')?.partial).toBe('x');
    expect(summary('\\textcite[p.~{12}]{smi‸}')?.partial).toBe('smi');
  });

  it('opens in every key list of a multicite', () => {
    expect(summary('\\cites(pre)(post)[p]{a}[q]{‸}')).toEqual({ partial: '', keysBefore: ['a'], command: '\\cites' });
    expect(summary('\\parencites{a, b}{c}{d‸}')).toEqual({ partial: 'd', keysBefore: ['a', 'b', 'c'], command: '\\parencites' });
  });

  it('does not open in optional arguments or after the command', () => {
    expect(summary('\\cite[se‸]{a}')).toBeUndefined();
    expect(summary('\\cite{a} and ‸')).toBeUndefined();
    expect(summary('\\cite{a}{‸}')).toBeUndefined();
    expect(summary('\\section{‸}')).toBeUndefined();
    expect(summary('\\cite‸')).toBeUndefined();
  });

  it('does not open in comments, but does after an escaped percent sign', () => {
    expect(summary('% \\cite{‸}')).toBeUndefined();
    expect(summary('Text % see \\cite{‸')).toBeUndefined();
    expect(summary('50\\% of \\cite{‸}')?.command).toBe('\\cite');
    expect(summary('line break\\\\% \\cite{‸}')).toBeUndefined();
    expect(summary('\\url{https://x.org/a%20b} and \\href{https://x.org/%7e}{home} \\cite{‸}')?.command).toBe('\\cite');
    expect(summary('\\url{x} % \\cite{‸}')).toBeUndefined();
  });

  it('does not open in verbatim, listings or minted code', () => {
    expect(summary('\\begin{verbatim}\n\\cite{‸}\n\\end{verbatim}')).toBeUndefined();
    expect(summary('\\begin{lstlisting}\n\\cite{‸}\n\\end{lstlisting}')).toBeUndefined();
    expect(summary('\\begin{minted}{latex}\n\\cite{‸}\n\\end{minted}')).toBeUndefined();
    expect(summary('\\verb|\\cite{‸}|')).toBeUndefined();
    expect(summary('\\begin{verbatim}x\\end{verbatim} \\cite{‸}')?.command).toBe('\\cite');
  });

  it('knows a verbatim environment opened far above the cursor', () => {
    const filler = 'filler line\n'.repeat(400);
    expect(summary(`\\begin{verbatim}\n${filler}\\cite{‸}\n\\end{verbatim}`)).toBeUndefined();
    expect(summary(`% \\begin{verbatim}\n${filler}\\cite{‸}`)?.command).toBe('\\cite');
    expect(summary(`\\begin{verbatim}\n\\end{verbatim}\n${filler}\\cite{‸}`)?.command).toBe('\\cite');
    expect(summary(`\\begin{lstlisting}\n\\begin{verbatim}\n\\end{lstlisting}\n${filler}\\cite{‸}`)?.command).toBe('\\cite');
  });

  it('opens and finds keys in a key list longer than the usual look-back', () => {
    const keys = Array.from({ length: 150 }, (_, i) => `author${i}2020title`);
    const marked = `Text.\n\\nocite{\n  ${keys.join(',\n  ')},\n  new‸\n}`;
    expect(summary(marked)).toEqual({ partial: 'new', keysBefore: keys, command: '\\nocite' });
    const { text, offset } = withCursor(marked);
    expect(keyAt(text, text.indexOf('author149'), 'latex')?.key).toBe('author1492020title');
    expect(summary(`\\cite{a} ${'word '.repeat(1000)}‸`)).toBeUndefined();
    expect(offset).toBeGreaterThan(3000);
  });

  it('does not take a cite command definition for a citation', () => {
    expect(summary('\\DeclareCiteCommand{‸}')).toBeUndefined();
  });

  it('puts a separator after the key when a key follows the cursor', () => {
    expect(contextAt('\\cite{‸b}')?.separatorAfter).toBe(', ');
    expect(contextAt('\\cite{a,‸b}')?.separatorAfter).toBe(',');
    expect(contextAt('\\cite{a, ‸}')?.separatorAfter).toBe('');
    expect(contextAt('\\cite{‸ and more text.')?.separatorAfter).toBe('');
    expect(contextAt('\\cite{a, ‸\nMore text.')?.separatorAfter).toBe('');
  });
});

describe('LaTeX: cited keys', () => {
  const document = [
    '\\cite{alpha} and \\citep[p.~3]{beta, gamma}.',
    '% \\cite{commented}',
    '\\begin{verbatim}\\cite{verbatim}\\end{verbatim}',
    '\\cites[a]{delta}[b]{epsilon} \\cite{unclosed',
  ].join('\n');

  it('finds every key with its range, in order, outside comments and verbatim', () => {
    const cited = findCitations(document, 'latex');
    expect(cited.map((c) => c.key)).toEqual(['alpha', 'beta', 'gamma', 'delta', 'epsilon']);
    for (const c of cited) expect(document.slice(c.start, c.end)).toBe(c.key);
  });

  it('takes \\nocite{*} for no key', () => {
    expect(findCitations('\\nocite{*}\\cite{a}', 'latex').map((c) => c.key)).toEqual(['a']);
  });

  it('finds the key under the cursor', () => {
    const { text, offset } = withCursor('\\citep[p.~3]{beta, gam‸ma}');
    expect(keyAt(text, offset, 'latex')).toEqual({ key: 'gamma', start: 19, end: 24 });
    const before = withCursor('\\citep[p.~3]{‸beta, gamma}');
    expect(keyAt(before.text, before.offset, 'latex')?.key).toBe('beta');
    const outside = withCursor('\\citep[p.‸~3]{beta}');
    expect(keyAt(outside.text, outside.offset, 'latex')).toBeUndefined();
  });
});

describe('LaTeX: text LaTeX never typesets, and macro parameters', () => {
  const keys = (text: string) => findCitations(text, 'latex').map((c) => c.key);

  it('does not count cites inside \\iffalse … \\fi, nested conditionals included', () => {
    expect(keys('\\cite{a}\n\\iffalse\nold \\cite{b}\n\\ifx\\x\\y \\cite{c}\\fi\n\\cite{d}\n\\fi\n\\cite{e}')).toEqual(['a', 'e']);
  });

  it('counts the \\else branch of \\iffalse, and a \\fi in a comment does not end it', () => {
    expect(keys('\\iffalse \\cite{hidden} \\else \\cite{shown} \\fi')).toEqual(['shown']);
    expect(keys('\\iffalse\n% \\fi\n\\cite{hidden}\n\\fi \\cite{after}')).toEqual(['after']);
    expect(keys('\\iffalse \\cite{to the end}')).toEqual([]);
  });

  it('does not open completion inside \\iffalse', () => {
    expect(summary('\\iffalse \\cite{‸} \\fi')).toBeUndefined();
    expect(summary('\\iffalse x \\fi \\cite{‸}')).toEqual({ partial: '', keysBefore: [], command: '\\cite' });
  });

  it('takes no macro parameter for a key', () => {
    expect(keys('\\newcommand{\\mycite}[1]{\\cite{#1}}\n\\renewcommand*{\\backrefcitedsinglestring}[1]{\\backrefcitedsinglestring{#2}}\n\\mycite{real}\\cite{x, ##1, y}')).toEqual([
      'real',
      'x',
      'y',
    ]);
  });

  it('finds the fixture thesis chapter’s keys, its \\iffalse draft left out', () => {
    const text = readFileSync(path.join(__dirname, '../../fixtures/projects/thesis/chapters/methods.tex'), 'utf8');
    expect(keys(text)).toEqual(['watts1998collective']);
  });
});

describe('LaTeX: a citation inserted from outside completion', () => {
  function inserted(marked: string, key = 'new2024') {
    const { text, offset } = withCursor(marked);
    const insertion = citationInsertion(text, offset, 'latex', key);
    return text.slice(0, insertion.start) + insertion.text + text.slice(insertion.end);
  }

  it('makes a new \\cite when the cursor is in running text', () => {
    expect(inserted('As shown ‸.')).toBe('As shown \\cite{new2024}.');
  });

  it('joins the key list the cursor is in, with its separator', () => {
    expect(inserted('\\cite{‸}')).toBe('\\cite{new2024}');
    expect(inserted('\\cite{a, ‸}')).toBe('\\cite{a, new2024}');
    expect(inserted('\\cite{a‸}')).toBe('\\cite{a, new2024}');
    expect(inserted('\\cite{a,b‸}')).toBe('\\cite{a,b,new2024}');
    expect(inserted('\\cite{‸a}')).toBe('\\cite{new2024, a}');
  });

  it('puts the key in place of query words typed in the key list, as completion does', () => {
    expect(inserted('\\cite{graph anomaly‸}')).toBe('\\cite{new2024}');
    expect(inserted('\\cite{a, hypter ze‸st} more')).toBe('\\cite{a, new2024} more');
  });

  it('joins the key list of a command whose optional argument holds the cursor', () => {
    expect(inserted('\\cite[se‸e]{a}')).toBe('\\cite[see]{a, new2024}');
    expect(inserted('\\cite[se‸e]{a, }')).toBe('\\cite[see]{a, new2024}');
    expect(inserted('\\cite[se‸e]{a,b,}')).toBe('\\cite[see]{a,b,new2024}');
    expect(inserted('\\cite[se‸e]{a,}')).toBe('\\cite[see]{a, new2024}');
  });
});
