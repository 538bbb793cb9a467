// Citation integrity across a thesis in the real editor: F12 on a key opens its entry (and on a crossref value, the
// parent entry), Shift+F12 lists its uses in the root and in a chapter that has no `%!TEX root`, the Cited view
// expands a key into those uses, a rename from the .bib changes the entry and both documents (a key in a comment
// stays), the Library's filter shows only the entry nothing cites, and a key defined twice in a .bib is an error in
// the Problems panel.
import { selectors } from './harness.mjs';

const MAIN = [
  '\\documentclass{article}',
  '\\begin{document}',
  'Networks grow by preferential attachment \\cite{smith2020}.',
  '% \\cite{smith2020} stays as it is in a comment',
  '\\input{chapters/intro}',
  '\\bibliography{refs}',
  '\\end{document}',
  '',
].join('\n');

const INTRO = [
  '\\section{Introduction}',
  'As shown before \\cite{jones2019, smith2020}, small worlds are common.',
  'A part of the proceedings \\cite{lee2021part} names its volume by crossref.',
  '',
].join('\n');

const REFS = [
  '@article{smith2020,',
  '  title = {Preferential Attachment in Growing Networks},',
  '  author = {Smith, Ann},',
  '  journal = {Network Science},',
  '  year = {2020}',
  '}',
  '',
  '@article{jones2019,',
  '  title = {Small Worlds Revisited},',
  '  author = {Jones, Bob},',
  '  journal = {Physical Review E},',
  '  year = {2019}',
  '}',
  '',
  '@inproceedings{lee2021part,',
  '  title = {A Part of the Proceedings},',
  '  author = {Lee, Chris},',
  '  crossref = {lee2021proc}',
  '}',
  '',
  '@proceedings{lee2021proc,',
  '  title = {Proceedings of Network Science},',
  '  year = {2021}',
  '}',
  '',
  '@misc{neverCited,',
  '  title = {Nobody Cites This},',
  '  year = {1999}',
  '}',
  '',
].join('\n');

/** refs.bib after the rename test. */
const RENAMED_REFS = REFS.replace('@article{smith2020,', '@article{smith2020growth,');

const DUPLICATES = [
  '@book{lee2001,',
  '  title = {Graphs and Their Uses},',
  '  author = {Lee, Chris},',
  '  year = {2001}',
  '}',
  '',
  '@book{lee2001,',
  '  title = {Another Book Entirely},',
  '  author = {Lee, Chris},',
  '  year = {2003}',
  '}',
  '',
].join('\n');

export const workspaceFiles = {
  'thesis/main.tex': MAIN,
  'thesis/chapters/intro.tex': INTRO,
  'thesis/refs.bib': REFS,
  'thesis/duplicates.bib': DUPLICATES,
};

/** 1-based line and a column inside the first `smith2020` on it. */
function keyPosition(text, line) {
  return [line, text.split('\n')[line - 1].indexOf('smith2020') + 3];
}

/** 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text, needle) {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

/** The caret's "Ln …, Col …" in the status bar. */
async function caretShows(ctx, pattern) {
  return pattern.test(await ctx.page.locator('#workbench\\.parts\\.statusbar').innerText());
}

async function activeTab(ctx) {
  return (await ctx.page.locator(selectors.activeTab).first().textContent()) ?? '';
}

/** The rename box is shown and has the focus: keys typed before would go to the editor. */
async function renameBoxReady(ctx, input) {
  await input.waitFor({ timeout: 30_000 });
  await ctx.waitFor(async () => input.evaluate((element) => element === element.ownerDocument.activeElement && element.value !== ''), {
    message: 'the rename box has the focus and the key',
  });
}

export const tests = [
  {
    name: 'F12 on a key in the thesis opens its entry in refs.bib',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/main.tex');
      await ctx.waitForActivation();
      await ctx.gotoLine(...keyPosition(MAIN, 3));
      await ctx.press('F12');
      await ctx.waitFor(async () => (await activeTab(ctx)).includes('refs.bib'), { message: 'refs.bib is the active editor after F12', timeout: 30_000 });
      await ctx.waitFor(async () => (await ctx.visibleEditorText()).includes('@article{smith2020,'), { message: 'the entry is shown' });
    },
  },
  {
    name: 'F12 on a crossref value in refs.bib lands on the parent entry',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/refs.bib');
      await ctx.waitForActivation();
      const line = lineOf(REFS, 'crossref = {lee2021proc}');
      await ctx.gotoLine(line, '  crossref = {lee2'.length);
      await ctx.press('F12');
      const parent = lineOf(REFS, '@proceedings{lee2021proc,');
      await ctx.waitFor(async () => caretShows(ctx, new RegExp(`Ln ${parent}, Col ${'@proceedings{'.length + 1}\\b`)), {
        message: `the caret on the parent's key, line ${parent}`,
        timeout: 30_000,
      });
      ctx.assert.ok((await activeTab(ctx)).includes('refs.bib'));
    },
  },
  {
    name: 'Shift+F12 lists the uses in main.tex and in the chapter without %!TEX root, not the comment',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/main.tex');
      await ctx.waitForActivation();
      await ctx.gotoLine(...keyPosition(MAIN, 3));
      await ctx.press('Shift+F12');
      const peek = ctx.page.locator('.peekview-widget');
      // The declaration, the use in main.tex and the one in intro.tex; the comment is no use.
      await ctx.waitFor(async () => /References \(3\)/.test((await peek.first().textContent()) ?? ''), {
        message: 'the peek view says References (3)',
        timeout: 30_000,
      });
      const text = (await peek.first().textContent()) ?? '';
      for (const file of ['main.tex', 'intro.tex', 'refs.bib']) ctx.assert.ok(text.includes(file), `${file} in the peek view: ${text}`);
      await ctx.screenshot('references');
      await ctx.press('Escape');
    },
  },
  {
    name: 'the Cited view expands a key into its uses in main.tex and the chapter; Enter on one opens the chapter there',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/main.tex');
      await ctx.waitForActivation();
      await ctx.openPaperlensView();
      const view = ctx.view('Cited in this document');
      const key = view.locator('.monaco-list-row').filter({ has: ctx.page.locator('.label-name', { hasText: /^smith2020$/ }) }).first();
      await key.waitFor({ state: 'visible', timeout: 30_000 });
      // The twistie expands without running the row's command (Go to First Use).
      await key.locator('.monaco-tl-twistie').click();
      const uses = [
        { label: 'thesis/main.tex:3', description: '…preferential attachment \\cite{smith2020}.' },
        { label: 'thesis/chapters/intro.tex:2', description: '…shown before \\cite{jones2019, smith2020}, small worlds are common.' },
      ];
      await ctx.waitFor(async () => {
        const rows = await ctx.treeRows('Cited in this document');
        const at = rows.findIndex((row) => row.label === 'smith2020');
        return JSON.stringify(rows.slice(at + 1, at + 3)) === JSON.stringify(uses);
      }, { message: 'smith2020 expanded into its use in main.tex, then the one in the chapter' });
      await ctx.screenshot('cited-uses');
      // Keyboard: down the tree to the chapter's use, Enter opens it at the key.
      const focusedRow = async () => (await view.locator('.monaco-list-row.focused').evaluateAll((rows) => rows.map((row) => row.textContent ?? ''))).join('');
      await view.locator('.monaco-list').first().focus();
      for (let step = 0; !(await focusedRow()).includes('chapters/intro.tex:2'); step++) {
        ctx.assert.ok(step < 5, `the chapter's use never got the focus (now: "${await focusedRow()}")`);
        const before = await focusedRow();
        await ctx.press('ArrowDown');
        await ctx.waitFor(async () => (await focusedRow()) !== before, { message: 'the focus moves down the Cited view' });
      }
      await ctx.press('Enter');
      await ctx.waitFor(async () => (await activeTab(ctx)).includes('intro.tex'), { message: 'intro.tex is the active editor', timeout: 30_000 });
      const column = INTRO.split('\n')[1].indexOf('smith2020') + 1;
      await ctx.waitFor(async () => caretShows(ctx, new RegExp(`Ln 2, Col (${column}|${column + 'smith2020'.length})\\b`)), { message: 'the caret on the key in line 2' });
    },
  },
  {
    name: 'a rename from refs.bib changes the entry, main.tex and the chapter, and leaves the comment',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/refs.bib');
      await ctx.waitForActivation();
      await ctx.gotoLine(...keyPosition(REFS, 1));
      await ctx.press('F2');
      const input = ctx.page.locator('.rename-box input, .rename-box textarea').first();
      await renameBoxReady(ctx, input);
      ctx.assert.equal(await input.inputValue(), 'smith2020');
      // The rename box has the focus, not the editor: its own input takes the name (ctx.type waits for an editor).
      await input.fill('smith2020growth');
      await ctx.press('Enter');
      await ctx.waitFor(async () => (await ctx.visibleEditorText()).includes('@article{smith2020growth,'), { message: 'the entry is renamed in its editor' });
      await ctx.runCommand('File: Save All Files');
      const renamed = (text) => text.replace(/\\cite\{smith2020\}\./, '\\cite{smith2020growth}.').replace('jones2019, smith2020}', 'jones2019, smith2020growth}');
      const expected = {
        'thesis/refs.bib': RENAMED_REFS,
        'thesis/main.tex': renamed(MAIN),
        'thesis/chapters/intro.tex': renamed(INTRO),
      };
      ctx.assert.ok(expected['thesis/main.tex'].includes('% \\cite{smith2020} stays'));
      for (const [file, text] of Object.entries(expected)) {
        await ctx.waitFor(async () => (await ctx.readWorkspaceFile(file)) === text, { message: `${file} on disk is exactly the renamed text` });
      }
    },
  },
  {
    name: 'a rename to a key that exists is refused with a message',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/chapters/intro.tex');
      await ctx.waitForActivation();
      const line = INTRO.split('\n')[1];
      await ctx.gotoLine(2, line.indexOf('jones2019') + 3);
      await ctx.press('F2');
      const input = ctx.page.locator('.rename-box input, .rename-box textarea').first();
      await renameBoxReady(ctx, input);
      // The rename box has the focus, not the editor: its own input takes the name (ctx.type waits for an editor).
      await input.fill('smith2020growth');
      await ctx.press('Enter');
      await ctx.waitFor(async () => (await ctx.page.locator('.monaco-editor-overlaymessage, .notifications-toasts').allTextContents()).join(' ').includes('"smith2020growth" already exists'), {
        message: 'VS Code shows why the rename is refused',
        timeout: 30_000,
      });
      ctx.assert.equal(await ctx.readWorkspaceFile('thesis/refs.bib'), RENAMED_REFS);
    },
  },
  {
    name: 'the Library filter shows only the entry nothing cites, hiding the cited ones',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/main.tex');
      await ctx.waitForActivation();
      await ctx.openPaperlensView();
      await ctx.runCommand('Paperlens: Show Only Unused Entries in the Library');
      const expected = [
        { label: 'refs.bib', description: '1 unused entry' },
        { label: 'neverCited', description: `line ${lineOf(REFS, '@misc{neverCited,')}` },
      ];
      // smith2020growth, jones2019 and lee2021part are cited; lee2021proc is the crossref parent of a cited entry.
      await ctx.waitFor(async () => JSON.stringify(await ctx.treeRows('Library')) === JSON.stringify(expected), {
        message: 'the Library shows refs.bib with neverCited alone',
        timeout: 30_000,
      });
      await ctx.screenshot('library-unused');
    },
  },
  {
    name: 'Show Unused Entries lists the entry nothing cites; Remove Unused Entries takes it out as one edit',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/main.tex');
      await ctx.waitForActivation();
      await ctx.runCommand('Paperlens: Show Unused Entries');
      const rows = ctx.page.locator(selectors.quickInputRow);
      await ctx.waitFor(async () => (await rows.allTextContents()).join('\n').includes('neverCited'), { message: 'the QuickPick lists neverCited', timeout: 30_000 });
      ctx.assert.equal(await rows.count(), 1, (await rows.allTextContents()).join('\n'));
      await ctx.screenshot('unused-entries');
      await ctx.press('Escape');
      await ctx.runCommand('Paperlens: Remove Unused Entries');
      await ctx.openFile('thesis/refs.bib');
      await ctx.waitFor(async () => !(await ctx.visibleEditorText()).includes('neverCited'), { message: 'the entry is gone from the editor' });
      await ctx.save();
      // The last entry goes with the blank line before it: the file reads as if it had never been written.
      const expected = RENAMED_REFS.replace('\n@misc{neverCited,\n  title = {Nobody Cites This},\n  year = {1999}\n}\n', '');
      ctx.assert.ok(expected.endsWith('  year = {2021}\n}\n'));
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('thesis/refs.bib')) === expected, { message: 'refs.bib on disk without the unused entry' });
      // The Library's filter (turned on by the test before) follows the edit and says what its emptiness means.
      await ctx.waitFor(
        async () => JSON.stringify(await ctx.treeRows('Library')) === JSON.stringify([
          { label: 'refs.bib', description: 'every entry cited' },
          { label: 'Every entry of refs.bib is cited', description: '' },
        ]),
        { message: 'the filtered Library says every entry of refs.bib is cited' },
      );
      await ctx.runCommand('Paperlens: Show All Entries in the Library');
      await ctx.waitFor(async () => (await ctx.treeRows('Library')).some((row) => /\d+ papers?\b/.test(row.description)), {
        message: 'the Library lists its sources with their papers again',
      });
    },
  },
  {
    name: 'Export Cited Entries writes the cited entries in order of first citation where the save dialog says',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/chapters/intro.tex');
      await ctx.waitForActivation();
      await ctx.runCommand('Paperlens: Export Cited Entries…');
      // VS Code for the browser asks through its simple file dialog, the path filled in: beside the root, main-cited.bib.
      const input = ctx.page.locator(`${selectors.quickInput} input`).first();
      await ctx.waitFor(async () => (await input.inputValue()).endsWith('main-cited.bib'), { message: 'the save dialog offers thesis/main-cited.bib', timeout: 30_000 });
      await ctx.press('Enter');
      // In order of first citation, the crossref parent last, as written in refs.bib.
      const [smith, jones, part, proceedings] = RENAMED_REFS.split('\n\n');
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('thesis/main-cited.bib').catch(() => '')) === `${[smith, jones, part, proceedings].join('\n\n')}\n`, {
        message: 'main-cited.bib holds smith2020growth, jones2019, lee2021part, then its parent lee2021proc',
        timeout: 30_000,
      });
    },
  },
  {
    name: 'a key defined twice in a .bib is an error in the Problems panel',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('thesis/duplicates.bib');
      await ctx.waitForActivation();
      await ctx.waitFor(async () => (await ctx.page.locator('.monaco-editor .squiggly-error').count()) >= 1, { message: 'an error squiggle in duplicates.bib', timeout: 30_000 });
      await ctx.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
      const problems = ctx.page.locator('.markers-panel');
      await ctx.waitFor(async () => ((await problems.textContent()) ?? '').includes('Duplicate key "lee2001": first defined at duplicates.bib:1'), {
        message: 'the Problems panel names the duplicate key and its first definition',
      });
      await ctx.screenshot('duplicate-key');
    },
  },
];
