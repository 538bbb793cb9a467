// The ranking model's build reads millions of words through its own fast loop (ASCII text lower-cased whole, each
// word mapped straight to a term id): it must count exactly the terms topicWords reads, title and body apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readArxivJsonl } from '../../../src/core/formats/arxiv';
import type { Paper } from '../../../src/core/paper';
import { RelatedModel, TITLE_SHIFT } from '../../../src/core/related/model';
import { SlicedWork } from '../../../src/core/slicedWork';
import { topicWords } from '../../../src/core/related/terms';
import { corpusPath } from '../corpora';

const arxivFile = corpusPath('arxiv', 'arxiv-metadata-0704-first2000.jsonl');

function paper(key: string, title: string, abstract?: string): Paper {
  return { key, type: 'article', title, authors: [], abstract, origin: { file: '/test.bib', line: 1 }, fields: {} } as Paper;
}

/** Each term's count in the paper's title and body, read the reference way (topicWords), as "term title body". */
function expectedCounts(source: Paper): string[] {
  const counts = new Map<string, [number, number]>();
  const add = (text: string | undefined, field: 0 | 1) => {
    for (const word of topicWords(text ?? '')) {
      const count = counts.get(word.stem) ?? [0, 0];
      count[field]++;
      counts.set(word.stem, count);
    }
  };
  add(source.title, 0);
  add(source.keywords, 1);
  add(source.abstract, 1);
  return [...counts].map(([term, [title, body]]) => `${term} ${Math.min(title, 0xff)} ${Math.min(body, 0xff)}`).sort();
}

/** The same, from the model's postings. */
function modelCounts(model: RelatedModel, position: number): string[] {
  const rows: string[] = [];
  model.vocabulary.forEach((term, id) => {
    for (let slot = model.offsets[id]; slot < model.offsets[id + 1]; slot++) {
      if (model.postings[slot] !== position) continue;
      rows.push(`${term} ${model.counts[slot] >> TITLE_SHIFT} ${model.counts[slot] & 0xff}`);
    }
  });
  return rows.sort();
}

describe('RelatedModel.build', () => {
  it('counts the terms topicWords reads, in titles and bodies, over real abstracts and non-ASCII text', () => {
    const arxiv = readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile).papers.slice(0, 150);
    const papers = [
      ...arxiv,
      paper('tubitak', 'TÜBİTAK BİLGEM: Türkçe Doğal Dil İşleme', 'Schrödinger colours; ANOMALIES of the Ångström behaviour, naïve analyses.'),
      paper('greek', 'ΟΔΟΣ and Σίσυφος', 'ΣΟΦΙΑ, σοφία.'),
    ];
    const model = RelatedModel.build(papers);
    papers.forEach((source, position) => expect(modelCounts(model, position), source.key).toEqual(expectedCounts(source)));
  });

  it('keeps a word with a capital dotted I whole: TÜBİTAK is one term, not "tubi" and "tak"', () => {
    const model = RelatedModel.build([paper('tubitak', 'TÜBİTAK BİLGEM')]);
    expect([...model.vocabulary].sort()).toEqual(['bilgem', 'tubitak']);
  });
});

describe('RelatedModel.buildInSlices', () => {
  const arxiv = () => readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile).papers.slice(0, 600);
  const parts = (model: RelatedModel) => {
    const { fingerprint, paperCount, vocabulary, offsets, postings, counts, lengths } = model.toParts();
    return { fingerprint, paperCount, vocabulary, offsets: [...offsets], postings: [...postings], counts: [...counts], lengths: [...lengths] };
  };

  it('builds, a slice between turns, exactly the model build makes in one go', async () => {
    const papers = arxiv();
    let turns = 0;
    // A slice of no time: a turn at every pause of the build, each one counted where the work asks whether it was overtaken.
    const model = await RelatedModel.buildInSlices(papers, new SlicedWork(() => (turns++, false), 0));
    // A pause comes every few dozen papers: 600 papers take several turns, not one per paper.
    expect(turns).toBeGreaterThan(2);
    expect(turns).toBeLessThan(papers.length);
    expect(parts(model as RelatedModel)).toEqual(parts(RelatedModel.build(papers)));
  });

  it('gives up at the first turn after its papers stop being the library’s', async () => {
    let turns = 0;
    const model = await RelatedModel.buildInSlices(arxiv(), new SlicedWork(() => ++turns >= 2, 0));
    expect(model).toBeUndefined();
    expect(turns).toBe(2);
  });
});
