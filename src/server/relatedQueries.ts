// The writing-aware ranking (core/related) over one library, answered where the library lives (the library worker,
// or the server's small fallback library): the Related view's paragraph, a sentence or selection, how well a cited
// key fits its sentence, similar papers. The index is built per state of the library (papersInOrder is cached until
// the library changes), a slice at a time between the thread's other work: while the index of a changed library
// builds, queries answer from the previous one, and only the very first build is waited for.
import { findCitations } from '../core/documents/citations';
import type { DocumentLanguage } from '../core/documents/types';
import type { Library, SearchHit } from '../core/library';
import type { Origin, Paper } from '../core/paper';
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
import { SlicedWork } from '../core/slicedWork';

export interface RelatedQueries {
  relatedParagraph(text: string, offset: number, language: DocumentLanguage, limit: number): Promise<ParagraphPapers | undefined>;
  relatedSentence(text: string, offset: number, language: DocumentLanguage, limit: number): Promise<SentencePapers | undefined>;
  /** Papers for a selection's text, read as the document's language reads it. */
  relatedText(text: string, language: DocumentLanguage, limit: number): Promise<RelatedHit[]>;
  citationFit(text: string, offset: number, language: DocumentLanguage): Promise<CitationFit | undefined>;
  /** Papers similar to the paper under `key` (of several, the one read at `origin`). */
  relatedSimilar(key: string, limit: number, origin?: Origin): Promise<RelatedHit[]>;
}

/** The similar papers as the search view draws them: the shared words, as the paper writes them, highlighted. */
export interface RelatedSearchHits {
  similarHits(key: string, limit: number, filter?: (paper: Paper) => boolean, origin?: Origin): Promise<SearchHit[]>;
}

/** The first non-blank character of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  while (start < offset && /[ \t]/.test(text[start])) start++;
  return start;
}

/** The ranking's model for the worker: built ahead of the first query, and saved with the library. */
export interface RelatedModelSource {
  /** Builds the ranking's index for the library as it is now (after a load or a change); resolves when it is built. */
  prepareRelated(): Promise<void>;
  /** The model of the library's papers now, when it is built. */
  builtModel(): RelatedModel | undefined;
}

/** How long the model's build works before the thread's waiting queries get their turn. */
const BUILD_SLICE_MS = 20;

interface BuiltIndex {
  papers: readonly Paper[];
  index: RelatedIndex;
  positions: Map<Paper, number>;
}

/**
 * `saved`: the model a warm start restored with these papers (or its load); the first index uses it instead of
 * building one. `buildSliceMs`: how long the build works between turns (a test takes 0, a turn at every pause of
 * the build).
 */
export function relatedQueries(
  library: Library,
  saved?: RelatedModel | Promise<RelatedModel | undefined>,
  buildSliceMs = BUILD_SLICE_MS,
): RelatedQueries & RelatedSearchHits & RelatedModelSource {
  let built: BuiltIndex | undefined;
  let restored = saved;
  /** The build running now, if any: it goes on until the index is of the library's papers. */
  let refreshing: Promise<BuiltIndex> | undefined;
  const bringUpToDate = async (): Promise<BuiltIndex> => {
    for (;;) {
      const papers = library.papers();
      if (built?.papers === papers) return built;
      const candidate = await restored;
      restored = undefined;
      const fits = candidate && candidate.fingerprint === papersFingerprint(papers) ? candidate : undefined;
      const model =
        fits ?? (await RelatedModel.buildInSlices(papers, new SlicedWork(() => library.papers() !== papers, buildSliceMs)));
      // Undefined: the library changed during the build, which starts over with its papers now.
      if (model) built = { papers, index: new RelatedIndex(papers, model), positions: new Map(papers.map((paper, position) => [paper, position])) };
    }
  };
  const refresh = (): Promise<BuiltIndex> => {
    if (!refreshing) {
      const running = bringUpToDate();
      const done = () => {
        if (refreshing === running) refreshing = undefined;
      };
      running.then(done, done);
      refreshing = running;
    }
    return refreshing;
  };
  /** The index to answer from: the library's, else (while that builds) the previous library's; the first is waited for. */
  const current = async (): Promise<BuiltIndex> => {
    if (built?.papers === library.papers()) return built;
    const building = refresh();
    return built ?? building;
  };
  const positionOf = async (key: string, origin?: Origin): Promise<{ position: number | undefined; built: BuiltIndex }> => {
    const answering = await current();
    const paper = library.byKey(key, origin);
    return { position: paper && answering.positions.get(paper), built: answering };
  };
  return {
    prepareRelated: async () => void (await refresh()),
    builtModel: () => (built?.papers === library.papers() ? built.index.model : undefined),
    relatedParagraph: async (text, offset, language, limit) => {
      const { index } = await current();
      // A paragraph's span ends at its last word: a cursor after a citation that ends it (just cited there) is
      // still in that paragraph, as its line says.
      const found = papersForParagraph(index, text, offset, language, { limit }) ?? papersForParagraph(index, text, lineStart(text, offset), language, { limit });
      if (!found) return undefined;
      const end = text.slice(found.paragraph.end).search(/\n[ \t\r]*\n/);
      const until = end < 0 ? text.length : found.paragraph.end + end;
      const trailing = findCitations(text, language).filter((cited) => cited.start >= found.paragraph.end && cited.end <= until);
      return trailing.length === 0 ? found : { ...found, citedKeys: [...new Set([...found.citedKeys, ...trailing.map((cited) => cited.key)])] };
    },
    relatedSentence: async (text, offset, language, limit) => papersForSentence((await current()).index, text, offset, language, { limit }),
    relatedText: async (text, language, limit) => (await current()).index.related(proseText(text, language), { limit }),
    citationFit: async (text, offset, language) => {
      const { index, positions } = await current();
      return citationFitAt(index, text, offset, language, (key) => {
        const paper = library.byKey(key);
        return paper && positions.get(paper);
      });
    },
    relatedSimilar: async (key, limit, origin) => {
      const { position, built: answering } = await positionOf(key, origin);
      return position === undefined ? [] : answering.index.similar(position, { limit });
    },
    similarHits: async (key, limit, filter, origin) => {
      const { position, built: answering } = await positionOf(key, origin);
      if (position === undefined) return [];
      const { index, papers } = answering;
      const hits = index.similar(position, { limit, exclude: filter && ((other) => !filter(papers[other])) });
      return hits.map((hit) => ({ paper: hit.paper, score: hit.score, terms: hit.shared.map((term) => term.paperText) }));
    },
  };
}
