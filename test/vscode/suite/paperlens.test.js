// @ts-check
// Paperlens through the VS Code API, inside the extension host, on a copy of examples/: completion ranks the paper
// the typed words describe first, accepting it adds exactly its BibTeX entry to references.bib (once), hover and
// Go to Definition answer for a cited key, a typed key the .bib lacks is flagged with a quick fix that adds its
// entry, and the Cite command writes the key and the entry. Only what the API
// shows is asserted (labels, sort order, markdown, locations, document text), never Paperlens internals, so the
// suite holds whether the features run in the extension or in a language server.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { join, resolve } = require('node:path');
const vscode = require('vscode');

const repo = resolve(__dirname, '..', '..', '..');
const EXTENSION_ID = 'paperlens.paperlens';
/** paper.tex line 19 (1-based) is the empty line under "% Cite something here."; draft.md line 13 the one above "## References". */
const TEX_LINE = 19;
const MD_LINE = 13;

function workspaceFile(rel) {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs the examples workspace open');
  return vscode.Uri.joinPath(folder.uri, rel);
}

/** Polls `probe` (every 250 ms) until it returns a truthy value; fails with `what` after `timeout` ms. */
async function waitFor(probe, what, timeout = 90_000) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}

async function open(rel) {
  const document = await vscode.workspace.openTextDocument(workspaceFile(rel));
  const editor = await vscode.window.showTextDocument(document);
  return { document, editor };
}

/** Replaces the whole 1-based `line` of the document (unsaved, as typing would) and returns the position at its end. */
async function setLine(document, line, text) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, document.lineAt(line - 1).range, text);
  assert.ok(await vscode.workspace.applyEdit(edit), `editing line ${line} of ${document.uri.fsPath}`);
  return new vscode.Position(line - 1, text.length);
}

const labelOf = (item) => (typeof item.label === 'string' ? item.label : item.label.label);

/** The completion items at a position in the order the suggest widget shows them (all filter texts are the typed text, so sortText decides). */
async function completions(uri, position) {
  /** @type {vscode.CompletionList} */
  const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, position);
  const sortKey = (item) => item.sortText ?? labelOf(item);
  return [...list.items].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

/** The hovers' Markdown as a reader sees the words: backslash escapes of Markdown punctuation removed. */
function hoverText(hovers) {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** The BibTeX entry the packaged CLI renders for a bundled paper: what citing must append, byte for byte. */
function bundledEntry(key) {
  // In VS Code's Electron the executable is Electron: ELECTRON_RUN_AS_NODE makes it Node (Node itself ignores it).
  const result = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'bibtex', key], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  if (result.status !== 0) throw new Error(`paperlens bibtex ${key} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The text of a document as VS Code holds it (the .bib edit is applied to the document; its save follows). */
async function documentText(rel) {
  return (await vscode.workspace.openTextDocument(workspaceFile(rel))).getText();
}

suite('Paperlens in the extension host', function () {
  suiteSetup(async function () {
    const { document } = await open('paper.tex');
    // Ready when completion inside an existing \citep{…} answers with bibliography keys: the extension has
    // activated, loaded its library and registered its providers (whichever process serves them).
    const inKey = new vscode.Position(12, document.lineAt(12).text.indexOf('simonyan2015very') + 3);
    await waitFor(async () => (await completions(document.uri, inKey)).some((item) => labelOf(item) === 'simonyan2015very'), 'Paperlens to complete keys in paper.tex');
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, `${EXTENSION_ID} is active`);
  });

  test('\\cite{ with two words from an abstract ranks that paper first', async function () {
    const { document } = await open('paper.tex');
    const end = await setLine(document, TEX_LINE, 'Adapters \\cite{hypter zest}');
    const items = await completions(document.uri, end.translate(0, -1));
    assert.equal(labelOf(items[0]), 'learninggeneratetask', items.slice(0, 3).map(labelOf).join(', '));
  });

  test('[@ with a word from an abstract ranks that paper first', async function () {
    const { document } = await open('draft.md');
    const end = await setLine(document, MD_LINE, 'Try-on models [@garments');
    const items = await completions(document.uri, end);
    assert.equal(labelOf(items[0]), 'anyfitcontrollablevirtual', items.slice(0, 3).map(labelOf).join(', '));
  });

  test('accepting the first item adds exactly its entry to references.bib, and accepting it again adds nothing', async function () {
    const { document } = await open('paper.tex');
    const end = await setLine(document, TEX_LINE, 'Adapters \\cite{hypter zest}');
    const before = await documentText('references.bib');
    const [first] = await completions(document.uri, end.translate(0, -1));
    assert.ok(first.command, 'the item of a paper the .bib lacks carries the command that adds it');
    // What VS Code does after inserting an accepted item: run its command.
    await vscode.commands.executeCommand(first.command.command, ...(first.command.arguments ?? []));
    const after = await documentText('references.bib');
    assert.equal(after, `${before}\n${bundledEntry('learninggeneratetask')}\n`);

    const [again] = await completions(document.uri, end.translate(0, -1));
    assert.equal(labelOf(again), 'learninggeneratetask');
    if (again.command) await vscode.commands.executeCommand(again.command.command, ...(again.command.arguments ?? []));
    assert.equal(await documentText('references.bib'), after);
  });

  test('hover on a cited key shows its title and where it is defined', async function () {
    const { document } = await open('paper.tex');
    const position = new vscode.Position(12, document.lineAt(12).text.indexOf('simonyan2015very') + 3);
    const text = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, position));
    assert.match(text, /Very Deep Convolutional Networks for Large-Scale Image Recognition/);
    assert.match(text, /references\.bib:3\b/);
  });

  test('Go to Definition on a cited key lands on its entry in references.bib', async function () {
    const { document } = await open('paper.tex');
    const position = new vscode.Position(12, document.lineAt(12).text.indexOf('simonyan2015very') + 3);
    /** @type {(vscode.Location | vscode.LocationLink)[]} */
    const locations = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', document.uri, position);
    assert.equal(locations.length, 1, JSON.stringify(locations));
    const [location] = locations;
    const uri = 'targetUri' in location ? location.targetUri : location.uri;
    const range = 'targetUri' in location ? location.targetRange : location.range;
    assert.equal(uri.toString(), workspaceFile('references.bib').toString());
    const bibLines = (await documentText('references.bib')).split('\n');
    assert.equal(range.start.line, bibLines.findIndex((line) => line.startsWith('@inproceedings{simonyan2015very,')));
  });

  test('a typed key the .bib lacks is flagged and its quick fix adds exactly its entry; a typo offers the key it meant', async function () {
    const uri = workspaceFile('typed.tex');
    const typed = 'Adapters from task descriptions \\cite{anyfitcontrollablevirtual} and a typo \\cite{simonyan2015vrey}.';
    const text = `\\documentclass{article}\n\\begin{document}\n${typed}\n\\bibliography{references}\n\\end{document}\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await open('typed.tex');
    const messages = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Warning);
      return found.length === 2 && found.map((diagnostic) => diagnostic.message);
    }, 'two warnings in typed.tex');
    assert.ok(messages.some((message) => message.startsWith('"anyfitcontrollablevirtual" is cited but not in references.bib')), messages.join('\n'));
    assert.ok(messages.some((message) => message.startsWith('"simonyan2015vrey" is in neither references.bib nor the Paperlens library')), messages.join('\n'));

    const keyRange = (key) => {
      const start = typed.indexOf(key);
      return new vscode.Range(2, start, 2, start + key.length);
    };
    /** @type {vscode.CodeAction[]} */
    const typoFixes = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, keyRange('simonyan2015vrey'));
    assert.ok(typoFixes.some((action) => action.title === 'Change to "simonyan2015very"'), typoFixes.map((action) => action.title).join('\n'));

    const before = await documentText('references.bib');
    /** @type {vscode.CodeAction[]} */
    const addFixes = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, keyRange('anyfitcontrollablevirtual'));
    const add = addFixes.find((action) => action.title === 'Add "anyfitcontrollablevirtual" to the bibliography from the Paperlens library');
    assert.ok(add, addFixes.map((action) => action.title).join('\n'));
    // What VS Code does when the quick fix is chosen: apply its edit, then run its command.
    if (add.edit) assert.ok(await vscode.workspace.applyEdit(add.edit));
    if (add.command) await vscode.commands.executeCommand(add.command.command, ...(add.command.arguments ?? []));
    assert.equal(await documentText('references.bib'), `${before.trimEnd()}\n\n${bundledEntry('anyfitcontrollablevirtual')}\n`);
  });

  test('the Cite command writes \\cite{key} at the cursor and the entry into references.bib', async function () {
    const { document, editor } = await open('paper.tex');
    const end = await setLine(document, TEX_LINE, '');
    editor.selection = new vscode.Selection(end, end);
    const before = await documentText('references.bib');
    const done = await vscode.commands.executeCommand('paperlens.cite', 'andhrabandersnatchtraining');
    assert.notEqual(done, false, 'paperlens.cite reports that it cited');
    assert.equal(document.lineAt(TEX_LINE - 1).text, '\\cite{andhrabandersnatchtraining}');
    assert.equal(await documentText('references.bib'), `${before}\n${bundledEntry('andhrabandersnatchtraining')}\n`);
  });
});
