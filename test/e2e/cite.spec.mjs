// Citing while writing, as a user does it in a real VS Code: type \cite{ or [@ and words from an abstract, pick
// the paper, and find the key in the text and exactly its entry in references.bib; cite it again and the .bib
// is unchanged; hover the key and read the abstract. A document that declares no bibliography gets the default
// references.bib made beside it and a button that declares it; a .bib with unsaved changes is edited in its
// editor, never written over on disk. Screenshots of the lists and the hovers.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UI_TIMEOUT } from './harness.mjs';

/** "Hypter" and "ZEST" appear only in the abstract of "Learning to Generate Task-Specific Adapters …". */
const LATEX_PAPER = { query: 'hypter zest', key: 'learninggeneratetask', abstract: 'Pre-trained text-to-text transformers' };
/** "garments" appears in the abstract of AnyFit, not in its title. */
const MARKDOWN_PAPER = { query: 'garments', key: 'anyfitcontrollablevirtual', abstract: 'image-based virtual try-on' };
/** "Bandersnatch" is a word of one title only. */
const UNSAVED_BIB_PAPER = { query: 'bandersnatch', key: 'andhrabandersnatchtraining' };
/** paper.tex line 19 is the empty line under "% Cite something here."; draft.md line 13 is the empty line above "## References". */
const TEX_LINE = 19;
const MD_LINE = 13;

export const workspaceFiles = {
  'notes/undeclared.md': '# Notes without a bibliography\n\nA sentence to cite from.\n',
};

/** The entry the packaged CLI renders for a bundled paper: what the extension must append, byte for byte. */
function bundledEntry(key) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), 'bibtex', key], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`paperlens bibtex ${key} failed: ${result.stderr}`);
  return result.stdout.trim();
}

const count = (text, needle) => text.split(needle).length - 1;

/** Waits until the first rows of the open suggest list hold the key; returns the rows. */
async function suggestionsWith(ctx, key, firstRows = 3) {
  return ctx.waitFor(
    async () => {
      const rows = await ctx.suggestions();
      return rows.slice(0, firstRows).some((row) => row.includes(key)) && rows;
    },
    { message: `${key} among the first ${firstRows} suggestions` },
  );
}

/** Waits for the list the trigger character opens (nothing typed yet: the bibliography's papers first, marked). */
async function listOpens(ctx) {
  const rows = await ctx.suggestions();
  ctx.assert.match(rows[0] ?? '', /in bibliography/, `first row of the list on an empty key: ${rows[0]}`);
  return rows;
}

async function citeAndCheck(ctx, { file, line, heading, opening, paper, bibliography }) {
  const before = await ctx.readWorkspaceFile(bibliography);
  await ctx.openFile(file);
  await ctx.gotoLine(line, 1);
  // Markdown: the heading under the caret in the breadcrumbs says VS Code's Markdown server is serving the file.
  if (heading) await ctx.waitForSymbolInBreadcrumbs(heading);
  await ctx.type(opening);
  await listOpens(ctx);
  await ctx.type(paper.query);
  const rows = await suggestionsWith(ctx, paper.key);
  ctx.log(`first rows: ${rows.slice(0, 3).join(' | ')}`);
  await ctx.screenshot(`${file.replace(/\W/g, '-')}-list`);
  await ctx.acceptSuggestion(paper.key);

  const added = await ctx.waitFor(async () => {
    const text = await ctx.readWorkspaceFile(bibliography);
    return text !== before && text;
  }, { message: `${bibliography} to change on disk` });
  ctx.assert.equal(added, `${before}\n${bundledEntry(paper.key)}\n`);
  await ctx.save();
  return before;
}

export const tests = [
  {
    name: 'LaTeX: \\cite{ and words from an abstract → the paper, its key in the text, exactly its entry in references.bib',
    timeout: 180_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await citeAndCheck(ctx, { file: 'paper.tex', line: TEX_LINE, opening: 'Adapters \\cite{', paper: LATEX_PAPER, bibliography: 'references.bib' });
      const tex = await ctx.readWorkspaceFile('paper.tex');
      ctx.assert.equal(tex.split('\n')[TEX_LINE - 1], `Adapters \\cite{${LATEX_PAPER.key}}`);
    },
  },
  {
    name: 'LaTeX: citing the same paper again leaves references.bib as it is, and the list marks it',
    timeout: 120_000,
    run: async (ctx) => {
      const before = await ctx.readWorkspaceFile('references.bib');
      ctx.assert.equal(count(before, `{${LATEX_PAPER.key},`), 1);
      await ctx.gotoLine(TEX_LINE, 200);
      await ctx.type(' and again \\cite{');
      await listOpens(ctx);
      await ctx.type(LATEX_PAPER.query);
      const rows = await suggestionsWith(ctx, LATEX_PAPER.key);
      ctx.assert.match(rows.find((row) => row.includes(LATEX_PAPER.key)), /in bibliography/);
      await ctx.acceptSuggestion(LATEX_PAPER.key);
      await ctx.save();
      const tex = await ctx.readWorkspaceFile('paper.tex');
      ctx.assert.equal(count(tex, `\\cite{${LATEX_PAPER.key}}`), 2);
      // A wrongly run bibliography command would change the file within moments.
      await ctx.assertStaysUnchanged('references.bib', before);
    },
  },
  {
    name: 'LaTeX: hovering the cited key shows the paper and its abstract',
    run: async (ctx) => {
      await ctx.gotoLine(TEX_LINE, 'Adapters \\cite{'.length + 3);
      const hover = await ctx.showHover();
      ctx.assert.match(hover, /Learning to Generate Task-Specific Adapters/);
      ctx.assert.match(hover, new RegExp(LATEX_PAPER.abstract));
      ctx.assert.match(hover, /references\.bib:\d+/);
      await ctx.screenshot('paper-tex-hover');
      await ctx.press('Escape');
    },
  },
  {
    name: 'Markdown: [@ and a word from an abstract → [@key] in the text and exactly its entry in references.bib',
    timeout: 180_000,
    run: async (ctx) => {
      await citeAndCheck(ctx, { file: 'draft.md', line: MD_LINE, heading: 'Notes on network papers', opening: 'Try-on models [@', paper: MARKDOWN_PAPER, bibliography: 'references.bib' });
      const md = await ctx.readWorkspaceFile('draft.md');
      // Whether `[` was auto-closed is the editor's choice; the key after `[@` is ours.
      ctx.assert.match(md.split('\n')[MD_LINE - 1], new RegExp(`^Try-on models \\[@${MARKDOWN_PAPER.key}\\]?$`));
    },
  },
  {
    name: 'Markdown: citing again adds nothing; hovering the key shows the abstract',
    timeout: 120_000,
    run: async (ctx) => {
      const before = await ctx.readWorkspaceFile('references.bib');
      await ctx.gotoLine(MD_LINE, 200);
      await ctx.type(' and [@');
      await listOpens(ctx);
      await ctx.type(MARKDOWN_PAPER.query);
      await suggestionsWith(ctx, MARKDOWN_PAPER.key);
      await ctx.acceptSuggestion(MARKDOWN_PAPER.key);
      await ctx.save();
      await ctx.assertStaysUnchanged('references.bib', before);
      ctx.assert.equal(count(before, `{${MARKDOWN_PAPER.key},`), 1);

      await ctx.gotoLine(MD_LINE, 'Try-on models [@'.length + 3);
      const hover = await ctx.showHover();
      ctx.assert.match(hover, /AnyFit/);
      ctx.assert.match(hover, new RegExp(MARKDOWN_PAPER.abstract));
      await ctx.screenshot('draft-md-hover');

      // The abstract is shortened in the hover; its link (our one trusted command) shows all of it.
      await ctx.page.locator('.monaco-hover a', { hasText: 'Read the whole abstract' }).first().click();
      const dialog = ctx.page.locator('.monaco-dialog-box').first();
      await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      const detail = await dialog.innerText();
      ctx.assert.match(detail, /AnyFit: Controllable Virtual Try-on/);
      ctx.assert.match(detail, /paves a new path for future research within the fashion community\./);
      await ctx.screenshot('draft-md-whole-abstract');
      await ctx.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    },
  },
  {
    name: 'Markdown without a bibliography: references.bib is made beside it and one click declares it',
    timeout: 180_000,
    run: async (ctx) => {
      await ctx.openFile('notes/undeclared.md');
      await ctx.gotoLine(3, 200);
      await ctx.waitForSymbolInBreadcrumbs('Notes without a bibliography');
      await ctx.type(' [@');
      await ctx.type(MARKDOWN_PAPER.query);
      await suggestionsWith(ctx, MARKDOWN_PAPER.key);
      await ctx.acceptSuggestion(MARKDOWN_PAPER.key);
      const created = await ctx.waitFor(() => ctx.readWorkspaceFile('notes/references.bib').catch(() => ''), {
        message: 'notes/references.bib to be created',
      });
      ctx.assert.equal(created, `${bundledEntry(MARKDOWN_PAPER.key)}\n`);

      const button = ctx.page.locator('.notification-toast .monaco-button', { hasText: 'Declare Bibliography' }).first();
      await button.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.screenshot('declare-bibliography-notification');
      await button.click();
      await ctx.openFile('notes/undeclared.md');
      await ctx.save();
      const declared = await ctx.readWorkspaceFile('notes/undeclared.md');
      ctx.assert.ok(declared.startsWith('---\nbibliography: references.bib\n---\n\n# Notes without a bibliography\n'), declared);
      ctx.assert.ok(declared.includes(`A sentence to cite from. [@${MARKDOWN_PAPER.key}`), declared);
    },
  },
  {
    name: 'A .bib with unsaved changes gets the entry in its editor, next to them; the file on disk is not written',
    timeout: 180_000,
    run: async (ctx) => {
      const onDisk = await ctx.readWorkspaceFile('references.bib');
      await ctx.openFile('references.bib');
      await ctx.press('Control+End');
      await ctx.type('% my unsaved note');
      await ctx.press('Escape');

      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await ctx.gotoLine(TEX_LINE, 200);
      await ctx.type(' \\cite{');
      await listOpens(ctx);
      await ctx.type(UNSAVED_BIB_PAPER.query);
      await suggestionsWith(ctx, UNSAVED_BIB_PAPER.key);
      await ctx.acceptSuggestion(UNSAVED_BIB_PAPER.key);
      await ctx.save();
      // A wrong save of the .bib would write it within moments.
      await ctx.assertStaysUnchanged('references.bib', onDisk);

      await ctx.openFile('references.bib');
      await ctx.save();
      const saved = await ctx.readWorkspaceFile('references.bib');
      ctx.assert.equal(saved, `${onDisk}% my unsaved note\n\n${bundledEntry(UNSAVED_BIB_PAPER.key)}\n`);
    },
  },
];
