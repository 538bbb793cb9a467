import { describe, expect, it } from 'vitest';
import { BibliographyContents } from '../../src/core/bibedit';
import { completionItems, IN_BIBLIOGRAPHY_MARK } from '../../src/core/completion';
import { citeContext } from '../../src/core/documents/citations';
import { Library } from '../../src/core/library';
import type { Paper } from '../../src/core/paper';
import { completionDocumentation } from '../../src/core/render';
import { withCursor } from './documents/cursor';

function paper(key: string, title: string, abstract: string, extra: Partial<Paper> = {}): Paper {
  return {
    key,
    type: 'article',
    title,
    authors: [
      { family: key.replace(/\d.*/, ''), given: 'A.' },
      { family: 'Second', given: 'B.' },
      { family: 'Third', given: 'C.' },
    ],
    year: key.replace(/^\D+/, '').slice(0, 4),
    venue: 'Proceedings',
    abstract,
    fields: {},
    origin: { file: '/corpus.bib', line: 1 },
    ...extra,
  };
}

const PAPERS = [
  paper('barabasi1999emergence', 'Emergence of scaling in random networks', 'Preferential attachment explains scale-free degree distributions.'),
  paper('watts1998collective', 'Collective dynamics of small-world networks', 'Rewiring regular lattices yields small-world graphs.'),
  paper('akoglu2015graph', 'Graph based anomaly detection and description', 'A survey of anomaly detection in graph data.', {
    doi: '10.1007/s10618-014-0365-y',
  }),
  paper('newman2006modularity', 'Modularity and community structure in networks', 'Community detection by maximising modularity.'),
];
const library = Library.build([{ file: '/corpus.bib', format: 'bibtex', papers: PAPERS, problems: [] }]);
const EMPTY_BIBLIOGRAPHY = new BibliographyContents([]);

function itemsAt(marked: string, bibliography = EMPTY_BIBLIOGRAPHY, language: 'latex' | 'markdown' = 'latex') {
  const { text, offset } = withCursor(marked);
  const context = citeContext(text, offset, language)!;
  return completionItems(library, context, text.slice(context.replaceStart, context.replaceEnd), bibliography);
}

describe('completion items', () => {
  it('ranks papers by the words typed, matched against the abstract too', () => {
    const items = itemsAt('\\cite{anomaly detection gra‸}');
    expect(items[0].key).toBe('akoglu2015graph');
    expect(items[0].insertText).toBe('akoglu2015graph');
    expect(items.map((item) => item.sortText)).toEqual([...items.map((item) => item.sortText)].sort());
  });

  it('ranks papers by two and three words typed after [@ in Markdown', () => {
    expect(itemsAt('See [@anomaly detection‸] here', EMPTY_BIBLIOGRAPHY, 'markdown')[0]).toMatchObject({
      key: 'akoglu2015graph',
      insertText: 'akoglu2015graph',
      filterText: 'anomaly detection',
    });
    expect(itemsAt('[@watts1998collective; @community modularity networks‸]', EMPTY_BIBLIOGRAPHY, 'markdown')[0].key).toBe('newman2006modularity');
  });

  it('offers nothing for words after a complete key in Markdown: they are its suffix', () => {
    expect(itemsAt('[@watts1998collective small world‸]', EMPTY_BIBLIOGRAPHY, 'markdown')).toEqual([]);
    const bibliography = new BibliographyContents([{ file: '/refs.bib', text: '@article{mine2020, title={Mine}}' }]);
    expect(itemsAt('[@mine2020 for a review‸]', bibliography, 'markdown')).toEqual([]);
    expect(itemsAt('[@small world‸]', EMPTY_BIBLIOGRAPHY, 'markdown')[0].key).toBe('watts1998collective');
  });

  it('keeps the typed text as filter text so the editor filters nothing away', () => {
    const items = itemsAt('\\cite{small wor‸}');
    expect(items[0].key).toBe('watts1998collective');
    for (const item of items) expect(item.filterText).toBe('small wor');
  });

  it('describes each paper: title, first author et al., year, venue, escaped abstract', () => {
    const [item] = itemsAt('[@preferential‸]', EMPTY_BIBLIOGRAPHY, 'markdown');
    expect(item).toMatchObject({
      key: 'barabasi1999emergence',
      description: 'Emergence of scaling in random networks',
      detail: 'barabasi et al. · 1999 · Proceedings',
      labelDetail: '',
      inBibliography: false,
    });
    expect(completionDocumentation(item.paper)).toContain('Preferential attachment explains scale\\-free degree distributions\\.');
  });

  it('lists the bibliography first when nothing is typed, then the rest of the library', () => {
    const bibliography = new BibliographyContents([{ file: '/refs.bib', text: '@article{newman2006modularity, title={M}}' }]);
    const items = itemsAt('\\cite{‸}', bibliography);
    expect(items.map((item) => item.key)).toEqual([
      'newman2006modularity',
      'barabasi1999emergence',
      'watts1998collective',
      'akoglu2015graph',
    ]);
    expect(items[0].labelDetail).toBe(IN_BIBLIOGRAPHY_MARK);
    expect(items[0].inBibliography).toBe(true);
    expect(items[1].inBibliography).toBe(false);
  });

  it('inserts the key a paper already has in the bibliography under its DOI', () => {
    const bibliography = new BibliographyContents([
      { file: '/refs.bib', text: '@article{Akoglu15, doi = {https://doi.org/10.1007/S10618-014-0365-Y}}' },
    ]);
    const [item] = itemsAt('\\cite{anomaly‸}', bibliography);
    expect(item).toMatchObject({ key: 'Akoglu15', insertText: 'Akoglu15', inBibliography: true });
  });

  it('adds the separator when a key follows the cursor', () => {
    expect(itemsAt('\\cite{‸watts1998collective}')[0].insertText).toBe('barabasi1999emergence, ');
    expect(itemsAt('[@‸watts1998collective]', EMPTY_BIBLIOGRAPHY, 'markdown')[0].insertText).toBe('barabasi1999emergence; @');
  });

  it('lists keys that start with one or two letters typed, which the engine does not search', () => {
    const bibliography = new BibliographyContents([{ file: '/refs.bib', text: '@article{watts1998collective, title={W}}' }]);
    expect(itemsAt('[@w‸]', bibliography, 'markdown').map((item) => item.key)).toEqual(['watts1998collective']);
    expect(itemsAt('\\cite{NE‸}').map((item) => item.key)).toEqual(['newman2006modularity']);
    expect(itemsAt('\\cite{qqq‸}')).toEqual([]);
    // Two letters matching nothing keep the list open with what an empty key shows.
    expect(itemsAt('\\cite{qq‸}').map((item) => item.key)).toEqual(itemsAt('\\cite{‸}').map((item) => item.key));
  });

  it('does not offer a key the citation already holds', () => {
    const bibliography = new BibliographyContents([{ file: '/refs.bib', text: '@article{newman2006modularity, title={M}}' }]);
    const keys = itemsAt('\\cite{newman2006modularity, ‸}', bibliography).map((item) => item.key);
    expect(keys).toEqual(['barabasi1999emergence', 'watts1998collective', 'akoglu2015graph']);
    expect(itemsAt('[@watts1998collective; @net‸]', EMPTY_BIBLIOGRAPHY, 'markdown').map((item) => item.key)).not.toContain('watts1998collective');
  });

  it('lets a paper in the bibliography win a tie', () => {
    const twins = [
      paper('first2020same', 'Identical title alpha', 'Same text.'),
      paper('second2020same', 'Identical title gamma', 'Same text.'),
    ];
    const twinLibrary = Library.build([{ file: '/t.bib', format: 'bibtex', papers: twins, problems: [] }]);
    const bibliography = new BibliographyContents([{ file: '/refs.bib', text: '@misc{second2020same,}' }]);
    const { text, offset } = withCursor('\\cite{identical‸}');
    const context = citeContext(text, offset, 'latex')!;
    const items = completionItems(twinLibrary, context, 'identical', bibliography);
    const scores = twinLibrary.search('identical').map((hit) => hit.score);
    expect(scores[0]).toBe(scores[1]);
    expect(items.map((item) => item.key)).toEqual(['second2020same', 'first2020same']);
  });
});
