import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/cli/check';
import { runCli } from '../../../src/cli';
import { createProject } from '../../../src/core/documents/project';
import { checkReport, citationDiagnostics, projectDiagnostics } from '../../../src/core/integrity/check';
import { projectsOf } from '../../../src/core/integrity/project';
import { book, bookProject, describe as where, fixtures, indexFolder, read, thesis, thesisProject } from './workspace';

const workspace = indexFolder(fixtures);

async function check(cwd: string, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck(argv, { out: (text) => out.push(text), err: (text) => err.push(text) }, cwd);
  return { code, out, err };
}

describe('projects of the fixtures, from the project model', () => {
  const model = createProject({ folders: [fixtures], readFile: (file) => { try { return read(file); } catch { return undefined; } } });
  const readText = (file: string) => read(file);

  it('puts a chapter without %!TEX root into its thesis, with the root\'s two bibliographies', () => {
    expect(projectsOf(model, readText, thesis('chapters', 'methods', 'methods.tex'))).toEqual([thesisProject]);
  });

  it('puts a Quarto chapter into its book, with the bibliography of _quarto.yml', () => {
    expect(projectsOf(model, readText, book('chapters', 'methods.qmd'))).toEqual([{ ...bookProject, documents: [...bookProject.documents].sort() }]);
  });
});

describe('the project check', () => {
  it('flags undefined keys (with the likely one) and citations of a key defined twice, at the citation', () => {
    const diagnostics = citationDiagnostics(workspace, thesisProject, thesis('chapters', 'intro', 'intro.tex'));
    expect(diagnostics.map((diagnostic) => `${where(diagnostic)} [${diagnostic.severity} ${diagnostic.code}] ${diagnostic.message}`)).toEqual([
      'thesis/chapters/intro/intro.tex:9:52 vaswani2017atention [error undefined-key] Undefined citation key "vaswani2017atention"; did you mean "vaswani2017attention"?',
      'thesis/chapters/intro/intro.tex:3:42 hochreiter1997long [warning ambiguous-key] "hochreiter1997long" is defined 2 times (papers.bib:20, books.bib:22): the first is used; if the others are other papers, give them keys of their own.',
    ]);
    expect(diagnostics[1].related?.map((info) => where(info.location))).toEqual([
      'thesis/bib/papers.bib:20:9 hochreiter1997long',
      'thesis/bib/books.bib:22:9 Hochreiter1997Long',
    ]);
  });

  it('reports the thesis as three lists with 1-based lines and columns', () => {
    const report = checkReport(projectDiagnostics(workspace, thesisProject));
    const rows = (list: { file: string; line: number; column: number; key?: string }[]) => list.map((finding) => `${path.relative(fixtures, finding.file)}:${finding.line}:${finding.column} ${finding.key ?? ''}`);
    expect(rows(report.undefined)).toEqual(['thesis/chapters/intro/intro.tex:9:53 vaswani2017atention']);
    expect(rows(report.duplicates)).toEqual(['thesis/bib/books.bib:22:10 Hochreiter1997Long', 'thesis/bib/papers.bib:56:10 he2016deep']);
    expect(rows(report.problems)).toEqual(['thesis/bib/papers.bib:64:1 ']);
  });

  it('in the Quarto book, skips cross-references, e-mail addresses, code and comments', () => {
    const report = checkReport(projectDiagnostics(workspace, bookProject));
    expect(report).toEqual({
      undefined: [{ file: book('chapters', 'intro.qmd'), line: 13, column: 20, message: 'Undefined citation key "smith2020missing"', key: 'smith2020missing' }],
      duplicates: [],
      problems: [],
    });
  });
});

describe('paperlens check', () => {
  it('follows a chapter without %!TEX root to its thesis and prints file:line:column: message, exit 1', async () => {
    const { code, out, err } = await check(fixtures, 'thesis/chapters/methods/methods.tex');
    expect([code, err]).toEqual([1, []]);
    expect(out).toEqual([
      'thesis/bib/books.bib:22:10: Duplicate key "Hochreiter1997Long": first defined at papers.bib:20; BibTeX and biber keep the first and ignore this one.',
      'thesis/bib/papers.bib:56:10: Duplicate key "he2016deep": first defined at papers.bib:36; BibTeX and biber keep the first and ignore this one.',
      "thesis/bib/papers.bib:64:1: @article{broken2020: missing ',' after field 'title' (found 'y'); skipped",
      'thesis/chapters/intro/intro.tex:9:53: Undefined citation key "vaswani2017atention"; did you mean "vaswani2017attention"?',
      '1 undefined key, 2 duplicate keys, 1 problem (4 documents, 2 bibliographies)',
    ]);
  });

  it('prints JSON with the three lists; a book chapter checks the whole book', async () => {
    const { code, out } = await check(fixtures, 'quarto-book/chapters/methods.qmd', '--json');
    expect(code).toBe(1);
    expect(JSON.parse(out.join('\n'))).toEqual({
      undefined: [{ file: 'quarto-book/chapters/intro.qmd', line: 13, column: 20, message: 'Undefined citation key "smith2020missing"', key: 'smith2020missing' }],
      duplicates: [],
      problems: [],
    });
  });

  it('exits 0 when every key is defined, reader problems and all; --bib adds a bibliography', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'paperlens-check-'));
    writeFileSync(path.join(folder, 'draft.md'), '---\ntitle: Draft\n---\nAs [@known; @extra] show.\n');
    writeFileSync(path.join(folder, 'extra.bib'), '@misc{known, title = {Known}}\n@misc{extra, title = {Extra}}\n@misc{bad, title = {Bad}\n');
    const { code, out } = await check(folder, 'draft.md', '--bib', 'extra.bib');
    expect(code).toBe(0);
    expect(out).toEqual([
      "extra.bib:3:1: @misc{bad: entry is not closed (missing '}' after field 'title'); skipped",
      '0 undefined keys, 0 duplicate keys, 1 problem (1 document, 1 bibliography)',
    ]);
    const without = await check(folder, 'draft.md');
    expect([without.code, without.out.at(-1)]).toEqual([1, '2 undefined keys, 0 duplicate keys, 0 problems (1 document, 0 bibliographies)']);
  });

  it('reports a declared bibliography that is missing at its declaration', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'paperlens-check-'));
    mkdirSync(path.join(folder, 'chapters'));
    writeFileSync(path.join(folder, 'main.tex'), '\\documentclass{book}\n\\begin{document}\n\\include{chapters/one}\n\\bibliography{gone}\n\\end{document}\n');
    writeFileSync(path.join(folder, 'chapters', 'one.tex'), 'See \\cite{a}.\n');
    const { code, out } = await check(folder, 'chapters/one.tex');
    expect(code).toBe(1);
    expect(out).toEqual([
      'chapters/one.tex:1:11: Undefined citation key "a"',
      `main.tex:4:15: Bibliography file not found: ${path.join(folder, 'gone.bib')}`,
      '1 undefined key, 0 duplicate keys, 1 problem (2 documents, 1 bibliography)',
    ]);
  });

  it('exits 2 on usage errors, through the paperlens command too', async () => {
    const run = async (...argv: string[]) => {
      const err: string[] = [];
      const code = await runCli(argv, { out: () => undefined, err: (text) => err.push(text) });
      return [code, err[0]];
    };
    expect(await run('check')).toEqual([2, 'paperlens: check needs at least one FILE (see paperlens --help)']);
    expect(await run('check', 'x.tex', '--limit', '3')).toEqual([2, 'paperlens: unknown option --limit for "check" (see paperlens --help)']);
    expect(await run('check', '/no/such/file.tex')).toEqual([2, 'paperlens: /no/such/file.tex: no such file (see paperlens --help)']);
    expect(await run('check', thesis('main.tex'), '--bib')).toEqual([2, 'paperlens: --bib needs a value (see paperlens --help)']);
    expect(await run('check', thesis('main.tex'), '--bib', thesis('main.tex'))).toEqual([2, `paperlens: --bib ${thesis('main.tex')}: not a .bib file (see paperlens --help)`]);
    expect(await run('check', path.join(fixtures, 'quarto-book', '_quarto.yml'))).toEqual([2, `paperlens: ${path.join(fixtures, 'quarto-book', '_quarto.yml')}: not a LaTeX, Markdown or .bib file (see paperlens --help)`]);
  });

  it('is in the help text', async () => {
    const out: string[] = [];
    expect(await runCli(['check', '--help'], { out: (text) => out.push(text), err: () => undefined })).toBe(0);
    expect(out[0]).toContain('  paperlens check FILE ... [--bib FILE ...] [--json]');
  });
});

describe('paperlens check on shared chapters and Manubot keys', () => {
  it('checks a chapter two roots include with each root\'s bibliography and says which root lacks the key', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'paperlens-check-'));
    mkdirSync(path.join(folder, 'shared'));
    writeFileSync(path.join(folder, 'thesis.tex'), '\\documentclass{report}\n\\begin{document}\n\\input{shared/background}\n\\bibliography{thesis}\n\\end{document}\n');
    writeFileSync(path.join(folder, 'paper.tex'), '\\documentclass{article}\n\\begin{document}\n\\input{shared/background}\n\\bibliography{paper}\n\\end{document}\n');
    writeFileSync(path.join(folder, 'thesis.bib'), '@misc{inthesis, title = {T}}\n');
    writeFileSync(path.join(folder, 'paper.bib'), '@misc{inpaper, title = {P}}\n');
    writeFileSync(path.join(folder, 'shared', 'background.tex'), 'See \\cite{inthesis} and \\cite{inpaper}.\n');
    const { code, out } = await check(folder, 'shared/background.tex');
    expect(code).toBe(1);
    expect(out).toEqual([
      'shared/background.tex:1:11: Undefined citation key "inthesis" (in paper.tex)',
      'shared/background.tex:1:31: Undefined citation key "inpaper" (in thesis.tex)',
      '2 undefined keys, 0 duplicate keys, 0 problems (3 documents, 2 bibliographies)',
    ]);
  });

  it('leaves Manubot\'s persistent-identifier keys to Manubot', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'paperlens-check-'));
    writeFileSync(path.join(folder, 'refs.bib'), '@misc{known, title = {K}}\n');
    writeFileSync(path.join(folder, 'intro.md'), '---\nbibliography: refs.bib\n---\nAs [@doi:10.1093/nar/gky427; @pmid:29718379; @url:https://example.org/x; @known; @unknown] show.\n');
    const { out } = await check(folder, 'intro.md');
    expect(out).toEqual(['intro.md:4:83: Undefined citation key "unknown"; did you mean "known"?', '1 undefined key, 0 duplicate keys, 0 problems (1 document, 1 bibliography)']);
  });
});
