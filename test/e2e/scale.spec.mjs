// The ACL anthology (88k papers, 50 MB of BibTeX) as the corpus, in a real VS Code: the language server reads and
// indexes it in its worker while the editor stays responsive and the status bar shows progress; completion works
// as soon as it says ready; citing a paper updates the library incrementally (one source, not a reload), and a
// completion list right after the cite opens at once; the window reloaded afterwards starts from the library the
// worker saved (a warm start: "Library ready: … (snapshot)"). Logs the measured "window open → ready" times, cold
// and warm, and the extension host's worst event-loop delay during the cold start, the cite and the warm start.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIMEOUT_SCALE } from './harness.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CORPORA = process.env.PAPERLENS_CORPORA ?? resolve(REPO, '../shared/corpora');
const ACL = resolve(CORPORA, 'large', 'acl-anthology.bib');
if (!existsSync(ACL)) throw new Error(`${ACL} is missing: set PAPERLENS_CORPORA to the shared corpora folder`);

/** "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding" in the anthology. */
const BERT = { query: 'bert pretraining deep bidirectional transformers', key: 'devlin-etal-2019-bert' };
/** paper.tex line 19 is the empty line under "% Cite something here.". */
const TEX_LINE = 19;
/** Set when the first test starts: the window has just opened. */
let windowOpened = 0;

/** The client's measure of the extension host's event-loop delay during `phase`, as the Paperlens log states it. */
async function eventLoopDelay(ctx, phase) {
  const line = await ctx.waitFor(
    async () => (await ctx.paperlensLog()).split('\n').find((text) => text.includes(`event-loop delay during ${phase}:`)),
    { message: `the Paperlens log to state the event-loop delay during ${phase}` },
  );
  return line.slice(line.indexOf('max '));
}

export const workspaceFiles = {
  '.vscode/settings.json': JSON.stringify({ 'paperlens.corpus.files': [ACL] }, null, 2),
};

export const tests = [
  {
    name: 'while the ACL anthology indexes, typed text appears at once and the status bar shows progress',
    timeout: 400_000,
    run: async (ctx) => {
      windowOpened = Date.now();
      await ctx.openFile('paper.tex');
      const progress = ctx.statusBarItem(/Paperlens: .*…/).first();
      await progress.waitFor({ state: 'visible', timeout: 120_000 * TIMEOUT_SCALE });
      const shown = (await progress.innerText()).trim();
      ctx.log(`status bar while loading: ${shown}`);
      ctx.assert.match(shown, /Paperlens: (starting|finding|reading|indexing)/);
      await ctx.gotoLine(TEX_LINE, 1);
      await ctx.type('Typed while the library loads.');
      await ctx.waitFor(async () => (await ctx.visibleEditorText()).includes('Typed while the library loads.'), {
        timeout: 5_000 * TIMEOUT_SCALE,
        message: 'the typed text in the editor within 5 s',
      });
      await ctx.screenshot('loading');
      const papers = await ctx.waitForActivation({ timeout: 380_000 * TIMEOUT_SCALE });
      ctx.log(`window open → ready: ${((Date.now() - windowOpened) / 1000).toFixed(1)} s for ${papers} papers`);
      ctx.assert.ok(papers > 80_000, `the status bar counts ${papers} papers`);
      ctx.log(`extension host event-loop delay during the cold start: ${await eventLoopDelay(ctx, 'start')}`);
    },
  },
  {
    name: 'completion works as soon as the status bar says ready',
    timeout: 120_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation({ timeout: 60_000 * TIMEOUT_SCALE });
      await ctx.gotoLine(TEX_LINE, 200);
      await ctx.type(' \\cite{');
      await ctx.suggestions({ timeout: 10_000 * TIMEOUT_SCALE });
      await ctx.type(BERT.query);
      const rows = await ctx.waitFor(
        async () => {
          const list = await ctx.suggestions({ timeout: 10_000 * TIMEOUT_SCALE });
          return list.slice(0, 3).some((row) => row.includes(BERT.key)) && list;
        },
        { timeout: 20_000 * TIMEOUT_SCALE, message: `${BERT.key} among the first suggestions` },
      );
      ctx.log(`first rows: ${rows.slice(0, 3).join(' | ')}`);
      await ctx.screenshot('acl-completion');
    },
  },
  {
    name: 'citing a paper updates the library without a full reload, and the next completion list opens at once (its time logged)',
    timeout: 180_000,
    run: async (ctx) => {
      const before = await ctx.readWorkspaceFile('references.bib');
      await ctx.acceptSuggestion(BERT.key);
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('references.bib')).includes(`{${BERT.key},`), {
        message: 'the entry appended to references.bib',
      });
      ctx.assert.ok((await ctx.readWorkspaceFile('references.bib')).startsWith(before.trimEnd()));
      const log = await ctx.waitFor(
        async () => {
          const text = await ctx.paperlensLog();
          return /Library updated: references\.bib/.test(text) && text;
        },
        { timeout: 30_000 * TIMEOUT_SCALE, message: 'the Paperlens log to show the incremental update of references.bib' },
      );
      ctx.log(log.split('\n').filter((line) => /Library updated: references\.bib/.test(line)).pop());
      const afterCite = log.slice(log.lastIndexOf('Library updated: references.bib'));
      ctx.assert.doesNotMatch(afterCite, /Library ready:/, 'no full reload after the cite');
      await ctx.type(' and \\cite{');
      // "Within a second" is a speed target, logged here and kept out of the verdict: a loaded machine is slower.
      const asked = Date.now();
      const rows = await ctx.suggestions();
      ctx.log(`completion list after the cite: ${Date.now() - asked} ms`);
      ctx.assert.match(rows[0] ?? '', /in bibliography/);
      ctx.log(`extension host event-loop delay during the cite: ${await eventLoopDelay(ctx, 'cite')}`);
    },
  },
  {
    name: 'a reloaded window starts from the library the worker saved, and the cited entry is in it',
    timeout: 400_000,
    run: async (ctx) => {
      // The worker saves the library a little while after its last change (the cite): the save that follows it.
      await ctx.waitFor(
        async () => {
          const log = await ctx.paperlensLog();
          return log.slice(log.lastIndexOf('Library updated: references.bib')).includes('Library saved for the next start:');
        },
        { timeout: 300_000 * TIMEOUT_SCALE, message: 'the library saved after the cite' },
      );
      await ctx.press('Escape');
      await ctx.save();
      const reloaded = Date.now();
      await ctx.page.reload({ waitUntil: 'commit', timeout: 120_000 * TIMEOUT_SCALE });
      await ctx.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 * TIMEOUT_SCALE });
      await ctx.openFile('paper.tex');
      const papers = await ctx.waitForActivation({ timeout: 300_000 * TIMEOUT_SCALE });
      ctx.log(`window reload → ready (warm start): ${((Date.now() - reloaded) / 1000).toFixed(1)} s for ${papers} papers`);
      const ready = (await ctx.paperlensLog()).split('\n').find((line) => line.includes('Library ready:'));
      ctx.assert.match(ready ?? '', /Library ready: \d+ papers, .* \(snapshot\)$/, 'the library came from the snapshot');
      ctx.assert.ok(papers > 80_000, `the status bar counts ${papers} papers`);
      ctx.log(`extension host event-loop delay during the warm start: ${await eventLoopDelay(ctx, 'start')}`);
      await ctx.gotoLine(TEX_LINE, 200);
      await ctx.type(' \\cite{');
      await ctx.suggestions({ timeout: 10_000 * TIMEOUT_SCALE });
      // The whole key. Each "-" in it closes the list that typing opened (not a word character) and the next letter
      // opens another, which on a loaded machine can end with no list shown (CI, once): then ask for the list with
      // Ctrl+Space, as a user would.
      await ctx.type(BERT.key);
      const cited = (rows) => rows.some((row) => row.includes(BERT.key) && row.includes('in bibliography'));
      const askAgain = async () => {
        await ctx.press('Escape');
        await ctx.press('Control+Space');
      };
      await ctx.waitFor(
        async () => {
          // A timeout is rethrown after asking again, so the verdict names what the widget showed instead.
          const rows = await ctx.suggestions({ timeout: 10_000 * TIMEOUT_SCALE }).catch(async (error) => {
            await askAgain();
            throw error;
          });
          if (cited(rows)) return true;
          await askAgain();
          return false;
        },
        { timeout: 60_000 * TIMEOUT_SCALE, message: `${BERT.key}, cited before the reload, in the bibliography after it` },
      );
    },
  },
];
