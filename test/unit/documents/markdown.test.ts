import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { citationInsertion, citeContext, findCitations, keyAt } from '../../../src/core/documents/citations';
import { paragraphStartBefore } from '../../../src/core/documents/markdown';
import { withCursor } from './cursor';

function contextAt(marked: string) {
  const { text, offset } = withCursor(marked);
  return citeContext(text, offset, 'markdown');
}

function summary(marked: string) {
  const context = contextAt(marked);
  return context && { partial: context.partial, keysBefore: context.keysBefore };
}

describe('Markdown: where completion opens', () => {
  it.each([
    ['[@‸', ''],
    ['[@‸]', ''],
    ['[see @‸, p. 3]', ''],
    ['[-@‸]', ''],
    ['As @‸ shows', ''],
    ['@‸', ''],
    ['[@vasw‸]', 'vasw'],
    ['(see [@doe:2020.a‸])', 'doe:2020.a'],
  ])('opens in %s with partial %j', (marked, partial) => {
    expect(summary(marked)).toEqual({ partial, keysBefore: [] });
  });

  it('gives the keys before the cursor in a bracketed citation', () => {
    expect(summary('[@a; @‸')).toEqual({ partial: '', keysBefore: ['a'] });
    expect(summary('[see @a, p. 3; also @b; @c‸]')).toEqual({ partial: 'c', keysBefore: ['a', 'b'] });
  });

  it('replaces the whole key the cursor is in, not the punctuation after it', () => {
    const { text, offset } = withCursor('As @smi‸th2020. Next');
    const context = citeContext(text, offset, 'markdown')!;
    expect(text.slice(context.replaceStart, context.replaceEnd)).toBe('smith2020');
  });

  it('does not open in e-mail addresses, escaped @, or links', () => {
    expect(summary('write to me@‸')).toBeUndefined();
    expect(summary('write to me@exam‸ple.org')).toBeUndefined();
    expect(summary('an escaped \\@‸')).toBeUndefined();
    expect(summary('https://medium.com/@‸')).toBeUndefined();
  });

  it('does not open in inline code, fenced code or front matter', () => {
    expect(summary('Run `npm i @‸` now')).toBeUndefined();
    expect(summary('Run ``a ` @‸`` now')).toBeUndefined();
    expect(summary('```\n[@‸]\n```\n')).toBeUndefined();
    expect(summary('~~~~ python\n@‸\n~~~~\n')).toBeUndefined();
    expect(summary('---\ntitle: "@‸"\n---\n')).toBeUndefined();
    expect(summary('<!-- [@‸] -->')).toBeUndefined();
  });

  it('opens again after code ends', () => {
    expect(summary('```\ncode\n```\n[@‸]')).toEqual({ partial: '', keysBefore: [] });
    expect(summary('---\ntitle: x\n---\nText [@‸]')).toEqual({ partial: '', keysBefore: [] });
    expect(summary('An `unclosed backtick\n\nthen [@‸]')).toEqual({ partial: '', keysBefore: [] });
    // A --- followed by a blank line is a thematic break, not front matter.
    expect(summary('---\n\nText [@‸]\n\n---\n')).toEqual({ partial: '', keysBefore: [] });
  });

  it('knows code fences and front matter far above the cursor', () => {
    const filler = 'A paragraph with `code @x` in it.\n\n'.repeat(200);
    expect(summary(`\`\`\`\n${filler}[@‸]\n\`\`\`\n`)).toBeUndefined();
    expect(summary(`---\ntitle: x\n---\n${filler}[@‸]`)).toEqual({ partial: '', keysBefore: [] });
    expect(summary(`${filler}Run \`npm @‸\``)).toBeUndefined();
  });

  it('scans inline code from the paragraph near the cursor in CRLF documents too, not from the top', () => {
    expect(paragraphStartBefore('one\r\n\r\ntwo\r\nthree', 14)).toBe(7);
    expect(paragraphStartBefore('one\n  \ntwo', 9)).toBe(7);
    expect(paragraphStartBefore('one\ntwo', 6)).toBe(0);
    const filler = 'A paragraph with `code @x` in it.\r\n\r\n'.repeat(200);
    expect(summary(`${filler}Run \`npm @‸\``)).toBeUndefined();
    expect(summary(`${filler}Run \`npm\` [@‸]`)).toEqual({ partial: '', keysBefore: [] });
  });

  it('puts a separator after the key when a key follows the cursor', () => {
    expect(contextAt('[@‸b]')?.separatorAfter).toBe('; @');
    expect(contextAt('[@‸]')?.separatorAfter).toBe('');
    expect(contextAt('[@‸more text')?.separatorAfter).toBe(' ');
  });
});

describe('Markdown: a query of several words inside [@…', () => {
  /** What completion sees: the query, the text a chosen key replaces, the keys before, the separator. */
  function query(marked: string) {
    const { text, offset } = withCursor(marked);
    const context = citeContext(text, offset, 'markdown');
    return (
      context && {
        partial: context.partial,
        replaced: text.slice(context.replaceStart, context.replaceEnd),
        keysBefore: context.keysBefore,
        separatorAfter: context.separatorAfter,
      }
    );
  }

  /** The line after accepting `key` for the context at the cursor, as the completion item's range does. */
  function accepted(marked: string, key: string) {
    const { text, offset } = withCursor(marked);
    const context = citeContext(text, offset, 'markdown')!;
    return text.slice(0, context.replaceStart) + key + context.separatorAfter + text.slice(context.replaceEnd);
  }

  it.each([
    ['[@esperanto scopus‸', 'esperanto scopus'],
    ['[@esperanto scopus‸]', 'esperanto scopus'],
    ['[@kohonen self organizing‸] postures', 'kohonen self organizing'],
    ['As shown [see @graph anomaly detection‸]', 'graph anomaly detection'],
    ['[-@hypter zest‸]', 'hypter zest'],
    ['[@esperanto ‸]', 'esperanto '],
  ])('reads %s as the query %j', (marked, partial) => {
    expect(query(marked)).toEqual({ partial, replaced: partial, keysBefore: [], separatorAfter: '' });
  });

  it('takes the words after `; @` with the keys before it', () => {
    expect(query('[@watts1998collective; @kohonen self organizing postures‸]')).toEqual({
      partial: 'kohonen self organizing postures',
      replaced: 'kohonen self organizing postures',
      keysBefore: ['watts1998collective'],
      separatorAfter: '',
    });
    expect(query('[see @a, p. 3; also @b; @scale free‸ networks]')).toEqual({
      partial: 'scale free',
      replaced: 'scale free',
      keysBefore: ['a', 'b'],
      separatorAfter: '',
    });
  });

  it('replaces the whole word the cursor is in', () => {
    expect(query('[@self organ‸izing]')?.replaced).toBe('self organizing');
  });

  it('replaces the words with the key and keeps what follows the bracket', () => {
    expect(accepted('See [@esperanto scopus‸] for more.', 'lee2019esperanto')).toBe('See [@lee2019esperanto] for more.');
    expect(accepted('[@a; @kohonen self organizing‸] and text', 'kohonen1990som')).toBe('[@a; @kohonen1990som] and text');
    expect(accepted('Typed before the text [@graph anomaly‸ and the sentence goes on', 'ma2021comprehensive')).toBe(
      'Typed before the text [@ma2021comprehensive and the sentence goes on',
    );
  });

  it('does not query a finished citation, a locator, a suffix after a comma, or a bare @ outside brackets', () => {
    expect(query('[@watts1998collective] shows small worlds‸')).toBeUndefined();
    expect(query('[@watts1998collective] and [‸')).toBeUndefined();
    expect(query('[@doe99 p. 33‸]')).toBeUndefined();
    expect(query('[@doe99 chapter 3‸]')).toBeUndefined();
    expect(query('[@doe99, and passim‸]')).toBeUndefined();
    expect(query('As @kohonen self organizing‸')).toBeUndefined();
    expect(query('[Mail me@example.org soon‸]')).toBeUndefined();
    expect(query('[@ ‸]')).toBeUndefined();
    expect(query('[@graph\nanomaly‸]')).toBeUndefined();
  });

  it('still reads one word as a key, as before', () => {
    expect(query('[@kohonen‸]')).toEqual({ partial: 'kohonen', replaced: 'kohonen', keysBefore: [], separatorAfter: '' });
  });

  it('puts the chosen key in place of the words when citing from outside completion', () => {
    const { text, offset } = withCursor('See [@esperanto scopus‸] now');
    const insertion = citationInsertion(text, offset, 'markdown', 'lee2019esperanto');
    expect(text.slice(0, insertion.start) + insertion.text + text.slice(insertion.end)).toBe('See [@lee2019esperanto] now');
  });
});

describe('Markdown: keys with URL punctuation (Manubot)', () => {
  it('reads @url: keys whole, as Pandoc does: `:` and `/` go on when a `/` follows', () => {
    expect(findCitations('Servers [@url:https://www.cameo3d.org] compared.', 'markdown').map((c) => c.key)).toEqual(['url:https://www.cameo3d.org']);
    expect(findCitations('[@doi:10.1093/nar/gky427; @url:https://github.com/manubot/rootstock].', 'markdown').map((c) => c.key)).toEqual([
      'doi:10.1093/nar/gky427',
      'url:https://github.com/manubot/rootstock',
    ]);
  });

  it('finds the Manubot fixture’s keys', () => {
    const text = readFileSync(path.join(__dirname, '../../fixtures/projects/manubot/content/02.introduction.md'), 'utf8');
    expect(findCitations(text, 'markdown').map((c) => c.key)).toEqual([
      'doi:10.1093/nar/gky427',
      'pmid:29718379',
      'arxiv:1407.3561v1',
      'url:https://github.com/manubot/rootstock',
    ]);
  });

  it('keeps trailing punctuation out and replaces a URL key whole under the cursor', () => {
    expect(findCitations('See @url:https://example.org/a/.', 'markdown').map((c) => c.key)).toEqual(['url:https://example.org/a']);
    const { text, offset } = withCursor('[@url:ht‸tps://www.cameo3d.org]');
    const context = citeContext(text, offset, 'markdown')!;
    expect(text.slice(context.replaceStart, context.replaceEnd)).toBe('url:https://www.cameo3d.org');
  });
});

describe('Markdown: cited keys', () => {
  const document = [
    '---',
    'bibliography: refs.bib',
    'note: "@front"',
    '---',
    'Text [see @alpha, p. 3; @beta] and @gamma said; mail me@example.org.',
    '`@code` and [-@delta] and @{odd key}.',
    '```',
    '@fenced',
    '```',
    'Last: @epsilon.',
  ].join('\n');

  it('finds every key with its range, in order, outside code and front matter', () => {
    const cited = findCitations(document, 'markdown');
    expect(cited.map((c) => c.key)).toEqual(['alpha', 'beta', 'gamma', 'delta', 'epsilon']);
    for (const c of cited) expect(document.slice(c.start, c.end)).toBe(c.key);
  });

  it('reads the curly form @{key}', () => {
    expect(findCitations('See @{10.1000/x.y}.', 'markdown').map((c) => c.key)).toEqual(['10.1000/x.y']);
  });

  it('finds the key under the cursor, the @ included', () => {
    const inside = withCursor('Text [see @al‸pha, p. 3]');
    expect(keyAt(inside.text, inside.offset, 'markdown')).toEqual({ key: 'alpha', start: 11, end: 16 });
    const onAt = withCursor('Text [see ‸@alpha]');
    expect(keyAt(onAt.text, onAt.offset, 'markdown')?.key).toBe('alpha');
    const outside = withCursor('Text [‸see @alpha]');
    expect(keyAt(outside.text, outside.offset, 'markdown')).toBeUndefined();
  });
});

describe('Markdown: a citation inserted from outside completion', () => {
  function inserted(marked: string, key = 'new2024') {
    const { text, offset } = withCursor(marked);
    const insertion = citationInsertion(text, offset, 'markdown', key);
    return text.slice(0, insertion.start) + insertion.text + text.slice(insertion.end);
  }

  it('makes a new [@key] in running text, apart from the word before', () => {
    expect(inserted('As shown‸.')).toBe('As shown [@new2024].');
    expect(inserted('As shown ‸')).toBe('As shown [@new2024]');
  });

  it('joins the bracketed citation the cursor is in', () => {
    expect(inserted('[@a‸]')).toBe('[@a; @new2024]');
    expect(inserted('[@a; @‸]')).toBe('[@a; @new2024]');
    expect(inserted('[see @a, p.‸ 3]')).toBe('[see @a, p. 3; @new2024]');
    expect(inserted('[@a; ‸]')).toBe('[@a; @new2024]');
    expect(inserted('[@a;‸]')).toBe('[@a; @new2024]');
  });

  it('completes a bare @ and adds a citation after an in-text one', () => {
    expect(inserted('As @‸ shows')).toBe('As @new2024 shows');
    expect(inserted('As @a‸ shows')).toBe('As @a [@new2024] shows');
  });
});
