import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredBibliographies, isLatexRoot, planBibliographyDeclaration } from '../../../src/core/documents/bibliographies';

/** A readFile over an in-memory tree of absolute paths. */
function files(tree: Record<string, string>) {
  return (file: string) => tree[file];
}

const root = path.resolve('/project');
const at = (...parts: string[]) => path.join(root, ...parts);

describe('bibliographies a LaTeX document declares', () => {
  it('reads \\bibliography with several names, adding .bib where missing', () => {
    const text = '\\begin{document}\n\\bibliography{refs, more.bib,sub/other}\n\\end{document}';
    expect(declaredBibliographies(at('paper.tex'), text, 'latex', files({})).files).toEqual([
      at('refs.bib'),
      at('more.bib'),
      at('sub', 'other.bib'),
    ]);
  });

  it('reads \\addbibresource with options, skipping remote resources and comments', () => {
    const text = [
      '\\usepackage{biblatex}',
      '\\addbibresource[label=main]{refs.bib}',
      '\\addbibresource[location=remote]{https://example.org/x.bib}',
      '% \\addbibresource{commented.bib}',
      '\\addglobalbib{global.bib}',
    ].join('\n');
    expect(declaredBibliographies(at('paper.tex'), text, 'latex', files({})).files).toEqual([at('refs.bib'), at('global.bib')]);
  });

  it('follows %!TEX root to the root document and its \\input, \\include and \\subfile files', () => {
    const tree = {
      [at('main.tex')]: '\\input{front}\n\\include{chapters/one}\n\\subfile{parts/two}\n',
      [at('front.tex')]: '\\addbibresource{front.bib}',
      [at('chapters', 'one.tex')]: '\\bibliography{one}',
      [at('parts', 'two.tex')]: '\\subfile{deeper}',
      [at('parts', 'deeper.tex')]: '\\bibliography{deeper}',
    };
    const chapter = '%!TEX root = ../main.tex\n\\section{One}';
    const declared = declaredBibliographies(at('chapters', 'one.tex'), chapter, 'latex', files(tree));
    expect(declared.root).toBe(at('main.tex'));
    // BibTeX runs beside the root, so every bibliography name is relative to the root's folder.
    expect(declared.files).toEqual([at('front.bib'), at('one.bib'), at('deeper.bib')]);
  });

  it('takes the root from a subfiles class option', () => {
    const tree = { [at('main.tex')]: '\\bibliography{refs}' };
    const chapter = '\\documentclass[../main]{subfiles}\n\\begin{document}x\\end{document}';
    expect(declaredBibliographies(at('ch', 'one.tex'), chapter, 'latex', files(tree)).files).toEqual([at('refs.bib')]);
  });

  it('falls back to the document itself when the root cannot be read', () => {
    const text = '% !TeX root = missing.tex\n\\bibliography{local}';
    const declared = declaredBibliographies(at('paper.tex'), text, 'latex', files({}));
    expect(declared).toEqual({ files: [at('local.bib')], root: at('paper.tex') });
  });

  it('scans again only the files whose text changed when given a cache', () => {
    const tree: Record<string, string> = {
      [at('main.tex')]: '\\input{one}\n\\input{two}\n',
      [at('one.tex')]: '\\bibliography{one}',
      [at('two.tex')]: '\\bibliography{two}',
    };
    const scanned: string[] = [];
    const cache = new (class extends Map<string, never> {
      override set(file: string, value: never) {
        scanned.push(path.basename(file));
        return super.set(file, value);
      }
    })();
    const declared = () => declaredBibliographies(at('main.tex'), tree[at('main.tex')], 'latex', files(tree), cache).files;
    expect(declared()).toEqual([at('one.bib'), at('two.bib')]);
    expect(scanned).toEqual(['main.tex', 'one.tex', 'two.tex']);
    expect(declared()).toEqual([at('one.bib'), at('two.bib')]);
    expect(scanned).toHaveLength(3);
    tree[at('two.tex')] = '% \\bibliography{two}\n\\addbibresource{three.bib}';
    expect(declared()).toEqual([at('one.bib'), at('three.bib')]);
    expect(scanned).toEqual(['main.tex', 'one.tex', 'two.tex', 'two.tex']);
  });

  it('survives include cycles', () => {
    const tree = { [at('a.tex')]: '\\input{b}\\bibliography{a}', [at('b.tex')]: '\\input{a}\\bibliography{b}' };
    expect(declaredBibliographies(at('a.tex'), tree[at('a.tex')], 'latex', files(tree)).files).toEqual([at('b.bib'), at('a.bib')]);
  });

  it('reads real files through a readFile over the disk', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'paperlens-bib-'));
    mkdirSync(path.join(directory, 'chapters'));
    writeFileSync(path.join(directory, 'main.tex'), '\\include{chapters/intro}\n');
    writeFileSync(path.join(directory, 'chapters', 'intro.tex'), '\\bibliography{../lit}\n');
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    };
    const main = path.join(directory, 'main.tex');
    try {
      expect(declaredBibliographies(main, read(main)!, 'latex', read).files).toEqual([path.resolve(directory, '../lit.bib')]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('which LaTeX files are roots', () => {
  it.each([
    ['\\documentclass[12pt]{report}\n\\begin{document}\n\\end{document}', true],
    ['\\documentclass{article}\n\\input{preamble}\n\\begin {document}', true],
    ['\\chapter{One}\nText.', false],
    ['\\documentclass[../main.tex]{subfiles}\n\\begin{document}\n\\end{document}', false],
    ['\\documentclass[tikz]{standalone}\n\\begin{document}\n\\end{document}', false],
    ['% \\documentclass{article}\n% \\begin{document}', false],
    ['\\documentclass{article}\n\\usepackage{x}', false],
  ])('%j: %s', (text, root) => {
    expect(isLatexRoot(text)).toBe(root);
  });
});

describe('bibliographies a Markdown document declares', () => {
  it.each([
    ['bibliography: refs.bib', [at('refs.bib')]],
    ['bibliography: "my refs.bib"  # quoted', [at('my refs.bib')]],
    ['bibliography: [a.bib, "b.bib"]', [at('a.bib'), at('b.bib')]],
    ['bibliography:\n  - a.bib\n  - \'sub/b.bib\'\ntitle: x', [at('a.bib'), at('sub', 'b.bib')]],
    ['title: none', []],
  ])('reads %j', (yaml, expected) => {
    const text = `---\n${yaml}\n---\n\nText [@a].`;
    expect(declaredBibliographies(at('draft.md'), text, 'markdown', files({})).files).toEqual(expected);
  });

  it('ignores a bibliography line outside the front matter', () => {
    expect(declaredBibliographies(at('draft.md'), 'Text\n\nbibliography: refs.bib\n', 'markdown', files({})).files).toEqual([]);
  });
});

describe('declaring the default bibliography', () => {
  function declared(text: string, language: 'latex' | 'markdown') {
    const insertion = planBibliographyDeclaration(text, language, 'references.bib');
    return text.slice(0, insertion.offset) + insertion.text + text.slice(insertion.offset);
  }

  it('puts \\bibliography before \\end{document}, with a style when there is none', () => {
    expect(declared('\\documentclass{article}\n\\begin{document}\nText\n\\end{document}\n', 'latex')).toBe(
      '\\documentclass{article}\n\\begin{document}\nText\n\\bibliographystyle{plain}\n\\bibliography{references}\n\\end{document}\n',
    );
    expect(declared('\\usepackage{natbib}\n\\bibliographystyle{abbrvnat}\n\\begin{document}\n\\end{document}', 'latex')).toBe(
      '\\usepackage{natbib}\n\\bibliographystyle{abbrvnat}\n\\begin{document}\n\\bibliography{references}\n\\end{document}',
    );
  });

  it('uses \\addbibresource in the preamble of a biblatex document', () => {
    expect(declared('\\usepackage[style=apa]{biblatex}\r\n\\begin{document}\r\n\\end{document}\r\n', 'latex')).toBe(
      '\\usepackage[style=apa]{biblatex}\r\n\\addbibresource{references.bib}\r\n\\begin{document}\r\n\\end{document}\r\n',
    );
  });

  it('appends to a LaTeX fragment without \\end{document}', () => {
    expect(declared('Some text', 'latex')).toBe('Some text\n\\bibliographystyle{plain}\n\\bibliography{references}\n');
  });

  it('adds a top-level bibliography: to a Quarto project file, never front matter', () => {
    const quarto = 'project:\n  type: book\nformat:\n  html:\n    theme: cosmo';
    const insertion = planBibliographyDeclaration(quarto, 'markdown', 'references.bib', '/book/_quarto.yml');
    expect(quarto.slice(0, insertion.offset) + insertion.text).toBe(`${quarto}\nbibliography: references.bib\n`);
    expect(planBibliographyDeclaration('project:\r\n  type: book\r\n', 'markdown', '#refs.bib', '/b/_quarto.yaml')).toEqual({
      offset: 24,
      text: 'bibliography: "#refs.bib"\r\n',
    });
  });

  it('adds bibliography: to existing front matter, or makes front matter', () => {
    expect(declared('---\ntitle: x\n---\nText', 'markdown')).toBe('---\ntitle: x\nbibliography: references.bib\n---\nText');
    expect(declared('# Title\n', 'markdown')).toBe('---\nbibliography: references.bib\n---\n\n# Title\n');
    expect(declared('---\r\n---\r\nText', 'markdown')).toBe('---\r\nbibliography: references.bib\r\n---\r\nText');
  });
});
