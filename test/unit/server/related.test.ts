// Literature-aware writing through the language server over stdio (the bundle users run): the Related view's
// request for the paragraph at the cursor, the sentence request with where the key goes, the code action that
// opens the pick list, citing at that place, and the hover's "Did you mean …?" for a key that does not fit.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, LspTestClient, REPO, uriOf } from './lspClient';

const KEY = 'anyfitcontrollablevirtual';
/** AnyFit (virtual try-on) in a writer's words, with a citation and math inside. */
const PARAGRAPH =
  'Dressing a photographed person in clothes from shop images is hard when several garments must be combined \\citep{simonyan2015very}. ' +
  'Parallel attention blocks that inject the features of $k$ garments keep the fitting realistic in any scene.';
const SENTENCE = 'Recent try-on systems mix multiple garments with parallel attention to keep every outfit realistic \\cite{ha2017hypernetworks}.';
const WRONG = 'Combining multiple garments with parallel attention keeps the try-on fitting realistic \\cite{simonyan2015very}.';

interface RelatedPaperView {
  key: string;
  title: string;
  reason: string;
  reasonMarks: [number, number][];
  cited: boolean;
}

let workspace: string;
let client: LspTestClient;
let uri: string;
/** paper.tex with three new paragraphs after "% Cite something here." (line 18, 0-based 17). */
let text: string;
const PARAGRAPH_LINE = 18;
const SENTENCE_LINE = 20;
const WRONG_LINE = 22;

beforeAll(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'paperlens-related-'));
  cpSync(path.join(REPO, 'examples'), workspace, { recursive: true });
  client = new LspTestClient(workspace, { corpus: { bundled: true } }, mkdtempSync(path.join(tmpdir(), 'paperlens-related-cache-')));
  await client.initialize();
  await client.ready();
  const lines = readFileSync(path.join(workspace, 'paper.tex'), 'utf8').split('\n');
  lines.splice(PARAGRAPH_LINE, 1, PARAGRAPH, '', SENTENCE, '', WRONG, '');
  text = lines.join('\n');
  uri = client.open(path.join(workspace, 'paper.tex'), 'latex', text);
}, 120_000);

afterAll(async () => {
  await client?.stop();
});

describe('related papers through paperlens lsp --stdio', () => {
  it('ranks the paragraph at the cursor: the paper it describes first, with its shared ideas marked in the reason', async () => {
    const result = await client.request<{ kind: string; hits: RelatedPaperView[] }>('paperlens/related', {
      uri,
      position: { line: PARAGRAPH_LINE, character: 10 },
      limit: 10,
    });
    expect(result.kind).toBe('papers');
    expect(result.hits[0].key).toBe(KEY);
    const first = result.hits[0];
    expect(first.reason).toMatch(/^Shares /);
    expect(first.reasonMarks.length).toBeGreaterThan(0);
    for (const [start, end] of first.reasonMarks) expect(first.reason.slice(start, end)).not.toMatch(/^Shares|,/);
    expect(first.cited).toBe(false);
  });

  it('a cursor just after the citation that ends a paragraph is in that paragraph, and the cited paper is marked', async () => {
    const line = `Dressing a photographed person in clothes from shop images is hard when several garments must be combined in any scene\\cite{${KEY}}`;
    const cited = client.open(path.join(workspace, 'cited.tex'), 'latex', `${line}\n\\bibliography{references}\n`);
    const result = await client.request<{ kind: string; hits: RelatedPaperView[] }>('paperlens/related', { uri: cited, position: { line: 0, character: line.length }, limit: 10 });
    expect(result.kind).toBe('papers');
    expect(result.hits[0]).toMatchObject({ key: KEY, cited: true });
  });

  it('says a too-short paragraph is too short, and a blank line is in no paragraph', async () => {
    const short = client.open(path.join(workspace, 'short.md'), 'markdown', '# Notes\n\nGraphs.\n\n');
    expect(await client.request('paperlens/related', { uri: short, position: { line: 2, character: 2 }, limit: 10 })).toEqual({ kind: 'tooShort' });
    expect(await client.request('paperlens/related', { uri: short, position: { line: 4, character: 0 }, limit: 10 })).toEqual({ kind: 'noParagraph' });
  });

  it('offers "Find citations for this sentence…" as a code action that runs the client command with the position', async () => {
    const position = { line: SENTENCE_LINE, character: 5 };
    const actions = await client.request<{ title: string; kind: string; command: { command: string; arguments: unknown[] } }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
    const find = actions.find((action) => action.title === 'Find citations for this sentence…');
    expect(find?.kind).toBe('refactor.rewrite');
    expect(find?.command).toEqual({ title: 'Find citations for this sentence…', command: 'paperlens.findCitations', arguments: [uri, position] });
  });

  it('answers only the kinds a code-action request asks for: a refactoring is not a quick fix', async () => {
    const position = { line: SENTENCE_LINE, character: 5 };
    const titles = async (only: string[]) =>
      (
        await client.request<{ title: string }[]>('textDocument/codeAction', {
          textDocument: { uri },
          range: { start: position, end: position },
          context: { diagnostics: [], only },
        })
      ).map((action) => action.title);
    expect(await titles(['quickfix'])).toEqual([]);
    expect(await titles(['refactor'])).toEqual(['Find citations for this sentence…']);
    expect(await titles(['refactor.rewrite'])).toEqual(['Find citations for this sentence…']);
    expect(await titles(['refactor.rewrite.more'])).toEqual([]);
    expect(await titles([''])).toEqual(['Find citations for this sentence…']);
  });

  it('ranks the sentence, and citing at its place joins the citation that ends it', async () => {
    const found = await client.request<{ hits: RelatedPaperView[]; tooShort: boolean; citePosition: { line: number; character: number } }>('paperlens/sentencePapers', {
      uri,
      position: { line: SENTENCE_LINE, character: 5 },
      limit: 10,
    });
    expect(found.tooShort).toBe(false);
    expect(found.hits[0].key).toBe(KEY);
    // Inside \cite{ha2017hypernetworks}, before its closing brace.
    expect(found.citePosition).toEqual({ line: SENTENCE_LINE, character: SENTENCE.indexOf('}.') });
    await client.request('workspace/executeCommand', { command: 'paperlens.server.citeAt', arguments: [uri, found.citePosition, KEY] });
    expect(client.editorTexts.get(uri)!.split('\n')[SENTENCE_LINE]).toBe(SENTENCE.replace('ha2017hypernetworks}', `ha2017hypernetworks, ${KEY}}`));
    expect(client.editorTexts.get(uriOf(path.join(workspace, 'references.bib')))).toContain(execFileSync(process.execPath, [CLI, 'bibtex', KEY], { encoding: 'utf8' }).trim());
    // Now the sentence cites the paper: the Related view still lists it first, marked as cited.
    client.change(uri, client.editorTexts.get(uri)!);
    const related = await client.request<{ hits: RelatedPaperView[] }>('paperlens/related', { uri, position: { line: SENTENCE_LINE, character: 5 }, limit: 10 });
    expect(related.hits[0]).toMatchObject({ key: KEY, cited: true });
    expect(related.hits.filter((hit) => hit.cited).map((hit) => hit.key).sort()).toEqual(related.hits.some((hit) => hit.key === 'ha2017hypernetworks') ? [KEY, 'ha2017hypernetworks'].sort() : [KEY]);
  });

  it('ranks a selection by its own text, the key going at the end of its sentence', async () => {
    const line = text.split('\n')[PARAGRAPH_LINE];
    const end = line.indexOf('\\citep');
    const found = await client.request<{ hits: RelatedPaperView[]; citePosition: { line: number; character: number } }>('paperlens/sentencePapers', {
      uri,
      position: { line: PARAGRAPH_LINE, character: 0 },
      selection: { start: { line: PARAGRAPH_LINE, character: 0 }, end: { line: PARAGRAPH_LINE, character: end } },
      limit: 5,
    });
    expect(found.hits.length).toBeGreaterThan(0);
    expect(found.citePosition).toEqual({ line: PARAGRAPH_LINE, character: line.indexOf('}.') });
  });

  it('hovers a key that does not fit its sentence with "Did you mean" naming the paper that does, quietly', async () => {
    const character = WRONG.indexOf('simonyan2015very') + 3;
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: WRONG_LINE, character } });
    expect(hover.contents.value).toContain('Very Deep Convolutional Networks');
    expect(hover.contents.value).toMatch(/\*Fit with this sentence:\* (a weak match|no match)/);
    expect(hover.contents.value).toContain(`*Did you mean* **${KEY}**`);
  });

  it('lists papers similar to a paper by the same ranking, itself excluded', async () => {
    const similar = await client.request<RelatedPaperView[]>('paperlens/relatedSimilar', { key: KEY, limit: 5 });
    expect(similar.length).toBe(5);
    expect(similar.map((hit) => hit.key)).not.toContain(KEY);
    // The search view's "Similar papers" is the same ranking.
    const search = await client.request<{ hits: { key: string }[]; countLabel: string }>('paperlens/search', { kind: 'similar', text: KEY, filter: {}, limit: 5 });
    expect(search.hits.map((hit) => hit.key)).toEqual(similar.map((hit) => hit.key));
    expect(search.countLabel).toBe('5 similar papers');
  });
});

describe('uncited claims through paperlens lsp --stdio (paperlens.related.uncitedClaims on)', () => {
  let claims: LspTestClient;
  beforeAll(async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'paperlens-claims-'));
    cpSync(path.join(REPO, 'examples'), folder, { recursive: true });
    claims = new LspTestClient(folder, { corpus: { bundled: true }, related: { uncitedClaims: true } }, mkdtempSync(path.join(tmpdir(), 'paperlens-claims-cache-')));
    await claims.initialize();
    await claims.ready();
  }, 120_000);
  afterAll(async () => {
    await claims?.stop();
  });

  it('hints at a claim about prior work that cites nothing, not at a cited one, and its quick fix finds citations', async () => {
    const text = [
      '\\documentclass{article}',
      '\\begin{document}',
      'It has been shown that parallel attention over multiple garments outperforms earlier try-on systems.',
      'It has been shown that very deep convolutional networks recognise images well \\cite{simonyan2015very}.',
      '\\bibliography{references}',
      '\\end{document}',
      '',
    ].join('\n');
    const uri = claims.open(path.join(claims.workspace, 'claims.tex'), 'latex', text);
    const hints = await claims.waitFor(() => claims.diagnostics.get(uri)?.filter((diagnostic) => diagnostic.code === 'uncitedClaim'), 20_000, 'the claim hints');
    expect(hints.map((hint) => hint.range.start.line)).toEqual([2]);
    expect((hints[0] as { severity?: number }).severity).toBe(4);
    const actions = await claims.request<{ title: string; kind: string; diagnostics?: unknown[]; command: { arguments: unknown[] } }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: hints[0].range,
      context: { diagnostics: hints },
    });
    const fix = actions.find((action) => action.title === 'Find citations for this sentence…');
    expect(fix).toMatchObject({ kind: 'quickfix', diagnostics: [hints[0]], command: { arguments: [uri, hints[0].range.start] } });
  });
});
