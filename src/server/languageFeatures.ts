// Completion, hover and Go to Definition on citation keys: thin LSP handlers over core/completion, core/render and
// the documents layer (Go to Definition inside a .bib is integrity's). Completion is the engine's ranking as is: the list is incomplete (asked again on every
// keystroke) and every item's filter text is the typed text, so the client filters nothing away.
import {
  CompletionItemKind,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type Location,
} from 'vscode-languageserver';
import { citeContext, keyAt } from '../core/documents/citations';
import { completionDocumentation, hoverMarkdown } from '../core/render';
import { ServerCommands } from '../protocol';
import { citationFitMarkdown } from './related';
import type { IntegrityFeatures } from './integrity';
import { fileUri } from './uris';
import type { Origin } from '../core/paper';
import type { ServerContext } from './server';

/** What a completion item carries to its resolve: the paper's key in the library, and its place when others share the key. */
interface ItemData {
  key: string;
  origin?: Origin;
}

export function registerLanguageFeatures(context: ServerContext, integrity: IntegrityFeatures): void {
  const { connection, documents, reader } = context;
  connection.onCompletion(async (params, token): Promise<CompletionList | null> => {
    const document = documents.get(params.textDocument.uri);
    const input = context.documentInput(params.textDocument.uri);
    if (!document || !input || token.isCancellationRequested) return null;
    const offset = document.offsetAt(params.position);
    const cite = citeContext(input.text, offset, input.language);
    if (!cite) return null;
    const start = document.positionAt(cite.replaceStart);
    const end = document.positionAt(cite.replaceEnd);
    const typed = input.text.slice(cite.replaceStart, cite.replaceEnd);
    const itemSupport = context.capabilities().textDocument?.completion?.completionItem;
    const insertReplace = itemSupport?.insertReplaceSupport === true;
    const labelDetails = itemSupport?.labelDetailsSupport === true;
    let models;
    try {
      models = await context.host.cancellable(token).completion(cite, typed, reader.files(context.bibliographyOf(input)));
    } catch (error) {
      // Outdated by the next keystroke before the library got to it.
      if (token.isCancellationRequested) return null;
      throw error;
    }
    if (token.isCancellationRequested) return null;
    const items = models.map((model): CompletionItem => {
      // Which of the papers under a shared key this item is: resolve and the entry added must be this one.
      const sharedOrigin = model.paper.sameKey ? model.paper.origin : undefined;
      const item: CompletionItem = {
        label: model.key,
        kind: model.inBibliography ? CompletionItemKind.Reference : CompletionItemKind.Value,
        detail: model.detail,
        filterText: model.filterText,
        sortText: model.sortText,
        textEdit: insertReplace
          ? { newText: model.insertText, insert: { start, end: params.position }, replace: { start, end } }
          : { newText: model.insertText, range: { start, end: params.position } },
        data: { key: model.paper.key, origin: sharedOrigin } satisfies ItemData,
      };
      if (labelDetails) item.labelDetails = { detail: model.labelDetail, description: model.description };
      else item.detail = [model.description, model.detail].filter(Boolean).join(' — ');
      if (!model.inBibliography) {
        const args = sharedOrigin ? [input.uri, [model.paper.key], [sharedOrigin]] : [input.uri, [model.paper.key]];
        item.command = { title: 'Add the entry to the bibliography', command: ServerCommands.addEntries, arguments: args };
      }
      return item;
    });
    return { isIncomplete: true, items };
  });

  connection.onCompletionResolve(async (item) => {
    const data = item.data as ItemData | undefined;
    const paper = data === undefined ? undefined : await context.queries.byKey(data.key, data.origin);
    if (paper) item.documentation = { kind: MarkupKind.Markdown, value: completionDocumentation(paper) };
    return item;
  });

  connection.onHover(async (params, token): Promise<Hover | null> => {
    const input = context.documentInput(params.textDocument.uri);
    const document = documents.get(params.textDocument.uri);
    if (!input || !document || token.isCancellationRequested) return null;
    const found = keyAt(input.text, document.offsetAt(params.position), input.language);
    if (!found) return null;
    const definitions = reader.contents(context.bibliographyOf(input)).definitions(found.key);
    const paper =
      (await context.host.cancellable(token).byKey(found.key).catch((error: unknown) => {
        if (token.isCancellationRequested) return undefined;
        throw error;
      })) ??
      definitions.map((origin) => reader.paperInFile(origin.file, found.key)).find((known) => known !== undefined);
    const fit = paper ? await citationFitMarkdown(context, input, found.start, token) : undefined;
    if (token.isCancellationRequested) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: [hoverMarkdown({ key: found.key, paper, definitions, commandLinks: context.commandLinks() }), fit].filter(Boolean).join('\n\n') },
      range: { start: document.positionAt(found.start), end: document.positionAt(found.end) },
    };
  });

  connection.onDefinition((params): Location[] | null => {
    const input = context.documentInput(params.textDocument.uri);
    const document = documents.get(params.textDocument.uri);
    if (!input) return integrity.bibliographyDefinitions(params.textDocument.uri, params.position);
    if (!document) return null;
    const found = keyAt(input.text, document.offsetAt(params.position), input.language);
    if (!found) return null;
    return reader
      .contents(context.bibliographyOf(input))
      .definitions(found.key)
      .map((origin) => {
        const line = Math.max(0, origin.line - 1);
        return { uri: fileUri(origin.file), range: { start: { line, character: 0 }, end: { line, character: 0 } } };
      });
  });
}
