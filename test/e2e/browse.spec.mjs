// Browsing the library as a user: the Search webview (type, see ranked highlighted results, cite from the keyboard
// into paper.tex and references.bib; of two papers under one key, the one clicked), the Library tree (expand a source, open a paper, jump to a problem), the Cited view, the
// Search Papers QuickPick and Copy BibTeX at the cursor; screenshots of the search view in three themes; the library
// following a setting and a corpus file outside the workspace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BROKEN_BIB } from './fixtures.mjs';
import { selectors, UI_TIMEOUT } from './harness.mjs';

/** A query whose best hit in the bundled corpus is "AnyFit: Controllable Virtual Try-on …". */
const QUERY = 'virtual try-on';
const TOP_TITLE = /AnyFit: Controllable Virtual Try-on/;
/** paper.tex line 19 is the empty line under "% Cite something here." */
const CITE_LINE = 19;

/** Themes by their label in the picker, and the class the workbench then carries. */
const THEMES = [
  { name: 'light', label: 'Light Modern', workbenchClass: 'vs', webviewClass: 'vscode-light' },
  { name: 'dark', label: 'Dark Modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' },
  { name: 'high-contrast', label: 'Dark High Contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast' },
];
/** The workbench's default theme, put back afterwards. */
const DEFAULT_THEME = 'Light 2026';

/** Two papers under one key in one file, as a Mendeley export writes them: the second entry starts at line 9. */
const SAME_KEY_BIB = [
  '% Two papers, one key.',
  '@article{quillfeather2020,',
  '  author = {Quillfeather, Ada},',
  '  title = {Keys That Collide in Reference Managers},',
  '  journal = {Journal of Reference Management},',
  '  year = {2020}',
  '}',
  '',
  '@inproceedings{quillfeather2020,',
  '  author = {Quillfeather, Bram},',
  '  title = {Sandbar Migration in Braided Rivers},',
  '  booktitle = {Proceedings of the Conference on Rivers},',
  '  year = {2020}',
  '}',
  '',
].join('\n');

/** A workspace .bib with one unreadable entry (line 10), for the Library tree's problems; two papers under one key. */
export const workspaceFiles = { 'broken.bib': BROKEN_BIB, 'same-key.bib': SAME_KEY_BIB };

/** A BibTeX file of `count` entries, each a paper no other source has. */
function extraBib(count) {
  return Array.from({ length: count }, (_, i) => `@article{outside${i},\n  author = {Outside, Olga},\n  title = {Paper ${i} From Outside The Workspace},\n  year = {2001}\n}\n`).join('\n');
}

/** Waits until the status bar counts exactly `count` papers. */
async function waitForCount(ctx, count, why) {
  await ctx.statusBarItem(new RegExp(`Paperlens: ${count} papers`)).first().waitFor({ state: 'visible', timeout: 2 * UI_TIMEOUT }).catch(async () => {
    const text = await ctx.statusBarItem('Paperlens').first().innerText().catch(() => '(none)');
    throw new Error(`${why}: expected "Paperlens: ${count} papers", the status bar says "${text.trim()}"`);
  });
}

/**
 * Clears the search box, waits for the empty list, then enters the query as one input event: the first results
 * shown are then this query's (typed key by key, an answer to a half-typed query may be shown first).
 */
async function searchFor(ctx, query) {
  await ctx.openPaperlensView();
  const web = ctx.webview('Search');
  const input = web.locator('#query');
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await input.fill('');
  await web.locator('[role="row"]').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await input.fill(query);
  await web.locator('[role="row"]').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  return web;
}

async function setPaneExpanded(ctx, viewName, expanded) {
  const header = ctx.view(viewName).locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
  await ctx.waitFor(async () => (await header.getAttribute('aria-expanded')) === String(expanded), { message: `${viewName} ${expanded ? 'expanded' : 'folded'}` });
}

export const tests = [
  {
    name: 'the search view ranks and highlights results as you type, with a count',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      const papers = await ctx.waitForActivation();
      const web = await searchFor(ctx, QUERY);
      const first = web.locator('[role="row"]').first();
      ctx.assert.match(await first.locator('.title').innerText(), TOP_TITLE);
      const marked = await first.locator('.title mark').allInnerTexts();
      ctx.assert.ok(marked.some((text) => /virtual/i.test(text)), `highlighted in the title: ${marked.join(', ')}`);
      ctx.assert.match(await web.locator('.count').innerText(), new RegExp(`^\\d+ of ${papers} papers`));
      ctx.assert.equal(await web.locator('[role="treegrid"]').getAttribute('aria-label'), 'Search results');
      ctx.assert.equal(await first.getAttribute('aria-selected'), 'true');
    },
  },
  {
    name: 'screenshots of the search view in light, dark and high-contrast themes',
    timeout: 150_000,
    run: async (ctx) => {
      // Give the search view the whole sidebar for the pictures: fold the two trees under it.
      const trees = ['Library', 'Cited in this document'];
      for (const name of trees) await setPaneExpanded(ctx, name, false);
      for (const theme of THEMES) {
        await ctx.setTheme(theme.label);
        await ctx.page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached', timeout: UI_TIMEOUT });
        // The webview gets the theme's --vscode-* variables and its body class in one message: wait for the class.
        await ctx.webview('Search').locator(`body.${theme.webviewClass}`).waitFor({ state: 'attached', timeout: UI_TIMEOUT });
        await ctx.screenshot(`search-${theme.name}`);
      }
      await ctx.setTheme(DEFAULT_THEME);
      for (const name of trees) await setPaneExpanded(ctx, name, true);
    },
  },
  {
    name: 'Enter on a result cites it into paper.tex and adds its entry to references.bib',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.gotoLine(CITE_LINE, 1);
      const web = await searchFor(ctx, QUERY);
      const first = web.locator('[role="row"]').first();
      const key = await first.getAttribute('data-key');
      ctx.assert.ok(key, 'the first result carries its key');
      ctx.assert.ok(!(await ctx.readWorkspaceFile('references.bib')).includes(`{${key},`), `${key} is not in references.bib yet`);

      // Keyboard only: from the search box, ArrowDown enters the list, Enter cites the active result.
      await web.locator('#query').press('ArrowDown');
      await ctx.press('Enter');
      await web.locator('.status', { hasText: `Cited ${key}` }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });

      // The cite edits the .bib in an open, unsaved document; save both to read them from disk.
      await ctx.runCommand('File: Save All Files');
      const bib = await ctx.waitFor(async () => {
        const text = await ctx.readWorkspaceFile('references.bib');
        return text.includes(`{${key},`) && text;
      }, { message: `an entry for ${key} in references.bib` });
      ctx.assert.match(bib, /Virtual Try-on/i);
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('paper.tex')).split('\n')[CITE_LINE - 1].includes(key), {
        message: `line ${CITE_LINE} of paper.tex citing ${key}`,
      });
      ctx.log(`cited ${key}`);
    },
  },
  {
    name: 'of two papers under one key, the one clicked in the search view is copied, opened and cited',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      const web = await searchFor(ctx, 'quillfeather');
      const rows = web.locator('[role="row"][data-key="quillfeather2020"]');
      await ctx.waitFor(async () => (await rows.count()) === 2, { message: 'both papers under quillfeather2020 listed' });
      const second = rows.filter({ hasText: 'Sandbar Migration in Braided Rivers' });
      const choose = async () => {
        await second.click();
        await ctx.waitFor(async () => (await second.getAttribute('aria-selected')) === 'true', { message: 'the clicked paper active' });
      };
      const button = (action) => web.locator(`.actions button[data-action="${action}"]`);
      await choose();
      ctx.assert.equal(await button('openSource').innerText(), 'Open source (same-key.bib:9)');

      await button('copyBibtex').click();
      const copied = await ctx.waitFor(async () => {
        const text = await ctx.clipboard();
        return text.startsWith('@inproceedings{quillfeather2020,') && text;
      }, { message: "the second paper's entry on the clipboard" });
      ctx.assert.match(copied, /Sandbar Migration in Braided Rivers/);
      ctx.assert.doesNotMatch(copied, /Keys That Collide/);

      await button('openSource').click();
      await ctx.page.locator('.tabs-container .tab.active').filter({ hasText: 'same-key.bib' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.waitFor(async () => /Ln 9, Col 1/.test(await ctx.page.locator('#workbench\\.parts\\.statusbar').innerText()), {
        message: 'the cursor on line 9, where the second paper starts',
      });

      // Cite last: once references.bib holds the entry, the library keeps that copy instead of same-key.bib's.
      await ctx.openFile('paper.tex');
      await ctx.gotoLine(CITE_LINE, 1);
      const bibUpdates = async () => (await ctx.paperlensLog()).split('Library updated: references.bib').length - 1;
      const updatesBefore = await bibUpdates();
      await choose();
      await button('cite').click();
      await web.locator('.status', { hasText: 'Cited quillfeather2020' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.runCommand('File: Save All Files');
      const bib = await ctx.waitFor(async () => {
        const text = await ctx.readWorkspaceFile('references.bib');
        return text.includes('{quillfeather2020,') && text;
      }, { message: 'an entry for quillfeather2020 in references.bib' });
      ctx.assert.match(bib, /@inproceedings\{quillfeather2020,[^@]*Sandbar Migration in Braided Rivers/);
      ctx.assert.doesNotMatch(bib, /Keys That Collide/);
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('paper.tex')).split('\n')[CITE_LINE - 1].includes('quillfeather2020'), {
        message: `line ${CITE_LINE} of paper.tex citing quillfeather2020`,
      });
      // The other paper under the key stays in the library beside references.bib's copy of the cited one.
      await ctx.waitFor(async () => (await bibUpdates()) > updatesBefore, { message: 'the library updated with the cited entry in references.bib' });
      const after = await searchFor(ctx, 'quillfeather');
      await ctx.waitFor(
        async () => {
          const texts = await after.locator('[role="row"][data-key="quillfeather2020"]').allInnerTexts();
          return texts.length === 2 && texts.some((text) => /Keys That Collide/.test(text)) && texts.some((text) => /Sandbar Migration/.test(text));
        },
        { message: 'both papers under quillfeather2020 still listed after the cite' },
      );
    },
  },
  {
    name: 'the search view keeps query, active result and expanded abstract when hidden; Escape clears',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await ctx.openPaperlensView();
      const web = ctx.webview('Search');
      const input = web.locator('#query');
      await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      // One input event each, so no answer to a half-typed query can replace the list under the test.
      await input.fill('');
      await web.locator('[role="row"]').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      await input.fill(QUERY);
      await web.locator('[role="row"]').nth(1).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      // Keyboard only: into the list, down to the second result, open its whole abstract.
      await input.press('ArrowDown');
      await ctx.press('ArrowDown');
      await ctx.press('ArrowRight');
      const second = web.locator('[role="row"]').nth(1);
      await ctx.waitFor(async () => (await second.getAttribute('aria-expanded')) === 'true', { message: 'the second result expanded' });
      ctx.assert.equal(await second.getAttribute('aria-selected'), 'true');
      const key = await second.getAttribute('data-key');

      // Another container in the sidebar discards the webview; coming back restores it from its saved state.
      await ctx.runCommand('View: Show Explorer');
      await ctx.view('Library').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      await ctx.openPaperlensView();
      const restored = web.locator(`[role="row"][data-key="${key}"]`);
      await restored.waitFor({ state: 'attached', timeout: UI_TIMEOUT });
      // A short pane (the sidebar shared with two trees) still gives the list room for results.
      const listHeight = await web.locator('#results').evaluate((list) => list.getBoundingClientRect().height);
      ctx.assert.ok(listHeight >= 50, `the result list is ${listHeight}px high`);
      ctx.assert.equal(await web.locator('#query').inputValue(), QUERY);
      ctx.assert.equal(await restored.getAttribute('aria-selected'), 'true');
      ctx.assert.equal(await restored.getAttribute('aria-expanded'), 'true');

      // Escape in the list goes back to the box; Escape there clears it and the view says what to do.
      await web.locator('#results').focus();
      await ctx.press('Escape');
      await ctx.press('Escape');
      await web.locator('.empty', { hasText: 'Type to search' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      ctx.assert.equal(await web.locator('#query').inputValue(), '');
      ctx.assert.equal(await web.locator('[role="row"]').count(), 0);
    },
  },
  {
    name: 'a year filter narrows results and similar papers; Escape leaves similar papers',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      const web = await searchFor(ctx, 'networks');
      const toggle = web.locator('button[aria-controls="filters"]');
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      await web.locator('#year-from').fill('2015');
      await web.locator('#year-from').press('Tab');
      await ctx.waitFor(async () => /\(filtered\)$/.test(await web.locator('.count').innerText()), { message: 'a filtered count' });
      ctx.assert.equal(await toggle.innerText(), 'Filters (1)');
      const years = async () =>
        (await web.locator('[role="row"] .meta').allInnerTexts()).map((meta) => Number(/\b(\d{4})\b/.exec(meta)?.[1]));
      const filtered = await years();
      ctx.assert.ok(filtered.length > 0 && filtered.every((year) => year >= 2015), `years of the results: ${filtered.join(', ')}`);

      // S on the active result: papers similar to it, still within the filter.
      const title = await web.locator('[role="row"]').first().locator('.title').innerText();
      await web.locator('#results').focus();
      await ctx.press('s');
      await web.locator('.similar-banner', { hasText: title }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.waitFor(async () => /similar papers? \(filtered\)$/.test(await web.locator('.count').innerText()), { message: 'a similar-papers count' });
      const similar = await years();
      ctx.assert.ok(similar.every((year) => year >= 2015), `years of the similar papers: ${similar.join(', ')}`);

      await ctx.press('Escape');
      await web.locator('.similar-banner').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      ctx.assert.equal(await web.locator('#query').inputValue(), 'networks');
      await web.locator('#filters button', { hasText: 'Clear filters' }).click();
      await ctx.waitFor(async () => !/filtered/.test(await web.locator('.count').innerText()), { message: 'an unfiltered count' });
    },
  },
  {
    name: "a cited key's hover links its similar papers, which the Search view then lists",
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      // paper.tex line 13: "Very deep convolutional networks \citep{simonyan2015very} …"; the caret inside the key.
      await ctx.gotoLine(13, 'Very deep convolutional networks \\citep{'.length + 3);
      await ctx.showHover();
      const link = ctx.page.locator(selectors.hover).first().getByRole('link', { name: 'Similar papers' });
      await link.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await link.click();
      const web = ctx.webview('Search');
      await web.locator('.similar-banner', { hasText: 'Very Deep Convolutional Networks for Large-Scale Image Recognition' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.waitFor(async () => /^\d+ similar papers?$/.test(await web.locator('.count').innerText()), { message: 'a similar-papers count' });
      const titles = await web.locator('[role="row"] .title').allInnerTexts();
      ctx.log(`similar to simonyan2015very: ${titles.slice(0, 3).join(' | ')}`);
      ctx.assert.ok(titles.length > 0, 'similar papers listed');
      ctx.assert.ok(!titles.some((title) => /^Very Deep Convolutional Networks for Large-Scale/.test(title)), 'the paper itself is not among its similar papers');
      await web.locator('#results').focus();
      await ctx.press('Escape');
      await web.locator('.similar-banner').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    },
  },
  {
    name: 'the Cited view lists the keys of the active document in order of first use',
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await ctx.openPaperlensView();
      const cited = await ctx.waitFor(async () => {
        const rows = await ctx.treeRows('Cited in this document');
        return rows.length >= 4 && rows;
      }, { message: 'four cited keys' });
      ctx.assert.deepEqual(
        cited.slice(0, 3).map((row) => row.label),
        ['simonyan2015very', 'sutskever2014sequence', 'ha2017hypernetworks'],
      );
      ctx.assert.match(cited[0].description, /^1× · Very Deep Convolutional Networks/);

      await ctx.openFile('draft.md');
      await ctx.waitFor(async () => {
        const rows = await ctx.treeRows('Cited in this document');
        return rows.map((row) => row.label).join(',') === 'sutskever2014sequence,ha2017hypernetworks';
      }, { message: 'the Markdown draft’s two keys' });
      await ctx.screenshot('cited-view');
    },
  },
  {
    name: 'the Library tree lists sources with counts; a paper opens its entry or a preview',
    run: async (ctx) => {
      await ctx.openPaperlensView();
      const library = ctx.view('Library');
      const bundled = library.locator('.monaco-list-row').filter({ hasText: 'papers.txt' }).first();
      await bundled.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      ctx.assert.match(await bundled.innerText(), /\d+ papers/);
      await bundled.click();
      const hyper = library.locator('.monaco-list-row').filter({ hasText: 'Learning to Generate Task-Specific Adapters' }).first();
      await hyper.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await hyper.click();
      // The bundled corpus is a listing: its papers open as a readable preview document.
      await ctx.waitFor(async () => {
        const text = await ctx.visibleEditorText();
        return text.includes('# Learning to Generate Task-Specific Adapters') && text.includes('## Abstract');
      }, { message: 'the paper preview with its title and abstract' });

      // A .bib paper opens its source entry at its line.
      const bibSource = library.locator('.monaco-list-row').filter({ hasText: 'references.bib' }).first();
      await bibSource.click();
      const simonyan = library.locator('.monaco-list-row').filter({ hasText: 'Very Deep Convolutional Networks' }).first();
      await simonyan.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await simonyan.click();
      await ctx.page.locator('.tabs-container .tab.active').filter({ hasText: 'references.bib' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.screenshot('library-tree');
    },
  },
  {
    name: 'a source lists its problems; clicking one opens the file at its line',
    run: async (ctx) => {
      await ctx.openPaperlensView();
      const library = ctx.view('Library');
      const rows = library.locator('.monaco-list-row');
      const source = rows.filter({ hasText: 'broken.bib' }).first();
      await source.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      ctx.assert.match(await source.innerText(), /2 papers · 1 problem/);
      await source.click();
      await rows.filter({ hasText: 'Problems (1)' }).first().click();
      const problem = rows.filter({ hasText: 'not terminated' }).first();
      await problem.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      ctx.assert.match(await problem.innerText(), /broken\.bib:10/);
      await problem.click();
      await ctx.page.locator('.tabs-container .tab.active').filter({ hasText: 'broken.bib' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.waitFor(async () => /Ln 10, Col 1/.test(await ctx.page.locator('#workbench\\.parts\\.statusbar').innerText()), {
        message: 'the cursor on line 10',
      });
    },
  },
  {
    name: 'Search Papers finds a paper and Copy Key puts its key on the clipboard',
    run: async (ctx) => {
      await ctx.runCommand('Paperlens: Search Papers');
      await ctx.typeInQuickInput('hypernetworks');
      const row = ctx.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'HyperNetworks' }).first();
      await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await row.click();
      const copyKey = ctx.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Copy Key' }).first();
      await copyKey.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await copyKey.click();
      await ctx.waitFor(async () => (await ctx.clipboard()) === 'ha2017hypernetworks', { message: 'the key on the clipboard' });
    },
  },
  {
    name: 'Copy Formatted Reference puts the APA reference of a paper on the clipboard',
    run: async (ctx) => {
      await ctx.runCommand('Paperlens: Copy Formatted Reference (APA)');
      await ctx.typeInQuickInput('hypernetworks');
      const row = ctx.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'HyperNetworks' }).first();
      await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await row.click();
      const expected =
        'Ha, D., Dai, A. M., & Le, Q. V. (2017). HyperNetworks. International Conference on Learning Representations (ICLR). https://arxiv.org/abs/1609.09106';
      await ctx.waitFor(async () => (await ctx.clipboard()) === expected, { message: 'the APA reference on the clipboard' });
    },
  },
  {
    name: 'Copy BibTeX of Key Under Cursor copies the entry of the key at the caret',
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      // Line 13: "... \citep{simonyan2015very} ...": put the caret inside the key.
      await ctx.gotoLine(13, 45);
      await ctx.runCommand('Paperlens: Copy BibTeX of Key Under Cursor');
      const copied = await ctx.waitFor(async () => {
        const text = await ctx.clipboard();
        return text.includes('simonyan2015very') && text;
      }, { message: 'the BibTeX entry on the clipboard' });
      ctx.assert.match(copied, /^@\w+\{simonyan2015very,/);
    },
  },
  {
    name: 'a corpus file outside the workspace joins the library from the settings and reloads when it changes',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      const before = await ctx.waitForActivation();
      const folder = mkdtempSync(path.join(tmpdir(), 'paperlens-outside-'));
      const file = path.join(folder, 'outside.bib');
      try {
        writeFileSync(file, extraBib(1));
        await ctx.writeWorkspaceFile('.vscode/settings.json', JSON.stringify({ 'paperlens.corpus.files': [file] }, null, 2));
        await waitForCount(ctx, before + 1, 'after adding the file to paperlens.corpus.files');
        // Rebuild Library reads the files again: the warm-start snapshot of these very files would not do.
        const loads = async () => (await ctx.paperlensLog()).split('\n').filter((line) => line.includes('Library ready:'));
        const loadsBefore = (await loads()).length;
        await ctx.runCommand('Paperlens: Rebuild Library');
        const rebuilt = await ctx.waitFor(async () => {
          const lines = await loads();
          return lines.length > loadsBefore && lines.at(-1);
        }, { message: 'the rebuild finished' });
        ctx.assert.ok(!rebuilt.includes('(snapshot)'), rebuilt);
        // Not in the workspace, so only a watcher of its own sees this edit.
        writeFileSync(file, extraBib(3));
        await waitForCount(ctx, before + 3, 'after the file outside the workspace gained two entries');
        await ctx.openPaperlensView();
        // Earlier tests left sources expanded in a short pane: collapse them so every source row is rendered.
        const library = ctx.view('Library');
        await library.hover();
        await library.locator('.pane-header .action-label[aria-label^="Collapse All"]').click();
        const source = ctx.view('Library').locator('.monaco-list-row').filter({ hasText: 'outside.bib' }).first();
        await ctx.waitFor(async () => /3 papers/.test(await source.innerText()), {
          message: 'the Library tree shows outside.bib with 3 papers',
        });
      } finally {
        await ctx.writeWorkspaceFile('.vscode/settings.json', '{}\n');
        rmSync(folder, { recursive: true, force: true });
      }
      await waitForCount(ctx, before, 'after removing the setting');
    },
  },
];
