// Citation integrity across a thesis in the real editor: F12 on a key opens its entry, Shift+F12 lists its uses in
// the root and in a chapter that has no `%!TEX root`, a rename from the .bib changes the entry and both documents
// (a key in a comment stays), and a key defined twice in a .bib is an error in the Problems panel.
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

const INTRO = ['\\section{Introduction}', 'As shown before \\cite{jones2019, smith2020}, small worlds are common.', ''].join('\n');

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
      // The last entry goes with its line; the blank line before it stays (core/integrity's removal range).
      const expected = RENAMED_REFS.replace('@misc{neverCited,\n  title = {Nobody Cites This},\n  year = {1999}\n}\n', '');
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('thesis/refs.bib')) === expected, { message: 'refs.bib on disk without the unused entry' });
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
      const [smith, jones] = RENAMED_REFS.split('\n\n');
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('thesis/main-cited.bib').catch(() => '')) === `${smith}\n\n${jones}\n`, {
        message: 'main-cited.bib holds smith2020growth then jones2019, as written in refs.bib',
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
