// Citing where real writing happens, in a real VS Code: a Markdown query of two and then three words typed
// inside `[@…` finds the paper by its abstract and the key replaces the words; a chapter of a thesis that says
// nothing of its root (no `%!TEX root`, as nearly every real chapter) cites into the root's declared .bib, and no
// .bib is made beside the chapter.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** "Esperanto" and "Scopus" appear in the abstract of the conlang paper only; "conlang" is in its title. */
const CONLANG = { twoWords: 'esperanto scopus', thirdWord: ' conlang', key: 'networkanalysisapproach' };
/** "Hypter" and "ZEST" appear only in the abstract of "Learning to Generate Task-Specific Adapters …". */
const ADAPTERS = { query: 'hypter zest', key: 'learninggeneratetask' };
/** "garments" appears in the abstract of AnyFit, not in its title. */
const ANYFIT = { query: 'garments', key: 'anyfitcontrollablevirtual' };
/** draft.md line 13 is the empty line above "## References". */
const MD_LINE = 13;
/** The thesis chapter's line 2 cites kohonen1990som; line 3 is \input{chapters/background}. */
const CHAPTER = 'thesis/chapters/intro.tex';

const PROJECTS = new URL('../fixtures/projects/', import.meta.url);
const fixture = (relative) => readFileSync(new URL(relative, PROJECTS), 'utf8');

/**
 * The thesis fixture and the Quarto book fixture, written into this spec's workspace beside the examples; the
 * book gets a Markdown chapter (`.md`: VS Code knows no `.qmd` without the Quarto extension).
 */
export const workspaceFiles = {
  'thesis/main.tex': fixture('thesis/main.tex'),
  'thesis/references.bib': fixture('thesis/references.bib'),
  'thesis/chapters/intro.tex': fixture('thesis/chapters/intro.tex'),
  'thesis/chapters/background.tex': fixture('thesis/chapters/background.tex'),
  'thesis/chapters/methods.tex': fixture('thesis/chapters/methods.tex'),
  'book/_quarto.yml': fixture('quarto-book/_quarto.yml'),
  'book/references.bib': fixture('quarto-book/references.bib'),
  'book/index.qmd': fixture('quarto-book/index.qmd'),
  'book/chapters/results.md': '# Results\n\nVirtual try-on works.\n',
};

/** The entry the packaged CLI renders for a bundled paper: what the extension must append, byte for byte. */
function bundledEntry(key) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), 'bibtex', key], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`paperlens bibtex ${key} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Waits until the first row of the open suggest list is the key; returns the rows. */
async function firstSuggestion(ctx, key, query) {
  return ctx.waitFor(
    async () => {
      const rows = await ctx.suggestions();
      return (rows[0] ?? '').includes(key) && rows;
    },
    { message: `${key} first in the list for "${query}"` },
  );
}

async function fileChanged(ctx, relative, before) {
  return ctx.waitFor(
    async () => {
      const text = await ctx.readWorkspaceFile(relative);
      return text !== before && text;
    },
    { message: `${relative} to change on disk` },
  );
}

export const tests = [
  {
    name: 'Markdown: [@ then two words, then three, from an abstract → the paper first; the key replaces the words, the text after the bracket stays, its entry lands in references.bib',
    timeout: 180_000,
    run: async (ctx) => {
      const before = await ctx.readWorkspaceFile('references.bib');
      await ctx.openFile('draft.md');
      await ctx.waitForActivation();
      await ctx.gotoLine(MD_LINE, 1);
      await ctx.type('Conlang studies  agree.');
      await ctx.gotoLine(MD_LINE, 'Conlang studies '.length + 1);
      await ctx.type('[@');
      // `@` opens the list; each space of the query keeps it open (a trigger character too).
      await ctx.suggestions({ timeout: 15_000 }).catch(async () => {
        ctx.log('no list after [@; typing @ again');
        await ctx.press('Backspace');
        await ctx.type('@');
      });
      await ctx.type(CONLANG.twoWords);
      let rows = await firstSuggestion(ctx, CONLANG.key, CONLANG.twoWords);
      ctx.log(`two words: ${rows.slice(0, 3).join(' | ')}`);
      await ctx.screenshot('markdown-two-words');
      await ctx.type(CONLANG.thirdWord);
      rows = await firstSuggestion(ctx, CONLANG.key, CONLANG.twoWords + CONLANG.thirdWord);
      ctx.log(`three words: ${rows.slice(0, 3).join(' | ')}`);
      await ctx.screenshot('markdown-three-words');
      await ctx.acceptSuggestion(CONLANG.key);

      const added = await fileChanged(ctx, 'references.bib', before);
      ctx.assert.equal(added, `${before}\n${bundledEntry(CONLANG.key)}\n`);
      await ctx.save();
      const line = (await ctx.readWorkspaceFile('draft.md')).split('\n')[MD_LINE - 1];
      // Whether `[` was auto-closed is the editor's choice; the words are gone either way and the text after stays.
      const expected = [`Conlang studies [@${CONLANG.key}] agree.`, `Conlang studies [@${CONLANG.key} agree.`];
      ctx.assert.ok(expected.includes(line), `line ${MD_LINE}: ${JSON.stringify(line)}`);
    },
  },
  {
    name: 'LaTeX: a thesis chapter without %!TEX root cites into the root’s declared .bib, never a new chapters/references.bib',
    timeout: 180_000,
    run: async (ctx) => {
      const rootBibliography = await ctx.readWorkspaceFile('thesis/references.bib');
      const examplesBibliography = await ctx.readWorkspaceFile('references.bib');
      await ctx.openFile(CHAPTER);
      await ctx.waitForActivation();

      // The key the chapter already cites is defined in the root's bibliography: hover says where.
      await ctx.gotoLine(2, 'Self-organising maps \\citep{'.length + 3);
      const hover = await ctx.showHover();
      ctx.assert.match(hover, /The self-organizing map/);
      ctx.assert.match(hover, /thesis\/references\.bib:1|references\.bib:1/);
      await ctx.press('Escape');

      await ctx.gotoLine(2, 200);
      await ctx.type(' Adapters \\cite{');
      // On an empty key the list shows the root bibliography's papers first, marked as in the bibliography.
      const opened = await ctx.waitFor(
        async () => {
          const rows = await ctx.suggestions();
          return /in bibliography/.test(rows[0] ?? '') && rows;
        },
        { message: 'the root bibliography’s papers first in the list' },
      );
      ctx.log(`empty key: ${opened.slice(0, 3).join(' | ')}`);
      await ctx.type(ADAPTERS.query);
      await firstSuggestion(ctx, ADAPTERS.key, ADAPTERS.query);
      await ctx.screenshot('thesis-chapter-list');
      await ctx.acceptSuggestion(ADAPTERS.key);

      const added = await fileChanged(ctx, 'thesis/references.bib', rootBibliography);
      ctx.assert.equal(added, `${rootBibliography}\n${bundledEntry(ADAPTERS.key)}\n`);
      await ctx.save();
      const chapter = (await ctx.readWorkspaceFile(CHAPTER)).split('\n')[1];
      ctx.assert.equal(chapter, `Self-organising maps \\citep{kohonen1990som} order their units by topology. Adapters \\cite{${ADAPTERS.key}}`);
      // Nothing happening has no event to wait for: the one bounded check gives a write to the wrong .bib, or a
      // declaration prompt, its time to show itself.
      await ctx.assertStaysUnchanged('references.bib', examplesBibliography);
      await ctx.assert.rejects(ctx.readWorkspaceFile('thesis/chapters/references.bib'), /ENOENT/);
      ctx.assert.ok(!(await ctx.notifications()).some((text) => /Declare Bibliography|does not declare/.test(text)), 'no prompt to declare a bibliography');
    },
  },
  {
    name: 'Markdown: a chapter of a Quarto book cites into the bibliography _quarto.yml declares, never a new chapters/references.bib',
    timeout: 180_000,
    run: async (ctx) => {
      const bookBibliography = await ctx.readWorkspaceFile('book/references.bib');
      await ctx.openFile('book/chapters/results.md');
      await ctx.waitForActivation();
      await ctx.gotoLine(3, 200);
      await ctx.type(' [@');
      // On an empty key the list shows the book bibliography's paper first, marked as in the bibliography.
      await ctx.waitFor(
        async () => {
          const rows = await ctx.suggestions().catch(() => []);
          return /watts1998collective.*in bibliography/.test(rows[0] ?? '') && rows;
        },
        { message: 'the book bibliography’s paper first in the list' },
      );
      await ctx.type(ANYFIT.query);
      await firstSuggestion(ctx, ANYFIT.key, ANYFIT.query);
      await ctx.acceptSuggestion(ANYFIT.key);

      const added = await fileChanged(ctx, 'book/references.bib', bookBibliography);
      ctx.assert.equal(added, `${bookBibliography}\n${bundledEntry(ANYFIT.key)}\n`);
      await ctx.save();
      const line = (await ctx.readWorkspaceFile('book/chapters/results.md')).split('\n')[2];
      ctx.assert.ok([`Virtual try-on works. [@${ANYFIT.key}]`, `Virtual try-on works. [@${ANYFIT.key}`].includes(line), JSON.stringify(line));
      await ctx.assertStaysUnchanged('book/references.bib', added);
      await ctx.assert.rejects(ctx.readWorkspaceFile('book/chapters/references.bib'), /ENOENT/);
      ctx.assert.ok(!(await ctx.notifications()).some((text) => /Declare Bibliography|does not declare/.test(text)), 'no prompt to declare a bibliography');
    },
  },
];
