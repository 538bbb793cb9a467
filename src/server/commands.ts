// The server's commands (workspace/executeCommand): each computes its edit, asks the client to apply it
// (workspace/applyEdit) and answers what happened, so a client can save the .bib and place the cursor.
import type { Position } from 'vscode-languageserver';
import { isOrigin, type Paper } from '../core/paper';
import { ServerCommands, type CiteOutcome } from '../protocol';
import { addEntriesEdit, citeAtEdit, declareBibliographyEdit, type PlannedEdit } from './citing';
import type { ServerContext } from './server';

export function registerCommands(context: ServerContext, afterEdit: () => void): void {
  const apply = async (label: string, planned: PlannedEdit): Promise<CiteOutcome> => {
    if (!planned.outcome.applied || !planned.edit.documentChanges?.length) return planned.outcome;
    const result = await context.connection.workspace.applyEdit({ label, edit: planned.edit });
    if (!result.applied) context.log.warn(`The client did not apply "${label}"${result.failureReason ? `: ${result.failureReason}` : ''}`);
    afterEdit();
    return { ...planned.outcome, applied: result.applied };
  };
  const notFound = (message: string): CiteOutcome => ({ applied: false, message });

  context.connection.onExecuteCommand(async (params): Promise<CiteOutcome> => {
    const [uri, ...rest] = (params.arguments ?? []) as [string, ...unknown[]];
    const document = typeof uri === 'string' ? context.documentInput(uri) : undefined;
    if (!document) return notFound('Open a LaTeX or Markdown document first.');
    if (document.file === '') return notFound('Save the document first: its bibliography is found beside it.');
    switch (params.command) {
      case ServerCommands.addEntries: {
        // Completion names the paper it means by its place when others share its key (arguments: document, keys,
        // origins, paired by position: a key that is not a string is skipped with its origin).
        const origins = Array.isArray(rest[1]) ? (rest[1] as unknown[]) : [];
        const wanted = (Array.isArray(rest[0]) ? (rest[0] as unknown[]) : []).flatMap((key, at) =>
          typeof key === 'string' ? [{ key, origin: isOrigin(origins[at]) ? origins[at] : undefined }] : [],
        );
        const papers = (await Promise.all(wanted.map(({ key, origin }) => context.queries.byKey(key, origin)))).filter((paper): paper is Paper => paper !== undefined);
        if (papers.length === 0) return notFound(`The library no longer has ${wanted.map(({ key }) => key).join(', ')}.`);
        const label = papers.length === 1 ? `Add ${papers[0].key} to the bibliography` : `Add ${papers.length} entries to the bibliography`;
        return apply(label, addEntriesEdit(context.reader, document, papers));
      }
      case ServerCommands.citeAt: {
        const position = rest[0] as Position | undefined;
        const key = rest[1];
        // The search and related views name the paper by its place too (arguments: document, position, key, origin).
        const origin = isOrigin(rest[2]) ? rest[2] : undefined;
        const paper = typeof key === 'string' ? await context.queries.byKey(key, origin) : undefined;
        if (!position || !paper) return notFound(`"${String(key)}" is not in the Paperlens library.`);
        return apply(`Cite ${paper.key}`, citeAtEdit(context.reader, document, position, paper));
      }
      case ServerCommands.declareBibliography:
        return apply('Declare the bibliography', declareBibliographyEdit(context.reader, document));
      default:
        return notFound(`Unknown command ${params.command}`);
    }
  });
}
