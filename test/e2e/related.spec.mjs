// Literature-aware writing in a real VS Code: a paragraph written about a bundled paper (in other words than its
// abstract) brings that paper to the top of the Related view soon after the writer pauses; Cite from the view puts
// the key at the cursor and exactly the paper's entry into references.bib; the "Find citations for this sentence…"
// code action cites into the sentence; a wrong key's hover asks "Did you mean …?". Screenshots of the view, light
// and dark, saved as media/screenshots/related-{light,dark}.png for the README.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ANYFIT_KEY as KEY, ANYFIT_PARAGRAPH as PARAGRAPH, ANYFIT_TITLE as TITLE, PAPER_TEX_EMPTY_LINE as TEX_LINE, showRelatedView } from './lib/related-view.mjs';

/** A sentence about AnyFit, for the code action, and one that cites the wrong paper for it. */
const SENTENCE = 'Recent try-on systems mix multiple garments with parallel attention to keep every outfit realistic.';
const WRONG_SENTENCE = 'Combining multiple garments with parallel attention keeps the try-on fitting realistic \\cite{simonyan2015very}.';

const THEMES = [
  { name: 'light', label: 'Light Modern' },
  { name: 'dark', label: 'Dark Modern' },
];
const DEFAULT_THEME = 'Light 2026';

function bundledEntry(key) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), 'bibtex', key], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`paperlens bibtex ${key} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The titles of the view's rows, best first. */
async function rowTitles(web) {
  return web.locator('[role="row"] .title').allInnerTexts();
}

export const tests = [
  {
    name: 'a paragraph about a paper shows it first in the Related view; Cite inserts the key and its entry',
    timeout: 180_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      const web = await showRelatedView(ctx);
      const bibBefore = await ctx.readWorkspaceFile('references.bib');
      await ctx.openFile('paper.tex');
      await ctx.gotoLine(TEX_LINE, 1);
      await ctx.type(PARAGRAPH);
      const paused = Date.now();
      const titles = await ctx.waitFor(
        async () => {
          const shown = await rowTitles(web);
          return TITLE.test(shown[0] ?? '') && shown;
        },
        { timeout: 5_000, interval: 50, message: 'AnyFit first in the Related view' },
      );
      ctx.log(`AnyFit first ${Date.now() - paused} ms after the last keystroke (loaded machine); rows: ${titles.slice(0, 3).join(' | ')}`);
      const reason = await web.locator('[role="row"]').first().locator('.reason').innerText();
      ctx.assert.match(reason, /^Shares /);
      ctx.assert.ok((await web.locator('[role="row"]').first().locator('mark').count()) > 0, 'the shared ideas are highlighted');
      await ctx.screenshot('related-view');

      await web.locator('[role="row"]').first().click();
      await web.locator('[role="toolbar"] button', { hasText: 'Cite' }).click();
      const bibAfter = await ctx.waitFor(async () => {
        const text = await ctx.readWorkspaceFile('references.bib');
        return text !== bibBefore && text;
      }, { message: 'references.bib to change on disk' });
      ctx.assert.equal(bibAfter, `${bibBefore}\n${bundledEntry(KEY)}\n`);
      await ctx.openFile('paper.tex');
      await ctx.save();
      const tex = await ctx.readWorkspaceFile('paper.tex');
      ctx.assert.equal(tex.split('\n')[TEX_LINE - 1], `${PARAGRAPH}\\cite{${KEY}}`);

      // Now the paragraph cites it: still listed, marked as cited.
      await ctx.waitFor(async () => (await web.locator('[role="row"]').first().locator('.cited').count()) > 0, {
        timeout: 10_000,
        message: 'the first row marked as cited',
      });
    },
  },
  {
    name: 'screenshots of the Related view in light and dark',
    timeout: 180_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      const web = await showRelatedView(ctx);
      await ctx.openFile('paper.tex');
      await ctx.gotoLine(TEX_LINE, 5);
      await ctx.waitFor(async () => TITLE.test((await rowTitles(web))[0] ?? ''), { timeout: 10_000, message: 'AnyFit in the view' });
      // The Related view alone, with room for its rows.
      for (const name of ['Library', 'Cited in this document']) {
        const header = ctx.view(name).locator('.pane-header');
        if ((await header.count()) > 0 && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
      }
      for (const theme of THEMES) {
        await ctx.setTheme(theme.label);
        const file = await ctx.screenshot(`related-${theme.name}`);
        const target = fileURLToPath(new URL(`../../media/screenshots/related-${theme.name}.png`, import.meta.url));
        mkdirSync(fileURLToPath(new URL('../../media/screenshots/', import.meta.url)), { recursive: true });
        copyFileSync(file, target);
      }
      await ctx.setTheme(DEFAULT_THEME);
    },
  },
  {
    name: 'the "Find citations for this sentence…" code action cites the chosen paper at the end of the sentence',
    timeout: 180_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await ctx.gotoLine(TEX_LINE, 1);
      await ctx.press('End');
      await ctx.press('Enter');
      await ctx.press('Enter');
      await ctx.type(SENTENCE);
      await ctx.press('Home');
      const action = await ctx.codeAction('Find citations for this sentence…');
      await action.click();
      const row = ctx.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'AnyFit' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await ctx.screenshot('find-citations');
      await row.click();
      await ctx.waitFor(async () => (await ctx.visibleEditorText()).includes(`\\cite{${KEY}}.`), { message: 'the key cited at the end of the sentence' });
      await ctx.save();
      const tex = await ctx.readWorkspaceFile('paper.tex');
      ctx.assert.ok(tex.includes(SENTENCE.replace(/\.$/, `\\cite{${KEY}}.`)), tex);
    },
  },
  {
    name: 'a key that does not fit its sentence: the hover asks "Did you mean …?" naming the better paper',
    timeout: 180_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await ctx.gotoLine(TEX_LINE, 1);
      await ctx.press('End');
      await ctx.press('Enter');
      await ctx.press('Enter');
      await ctx.type(WRONG_SENTENCE.replace('\\cite{simonyan2015very}.', ''));
      // Typed as a whole: Monaco would auto-close the brace of a typed \cite{.
      await ctx.page.keyboard.insertText('\\cite{simonyan2015very}.');
      await ctx.press('ArrowLeft');
      await ctx.press('ArrowLeft');
      await ctx.press('ArrowLeft');
      const hover = await ctx.showHover();
      ctx.assert.match(hover, /Very Deep Convolutional Networks/);
      ctx.assert.match(hover, /Did you mean/);
      ctx.assert.match(hover, new RegExp(KEY));
      await ctx.screenshot('did-you-mean');
    },
  },
];
