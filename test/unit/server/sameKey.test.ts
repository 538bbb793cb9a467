// A corpus file that gives one key to two papers (a Mendeley export), through the real stdio server: both papers
// complete, each says the key is shared and resolves and cites as itself, a citation of the key gets a warning
// naming both, and its hover lists both. The Search and Related views name a paper by key and origin: citing,
// copying or opening the second paper reaches the second paper.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspTestClient, REPO, uriOf, type Diagnostic } from './lspClient';

interface CompletionItem {
  label: string;
  detail?: string;
  labelDetails?: { detail?: string; description?: string };
  command?: { command: string; arguments: unknown[] };
  data?: unknown;
  documentation?: { kind: string; value: string };
}

const FIXTURE = path.join(REPO, 'test/fixtures/library/mendeley-same-key.bib');

let workspace: string;
let mendeley: string;
let client: LspTestClient;

beforeAll(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'paperlens-same-key-'));
  mendeley = path.join(mkdtempSync(path.join(tmpdir(), 'paperlens-mendeley-')), 'mendeley.bib');
  copyFileSync(FIXTURE, mendeley);
  writeFileSync(path.join(workspace, 'references.bib'), '');
  writeFileSync(
    path.join(workspace, 'paper.tex'),
    '\\documentclass{article}\n\\begin{document}\nKeys collide \\cite{Smith2020}, books do not \\cite{Knuth1984}.\n\n\\bibliography{references}\n\\end{document}\n',
  );
  client = new LspTestClient(workspace, { corpus: { files: [mendeley], bundled: false, includeWorkspaceBibFiles: false } }, mkdtempSync(path.join(tmpdir(), 'paperlens-same-key-cache-')));
  await client.initialize();
}, 120_000);

afterAll(async () => {
  await client?.stop();
});

describe('two papers under one key in a corpus file', () => {
  it('are both in the library, and the same paper entered twice is one', async () => {
    expect(await client.ready()).toBe(4);
  });

  it('warn at each citation of the key, naming both papers and their lines', async () => {
    const uri = client.open(path.join(workspace, 'paper.tex'), 'latex');
    const diagnostics = await client.waitFor(() => client.diagnostics.get(uri)?.find((diagnostic: Diagnostic) => diagnostic.code === 'ambiguous-key'), 20_000, 'the shared-key warning');
    expect(diagnostics).toMatchObject({
      severity: 2,
      range: { start: { line: 2, character: 'Keys collide \\cite{'.length }, end: { line: 2, character: 'Keys collide \\cite{Smith2020'.length } },
      message:
        '"Smith2020" is the key of 2 papers in the Paperlens library: "Keys that collide in reference managers" (mendeley.bib:6) and ' +
        '"Sediment transport in braided rivers" (mendeley.bib:19); which one a reader gets depends on the bibliography\'s entry.',
    });
    expect(client.diagnostics.get(uri)?.filter((diagnostic: Diagnostic) => diagnostic.code === 'ambiguous-key')).toHaveLength(1);
  });

  it('complete as two items that say the key is shared, each resolving to its own paper', async () => {
    const uri = uriOf(path.join(workspace, 'paper.tex'));
    const text = client.editorTexts.get(uri)!.replace('\n\n', '\nMore \\cite{smith20\n');
    client.change(uri, text);
    const list = await client.request<{ items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 'More \\cite{smith20'.length } });
    const smiths = list.items.filter((item) => item.label === 'Smith2020');
    expect(smiths.map((item) => [item.labelDetails?.description, item.labelDetails?.detail])).toEqual([
      ['Keys that collide in reference managers', ''],
      ['Sediment transport in braided rivers', ''],
    ]);
    expect(smiths.map((item) => item.detail)).toEqual([
      'Smith and Doe · 2020 · Journal of Reference Management — 2 papers in mendeley.bib have the key Smith2020',
      'Smith · 2020 · Proceedings of the Conference on Rivers — 2 papers in mendeley.bib have the key Smith2020',
    ]);
    const details = await Promise.all(smiths.map((item) => client.request<CompletionItem>('completionItem/resolve', item)));
    expect(details[0].documentation?.value).toMatch(/^\*\*Keys that collide in reference managers\*\*/);
    expect(details[1].documentation?.value).toMatch(/^\*\*Sediment transport in braided rivers\*\*/);
    expect(details[1].documentation?.value).toContain('⚠ 2 papers in mendeley\\.bib have the key Smith2020: this one and **Keys that collide in reference managers** (2020)');
    expect(smiths[1].command?.arguments).toEqual([uri, ['Smith2020'], [{ file: mendeley, line: 19 }]]);
  });

  it("add the entry of the paper the item is, not the key's first (a malformed key before it shifts no origin)", async () => {
    const uri = uriOf(path.join(workspace, 'paper.tex'));
    await client.request('workspace/executeCommand', {
      command: 'paperlens.server.addEntries',
      arguments: [uri, [42, 'Smith2020'], [{ file: mendeley, line: 6 }, { file: mendeley, line: 19 }]],
    });
    const bib = client.editorTexts.get(uriOf(path.join(workspace, 'references.bib')))!;
    expect(bib).toMatch(/^@inproceedings\{Smith2020,/);
    expect(bib).toContain('Sediment transport in braided rivers');
    expect(bib).not.toContain('Keys that collide');
  });

  it('hover the key with both papers', async () => {
    const uri = uriOf(path.join(workspace, 'paper.tex'));
    const character = client.editorTexts.get(uri)!.split('\n')[2].indexOf('Smith2020') + 2;
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character } });
    expect(hover.contents.value).toMatch(/^\*\*Keys that collide in reference managers\*\*/);
    expect(hover.contents.value).toContain(
      `⚠ 2 papers in mendeley\\.bib have the key Smith2020; the one above is from [mendeley\\.bib\\:6](${uriOf(mendeley)}#L6), also: **Sediment transport in braided rivers** (2020), [mendeley\\.bib\\:19](${uriOf(mendeley)}#L19).`,
    );
  });
});

/** The second Smith2020 as the views send it: its key and the place it was read. */
const second = () => ({ file: mendeley, line: 19 });

interface PaperResult {
  paper: { key: string; title: string; origin: { file: string; line: number } };
  origins: { file: string; line: number }[];
  bibtex: string;
}

describe('the Search and Related views, which name a paper by its key and origin', () => {
  // The second paper's entry as renderBibtex writes it from the corpus file's fields.
  const SECOND_ENTRY = [
    '@inproceedings{Smith2020,',
    '  abstract = {A second paper by another Smith in the same year, about river sediments.},',
    '  author = {Smith, Anna},',
    '  booktitle = {Proceedings of the Conference on Rivers},',
    '  doi = {10.1000/rivers.2020.7},',
    '  mendeley-groups = {Thesis},',
    '  pages = {44--51},',
    '  title = {{Sediment transport in braided rivers}},',
    '  year = {2020},',
    '}',
    '',
].join('\n');

  it('get each search result with its own origin', async () => {
    const result = await client.request<{ hits: { key: string; origin: { file: string; line: number }; originLabel: string }[] }>('paperlens/search', {
      kind: 'search',
      text: 'smith 2020',
      filter: {},
      limit: 10,
    });
    const smiths = result.hits.filter((hit) => hit.key === 'Smith2020');
    expect(smiths.map((hit) => [hit.origin, hit.originLabel]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      [{ file: mendeley, line: 19 }, 'mendeley.bib:19'],
      [{ file: mendeley, line: 6 }, 'mendeley.bib:6'],
    ]);
  });

  it("cite the second paper with the second paper's entry", async () => {
    const bibliography = path.join(workspace, 'searched.bib');
    writeFileSync(bibliography, '');
    const file = path.join(workspace, 'searched.tex');
    const text = '\\documentclass{article}\n\\begin{document}\nRivers carry sand.\n\n\\bibliography{searched}\n\\end{document}\n';
    writeFileSync(file, text);
    const uri = client.open(file, 'latex');
    const position = { line: 2, character: 'Rivers carry sand'.length };
    const outcome = await client.request<{ applied: boolean; key: string }>('workspace/executeCommand', {
      command: 'paperlens.server.citeAt',
      arguments: [uri, position, 'Smith2020', second()],
    });
    expect(outcome).toMatchObject({ applied: true, key: 'Smith2020' });
    expect(client.editorTexts.get(uri)!.split('\n')[2]).toBe('Rivers carry sand\\cite{Smith2020}.');
    expect(client.editorTexts.get(uriOf(bibliography))).toBe(SECOND_ENTRY);
  });

  it('copy and open the second paper: its entry, its line', async () => {
    const found = await client.request<PaperResult>('paperlens/paper', { key: 'Smith2020', origin: second() });
    expect(found.paper.title).toBe('Sediment transport in braided rivers');
    expect(found.paper.origin).toEqual(second());
    expect(found.origins).toEqual([second()]);
    expect(found.bibtex).toBe(SECOND_ENTRY);
    expect(await client.request<string>('paperlens/reference', { key: 'Smith2020', origin: second() })).toMatch(/^Smith, A\. \(2020\)\. Sediment transport in braided rivers\./);
  });

  it("take the key's first paper without an origin, or with one that is malformed or names no paper of the key", async () => {
    for (const origin of [undefined, null, 'mendeley.bib:19', { file: mendeley, line: '19' }, { line: 19 }, { file: mendeley, line: 20 }]) {
      const found = await client.request<PaperResult>('paperlens/paper', { key: 'Smith2020', origin });
      expect([found.paper.title, found.origins], JSON.stringify(origin)).toEqual(['Keys that collide in reference managers', [{ file: mendeley, line: 6 }]]);
    }
  });

  it('get each related paper with its own origin', async () => {
    const file = path.join(workspace, 'rivers.md');
    const text = 'Braided rivers move sediment: sediment transport in braided rivers depends on the river bed and its sediments, as measured for rivers.\n';
    writeFileSync(file, text);
    const uri = client.open(file, 'markdown');
    const related = await client.request<{ kind: string; hits: { key: string; title: string; origin: { file: string; line: number } }[] }>('paperlens/related', {
      uri,
      position: { line: 0, character: 5 },
      limit: 10,
    });
    expect(related.hits.find((hit) => hit.title === 'Sediment transport in braided rivers')).toEqual(expect.objectContaining({ key: 'Smith2020', origin: second() }));
  });
});
