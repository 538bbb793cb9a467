// Citation integrity through the language server as an editor sees it (`paperlens lsp --stdio`), on a thesis with a
// chapter in a subfolder that has no `%!TEX root`: Find All References, prepareRename/rename from the .bib (and the
// refusals), the .bib diagnostics with the merge fix, and the unused-entries and export-cited requests.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspTestClient, uriOf, type Diagnostic } from './lspClient';

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface Location {
  uri: string;
  range: Range;
}
interface CodeAction {
  title: string;
  edit?: { changes: Record<string, TextEdit[]> };
}


const MAIN = [
  '\\documentclass{book}',
  '\\begin{document}',
  'Growth by attachment \\cite{smith2020}.',
  '% \\cite{smith2020} in a comment is no use',
  '\\include{chapters/intro}',
  '\\bibliography{refs}',
  '\\end{document}',
  '',
].join('\n');
const INTRO = ['\\chapter{Introduction}', 'Small worlds \\cite{jones2019,smith2020} and \\citep{smithTwice}.', ''].join('\n');
const REFS = [
  '@article{smith2020,',
  '  title = {Preferential Attachment in Growing Networks},',
  '  author = {Smith, Ann},',
  '  year = {2020}',
  '}',
  '',
  '@article{jones2019,',
  '  title = {Small Worlds Revisited},',
  '  author = {Jones, Bob},',
  '  year = {2019}',
  '}',
  '',
  '@article{smithTwice,',
  '  title = {Preferential attachment in growing networks},',
  '  author = {Smith, Ann},',
  '  year = {2020},',
  '  doi = {10.1000/pa.2020}',
  '}',
  '',
  '@misc{neverCited,',
  '  title = {Nobody Cites This},',
  '  year = {1999}',
  '}',
  '',
  '@misc{jones2019,',
  '  title = {A Second Entry Under a Taken Key},',
  '  year = {2001}',
  '}',
  '',
].join('\n');

/** Outside the thesis's project: parts that name their volume (and an entry of refs.bib) by crossref and xdata. */
const PROCEEDINGS = [
  '@proceedings{volume2021,',
  '  title = {The Volume}',
  '}',
  '',
  '@inproceedings{part2021,',
  '  title = {A Part},',
  '  crossref = {volume2021}',
  '}',
  '',
  '@inproceedings{other2021,',
  '  title = {Another Part},',
  '  xdata = {neverCited, volume2021}',
  '}',
  '',
].join('\n');

let workspace: string;
let client: LspTestClient;
const file = (name: string) => path.join(workspace, name);
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));
const at = (text: string, needle: string, inside = 2) => {
  const line = lineOf(text, needle);
  return { line, character: text.split('\n')[line].indexOf(needle) + inside };
};
const apply = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create('file:///x', 'text', 0, text), edits);

beforeAll(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'paperlens-integrity-'));
  mkdirSync(path.join(workspace, 'chapters'));
  writeFileSync(file('main.tex'), MAIN);
  writeFileSync(file('chapters/intro.tex'), INTRO);
  writeFileSync(file('refs.bib'), REFS);
  writeFileSync(file('proceedings.bib'), PROCEEDINGS);
  client = new LspTestClient(workspace, { corpus: { bundled: true } }, mkdtempSync(path.join(tmpdir(), 'paperlens-integrity-cache-')));
  await client.initialize();
  await client.ready();
}, 120_000);

afterAll(async () => {
  await client?.stop();
});

describe('integrity over LSP', () => {
  it('Find All References on a key in the chapter lists the entry, then every use; the comment is no use', async () => {
    const uri = client.open(file('chapters/intro.tex'), 'latex', INTRO);
    const locations = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: at(INTRO, 'smith2020'),
      context: { includeDeclaration: true },
    });
    expect(locations.map((location) => [path.relative(workspace, new URL(location.uri).pathname), location.range.start.line, location.range.start.character])).toEqual([
      ['refs.bib', 0, '@article{'.length],
      ['chapters/intro.tex', 1, INTRO.split('\n')[1].indexOf('smith2020')],
      ['main.tex', 2, MAIN.split('\n')[2].indexOf('smith2020')],
    ]);
    const withoutDeclaration = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: at(INTRO, 'smith2020'),
      context: { includeDeclaration: false },
    });
    expect(withoutDeclaration).toHaveLength(2);
    client.close(uri);
  });

  it('Go to Definition on a crossref or xdata value in a .bib opens the parent entry, in the same .bib or another', async () => {
    const uri = client.open(file('proceedings.bib'), 'bibtex', PROCEEDINGS);
    const definition = async (position: { line: number; character: number }) =>
      (await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position })).map((location) => [
        path.relative(workspace, new URL(location.uri).pathname),
        location.range.start.line,
        location.range.start.character,
        location.range.end.character,
      ]);
    expect(await definition(at(PROCEEDINGS, 'crossref = {volume2021}', 'crossref = {vol'.length))).toEqual([['proceedings.bib', 0, 13, 23]]);
    expect(await definition(at(PROCEEDINGS, 'xdata = {neverCited', 'xdata = {never'.length))).toEqual([['refs.bib', 19, 6, 16]]);
    expect(await definition(at(PROCEEDINGS, 'xdata = {neverCited', 'xdata = {neverCited, vol'.length))).toEqual([['proceedings.bib', 0, 13, 23]]);
    // Anywhere else in an entry there is no key to go to.
    expect(await client.request<Location[] | null>('textDocument/definition', { textDocument: { uri }, position: at(PROCEEDINGS, 'title = {A Part}') })).toBeNull();
    client.close(uri);
  });

  it('Find All References on an entry key in a .bib lists the entry, then the crossref and xdata fields naming it', async () => {
    const uri = client.open(file('proceedings.bib'), 'bibtex', PROCEEDINGS);
    const locations = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: at(PROCEEDINGS, 'volume2021,'),
      context: { includeDeclaration: true },
    });
    expect(locations.map((location) => [path.relative(workspace, new URL(location.uri).pathname), location.range.start.line, location.range.start.character])).toEqual([
      ['proceedings.bib', 0, '@proceedings{'.length],
      ['proceedings.bib', 6, '  crossref = {'.length],
      ['proceedings.bib', 11, '  xdata = {neverCited, '.length],
    ]);
    client.close(uri);
  });

  it('lists a key\'s uses in the project in reading order, root first, each with its line', async () => {
    const uri = client.open(file('chapters/intro.tex'), 'latex', INTRO);
    const uses = await client.request<{ uri: string; range: Range; lineText: string }[]>('paperlens/keyUses', { uri, key: 'smith2020' });
    expect(uses.map((use) => [path.relative(workspace, new URL(use.uri).pathname), use.range.start.line, use.range.start.character, use.lineText])).toEqual([
      ['main.tex', 2, MAIN.split('\n')[2].indexOf('smith2020'), 'Growth by attachment \\cite{smith2020}.'],
      ['chapters/intro.tex', 1, INTRO.split('\n')[1].indexOf('smith2020'), 'Small worlds \\cite{jones2019,smith2020} and \\citep{smithTwice}.'],
    ]);
    expect(await client.request('paperlens/keyUses', { uri, key: 'neverCited' })).toEqual([]);
    client.close(uri);
  });

  it('a rename from the .bib changes the entry, the root and the chapter, and nothing in the comment', async () => {
    const uri = client.open(file('refs.bib'), 'bibtex', REFS);
    const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: at(REFS, 'smith2020') });
    expect(prepared).toEqual({ range: { start: { line: 0, character: 9 }, end: { line: 0, character: 18 } }, placeholder: 'smith2020' });
    const edit = await client.request<{ changes: Record<string, TextEdit[]> }>('textDocument/rename', {
      textDocument: { uri },
      position: at(REFS, 'smith2020'),
      newName: 'smith2020growth',
    });
    expect(Object.keys(edit.changes).sort()).toEqual([uriOf(file('chapters/intro.tex')), uriOf(file('main.tex')), uri].sort());
    expect(apply(REFS, edit.changes[uri])).toBe(REFS.replace('@article{smith2020,', '@article{smith2020growth,'));
    expect(apply(MAIN, edit.changes[uriOf(file('main.tex'))])).toBe(MAIN.replace('\\cite{smith2020}.', '\\cite{smith2020growth}.'));
    expect(apply(INTRO, edit.changes[uriOf(file('chapters/intro.tex'))])).toBe(INTRO.replace('jones2019,smith2020}', 'jones2019,smith2020growth}'));
    client.close(uri);
  });

  it('a rename to a taken key or to a key with a space is refused with the reason', async () => {
    const uri = uriOf(file('main.tex'));
    client.open(file('main.tex'), 'latex', MAIN);
    await expect(
      client.request('textDocument/rename', { textDocument: { uri }, position: at(MAIN, 'smith2020'), newName: 'jones2019' }),
    ).rejects.toThrow('"jones2019" already exists (refs.bib:7): pick another key, or merge the two entries.');
    await expect(
      client.request('textDocument/rename', { textDocument: { uri }, position: at(MAIN, 'smith2020'), newName: 'smith 2020' }),
    ).rejects.toThrow('"smith 2020" is not a valid citation key: it contains a space');
    await expect(client.request('textDocument/prepareRename', { textDocument: { uri }, position: { line: 0, character: 3 } })).rejects.toThrow(
      'Put the cursor on a citation key',
    );
    client.close(uri);
  });

  it('an open .bib gets its duplicate key as an error linked to the first entry, the same paper twice as information', async () => {
    const uri = client.open(file('refs.bib'), 'bibtex', REFS);
    type BibDiagnostic = Diagnostic & { severity: number; relatedInformation?: { location: Location; message: string }[] };
    // The library's reading problems for refs.bib (published at start, while it was a closed corpus file) give way to
    // the .bib diagnostics once it is open: wait for those.
    const diagnostics = (await client.waitFor(
      () => (client.diagnostics.get(uri)?.some((diagnostic) => diagnostic.code === 'duplicate-key') ? client.diagnostics.get(uri) : undefined),
      20_000,
      'refs.bib diagnostics',
    )) as BibDiagnostic[];
    const summary = diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.severity, diagnostic.code]);
    expect(summary).toEqual([
      [12, 3, 'duplicate-entry'],
      [24, 1, 'duplicate-key'],
    ]);
    const duplicate = diagnostics[1];
    expect(duplicate.message).toBe('Duplicate key "jones2019": first defined at refs.bib:7; BibTeX and biber keep the first and ignore this one.');
    expect(duplicate.relatedInformation?.map((related) => [related.location.uri, related.location.range.start.line])).toEqual([[uri, 6]]);

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics: [diagnostics[0]] },
    });
    expect(actions.map((action) => action.title)).toEqual(['Merge into smith2020']);
    const changes = actions[0].edit!.changes;
    // The DOI moves into the first entry, the second goes, and the chapter's citation follows it to the first key.
    expect(apply(REFS, changes[uri])).toBe(
      REFS.replace('  year = {2020}\n}', '  year = {2020},\n  doi = {10.1000/pa.2020}\n}').replace(
        '@article{smithTwice,\n  title = {Preferential attachment in growing networks},\n  author = {Smith, Ann},\n  year = {2020},\n  doi = {10.1000/pa.2020}\n}\n\n',
        '',
      ),
    );
    expect(apply(INTRO, changes[uriOf(file('chapters/intro.tex'))])).toBe(INTRO.replace('\\citep{smithTwice}', '\\citep{smith2020}'));
    client.close(uri);
  });

  it('lists the entries nothing in the thesis cites, and removes them as one edit', async () => {
    const uri = uriOf(file('main.tex'));
    client.open(file('main.tex'), 'latex', MAIN);
    const unused = await client.request<{ entries: { key: string; range: Range }[]; bibliographies: string[] }>('paperlens/unusedEntries', { uri });
    expect(unused.entries.map((entry) => [entry.key, entry.range.start.line])).toEqual([['neverCited', 19]]);
    expect(unused.bibliographies).toEqual([file('refs.bib')]);
    const before = client.appliedEdits.length;
    const removed = await client.request<{ removed: number; applied: boolean }>('paperlens/removeUnusedEntries', { uri });
    expect(removed).toEqual({ removed: 1, applied: true });
    expect(client.appliedEdits).toHaveLength(before + 1);
    expect(client.editorTexts.get(uriOf(file('refs.bib')))).toBe(REFS.replace('@misc{neverCited,\n  title = {Nobody Cites This},\n  year = {1999}\n}\n\n', ''));
    client.close(uri);
  });

  it('exports exactly the cited entries in order of first citation, the library supplying what the .bib lacks', async () => {
    const intro = INTRO.replace('and \\citep{smithTwice}', 'and \\citep{smithTwice,learninggeneratetask}');
    const uri = client.open(file('chapters/intro.tex'), 'latex', intro);
    const exported = await client.request<{ text: string; exported: string[]; missing: string[]; root: string }>('paperlens/citedEntries', { uri });
    expect(exported.exported).toEqual(['smith2020', 'jones2019', 'smithTwice', 'learninggeneratetask']);
    expect(exported.missing).toEqual([]);
    expect(exported.root).toBe(file('main.tex'));
    expect(exported.text.startsWith(`${REFS.split('\n\n')[0]}\n\n${REFS.split('\n\n')[1]}\n\n`)).toBe(true);
    expect(exported.text).toContain('\n\n@misc{learninggeneratetask,\n  title = {Learning to Generate Task-Specific Adapters from Task Description},');
    expect(readFileSync(file('refs.bib'), 'utf8')).toBe(REFS);
    client.close(uri);
  });
});
