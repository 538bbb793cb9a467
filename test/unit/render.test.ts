import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/paper';
import {
  commandLink,
  completionDocumentation,
  escapeMarkdown,
  hoverMarkdown,
  HOVER_ABSTRACT_LENGTH,
  SHOW_ABSTRACT_COMMAND,
  SHOW_SIMILAR_COMMAND,
} from '../../src/core/render';

// A CommonMark renderer (installed with vsce) shows what the Markdown becomes; HTML and autolinks are on, the
// most permissive reading, so escaping must hold without VS Code's own sanitising.
// Every link scheme is accepted too (markdown-it alone refuses file: and command:), as VS Code's trusted hovers do.
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (options: object) => {
  render(text: string): string;
  validateLink(url: string): boolean;
};
const markdown = new MarkdownIt({ html: true, linkify: true });
markdown.validateLink = () => true;
const html = (text: string) => markdown.render(text);
const hrefs = (rendered: string) => [...rendered.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);

function paper(overrides: Partial<Paper> = {}): Paper {
  return {
    key: 'doe2020title',
    type: 'article',
    title: 'Graph Networks',
    authors: [
      { family: 'Doe', given: 'Jane' },
      { family: 'Roe', given: 'Richard' },
    ],
    year: '2020',
    venue: 'Journal of Graphs',
    abstract: 'We study graphs.',
    doi: '10.1000/xyz(1)',
    url: 'https://example.org/paper',
    fields: {},
    origin: { file: '/corpus/c.bib', line: 3 },
    ...overrides,
  };
}

const HOSTILE = [
  '[click me](command:workbench.action.terminal.new)',
  '<img src=x onerror="alert(1)"> <a href="command:evil">a</a>',
  '**bold** _em_ `code` # heading',
  '<command:workbench.action.reloadWindow> https://evil.example/x',
  '![image](https://evil.example/i.png) [ref]: command:evil',
  '&lt;script&gt; | table | ~~strike~~ $x$',
];

describe('escapeMarkdown', () => {
  it.each(HOSTILE)('renders %j as exactly that text', (text) => {
    const rendered = html(escapeMarkdown(text));
    expect(rendered).not.toMatch(/<(?!\/?p>)/);
    // Back from HTML entities, the paragraph holds the text as it was.
    const shown = rendered
      .replace(/<\/?p>\n?/g, '')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(shown).toBe(text);
  });
});

describe('hoverMarkdown', () => {
  it('shows title, authors, year, venue, abstract, links and where the entry is defined', () => {
    const text = hoverMarkdown({ key: 'doe2020title', paper: paper(), definitions: [{ file: '/work/refs.bib', line: 12 }] });
    const rendered = html(text);
    expect(rendered).toContain('<strong>Graph Networks</strong>');
    expect(rendered).toContain('Jane Doe, Richard Roe · 2020 · <em>Journal of Graphs</em>');
    expect(rendered).toContain('We study graphs.');
    expect(hrefs(rendered)).toEqual(['https://doi.org/10.1000/xyz%281%29', 'https://example.org/paper', 'file:///work/refs.bib#L12']);
    expect(rendered).toContain('>refs.bib:12</a>');
  });

  it('shortens a long abstract and, for a client that runs commands, links the ones that show all of it and the similar papers', () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const rendered = html(hoverMarkdown({ key: 'doe2020title', paper: paper({ abstract: long }), definitions: [], commandLinks: true }));
    expect(rendered).toContain('word0 word1');
    expect(rendered).not.toContain('word199');
    expect(rendered).toContain('…');
    const commands = hrefs(rendered).filter((href) => href.startsWith('command:'));
    expect(commands).toEqual([commandLink(SHOW_ABSTRACT_COMMAND, ['doe2020title']), commandLink(SHOW_SIMILAR_COMMAND, ['doe2020title'])]);
    expect(JSON.parse(decodeURIComponent(commands[0].split('?')[1]))).toEqual(['doe2020title']);
    expect(rendered).toContain('>Read the whole abstract</a>');
    expect(rendered).toContain('>Similar papers</a>');
    const shownAbstract = /<p>(word0[^<]*)/.exec(rendered)![1];
    expect(shownAbstract.length).toBeLessThanOrEqual(HOVER_ABSTRACT_LENGTH + 1);
  });

  it('gives no command link to a client that cannot run them (another editor)', () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const rendered = html(hoverMarkdown({ key: 'doe2020title', paper: paper({ abstract: long }), definitions: [] }));
    expect(rendered).toContain('…');
    expect(hrefs(rendered).filter((href) => href.startsWith('command:'))).toEqual([]);
  });

  it('links only the similar papers when the abstract is short, and links the corpus entry of a paper not yet cited', () => {
    const rendered = html(hoverMarkdown({ key: 'doe2020title', paper: paper(), definitions: [], commandLinks: true }));
    expect(hrefs(rendered).filter((href) => href.startsWith('command:'))).toEqual([commandLink(SHOW_SIMILAR_COMMAND, ['doe2020title'])]);
    expect(rendered).toContain('<code>doe2020title</code> is not yet in this document');
    expect(hrefs(rendered)).toEqual([
      'https://doi.org/10.1000/xyz%281%29',
      'https://example.org/paper',
      commandLink(SHOW_SIMILAR_COMMAND, ['doe2020title']),
      'file:///corpus/c.bib#L3',
    ]);
  });

  it('runs nothing and links nothing from a hostile entry', () => {
    const hostile = paper({
      key: 'evil',
      title: HOSTILE[0],
      authors: [{ family: HOSTILE[1], literal: true }],
      venue: HOSTILE[3],
      abstract: HOSTILE.join(' '),
      doi: '10.1/x) [y](command:evil',
      url: 'javascript:alert(1)',
    });
    const rendered = html(hoverMarkdown({ key: 'evil', paper: hostile, definitions: [] }));
    expect(hrefs(rendered)).toEqual(['https://doi.org/10.1/x%29%20%5By%5D%28command:evil', 'file:///corpus/c.bib#L3']);
    expect(rendered).not.toMatch(/<(img|a href="command|strong>bold|em>em|h1|code>code)/);
    expect(rendered).toContain('[click me](command:workbench.action.terminal.new)');
  });

  it('says when a key is known to no bibliography and not in the library', () => {
    const rendered = html(hoverMarkdown({ key: 'ghost_2020', definitions: [] }));
    expect(rendered).toBe("<p><strong>ghost_2020</strong>: not in this document's bibliography and not in the library.</p>\n");
  });

  it('links the definition of a key only the bibliography knows', () => {
    const rendered = html(hoverMarkdown({ key: 'local', definitions: [{ file: '/w/a b.bib', line: 4 }] }));
    expect(hrefs(rendered)).toEqual(['file:///w/a%20b.bib#L4']);
  });

  it('keeps a file link whole when the path holds a parenthesis, and makes no other link from it', () => {
    const rendered = html(hoverMarkdown({ key: 'local', definitions: [{ file: '/w/a)[x](command:evil.bib', line: 4 }] }));
    expect(hrefs(rendered)).toEqual(['file:///w/a%29%5Bx%5D%28command:evil.bib#L4']);
  });

  it('links a DOI written with any resolver prefix to doi.org once', () => {
    const rendered = html(hoverMarkdown({ key: 'k', paper: paper({ doi: 'https://www.doi.org/10.1/X', url: undefined }), definitions: [] }));
    expect(hrefs(rendered)[0]).toBe('https://doi.org/10.1/X');
  });
});

describe('completionDocumentation', () => {
  it('shows the whole abstract, escaped', () => {
    const abstract = `${'x '.repeat(800)}<b>end</b>`;
    const rendered = html(completionDocumentation(paper({ abstract })));
    expect(rendered).toContain('&lt;b&gt;end&lt;/b&gt;');
    expect(rendered).not.toContain('command:');
  });
});
