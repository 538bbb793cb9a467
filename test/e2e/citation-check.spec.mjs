// A key typed by hand that the document's .bib lacks: a warning while writing, and a quick fix that appends the
// entry from the library, exactly as citing it through completion would; a mistyped key offers what it meant.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UI_TIMEOUT } from './harness.mjs';

/** A bundled paper that examples/references.bib does not hold. */
const KEY = 'learninggeneratetask';

function bundledEntry(key) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), 'bibtex', key], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`paperlens bibtex ${key} failed: ${result.stderr}`);
  return result.stdout.trim();
}

export const workspaceFiles = {
  'typed.tex': `\\documentclass{article}\n\\begin{document}\nAdapters from task descriptions \\cite{${KEY}} and a typo \\cite{simonyan2015vrey}.\n\\bibliography{references}\n\\end{document}\n`,
};

export const tests = [
  {
    name: 'a cited key missing from references.bib is flagged; the quick fix adds exactly its entry',
    timeout: 150_000,
    run: async (ctx) => {
      const before = await ctx.readWorkspaceFile('references.bib');
      await ctx.openFile('typed.tex');
      await ctx.waitForActivation();
      const squiggles = ctx.page.locator('.monaco-editor .squiggly-warning');
      await ctx.waitFor(async () => (await squiggles.count()) >= 2, { message: 'two warning squiggles in typed.tex', timeout: UI_TIMEOUT });

      await ctx.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
      const problems = ctx.page.locator('.markers-panel');
      await ctx.waitFor(async () => (await problems.textContent())?.includes(`"${KEY}" is cited but not in references.bib`), {
        message: 'the Problems panel names the key the library can supply',
      });
      ctx.assert.ok((await problems.textContent()).includes('"simonyan2015vrey" is in neither references.bib nor the Paperlens library'));
      await ctx.screenshot('problems');

      await ctx.openFile('typed.tex');
      await ctx.gotoLine(3, 40);
      const fix = await ctx.codeAction(`Add "${KEY}" to the bibliography from the Paperlens library`);
      await ctx.screenshot('quick-fix');
      await fix.click();

      const expected = `${before.trimEnd()}\n\n${bundledEntry(KEY)}\n`;
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('references.bib')) === expected, {
        message: 'references.bib on disk is the old text, one blank line, and exactly the entry',
      });
      await ctx.waitFor(async () => (await squiggles.count()) === 1, { message: 'only the typo is still flagged' });
    },
  },
  {
    name: 'a mistyped key offers the key it most likely meant',
    run: async (ctx) => {
      await ctx.openFile('typed.tex');
      await ctx.waitForActivation();
      // The quick-fix menu lists the fixes of the diagnostics the editor has when it opens, so the typo's warning
      // must be shown first (under load the menu opened before it and never listed the fix).
      const squiggles = ctx.page.locator('.monaco-editor .squiggly-warning');
      await ctx.waitFor(async () => (await squiggles.count()) === 1, { message: 'the typo flagged in typed.tex', timeout: UI_TIMEOUT });
      await ctx.gotoLine(3, 80);
      const fix = await ctx.codeAction('Change to "simonyan2015very"');
      await ctx.screenshot('did-you-mean');
      await fix.click();
      await ctx.waitFor(async () => (await ctx.visibleEditorText()).includes('and a typo \\cite{simonyan2015very}.'), {
        message: 'the typo replaced by the key',
      });
      await ctx.waitFor(async () => (await squiggles.count()) === 0, { message: 'no warning left in typed.tex' });
    },
  },
];
