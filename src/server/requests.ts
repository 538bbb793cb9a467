// The custom requests of the views and commands: search and similar papers, a paper by key, its formatted
// reference, the library's sources and their papers page by page, a document's cited keys, a rebuild.
import { renderBibtex } from '../core/bibtex-render';
import { findCitations, keyAt } from '../core/documents/citations';
import { isOrigin, sameOrigin, type Paper } from '../core/paper';
import { formatCitation, oneLineReference } from '../core/reference';
import { citedKeys, paperView, resultCountLabel, sourceOptions } from '../core/viewmodel';
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
import type { LibraryInfo } from '../webview/messages';
import type { AsyncLibraryQueries } from './libraryHost';
import { onRequest } from './messages';
import type { ServerContext } from './server';

export function registerRequests(context: ServerContext): void {
  const { connection, queries } = context;

  /** A paper of the library, or (given a document) of the document's bibliography files; and whether the library has it. */
  const paperOf = async ({ key, uri, origin }: PaperParams): Promise<{ paper: Paper; inLibrary: boolean } | undefined> => {
    // The origin is a client's data: a malformed one is left out, and the key's first paper answers.
    const known = await queries.byKey(key, isOrigin(origin) ? origin : undefined);
    if (known) return { paper: known, inLibrary: true };
    const input = uri === undefined ? undefined : context.documentInput(uri);
    const definitions = input ? context.reader.contents(context.bibliographyOf(input)).definitions(key) : [];
    const paper = definitions.map((origin) => context.reader.paperInFile(origin.file, key)).find((found) => found !== undefined);
    return paper && { paper, inLibrary: false };
  };

  onRequest(connection, SearchRequest, async (params, token) => {
    try {
      return await search(context.host.cancellable(token), params);
    } catch (error) {
      // Typed past: the view drops the answer anyway.
      if (token.isCancellationRequested) return { hits: [], countLabel: '' };
      throw error;
    }
  });

  onRequest(connection, PaperRequest, async (params) => {
    const found = await paperOf(params);
    if (!found) return null;
    const { paper, inLibrary } = found;
    const info = inLibrary ? await queries.info() : undefined;
    const keyOrigins = inLibrary ? await queries.origins(paper.key) : [];
    // The key's origins are its first paper's; another paper under the key was read at its own place only.
    const isKeysFirst = keyOrigins.length > 0 && sameOrigin(keyOrigins[0], paper.origin);
    return {
      paper,
      origins: isKeysFirst ? keyOrigins : [paper.origin],
      format: info?.sources.find((source) => source.file === paper.origin.file)?.format,
      bibtex: renderBibtex(paper),
    };
  });

  onRequest(connection, ReferenceRequest, async (params) => {
    const paper = (await paperOf(params))?.paper;
    if (!paper) return null;
    try {
      return formatCitation([paper], 'apa');
    } catch (error) {
      context.log.warn(`APA formatting of ${paper.key} failed (${error instanceof Error ? error.message : String(error)}); gave the plain reference`);
      return oneLineReference(paper);
    }
  });

  onRequest(connection, LibraryInfoRequest, async () => {
    const info = await queries.info();
    const status = context.host.status;
    // Later loads keep showing the previous library; only the first one shows as loading.
    const state: LibraryInfo['state'] = status.kind === 'failed' ? 'failed' : context.host.size === 0 && status.kind === 'loading' ? 'loading' : 'ready';
    return {
      state,
      failure: status.kind === 'failed' ? status.message : undefined,
      size: info.size,
      sources: sourceOptions(info.sources),
      years: info.years,
      sourceSummaries: info.sources,
    };
  });

  onRequest(connection, SourcePapersRequest, ({ file, offset, limit }) => queries.sourcePapers(file, offset, limit));

  onRequest(connection, CitedKeysRequest, async ({ uri }) => {
    const input = context.documentInput(uri);
    const document = context.documents.get(uri);
    if (!input || !document) return null;
    const contents = context.reader.contents(context.bibliographyOf(input));
    const cited = citedKeys(findCitations(input.text, input.language));
    const papers = await Promise.all(cited.map((entry) => queries.byKey(entry.key)));
    return {
      loading: context.host.size === 0 && context.host.status.kind === 'loading',
      keys: cited.map((entry, index) => ({
        ...entry,
        paper:
          papers[index] ??
          contents.definitions(entry.key).map((origin) => context.reader.paperInFile(origin.file, entry.key)).find((found) => found !== undefined),
        firstRange: { start: document.positionAt(entry.first.start), end: document.positionAt(entry.first.end) },
      })),
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

/** The search view's hits for a query or for "Similar papers", filtered as the view asks, with exact counts. */
async function search(queries: AsyncLibraryQueries, params: SearchParams): Promise<SearchResult> {
  const filtered = params.filter.yearFrom !== undefined || params.filter.yearTo !== undefined || params.filter.source !== undefined ? ' (filtered)' : '';
  if (params.kind === 'similar') {
    const hits = await queries.similar(params.text, params.limit, params.filter, isOrigin(params.origin) ? params.origin : undefined);
    return { hits: hits.map(paperView), countLabel: `${hits.length} similar ${hits.length === 1 ? 'paper' : 'papers'}${filtered}` };
  }
  const [page, { size }] = await Promise.all([queries.searchPage(params.text, params.limit, params.filter), queries.info()]);
  // "1,234 of 88,131 papers": every match counted, the best `limit` of them shown.
  return { hits: page.hits.map(paperView), countLabel: `${resultCountLabel(page.total, size)}${filtered}` };
}
