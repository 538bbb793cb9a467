// The questions the server asks of a library, as plain data in and out, so they can cross to the worker thread that
// owns the library (postMessage) or be answered at once from a small library in the server itself.
import { BibliographyContents, type BibliographyFile } from '../core/bibedit';
import { completionItems, type CompletionItemModel } from '../core/completion';
import type { CiteContext } from '../core/documents/types';
import type { Library, SearchHit, SearchPage, SourceSummary } from '../core/library';
import type { Origin, Paper } from '../core/paper';
import { paperFilter, type SearchFilter, type YearRange, yearRange } from '../core/viewmodel';
import type { RelatedModel } from '../core/related';
import { relatedQueries, type RelatedModelSource, type RelatedQueries } from './relatedQueries';

export interface LibraryQueries extends RelatedQueries {
  search(query: string, limit: number, filter?: SearchFilter): SearchHit[];
  /** search, with the exact number of papers that match. */
  searchPage(query: string, limit: number, filter?: SearchFilter): SearchPage;
  /** Papers similar to the paper under `key` (of several, the one read at `origin`). */
  similar(key: string, limit: number, filter?: SearchFilter, origin?: Origin): Promise<SearchHit[]>;
  /**
   * The paper under `key`; of several papers under it (a corpus file that gives two papers one key), the one read
   * at `origin`, else the first, marked with the others (Paper.sameKey).
   */
  byKey(key: string, origin?: Origin): Paper | undefined;
  /** For each key, how many papers the library has under it: 0 when none, more than 1 when citing it is ambiguous. */
  has(keys: string[]): number[];
  origins(key: string): Origin[];
  completion(context: CiteContext, typed: string, bibliography: BibliographyFile[]): CompletionItemModel[];
  info(): LibraryFacts;
  sourcePapers(file: string, offset: number, limit: number): { papers: Paper[]; total: number };
}

export interface LibraryFacts {
  size: number;
  sources: SourceSummary[];
  years: YearRange | undefined;
}

/**
 * Answers about one library; what is costly to work out (papers by file, years) is worked out once. `savedRelated`:
 * the related model a warm start restored (used when it fits the papers).
 */
export function libraryQueries(library: Library, savedRelated?: RelatedModel | Promise<RelatedModel | undefined>): LibraryQueries & RelatedModelSource {
  let byFile: Map<string, Paper[]> | undefined;
  let years: { value: YearRange | undefined } | undefined;
  /** The bibliography of the last completion: the same files are asked about on every keystroke. */
  let bibliographyCache: { texts: string; contents: BibliographyContents } | undefined;
  const filterOf = (filter: SearchFilter | undefined) =>
    filter ? paperFilter(filter, (paper) => library.origins(paper.key).map((origin) => origin.file)) : undefined;
  const related = relatedQueries(library, savedRelated);
  return {
    ...related,
    search: (query, limit, filter) => library.search(query, { limit, filter: filterOf(filter) }),
    searchPage: (query, limit, filter) => library.searchPage(query, { limit, filter: filterOf(filter) }),
    // "Similar papers" everywhere rank as the Related view does: by the paper's own title and abstract.
    similar: (key, limit, filter, origin) => related.similarHits(key, limit, filterOf(filter), origin),
    byKey: (key, origin) => library.byKey(key, origin),
    has: (keys) => keys.map((key) => library.papersWithKey(key).length),
    origins: (key) => library.origins(key),
    completion: (context, typed, bibliography) => {
      const texts = bibliography.map((file) => `${file.file}\0${file.text}`).join('\0\0');
      if (bibliographyCache?.texts !== texts) bibliographyCache = { texts, contents: new BibliographyContents(bibliography) };
      return completionItems(library, context, typed, bibliographyCache.contents);
    },
    info: () => {
      years ??= { value: yearRange(library.papers()) };
      return { size: library.size, sources: library.sources, years: years.value };
    },
    sourcePapers: (file, offset, limit) => {
      if (!byFile) {
        byFile = new Map();
        for (const paper of library.papers()) {
          const list = byFile.get(paper.origin.file);
          if (list) list.push(paper);
          else byFile.set(paper.origin.file, [paper]);
        }
      }
      const papers = byFile.get(file) ?? [];
      return { papers: papers.slice(offset, offset + limit), total: papers.length };
    },
  };
}

/** A query as it crosses to the worker: the method's name and its arguments. */
export type LibraryQuery = { [M in keyof LibraryQueries]: { method: M; args: Parameters<LibraryQueries[M]> } }[keyof LibraryQueries];

export type Answer<M extends keyof LibraryQueries> = ReturnType<LibraryQueries[M]>;

export function answer(queries: LibraryQueries, query: LibraryQuery): unknown {
  const method = queries[query.method] as (...args: unknown[]) => unknown;
  return method(...query.args);
}
