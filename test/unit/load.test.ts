import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpusFiles, readCorpusText } from '../../src/core/load';
import { corpusPath } from './corpora';

const corpora = corpusPath();
const iridia = ['abbrev', 'authors', 'journals', 'articles', 'biblio', 'crossref'].map((name) =>
  path.join(corpora, 'large/iridia', `${name}.bib`),
);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? walk(file) : [file];
  });
}

describe('loadCorpusFiles on every shared corpus file', () => {
  it('reads each edge file without throwing, every problem with a file and a line', async () => {
    const files = walk(path.join(corpora, 'edge'));
    expect(files.length).toBeGreaterThan(250);
    for (const file of files) {
      const [source] = await loadCorpusFiles([file]);
      expect(source.file).toBe(file);
      for (const problem of source.problems) {
        expect(problem.file).toBe(file);
        expect(problem.line).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('reads the large files with papers in each', async () => {
    const abbrevShort = path.join(corpora, 'large/iridia/abbrevshort.bib');
    const files = [...walk(path.join(corpora, 'large')).filter((f) => !f.includes('iridia')), ...iridia, abbrevShort];
    expect(walk(path.join(corpora, 'large')).filter((f) => !files.includes(f))).toEqual([]);
    const sources = await loadCorpusFiles(files);
    const counts = Object.fromEntries(sources.map((s) => [path.relative(corpora, s.file), [s.papers.length, s.problems.length]]));
    expect(counts).toEqual({
      'large/acl-anthology.bib': [88_131, 405],
      'large/cdl.bib': [6_315, 0],
      'large/tugboat.bib': [3_644, 0],
      'large/iridia/abbrev.bib': [0, 0],
      'large/iridia/authors.bib': [0, 0],
      'large/iridia/journals.bib': [0, 0],
      'large/iridia/articles.bib': [1_509, 0],
      'large/iridia/biblio.bib': [1_367, 0],
      'large/iridia/crossref.bib': [429, 0],
      'large/iridia/abbrevshort.bib': [0, 0],
    });
  });
});

describe('loadCorpusFiles: IRIDIA, macros and crossrefs across files in load order', () => {
  it('expands macros from earlier files and inherits from a crossref target in a later file', async () => {
    const sources = await loadCorpusFiles(iridia);
    const papers = sources.flatMap((s) => s.papers);
    expect(papers.filter((p) => p.fields.crossref !== undefined)).toHaveLength(847);
    const abramson = papers.find((p) => p.key === 'AbrAmoDan1999')!;
    expect(abramson.authors).toEqual([
      { family: 'Abramson', given: 'David' },
      { family: 'Amoorthy', given: 'Mohan Krishna' },
      { family: 'Dang', given: 'Henry' },
    ]);
    expect(abramson.venue).toBe('Asia-Pacific Journal of Operational Research');
    const abbass = papers.find((p) => p.key === 'Abb2002selfpde')!;
    expect(abbass).toMatchObject({
      year: '2002',
      venue: "Proceedings of the 2002 Congress on Evolutionary Computation (CEC'02)",
      origin: { file: iridia[4], line: 82 },
    });
    expect(abbass.fields.publisher).toBe('IEEE Press');
    // As biber gives it: the proceedings' title "(CEC 2001)" is the booktitle, not its own booktitle macro "(CEC'01)".
    const pde = papers.find((p) => p.key === 'AbbSarNew2001pde')!;
    expect(pde.venue).toBe('Proceedings of the 2001 Congress on Evolutionary Computation (CEC 2001)');
    // A @Book parent of an inproceedings passes every field under its own name, address and location both.
    const ising = papers.find((p) => p.key === 'AyoAllLop2023gecco')!;
    expect(ising.fields).toMatchObject({ crossref: 'GECCO2023c', address: ' New York, NY', location: 'Lisbon, Portugal', year: '2023' });
    expect(ising.venue).toBe('Proceedings of the Genetic and Evolutionary Computation Conference, GECCO Companion 2023');
  });

  it('reports undefined macros and missing crossref targets when the other files are absent', async () => {
    const [biblio] = await loadCorpusFiles([iridia[4]]);
    expect(biblio.papers).toHaveLength(1_367);
    expect(biblio.problems).toContainEqual({ file: iridia[4], line: 82, message: "@inproceedings{Abb2002selfpde: crossref target 'CEC2002' not found" });
    expect(biblio.problems).toContainEqual({ file: iridia[4], line: 82, message: '@inproceedings{Abb2002selfpde: undefined @string macro Abbass (kept as text)' });
  });
});

describe('loadCorpusFiles: bytes and failures', () => {
  it('decodes a file in the encoding its Emacs coding line declares (biber\'s encoding fixtures)', async () => {
    const files = ['encoding1.bib', 'encoding3.bib', 'encoding4.bib'].map((name) => path.join(corpora, 'edge/bibtex-tidy-fixtures/biber', name));
    const sources = await loadCorpusFiles(files);
    expect(sources.map((s) => s.problems)).toEqual([[], [], []]);
    expect(sources.map((s) => s.papers.map((p) => [p.key, p.title]))).toEqual([
      [['testŠ', 'Šome title']], // latin-9-unix: 0xA6 is Š
      [['test1', 'Söme title']], // latin-1-unix
      [['test1', 'Żome title']], // latin-2-unix: 0xAF is Ż
    ]);
  });

  const writeBytes = (name: string, ...parts: (string | Buffer)[]): string => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'paperlens-load-')), name);
    writeFileSync(file, Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part))));
    return file;
  };

  it("decodes a file in the encoding JabRef's header declares", async () => {
    // "Łódź" in ISO-8859-2 and "Čapek" in windows-1250.
    const latin2 = writeBytes('latin2.bib', '% This file was created with JabRef 2.10.\n% Encoding: ISO8859_2\n\n@book{a, title = {',
      Buffer.from([0xa3, 0xf3, 0x64, 0xbc]), '}}\n');
    const cp1250 = writeBytes('cp1250.bib', '% Encoding: Cp1250\r\n@book{b, author = {', Buffer.from([0xc8]), 'apek, Karel}, title = {R}}\r\n');
    const [first, second] = await loadCorpusFiles([latin2, cp1250]);
    expect([first.problems, second.problems]).toEqual([[], []]);
    expect(first.papers[0].title).toBe('Łódź');
    expect(second.papers[0].authors).toEqual([{ family: 'Čapek', given: 'Karel' }]);
  });

  it('reads valid UTF-8 as UTF-8 whatever the header says, and falls back to Latin-1 with a problem otherwise', async () => {
    const staleHeader = writeBytes('stale.bib', '% Encoding: ISO8859_1\n@book{a, title = {', Buffer.from('Über', 'utf8'), '}}\n');
    const undeclared = writeBytes('undeclared.bib', '% no header\n@book{b,\n  title = {', Buffer.from([0xdc]), 'ber}}\n');
    const wrong = writeBytes('wrong.bib', '% Encoding: UTF-8\n\n@book{c, title = {', Buffer.from([0xdc]), 'ber}}\n');
    const unknown = writeBytes('unknown.bib', '% -*- coding: klingon-unix -*-\n@book{d, title = {', Buffer.from([0xdc]), 'ber}}\n');
    const sources = await loadCorpusFiles([staleHeader, undeclared, wrong, unknown]);
    expect(sources.map((s) => s.papers[0].title)).toEqual(['Über', 'Über', 'Über', 'Über']);
    expect(sources.map((s) => s.problems)).toEqual([
      [],
      [{ file: undeclared, line: 3, message: 'file is not valid UTF-8; read as Latin-1 (save it as UTF-8 to silence this)' }],
      [{ file: wrong, line: 3, message: 'file declares UTF-8 (line 1) but is not valid UTF-8; read as Latin-1 (save it as UTF-8 to silence this)' }],
      [{ file: unknown, line: 2, message: "file declares encoding 'klingon-unix' (line 1), which is unknown, and is not valid UTF-8; read as Latin-1 (save it as UTF-8 to silence this)" }],
    ]);
  });

  it('strips a BOM and reads CRLF line ends', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperlens-load-'));
    const file = path.join(dir, 'crlf.bib');
    writeFileSync(file, '\uFEFF@article{a,\r\n  title = {Two\r\n  lines},\r\n}\r\n\r\n@misc{b, title = {B}}\r\n');
    const [source] = await loadCorpusFiles([file]);
    expect(source.problems).toEqual([]);
    expect(source.papers.map((p) => [p.key, p.fields.title, p.origin.line])).toEqual([
      ['a', 'Two\n  lines', 1],
      ['b', 'B', 6],
    ]);
  });

  it('decodes UTF-16 with a BOM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperlens-load-'));
    const file = path.join(dir, 'endnote.ris');
    writeFileSync(file, Buffer.from('\uFEFFTY  - JOUR\r\nTI  - Über Netze\r\nER  - \r\n', 'utf16le'));
    const [source] = await loadCorpusFiles([file]);
    expect(source).toMatchObject({ format: 'ris', problems: [], papers: [{ title: 'Über Netze', origin: { line: 1 } }] });
  });

  it('turns a missing file or a directory into a problem on line 0 and goes on', async () => {
    const missing = path.join(corpora, 'no-such-file.bib');
    const directory = path.join(corpora, 'edge');
    const sources = await loadCorpusFiles([missing, directory, path.join(corpora, 'edge/xampl.bib')]);
    expect(sources.map((s) => [s.format, s.papers.length, s.problems])).toEqual([
      ['bibtex', 0, [{ file: missing, line: 0, message: 'file not found' }]],
      ['listing', 0, [{ file: directory, line: 0, message: 'cannot read file: EISDIR: illegal operation on a directory, read' }]],
      ['bibtex', 36, []],
    ]);
  });
});

describe('readCorpusText', () => {
  it('detects the format and shares macros through the map it is given', () => {
    const macros = new Map<string, string>();
    readCorpusText('strings.bib', '@string{nips = "Neural Information Processing Systems"}', undefined, macros);
    const source = readCorpusText('refs.bib', '@inproceedings{k, title = {T}, booktitle = nips}', undefined, macros);
    expect(source).toMatchObject({ format: 'bibtex', problems: [], papers: [{ key: 'k', venue: 'Neural Information Processing Systems' }] });
  });

  it('uses the format it is told over the extension', () => {
    expect(readCorpusText('export.txt', 'TY  - JOUR\nTI  - Told\nER  - \n', 'ris').papers.map((p) => p.title)).toEqual(['Told']);
  });
});
