// The installed .vsix starts in a real VS Code: it activates on a LaTeX document, counts the bundled corpus in
// the status bar, contributes its activity bar container, and the status bar item opens the Paperlens view.
import { selectors, UI_TIMEOUT } from './harness.mjs';

export const tests = [
  {
    name: 'activates on a LaTeX document and shows "Paperlens: 198 papers"',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      // examples/references.bib repeats bundled papers, so the library still holds exactly the bundled 198.
      const papers = await ctx.waitForActivation();
      ctx.assert.equal(papers, 198);
      ctx.assert.equal((await ctx.statusBarItem(/Paperlens:/).first().innerText()).trim(), 'Paperlens: 198 papers');
      await ctx.screenshot('activated');
    },
  },
  {
    name: 'contributes the Paperlens container to the activity bar',
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      const item = ctx.page.locator(selectors.activityBarItem('Paperlens')).first();
      await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      ctx.assert.match((await item.getAttribute('aria-label')) ?? '', /^Paperlens/);
      await ctx.screenshot('activity-bar');
    },
  },
  {
    name: 'clicking the status bar item opens the Paperlens view with Search and Library',
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      // Show another container first, so the click has to switch the sidebar to Paperlens.
      await ctx.press('Control+Shift+E');
      await ctx.page.locator('.explorer-viewlet').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      ctx.assert.equal(await ctx.view('Library').isVisible(), false);

      await ctx.statusBarItem('Paperlens: 198 papers').first().click();
      await ctx.view('Search').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.view('Library').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      const sidebarTitle = await ctx.page.locator('.part.sidebar .composite.title h2').first().innerText();
      ctx.assert.match(sidebarTitle, /paperlens/i);
      await ctx.screenshot('paperlens-view');
    },
  },
];
