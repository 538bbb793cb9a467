// The Paperlens language server driven by a plain LSP client over stdio (`paperlens lsp --stdio`, the bundle in
// dist/), on copies of examples/paper.tex and examples/draft.md: completion, resolve, hover, definition, a cite's
// workspace/applyEdit, the citation check and its quick fixes, exactly as an editor sees them.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, LspTestClient, REPO, uriOf, type Diagnostic } from './lspClient';

interface CompletionItem {
  label: string;
  labelDetails?: { detail?: string; description?: string };
  filterText?: string;
  sortText?: string;
  textEdit?: { newText: string; insert: { start: { line: number; character: number } }; replace: unknown };
  command?: { command: string; arguments: unknown[] };
  data?: unknown;
  documentation?: { kind: string; value: string };
}
interface CompletionList {
  isIncomplete: boolean;
  items: CompletionItem[];
}

const run = promisify(execFile);

/** The entry the CLI renders for a bundled paper: what citing must append, byte for byte. */
function bundledEntry(key: string): string {
  return execFileSync(process.execPath, [CLI, 'bibtex', key], { encoding: 'utf8' }).trim();
}

function lines(text: string): string[] {
  return text.split('\n');
}

let workspace: string;
let client: LspTestClient;

beforeAll(async () => {
  // The server under test is the bundle users run, built by the global setup (test/unit/buildBundles.ts).
  workspace = mkdtempSync(path.join(tmpdir(), 'paperlens-lsp-'));
  cpSync(path.join(REPO, 'examples'), workspace, { recursive: true });
  client = new LspTestClient(workspace, { corpus: { bundled: true } }, mkdtempSync(path.join(tmpdir(), 'paperlens-lsp-cache-')));
  await client.initialize();
}, 120_000);

afterAll(async () => {
  await client?.stop();
});

describe('paperlens lsp --stdio', () => {
  it('loads the bundled corpus and the workspace .bib and says so', async () => {
    // examples/references.bib repeats bundled papers, so the library holds exactly the bundled 198.
    expect(await client.ready()).toBe(198);
    expect(client.statuses[0].kind).toBe('loading');
  });

  it('completes \\cite{ with words from an abstract: the paper first, the typed text as filter text, incomplete', async () => {
    const file = path.join(workspace, 'paper.tex');
    const text = readFileSync(file, 'utf8');
    const uri = client.open(file, 'latex', text);
    const edited = lines(text);
    edited[18] = 'Adapters \\cite{hypter zest';
    client.change(uri, edited.join('\n'));
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 18, character: edited[18].length } });
    expect(list.isIncomplete).toBe(true);
    expect(list.items[0].label).toBe('learninggeneratetask');
    expect(list.items[0].filterText).toBe('hypter zest');
    expect(list.items.map((item) => item.sortText)).toEqual(list.items.map((_, rank) => String(rank).padStart(String(list.items.length).length, '0')));
    expect(list.items[0].textEdit?.newText).toBe('learninggeneratetask');
    expect(list.items[0].textEdit?.insert.start).toEqual({ line: 18, character: 'Adapters \\cite{'.length });
    expect(list.items[0].labelDetails?.description).toMatch(/^Learning to Generate Task-Specific Adapters/);
    // Not in references.bib: accepting it adds the entry through the server's command.
    expect(list.items[0].command).toEqual({ title: 'Add the entry to the bibliography', command: 'paperlens.server.addEntries', arguments: [uri, ['learninggeneratetask']] });

    const resolved = await client.request<CompletionItem>('completionItem/resolve', list.items[0]);
    expect(resolved.documentation?.kind).toBe('markdown');
    expect(resolved.documentation?.value).toContain('Pre\\-trained text\\-to\\-text transformers');
  });

  it('lists the bibliography first, marked, on an empty key', async () => {
    const uri = uriOf(path.join(workspace, 'paper.tex'));
    const edited = lines(client.editorTexts.get(uri)!);
    edited[18] = 'Adapters \\cite{';
    client.change(uri, edited.join('\n'));
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 18, character: edited[18].length } });
    expect(list.items.slice(0, 3).map((item) => [item.label, item.labelDetails?.detail])).toEqual([
      ['simonyan2015very', ' ✓ in bibliography'],
      ['sutskever2014sequence', ' ✓ in bibliography'],
      ['ha2017hypernetworks', ' ✓ in bibliography'],
    ]);
    expect(list.items[0].command).toBeUndefined();
  });

  it('hovers a cited key with the paper and where its entry is, and goes to its definition', async () => {
    const uri = uriOf(path.join(workspace, 'paper.tex'));
    const line = 12; // "Very deep convolutional networks \citep{simonyan2015very} set …"
    const character = lines(client.editorTexts.get(uri)!)[line].indexOf('simonyan2015very') + 3;
    const hover = await client.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    expect(hover.contents.kind).toBe('markdown');
    expect(hover.contents.value).toContain('Very Deep Convolutional Networks for Large\\-Scale Image Recognition');
    expect(hover.contents.value).toContain(`Defined in [references\\.bib\\:3](${uriOf(path.join(workspace, 'references.bib'))}#L3)`);
    // A client that did not say it runs Paperlens's commands (any other editor) gets no command: links.
    expect(hover.contents.value).not.toContain('command:');
    const definition = await client.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri }, position: { line, character } });
    expect(definition).toEqual([{ uri: uriOf(path.join(workspace, 'references.bib')), range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } } }]);
  });

  it("citing through the completion's command asks the client to append exactly the entry to references.bib", async () => {
    const uri = uriOf(path.join(workspace, 'paper.tex'));
    const bib = path.join(workspace, 'references.bib');
    const before = readFileSync(bib, 'utf8');
    const outcome = await client.request<Record<string, unknown>>('workspace/executeCommand', { command: 'paperlens.server.addEntries', arguments: [uri, ['learninggeneratetask']] });
    expect(outcome).toEqual({
      applied: true,
      key: 'learninggeneratetask',
      bibliography: bib,
      bibliographyWasDirty: false,
      createdBibliography: false,
      appendedText: `\n${bundledEntry('learninggeneratetask')}\n`,
      declared: true,
    });
    expect(client.appliedEdits).toHaveLength(1);
    expect(client.editorTexts.get(uriOf(bib))).toBe(`${before}\n${bundledEntry('learninggeneratetask')}\n`);
  });

  it('a saved .bib updates the library incrementally: only that file is read again, no full reload', async () => {
    const bib = uriOf(path.join(workspace, 'references.bib'));
    const loadsBefore = client.logs.filter((line) => line.includes('Library ready:')).length;
    client.save(bib);
    // The cited paper is in the bundled corpus too: references.bib's copy now wins it (one in, one out).
    const update = await client.waitFor(() => client.logs.find((line) => line.startsWith('Library updated: references.bib')), 20_000, 'the incremental update');
    expect(update).toMatch(/^Library updated: references\.bib \+1 −1 in \d+ ms; 198 papers$/);
    expect(client.logs.filter((line) => line.includes('Library ready:')).length).toBe(loadsBefore);
    const paper = await client.request<{ paper: { origin: { file: string } } }>('paperlens/paper', { key: 'learninggeneratetask' });
    expect(paper.paper.origin.file).toBe(path.join(workspace, 'references.bib'));
  });

  it('searches for the search view with the exact number of matches, not only the page shown', async () => {
    const result = await client.request<{ hits: { key: string }[]; countLabel: string }>('paperlens/search', { kind: 'search', text: 'networks', filter: {}, limit: 5 });
    expect(result.hits).toHaveLength(5);
    const total = Number(/^(\d+) of 198 papers$/.exec(result.countLabel)?.[1]);
    expect(total).toBeGreaterThan(5);
    const all = await client.request<{ hits: unknown[]; countLabel: string }>('paperlens/search', { kind: 'search', text: 'networks', filter: {}, limit: 1000 });
    expect(all.hits).toHaveLength(total);
    expect(all.countLabel).toBe(result.countLabel);
  });

  it('completes [@ in Markdown with a word from an abstract', async () => {
    const file = path.join(workspace, 'draft.md');
    const text = readFileSync(file, 'utf8');
    const uri = client.open(file, 'markdown', text);
    const edited = lines(text);
    edited[12] = 'Try-on models [@garments';
    client.change(uri, edited.join('\n'));
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 12, character: edited[12].length } });
    expect(list.items[0].label).toBe('anyfitcontrollablevirtual');
    expect(list.items[0].textEdit?.insert.start).toEqual({ line: 12, character: 'Try-on models [@'.length });
  });

  it('flags a cited key missing from the bibliography, offers to add it, and clears the warnings when the document closes', async () => {
    const file = path.join(workspace, 'typed.tex');
    const text = '\\documentclass{article}\n\\begin{document}\nAdapters \\cite{andhrabandersnatchtraining} and a typo \\cite{simonyan2015vrey}.\n\\bibliography{references}\n\\end{document}\n';
    const uri = client.open(file, 'latex', text);
    const diagnostics = await client.waitFor(() => (client.diagnostics.get(uri)?.length === 2 ? client.diagnostics.get(uri) : undefined), 20_000, 'two warnings');
    expect(diagnostics.map((diagnostic: Diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([
      ['fromLibrary', '"andhrabandersnatchtraining" is cited but not in references.bib; the Paperlens library has it (quick fix: add its entry).'],
      ['unknown', '"simonyan2015vrey" is in neither references.bib nor the Paperlens library: check the key, or add the corpus file that defines it.'],
    ]);
    const actions = await client.request<{ title: string; command?: { command: string; arguments: unknown[] }; edit?: unknown }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    // The last is on any sentence (related.ts): "Find citations for this sentence…".
    expect(actions.map((action) => action.title)).toEqual([
      'Add "andhrabandersnatchtraining" to the bibliography from the Paperlens library',
      'Change to "simonyan2015very"',
      'Find citations for this sentence…',
    ]);
    expect(actions[0].command).toEqual({ title: actions[0].title, command: 'paperlens.server.addEntries', arguments: [uri, ['andhrabandersnatchtraining']] });
    expect(actions[1].edit).toEqual({ changes: { [uri]: [{ range: diagnostics[1].range, newText: 'simonyan2015very' }] } });

    // A second missing key: one quick fix adds both entries as one insertion, in one edit.
    const two = text.replace('a typo \\cite{simonyan2015vrey}', 'garments \\cite{anyfitcontrollablevirtual}');
    client.change(uri, two);
    const both = await client.waitFor(() => {
      const found = client.diagnostics.get(uri);
      return found?.length === 2 && found.every((diagnostic) => diagnostic.code === 'fromLibrary') && found;
    }, 20_000, 'two keys the library can supply');
    const fixes = await client.request<{ title: string; command?: { command: string; arguments: unknown[] } }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: both[0].range,
      context: { diagnostics: [both[0]] },
    });
    const addAll = fixes.find((action) => action.title === 'Add all 2 missing entries from the Paperlens library');
    expect(addAll?.command).toEqual({ title: addAll?.title, command: 'paperlens.server.addEntries', arguments: [uri, ['andhrabandersnatchtraining', 'anyfitcontrollablevirtual']] });
    const bib = uriOf(path.join(workspace, 'references.bib'));
    const before = client.editorTexts.get(bib)!;
    const edits = client.appliedEdits.length;
    await client.request('workspace/executeCommand', { command: addAll!.command!.command, arguments: addAll!.command!.arguments });
    expect(client.appliedEdits.length).toBe(edits + 1);
    const changes = client.appliedEdits.at(-1)!.documentChanges!;
    expect(changes).toHaveLength(1);
    expect(client.editorTexts.get(bib)).toBe(`${before}\n${bundledEntry('andhrabandersnatchtraining')}\n\n${bundledEntry('anyfitcontrollablevirtual')}\n`);

    // An edit schedules a check; closing the document before it runs must leave no warnings behind.
    client.change(uri, text.replace('a typo', 'one typo'));
    client.close(uri);
    await client.waitFor(() => client.diagnostics.get(uri)?.length === 0, 5_000, 'the warnings cleared');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(client.diagnostics.get(uri)).toEqual([]);
  });
});

const CORPORA = process.env.PAPERLENS_CORPORA ?? path.resolve(REPO, '../shared/corpora');

describe('paperlens lsp --stdio with the ACL anthology (88k papers) as its corpus', () => {
  let big: LspTestClient;
  let bigWorkspace: string;

  beforeAll(async () => {
    bigWorkspace = mkdtempSync(path.join(tmpdir(), 'paperlens-lsp-big-'));
    cpSync(path.join(REPO, 'examples'), bigWorkspace, { recursive: true });
    big = new LspTestClient(
      bigWorkspace,
      { corpus: { bundled: false, files: [path.join(CORPORA, 'large', 'acl-anthology.bib')] } },
      mkdtempSync(path.join(tmpdir(), 'paperlens-lsp-cache-')),
    );
    await big.initialize();
  }, 60_000);

  afterAll(async () => {
    await big?.stop();
  });

  it('answers completion and hover from the document’s own .bib while the big library is still loading', async () => {
    const file = path.join(bigWorkspace, 'paper.tex');
    const text = readFileSync(file, 'utf8');
    const uri = big.open(file, 'latex', text);
    const edited = lines(text);
    edited[18] = 'Adapters \\cite{hyper';
    big.change(uri, edited.join('\n'));
    const list = await big.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 18, character: edited[18].length } });
    const hover = await big.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 12, character: 45 } });
    // Measured while loading: the test means nothing if the library was ready first.
    expect(big.statuses.every((status) => status.kind === 'loading')).toBe(true);
    expect(list.items.map((item) => item.label)).toEqual(['ha2017hypernetworks']);
    expect(list.items[0].labelDetails?.detail).toBe(' ✓ in bibliography');
    expect(hover.contents.value).toContain('Very Deep Convolutional Networks');
  });
});

describe('Neovim (headless, its built-in LSP client) with paperlens lsp --stdio', () => {
  it('completes in a .tex and a .md file: the items are the papers of the typed words', async () => {
    const nvimWorkspace = mkdtempSync(path.join(tmpdir(), 'paperlens-nvim-'));
    cpSync(path.join(REPO, 'examples'), nvimWorkspace, { recursive: true });
    const out = path.join(nvimWorkspace, 'completion.json');
    await run('nvim', ['--headless', '-u', path.join(REPO, 'test', 'lsp', 'nvim', 'init.lua')], {
      env: { ...process.env, PAPERLENS_CLI: CLI, PAPERLENS_WORKSPACE: nvimWorkspace, PAPERLENS_OUT: out },
      timeout: 150_000,
    }).catch((error: Error) => {
      throw new Error(`nvim failed (is it installed? apt-get install neovim): ${error.message}`);
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as { tex: string[]; md: string[]; errors: string[] };
    expect(report.errors).toEqual([]);
    expect(report.tex[0]).toBe('learninggeneratetask');
    expect(report.md[0]).toBe('anyfitcontrollablevirtual');
  }, 180_000);
});
