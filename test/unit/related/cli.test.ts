// `paperlens related`: the ranking for a paragraph from the command line, as runCli dispatches it.
import { describe, expect, it } from 'vitest';
import { run, tempFile } from '../cliRun';
import { corpusPath } from '../corpora';

const arxivFile = corpusPath('arxiv', 'arxiv-metadata-0704-first2000.jsonl');

const paragraph =
  'Spotting abnormal graphs as a whole \\cite{kipf2017}, rather than abnormal nodes, matters for screening ' +
  'molecules: the energy $x^\\top L x$ a graph signal accumulates over the spectrum tells anomalous graphs apart.';

describe('paperlens related', () => {
  it('ranks the bundled corpus for a LaTeX paragraph and prints JSON rows with the reason', async () => {
    const { code, out, err } = await run('related', '--text', paragraph, '--limit', '2', '--json');
    expect([code, err]).toEqual([0, []]);
    const rows = JSON.parse(out.join('\n'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      key: 'rayleighquotientgraph',
      title: 'Rayleigh Quotient Graph Neural Networks for Graph-level Anomaly Detection',
      authors: [],
      year: null,
      score: expect.any(Number),
      reason: 'Shares graph signal, anomalous, energy',
    });
    expect(rows[0].score).toBeGreaterThan(rows[1].score);
  });

  it('reads a Markdown file as the editor does (front matter and citations are no query words) and prints a list', async () => {
    const file = tempFile(
      'draft.md',
      '---\ntitle: Superconductivity notes\n---\n\nThe Migdal--Eliashberg treatment of the Holstein model is extended to intermediate coupling in two dimensions [@hague2007].\n',
    );
    const { code, out } = await run('related', '--file', file, '--corpus', arxivFile, '--limit=2');
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^1\. hague2007\w+  .+\n   Hague · 2007\n   Shares .*Holstein/);
  });

  it('says so when the text is too short to rank by', async () => {
    const { code, out } = await run('related', '--text', 'see \\cite{x} and $y$');
    expect(code).toBe(0);
    expect(out).toEqual(['Too few words to find papers by (1; at least 4 besides markup and function words).']);
  });

  it('rejects a wrong command line with exit 2 and a missing file with exit 1', async () => {
    expect(await run('related')).toMatchObject({ code: 2, err: ['paperlens: related needs --text "…" or --file FILE (see paperlens --help)'] });
    expect((await run('related', '--text', 'a', '--file', 'b')).code).toBe(2);
    expect((await run('related', '--text', 'a b c d', '--limit', '0')).code).toBe(2);
    expect((await run('related', '--text', 'a b c d', '--fast')).err).toEqual(['paperlens: unknown option --fast for "related" (see paperlens --help)']);
    expect(await run('related', '--file', '/no/such/draft.tex')).toMatchObject({ code: 1, err: ['paperlens: /no/such/draft.tex: no such file'] });
  });

  it('is listed in the help', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('paperlens related (--text "<paragraph>" | --file FILE)');
  });
});
