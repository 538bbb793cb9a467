// The one contract between the Paperlens language server and its clients beyond standard LSP: the custom requests
// the views and commands use, the status notification, and the server's commands. Imported by both sides, which
// send and handle them by `method` with the types given here (the client and server libraries each bundle their own
// copy of the protocol package, whose message type classes do not mix).
import type { LibraryInfo } from './webview/messages';
import type { RelatedPaperView } from './webview/relatedMessages';
import type { SourceSummary } from './core/library';
import type { Origin, Paper } from './core/paper';
import type { CitedKey, PaperView, SearchFilter } from './core/viewmodel';

/** A request: its method name, with its parameter and result types carried along for both sides. */
export interface Request<P, R> {
  readonly method: string;
  /** Never set: only the types matter. */
  readonly types?: { params: P; result: R };
}
export interface Notification<P> {
  readonly method: string;
  readonly types?: { params: P };
}
const request = <P, R>(method: string): Request<P, R> => ({ method });
const notification = <P = void>(method: string): Notification<P> => ({ method });

/** Loading, ready or failed; a failed or cancelled load keeps the previous library. */
export type LibraryStatus =
  | { kind: 'loading'; message: string; done?: number; total?: number; size: number }
  | {
      kind: 'ready';
      size: number;
      sources: number;
      problems: number;
      millis: number;
      /** The library the last session saved (a warm start); its files are checked and changed ones read after. */
      fromSnapshot?: true;
      /** Abstracts still being indexed (keys, titles, authors are searchable already). */
      abstracts?: { done: number; total: number };
    }
  | { kind: 'failed'; message: string; size: number };

export const StatusNotification = notification<LibraryStatus>('paperlens/status');
/** Stop the running load; the library the server has stays. */
export const CancelLoadNotification = notification('paperlens/cancelLoad');
/** The workspace became trusted: corpus files outside it may be read now. */
export const TrustGrantedNotification = notification('paperlens/trustGranted');

/** Search box or "Similar papers": the hits as the search view draws them and the count line under them. */
export interface SearchParams {
  kind: 'search' | 'similar';
  /** The query, or the key whose similar papers are asked for. */
  text: string;
  /** With 'similar': where the paper was read, to name it among other papers under its key. */
  origin?: Origin;
  filter: SearchFilter;
  limit: number;
}
export interface SearchResult {
  hits: PaperView[];
  countLabel: string;
}
export const SearchRequest = request<SearchParams, SearchResult>('paperlens/search');

/** A paper by key, from the library or (given a document) from the document's bibliography files. */
export interface PaperParams {
  key: string;
  uri?: string;
  /** Where the paper was read, to name it among other papers of the library under the same key. */
  origin?: Origin;
}
export interface PaperResult {
  paper: Paper;
  /** Every place the paper was found: the kept entry first. */
  origins: Origin[];
  /** The format of the file the paper was read from, when it is a corpus file. */
  format?: string;
  bibtex: string;
}
export const PaperRequest = request<PaperParams, PaperResult | null>('paperlens/paper');

/** The paper as an APA reference (citation-js), or its plain one-line form when the CSL engine fails on it. */
export const ReferenceRequest = request<PaperParams, string | null>('paperlens/reference');

/** What the search view and the Library tree show of the library as a whole. */
export const LibraryInfoRequest = request<void, LibraryInfo & { sourceSummaries: SourceSummary[] }>('paperlens/libraryInfo');

/** A page of the papers kept from one source, in file order. */
export interface SourcePapersParams {
  file: string;
  offset: number;
  limit: number;
}
export interface SourcePapersResult {
  papers: Paper[];
  total: number;
}
export const SourcePapersRequest = request<SourcePapersParams, SourcePapersResult>('paperlens/sourcePapers');

/** The keys a document cites, in order of first use, each with its paper when the library or its .bib has it. */
export interface CitedKeysResult {
  keys: (CitedKey & { paper?: Paper; firstRange: LspRange })[];
  /** The first load has not finished: a key without a paper is not known to be missing yet. */
  loading: boolean;
}
export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
export const CitedKeysRequest = request<{ uri: string }, CitedKeysResult | null>('paperlens/citedKeys');

/** The cited key under a position. */
export const KeyAtRequest = request<{ uri: string; position: { line: number; character: number } }, string | null>('paperlens/keyAt');

/** Re-reads every corpus file; resolves when that load has finished (or was overtaken), with the status then. */
export const RebuildRequest = request<void, LibraryStatus>('paperlens/rebuild');

/**
 * Commands the server runs (workspace/executeCommand). Each computes its edit, asks the client to apply it with
 * workspace/applyEdit, and answers a CiteOutcome the VS Code client uses to save the .bib and place the cursor.
 */
export const ServerCommands = {
  /** [uri, keys[], origins[]?]: adds the entries of the keys the document's bibliography lacks, as one edit. */
  addEntries: 'paperlens.server.addEntries',
  /** [uri, position, key, origin?]: cites the key (its paper read at origin) at the position and adds its entry, as one edit. */
  citeAt: 'paperlens.server.citeAt',
  /** [uri]: declares the default bibliography in a document (its LaTeX root) that declares none. */
  declareBibliography: 'paperlens.server.declareBibliography',
} as const;

export interface CiteOutcome {
  applied: boolean;
  /** Why nothing was done, for the user. */
  message?: string;
  /** The key cited (the paper's, or the one the .bib already has it under). */
  key?: string;
  /** The .bib the edit appended to, when it did. */
  bibliography?: string;
  /** The .bib had unsaved changes of the user's before the edit: it is left for them to save. */
  bibliographyWasDirty?: boolean;
  /** The .bib did not exist: the edit created it. */
  createdBibliography?: boolean;
  /** The text appended to the .bib (one or more entries), so a client can take it back when the key is undone. */
  appendedText?: string;
  /** The document declares no bibliography (the default file beside it was used). */
  declared?: boolean;
  /** Where the cursor goes after a cite: after the inserted key. */
  cursor?: { line: number; character: number };
}

/** What the client tells the server at start (initializationOptions). */
export interface InitializationOptions {
  /** The bundled sample corpus; the server looks beside its own bundle when absent. */
  bundledCorpus?: string;
  /** Folder of the parsed-source cache (corpus files read before are not parsed again). */
  cacheDir?: string;
  /** Part of the snapshot's fingerprint: the extension's version. */
  cacheTag?: string;
  /** False in an untrusted workspace: corpus files outside it are not read. */
  trusted?: boolean;
  /** The settings, for clients without workspace/configuration. */
  settings?: unknown;
  /** The client runs Paperlens's commands from `command:` links in hovers (the VS Code extension does). */
  commandLinks?: boolean;
}

/** A .bib entry of the project that nothing in it cites. */
export interface UnusedEntry {
  key: string;
  uri: string;
  range: LspRange;
}
/** The unused entries of the bibliographies of the document's project (a .bib: of every project that reads it). */
export interface UnusedEntriesResult {
  entries: UnusedEntry[];
  /** The bibliography files looked at. */
  bibliographies: string[];
  /** Why there is nothing to look at (no project, no bibliography), for the user. */
  message?: string;
}
export const UnusedEntriesRequest = request<{ uri: string }, UnusedEntriesResult>('paperlens/unusedEntries');
/** Removes the unused entries as one workspace edit (applied through workspace/applyEdit); answers how many went. */
export const RemoveUnusedEntriesRequest = request<{ uri: string }, { removed: number; applied: boolean; message?: string }>('paperlens/removeUnusedEntries');

/** A use of a cited key: where it is, and its line's text (the Cited view draws it as the References view does). */
export interface KeyUseLocation {
  uri: string;
  range: LspRange;
  lineText: string;
}
/** Every use of the key in the document's project (Find All References's, declarations left out), in reading order. */
export const KeyUsesRequest = request<{ uri: string; key: string }, KeyUseLocation[]>('paperlens/keyUses');

/** A .bib text with exactly the entries the document's project cites, in order of first citation. */
export interface CitedEntriesResult {
  text: string;
  exported: string[];
  /** Cited keys that neither the project's bibliographies nor the library know. */
  missing: string[];
  /** The project's root, for a default file name beside it. */
  root?: string;
  message?: string;
}
export const CitedEntriesRequest = request<{ uri: string }, CitedEntriesResult>('paperlens/citedEntries');
export type { RelatedPaperView };

/** The papers for the paragraph at a position of a document (the Related view). */
export interface RelatedParams {
  uri: string;
  position: { line: number; character: number };
  limit: number;
}
export type RelatedResult =
  | { kind: 'papers'; hits: RelatedPaperView[] }
  /** The position is in no paragraph (a blank line, a preamble). */
  | { kind: 'noParagraph' }
  | { kind: 'tooShort' }
  /** Not a LaTeX or Markdown document the server knows. */
  | { kind: 'noDocument' };
export const RelatedRequest = request<RelatedParams, RelatedResult>('paperlens/related');

/** The papers for the sentence at a position, or for a selection; where a chosen key is cited. */
export interface SentencePapersParams {
  uri: string;
  position: { line: number; character: number };
  /** A selection: its text is ranked, and the key goes at the end of the sentence the selection ends in. */
  selection?: LspRange;
  limit: number;
}
export interface SentencePapersResult {
  hits: RelatedPaperView[];
  tooShort: boolean;
  /** Inside the citation that ends the sentence, or before its closing punctuation. */
  citePosition: { line: number; character: number };
}
export const SentencePapersRequest = request<SentencePapersParams, SentencePapersResult | null>('paperlens/sentencePapers');

/** Papers similar to a paper of the library (the Related view's "Similar"), by the same ranking. */
export const RelatedSimilarRequest = request<{ key: string; limit: number; origin?: Origin }, RelatedPaperView[]>('paperlens/relatedSimilar');
