// The writing-aware ranking (core/related) over one library, answered where the library lives (the library worker,
// or the server's small fallback library): the Related view's paragraph, a sentence or selection, how well a cited
// key fits its sentence, similar papers. The index is built once per state of the library (papersInOrder is cached
// until the library changes), so a query after a change builds it first; the worker prepares it right after a load.
import { findCitations } from '../core/documents/citations';
import type { DocumentLanguage } from '../core/documents/types';
import type { Library, SearchHit } from '../core/library';
import type { Paper } from '../core/paper';
import {
  citationFitAt,
  papersForParagraph,
  papersForSentence,
  proseText,
  RelatedIndex,
  RelatedModel,
  type CitationFit,
  type ParagraphPapers,
  type RelatedHit,
  type SentencePapers,
} from '../core/related';
import { papersFingerprint } from '../core/related/model';

export interface RelatedQueries {
  /** Builds the ranking's index for the library as it is now (after a load), so the first query does not wait. */
  prepareRelated(): void;
  relatedParagraph(text: string, offset: number, language: DocumentLanguage, limit: number): ParagraphPapers | undefined;
  relatedSentence(text: string, offset: number, language: DocumentLanguage, limit: number): SentencePapers | undefined;
  /** Papers for a selection's text, read as the document's language reads it. */
  relatedText(text: string, language: DocumentLanguage, limit: number): RelatedHit[];
  citationFit(text: string, offset: number, language: DocumentLanguage): CitationFit | undefined;
  relatedSimilar(key: string, limit: number): RelatedHit[];
}

/** The similar papers as the search view draws them: the shared words, as the paper writes them, highlighted. */
export interface RelatedSearchHits {
  similarHits(key: string, limit: number, filter?: (paper: Paper) => boolean): SearchHit[];
}

/** The first non-blank character of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  while (start < offset && /[ \t]/.test(text[start])) start++;
  return start;
}

/** The ranking's model as built for the library's papers now, for the worker to save with the library. */
export interface RelatedModelSource {
  builtModel(): RelatedModel | undefined;
}

/** `saved`: the model a warm start restored with these papers; the first index uses it instead of building one. */
export function relatedQueries(library: Library, saved?: RelatedModel): RelatedQueries & RelatedSearchHits & RelatedModelSource {
  let built: { papers: readonly Paper[]; index: RelatedIndex; positions: Map<Paper, number> } | undefined;
  let restored = saved;
  const current = () => {
    const papers = library.papers();
    if (built?.papers !== papers) {
      const model = restored?.fingerprint === papersFingerprint(papers) ? restored : RelatedModel.build(papers);
      restored = undefined;
      built = { papers, index: new RelatedIndex(papers, model), positions: new Map(papers.map((paper, position) => [paper, position])) };
    }
    return built;
  };
  const positionOf = (key: string): number | undefined => {
    const paper = library.byKey(key);
    return paper && current().positions.get(paper);
  };
  return {
    prepareRelated: () => void current(),
    builtModel: () => (built?.papers === library.papers() ? built.index.model : undefined),
    relatedParagraph: (text, offset, language, limit) => {
      const { index } = current();
      // A paragraph's span ends at its last word: a cursor after a citation that ends it (just cited there) is
      // still in that paragraph, as its line says.
      const found = papersForParagraph(index, text, offset, language, { limit }) ?? papersForParagraph(index, text, lineStart(text, offset), language, { limit });
      if (!found) return undefined;
      const end = text.slice(found.paragraph.end).search(/\n[ \t\r]*\n/);
      const until = end < 0 ? text.length : found.paragraph.end + end;
      const trailing = findCitations(text, language).filter((cited) => cited.start >= found.paragraph.end && cited.end <= until);
      return trailing.length === 0 ? found : { ...found, citedKeys: [...new Set([...found.citedKeys, ...trailing.map((cited) => cited.key)])] };
    },
    relatedSentence: (text, offset, language, limit) => papersForSentence(current().index, text, offset, language, { limit }),
    relatedText: (text, language, limit) => current().index.related(proseText(text, language), { limit }),
    citationFit: (text, offset, language) => citationFitAt(current().index, text, offset, language, positionOf),
    relatedSimilar: (key, limit) => {
      const position = positionOf(key);
      return position === undefined ? [] : current().index.similar(position, { limit });
    },
    similarHits: (key, limit, filter) => {
      const position = positionOf(key);
      if (position === undefined) return [];
      const { index, papers } = current();
      const hits = index.similar(position, { limit, exclude: filter && ((other) => !filter(papers[other])) });
      return hits.map((hit) => ({ paper: hit.paper, score: hit.score, terms: hit.shared.map((term) => term.paperText) }));
    },
  };
}
