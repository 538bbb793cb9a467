// The custom requests of the views and commands: search and similar papers, a paper by key, its formatted
// reference, the library's sources and their papers page by page, a document's cited keys, a rebuild.
import { renderBibtex } from '../core/bibtex-render';
import { findCitations, keyAt } from '../core/documents/citations';
import type { Library } from '../core/library';
import type { Paper } from '../core/paper';
import { formatCitation, oneLineReference } from '../core/reference';
import { citedKeys, paperFilter, papersLabel, paperView, resultCountLabel, sourceOptions, yearRange, type YearRange } from '../core/viewmodel';
import {
  CitedKeysRequest,
  KeyAtRequest,
  LibraryInfoRequest,
  PaperRequest,
  RebuildRequest,
  ReferenceRequest,
  SearchRequest,
  SourcePapersRequest,
  type PaperParams,
  type SearchParams,
  type SearchResult,
} from '../protocol';
import { onRequest } from './messages';
import type { LibraryInfo } from '../webview/messages';
import type { ServerContext } from './server';

/** Papers kept from each source and the year range, computed once per library. */
interface LibraryFacts {
  library: Library;
  byFile: Map<string, Paper[]>;
  years: YearRange | undefined;
}

export function registerRequests(context: ServerContext): void {
  const { connection } = context;
  let facts: LibraryFacts | undefined;
  const factsOf = (library: Library): LibraryFacts => {
    if (facts?.library === library) return facts;
    const byFile = new Map<string, Paper[]>();
    for (const paper of library.papers()) {
      const list = byFile.get(paper.origin.file);
      if (list) list.push(paper);
      else byFile.set(paper.origin.file, [paper]);
    }
    facts = { library, byFile, years: yearRange(library.papers()) };
    return facts;
  };

  const paperOf = ({ key, uri }: PaperParams): Paper | undefined => {
    const library = context.library();
    const known = library.byKey(key);
    if (known || uri === undefined) return known;
    const input = context.documentInput(uri);
    const definitions = input ? context.reader.contents(context.bibliographyOf(input)).definitions(key) : [];
    return definitions.map((origin) => context.reader.paperInFile(origin.file, key)).find((paper) => paper !== undefined);
  };

  onRequest(connection, SearchRequest, (params, token) => (token.isCancellationRequested ? { hits: [], countLabel: '' } : search(context.library(), params)));

  onRequest(connection, PaperRequest, (params) => {
    const paper = paperOf(params);
    if (!paper) return null;
    const library = context.library();
    const inLibrary = library.byKey(paper.key) === paper;
    return {
      paper,
      origins: inLibrary ? library.origins(paper.key) : [paper.origin],
      format: library.sources.find((source) => source.file === paper.origin.file)?.format,
      bibtex: renderBibtex(paper),
    };
  });

  onRequest(connection, ReferenceRequest, (params) => {
    const paper = paperOf(params);
    if (!paper) return null;
    try {
      return formatCitation([paper], 'apa');
    } catch (error) {
      context.log.warn(`APA formatting of ${paper.key} failed (${error instanceof Error ? error.message : String(error)}); gave the plain reference`);
      return oneLineReference(paper);
    }
  });

  onRequest(connection, LibraryInfoRequest, () => {
    const library = context.library();
    const status = context.host.status;
    // Later loads keep showing the previous library; only the first one shows as loading.
    const state: LibraryInfo['state'] = status.kind === 'failed' ? 'failed' : status.kind === 'loading' && library.size === 0 ? 'loading' : 'ready';
    return {
      state,
      failure: status.kind === 'failed' ? status.message : undefined,
      size: library.size,
      sources: sourceOptions(library.sources),
      years: factsOf(library).years,
      sourceSummaries: library.sources,
    };
  });

  onRequest(connection, SourcePapersRequest, ({ file, offset, limit }) => {
    const papers = factsOf(context.library()).byFile.get(file) ?? [];
    return { papers: papers.slice(offset, offset + limit), total: papers.length };
  });

  onRequest(connection, CitedKeysRequest, ({ uri }) => {
    const input = context.documentInput(uri);
    const document = context.documents.get(uri);
    if (!input || !document) return null;
    const library = context.library();
    const bibliography = context.bibliographyOf(input);
    const contents = context.reader.contents(bibliography);
    return {
      loading: library.size === 0 && context.host.status.kind === 'loading',
      keys: citedKeys(findCitations(input.text, input.language)).map((cited) => {
        const paper =
          library.byKey(cited.key) ??
          contents.definitions(cited.key).map((origin) => context.reader.paperInFile(origin.file, cited.key)).find((found) => found !== undefined);
        return {
          ...cited,
          paper,
          firstRange: { start: document.positionAt(cited.first.start), end: document.positionAt(cited.first.end) },
        };
      }),
    };
  });

  onRequest(connection, KeyAtRequest, ({ uri, position }) => {
    const input = context.documentInput(uri);
    const document = context.documents.get(uri);
    if (!input || !document) return null;
    return keyAt(input.text, document.offsetAt(position), input.language)?.key ?? null;
  });

  onRequest(connection, RebuildRequest, () => context.host.rebuild());
}

/** The search view's hits for a query or for "Similar papers", filtered as the view asks. */
function search(library: Library, params: SearchParams): SearchResult {
  const filter = paperFilter(params.filter, (paper) => library.origins(paper.key).map((origin) => origin.file));
  const hits =
    params.kind === 'search' ? library.search(params.text, { limit: params.limit, filter }) : library.similar(params.text, params.limit, filter);
  const filtered = filter ? ' (filtered)' : '';
  if (params.kind === 'similar') return { hits: hits.map(paperView), countLabel: `${hits.length} similar ${hits.length === 1 ? 'paper' : 'papers'}${filtered}` };
  // The engine returns at most `limit` hits and no total, so a full page reads "Best 100 of …".
  const count = hits.length >= params.limit ? `Best ${hits.length} of ${papersLabel(library.size)}` : resultCountLabel(hits.length, library.size);
  return { hits: hits.map(paperView), countLabel: `${count}${filtered}` };
}
