import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { runCli, streamIo } from '../../src/cli';
import { run, tempFile } from './cliRun';
import { corpusPath } from './corpora';

const arxivFile = corpusPath('arxiv/arxiv-metadata-0704-first2000.jsonl');

describe('paperlens search', () => {
  it('searches the bundled corpus by default and prints JSON rows best first', async () => {
    const { code, out, err } = await run('search', 'graph anomaly detection', '--limit', '3', '--json');
    expect([code, err]).toEqual([0, []]);
    const rows = JSON.parse(out.join('\n'));
    expect(rows.map((row: { key: string }) => row.key)).toEqual([
      'rayleighquotientgraph',
      'mixedteacherknowledgedistillation',
      'largelanguagemodels',
    ]);
    expect(rows[0]).toMatchObject({
      title: 'Rayleigh Quotient Graph Neural Networks for Graph-level Anomaly Detection',
      authors: [],
      year: null,
    });
    expect(rows[0].score).toBeGreaterThan(rows[1].score);
  });

  it('reads --corpus files and prints authors as strings', async () => {
    const { code, out } = await run('search', 'balazs 2007', '--corpus', arxivFile, '--limit=1', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual([
      expect.objectContaining({
        key: 'balazs2007calculation',
        authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan'],
        year: '2007',
      }),
    ]);
  });

  it('prints a numbered list with a byline without --json', async () => {
    const { code, out } = await run('search', 'streinu', '--corpus', arxivFile, '--limit', '1');
    expect(code).toBe(0);
    expect(out).toEqual(['1. streinu2007sparsity  Sparsity-certifying Graph Decompositions\n   Streinu and Theran · 2007 · arXiv']);
  });

  it('says so when nothing matches', async () => {
    const { code, out } = await run('search', 'zzzqqqxxx');
    expect(code).toBe(0);
    expect(out).toEqual(['No papers match "zzzqqqxxx" (198 searched).']);
  });
});

describe('paperlens parse', () => {
  const abstract = 'We study graphs in depth and show that a simple method works well on many benchmarks. It is fast.';
  const listing = () => tempFile('list.txt', ['Good Title', abstract, 'Orphan Title', 'Last Title', abstract, ''].join('\n'));

  it('prints the count and every problem as JSON, exit 0 despite problems', async () => {
    const file = listing();
    const { code, out } = await run('parse', file, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({
      papers: 3,
      problems: [{ file, line: 3, message: 'title "Orphan Title" has no abstract line after it' }],
    });
  });

  it('prints a summary and file:line: message problems', async () => {
    const file = listing();
    const { code, out } = await run('parse', file, arxivFile);
    expect(code).toBe(0);
    expect(out).toEqual([
      `${file}: 3 papers (listing), 1 problem`,
      `${arxivFile}: 2000 papers (arxiv-jsonl), 0 problems`,
      `${file}:3: title "Orphan Title" has no abstract line after it`,
      'total: 2003 papers, 1 problem',
    ]);
  });
});

describe('paperlens bibtex', () => {
  it('prints the entry of a key', async () => {
    const { code, out } = await run('bibtex', 'streinu2007sparsity', '--corpus', arxivFile);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^@misc\{streinu2007sparsity,\n {2}title = \{Sparsity-certifying Graph Decompositions\},\n/);
    expect(out[0]).toMatch(/ {2}eprint = \{0704\.0002\},/);
  });

  it('exits 1 and suggests keys for an unknown one', async () => {
    const { code, out, err } = await run('bibtex', 'hypernetwork');
    expect([code, out]).toEqual([1, []]);
    expect(err).toEqual(['paperlens: no paper with key "hypernetwork"; did you mean hypernetworks, graphhypernetworksneural, continualmodelbased?']);
  });
});

describe('paperlens errors and help', () => {
  it('rejects unknown options and commands with one line and exit 2', async () => {
    expect(await run('search', 'x', '--bogus')).toEqual({ code: 2, out: [], err: ['paperlens: unknown option --bogus for "search" (see paperlens --help)'] });
    expect(await run('parse', 'x.bib', '--limit', '3')).toEqual({ code: 2, out: [], err: ['paperlens: unknown option --limit for "parse" (see paperlens --help)'] });
    expect(await run('frobnicate')).toEqual({ code: 2, out: [], err: ['paperlens: unknown command "frobnicate" (see paperlens --help)'] });
    expect((await run('search', 'x', '--limit', 'ten')).err).toEqual(['paperlens: --limit needs a positive whole number, not "ten" (see paperlens --help)']);
    expect((await run('search')).err).toEqual(['paperlens: search needs a query (see paperlens --help)']);
    expect((await run('search', 'x', '--corpus')).err).toEqual(['paperlens: --corpus needs a value (see paperlens --help)']);
  });

  it('stops with exit 1 on a missing file, a directory or unreadable input', async () => {
    expect(await run('parse', '/no/such/file.bib')).toEqual({ code: 1, out: [], err: ['paperlens: /no/such/file.bib: no such file'] });
    expect(await run('search', 'x', '--corpus', tmpdir())).toEqual({ code: 1, out: [], err: [`paperlens: ${tmpdir()}: not a file`] });
    const unknown = tempFile('data.bin', 'no corpus here');
    expect(await run('parse', unknown)).toEqual({
      code: 1,
      out: [],
      err: [`paperlens: ${unknown}: unknown corpus format (expected .bib, .json, .ris, .jsonl or .txt)`],
    });
  });

  it('stops with exit 1 when a corpus to search gives no papers, naming its first problem; parse still reports it', async () => {
    const broken = tempFile('lib.json', '[\n  {"id": "a" "title": "A"}\n]');
    const searched = await run('search', 'x', '--corpus', broken);
    expect([searched.code, searched.out]).toEqual([1, []]);
    expect(searched.err).toHaveLength(1);
    expect(searched.err[0]).toMatch(new RegExp(`^paperlens: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not valid JSON: .* \\(no papers read; see paperlens parse `));
    expect((await run('bibtex', 'a', '--corpus', broken)).code).toBe(1);
    const parsed = await run('parse', broken, '--json');
    expect(parsed.code).toBe(0);
    expect(JSON.parse(parsed.out.join('\n'))).toMatchObject({ papers: 0, problems: [{ file: broken, line: 2 }] });
  });

  it('prints usage for --help (exit 0) and without arguments (exit 2, on stderr)', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out[0]).toMatch(/^Usage:\n {2}paperlens search/);
    expect((await run('search', '--help')).code).toBe(0);
    expect(await run('parse', '-h')).toEqual({ code: 0, out: help.out, err: [] });
    const query = await run('search', '--', '--help');
    expect([query.code, query.out.length > 0, query.out[0]]).toEqual([0, true, expect.not.stringMatching(/^Usage/)]);
    const bare = await run();
    expect([bare.code, bare.out]).toEqual([2, []]);
    expect(bare.err[0]).toBe(help.out[0]);
  });
});

describe('paperlens output streams', () => {
  it('stops writing quietly when the reader closes the pipe (| head), without an unhandled EPIPE', async () => {
    const written: string[] = [];
    const closedPipe = new Writable({
      write(chunk, _encoding, callback) {
        written.push(String(chunk));
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const stderr: string[] = [];
    const io = streamIo(closedPipe, new Writable({ write: (chunk, _encoding, callback) => (stderr.push(String(chunk)), callback()) }));
    const code = await runCli(['parse', arxivFile, arxivFile], io);
    await new Promise((resolve) => setImmediate(resolve));
    io.out('after the pipe closed');
    expect(code).toBe(0);
    expect(written[0]).toBe(`${arxivFile}: 2000 papers (arxiv-jsonl), 0 problems\n`);
    expect(written).not.toContain('after the pipe closed\n');
    expect(stderr).toEqual([]);
  });
});
