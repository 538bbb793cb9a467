// A citation accepted from the completion list and its .bib entry are one undo step: Ctrl+Z takes the key out of
// the document and the entry out of references.bib (saved again as it was), through the language server's citing
// command and the client's bibliography writer.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** "Hypter" and "ZEST" appear only in the abstract of "Learning to Generate Task-Specific Adapters …". */
const PAPER = { query: 'hypter zest', key: 'learninggeneratetask' };
/** paper.tex line 19 is the empty line under "% Cite something here.". */
const TEX_LINE = 19;

function bundledEntry(key) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/cli.js', import.meta.url)), 'bibtex', key], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`paperlens bibtex ${key} failed: ${result.stderr}`);
  return result.stdout.trim();
}

export const tests = [
  {
    name: 'Ctrl+Z after a completion cite removes the key from paper.tex and its entry from references.bib',
    timeout: 180_000,
    run: async (ctx) => {
      const before = await ctx.readWorkspaceFile('references.bib');
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await ctx.gotoLine(TEX_LINE, 1);
      await ctx.type('Adapters \\cite{');
      await ctx.suggestions();
      await ctx.type(PAPER.query);
      await ctx.waitFor(async () => (await ctx.suggestions()).slice(0, 3).some((row) => row.includes(PAPER.key)), {
        message: `${PAPER.key} among the first suggestions`,
      });
      await ctx.acceptSuggestion(PAPER.key);
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('references.bib')) === `${before}\n${bundledEntry(PAPER.key)}\n`, {
        message: 'exactly the entry appended to references.bib on disk',
      });
      await ctx.waitFor(async () => (await ctx.visibleEditorText()).includes(`Adapters \\cite{${PAPER.key}}`), { message: 'the key in paper.tex' });

      await ctx.press('Control+z');
      await ctx.waitFor(async () => !(await ctx.visibleEditorText()).includes(PAPER.key), { message: 'the key undone in paper.tex' });
      await ctx.waitFor(async () => (await ctx.readWorkspaceFile('references.bib')) === before, {
        message: 'references.bib on disk as it was before the cite',
      });
      // The log channel reaches its file on disk after the .bib is written, so wait for the line rather than read once.
      await ctx.waitFor(
        async () => /Undo: learninggeneratetask is no longer cited in paper\.tex; its entry was taken out of references\.bib/.test(await ctx.paperlensLog()),
        { message: 'the Paperlens log to say why the entry left references.bib' },
      );
    },
  },
];
