// Literature-aware writing in the server, thin handlers over core/related answered where the library lives: the
// Related view's papers for the paragraph at the cursor, the "Find citations for this sentence" list and its code
// action, similar papers, and the hover's "Does this citation fit?" line. Each request carries its LSP
// cancellation to the library worker, so a paragraph outdated by the next keystroke is never ranked.
import { CodeActionKind, DiagnosticSeverity, type CancellationToken, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { uncitedClaims, type CitationFit, type RelatedHit } from '../core/related';
import { escapeMarkdown } from '../core/render';
import { isOrigin } from '../core/paper';
import { COMMANDS } from '../ids';
import { authorList } from '../core/viewmodel';
import {
  RelatedRequest,
  RelatedSimilarRequest,
  SentencePapersRequest,
  type RelatedPaperView,
  type RelatedResult,
  type SentencePapersResult,
} from '../protocol';
import type { DocumentInput } from './bibliographies';
import { onRequest } from './messages';
import type { ServerContext } from './server';

export const FIND_CITATIONS_TITLE = 'Find citations for this sentence…';

/** Where a paper's shared ideas are in its reason line: each idea after "Shares ", separated by commas. */
function reasonMarks(reason: string): [number, number][] {
  const prefix = 'Shares ';
  if (!reason.startsWith(prefix)) return [];
  const marks: [number, number][] = [];
  let start = prefix.length;
  for (const part of reason.slice(prefix.length).split(', ')) {
    marks.push([start, start + part.length]);
    start += part.length + 2;
  }
  return marks;
}

export function relatedPaperView(hit: RelatedHit, citedKeys: ReadonlySet<string>): RelatedPaperView {
  const { paper } = hit;
  return {
    key: paper.key,
    origin: paper.origin,
    title: paper.title,
    authors: authorList(paper.authors),
    year: paper.year,
    reason: hit.reason,
    reasonMarks: reasonMarks(hit.reason),
    cited: citedKeys.has(paper.key),
  };
}

/** An answer nobody waits for any more (the view moved on): nothing, instead of an error in the log. */
async function unlessCancelled<T>(token: CancellationToken, ask: () => Promise<T>, otherwise: T): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (token.isCancellationRequested) return otherwise;
    throw error;
  }
}

export function registerRelated(context: ServerContext): void {
  const { connection } = context;
  const textDocument = (input: DocumentInput) => TextDocument.create(input.uri, input.language, input.version, input.text);

  onRequest(connection, RelatedRequest, async ({ uri, position, limit }, token): Promise<RelatedResult> => {
    const input = context.documentInput(uri);
    if (!input) return { kind: 'noDocument' };
    const offset = textDocument(input).offsetAt(position);
    const found = await unlessCancelled(token, () => context.host.cancellable(token).relatedParagraph(input.text, offset, input.language, limit), undefined);
    if (!found) return { kind: 'noParagraph' };
    if (found.tooShort) return { kind: 'tooShort' };
    const cited = new Set(found.citedKeys);
    return { kind: 'papers', hits: found.hits.map((hit) => relatedPaperView(hit, cited)) };
  });

  onRequest(connection, SentencePapersRequest, async ({ uri, position, selection, limit }, token): Promise<SentencePapersResult | null> => {
    const input = context.documentInput(uri);
    if (!input) return null;
    const document = textDocument(input);
    const queries = context.host.cancellable(token);
    // A selection is ranked by its own text; the key goes at the end of the sentence the selection ends in.
    const at = document.offsetAt(selection ? selection.end : position);
    const sentence = await unlessCancelled(token, () => queries.relatedSentence(input.text, Math.max(0, at - (selection ? 1 : 0)), input.language, limit), undefined);
    if (!sentence) return null;
    const selected = selection && document.getText(selection);
    const hits = selected ? await unlessCancelled(token, () => queries.relatedText(selected, input.language, limit), []) : sentence.hits;
    return {
      hits: hits.map((hit) => relatedPaperView(hit, new Set())),
      tooShort: selected ? hits.length === 0 : sentence.tooShort,
      citePosition: document.positionAt(sentence.citeOffset),
    };
  });

  onRequest(connection, RelatedSimilarRequest, async ({ key, limit, origin }) =>
    (await context.queries.relatedSimilar(key, limit, isOrigin(origin) ? origin : undefined)).map((hit) => relatedPaperView(hit, new Set())),
  );
}

/**
 * "Find citations for this sentence…" on a sentence of a LaTeX or Markdown document: the client's command that
 * opens the pick list of papers for it, given the document and position. On an uncited claim's hint it is that
 * hint's quick fix.
 */
export function findCitationsActions(context: ServerContext, uri: string, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  if (!context.documentInput(uri)) return [];
  const claim = diagnostics.find((diagnostic) => diagnostic.source === 'Paperlens' && diagnostic.code === UNCITED_CLAIM);
  const at = claim ? claim.range.start : range.start;
  return [
    {
      title: FIND_CITATIONS_TITLE,
      kind: claim ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
      diagnostics: claim ? [claim] : undefined,
      command: { title: FIND_CITATIONS_TITLE, command: COMMANDS.findCitations, arguments: [uri, at] },
    },
  ];
}

/** The diagnostic code of a sentence that reads as a claim about prior work and cites nothing. */
export const UNCITED_CLAIM = 'uncitedClaim';

/** Faint hints on uncited claims, when the document's folder asks for them (paperlens.related.uncitedClaims). */
export function uncitedClaimDiagnostics(context: ServerContext, input: DocumentInput, document: TextDocument): Diagnostic[] {
  if (input.file === '' || !context.settingsOf(input.file).uncitedClaims) return [];
  return uncitedClaims(input.text, input.language).map((claim) => ({
    range: { start: document.positionAt(claim.start), end: document.positionAt(claim.end) },
    message: `This reads as a claim about prior work ("${claim.cue}") and cites nothing. Quick fix: find citations for this sentence.`,
    severity: DiagnosticSeverity.Hint,
    source: 'Paperlens',
    code: UNCITED_CLAIM,
  }));
}

/** The hover's quiet line on a cited key: how well its paper fits the citing sentence, and a much better match. */
export async function citationFitMarkdown(context: ServerContext, input: DocumentInput, offset: number, token: CancellationToken): Promise<string | undefined> {
  const fit = await unlessCancelled(token, () => context.host.cancellable(token).citationFit(input.text, offset, input.language), undefined);
  return fit && fitMarkdown(fit);
}

export function fitMarkdown(fit: CitationFit): string {
  const ideas = fit.shared.slice(0, 4).map((term) => term.paperText);
  const match = fit.rank === 1 ? 'the best match in the library' : fit.fit >= 0.5 ? 'a good match' : fit.fit > 0 ? 'a weak match' : 'no match';
  const lines = [`*Fit with this sentence:* ${match}${ideas.length > 0 ? ` — shared ideas: ${escapeMarkdown(ideas.join(', '))}` : ' — it shares no ideas with it'}.`];
  if (fit.betterMatch) {
    const better = fit.betterMatch.paper;
    lines.push(`*Did you mean* **${escapeMarkdown(better.key)}** (${escapeMarkdown(better.title)})? ${escapeMarkdown(fit.betterMatch.reason)}.`);
  }
  return lines.join('\n\n');
}
