import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, type ProjectHost } from '../../../src/core/documents/project';
import type { DocumentLanguage } from '../../../src/core/documents/types';

const PROJECTS = path.resolve(__dirname, '../../fixtures/projects');

function readDisk(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A project over one or more fixture folders, read from the disk, counting what the host is asked to read. */
function projectOver(folders: string[], host: Partial<ProjectHost> = {}) {
  const reads: string[] = [];
  const project = createProject({
    folders,
    readFile: (file) => {
      reads.push(file);
      return readDisk(file);
    },
    ...host,
  });
  return { project, reads };
}

function languageOf(file: string): DocumentLanguage {
  return file.endsWith('.tex') ? 'latex' : 'markdown';
}

/** The bibliographies of a fixture document, as read from the disk. */
function bibliographiesOf(project: ReturnType<typeof createProject>, file: string, key?: string) {
  return project.bibliographiesOf(file, readFileSync(file, 'utf8'), languageOf(file), { key });
}

describe('LaTeX chapters without %!TEX root belong to the root whose include graph holds them', () => {
  const thesis = path.join(PROJECTS, 'thesis');
  const at = (...parts: string[]) => path.join(thesis, ...parts);

  it.each([
    ['an \\include-d chapter', ['chapters', 'intro.tex']],
    ['a chapter \\input from a chapter, relative to the root', ['chapters', 'background.tex']],
    ['the root itself', ['main.tex']],
  ])('%s reads the root’s \\bibliography', (_, parts) => {
    const { project } = projectOver([thesis]);
    expect(bibliographiesOf(project, at(...parts))).toEqual({
      files: [at('references.bib')],
      declared: true,
      root: at('main.tex'),
      roots: [at('main.tex')],
      filesOfEveryRoot: [at('references.bib')],
      fallback: at('references.bib'),
    });
  });

  it('finds the root with the whole fixtures folder as the workspace, among other projects', () => {
    const { project } = projectOver([PROJECTS]);
    expect(bibliographiesOf(project, at('chapters', 'methods.tex'))).toMatchObject({ files: [at('references.bib')], root: at('main.tex') });
    expect(project.rootsOf(at('chapters', 'background.tex'))).toEqual([at('main.tex')]);
  });

  it('follows \\subfile chapters to main.tex and its biblatex resource', () => {
    const subfiles = path.join(PROJECTS, 'subfiles');
    const { project } = projectOver([subfiles]);
    expect(bibliographiesOf(project, path.join(subfiles, 'chapters', 'one.tex'))).toMatchObject({
      files: [path.join(subfiles, 'refs.bib')],
      root: path.join(subfiles, 'main.tex'),
    });
  });

  it('follows \\import{dir/}{file} and a \\subimport inside it', () => {
    const imported = path.join(PROJECTS, 'import');
    const { project } = projectOver([imported]);
    const expected = { files: [path.join(imported, 'bib', 'library.bib')], root: path.join(imported, 'main.tex') };
    expect(bibliographiesOf(project, path.join(imported, 'sections', 'results.tex'))).toMatchObject(expected);
    expect(bibliographiesOf(project, path.join(imported, 'sections', 'figures', 'table.tex'))).toMatchObject(expected);
    expect(project.documentsOf(path.join(imported, 'main.tex'))).toEqual([
      path.join(imported, 'main.tex'),
      path.join(imported, 'sections', 'results.tex'),
      path.join(imported, 'sections', 'figures', 'table.tex'),
    ]);
  });

  it('lists every file of a thesis for the root, in include order', () => {
    const { project } = projectOver([thesis]);
    expect(project.documentsOf(at('main.tex'))).toEqual([
      at('main.tex'),
      at('chapters', 'intro.tex'),
      at('chapters', 'background.tex'),
      at('chapters', 'methods.tex'),
    ]);
  });
});

describe('a chapter shared by two roots', () => {
  const twoRoots = path.join(PROJECTS, 'two-roots');
  const chapter = path.join(twoRoots, 'shared', 'background.tex');
  const thesisRoot = path.join(twoRoots, 'thesis.tex');
  const paperRoot = path.join(twoRoots, 'paper.tex');

  it('lists both roots and uses the one whose bibliography has the key asked about, saying which', () => {
    const { project } = projectOver([twoRoots]);
    expect(project.rootsOf(chapter)).toEqual([paperRoot, thesisRoot]);
    const forThesisKey = bibliographiesOf(project, chapter, 'inthesis2020');
    expect(forThesisKey).toMatchObject({ root: thesisRoot, roots: [paperRoot, thesisRoot], files: [path.join(twoRoots, 'thesis.bib')] });
    expect(forThesisKey.note).toBe('background.tex belongs to paper.tex, thesis.tex; using thesis.tex: its bibliography has inthesis2020');
    expect(bibliographiesOf(project, chapter, 'inpaper2021')).toMatchObject({
      root: paperRoot,
      files: [path.join(twoRoots, 'paper.bib')],
      filesOfEveryRoot: [path.join(twoRoots, 'paper.bib'), path.join(twoRoots, 'thesis.bib')],
    });
  });

  it('without a key, uses one root consistently and says so', () => {
    const { project } = projectOver([twoRoots]);
    const answer = bibliographiesOf(project, chapter);
    expect(answer.root).toBe(paperRoot);
    expect(answer.note).toBe('background.tex belongs to paper.tex, thesis.tex; using paper.tex');
  });
});

describe('no bibliography declared: the fallback is beside the root, never beside a chapter', () => {
  const noBibliography = path.join(PROJECTS, 'no-bibliography');

  it('gives the root’s folder for a chapter', () => {
    const { project } = projectOver([noBibliography]);
    expect(bibliographiesOf(project, path.join(noBibliography, 'chapters', 'one.tex'))).toEqual({
      files: [],
      declared: false,
      root: path.join(noBibliography, 'main.tex'),
      roots: [path.join(noBibliography, 'main.tex')],
      filesOfEveryRoot: [],
      fallback: path.join(noBibliography, 'references.bib'),
    });
  });

  it('uses the configured default name', () => {
    const { project } = projectOver([noBibliography]);
    const file = path.join(noBibliography, 'chapters', 'one.tex');
    expect(project.bibliographiesOf(file, readFileSync(file, 'utf8'), 'latex', { defaultBibliography: 'bib/cited.bib' }).fallback).toBe(
      path.join(noBibliography, 'bib', 'cited.bib'),
    );
  });

  it('keeps a lone document its own root', () => {
    const { project } = projectOver([noBibliography]);
    const lone = path.join(noBibliography, 'chapters', 'lone.tex');
    expect(project.bibliographiesOf(lone, 'Just text.', 'latex')).toEqual({
      files: [],
      declared: false,
      root: lone,
      roots: [lone],
      filesOfEveryRoot: [],
      fallback: path.join(noBibliography, 'chapters', 'references.bib'),
    });
  });
});

describe('Markdown books', () => {
  const quarto = path.join(PROJECTS, 'quarto-book');
  const bookdown = path.join(PROJECTS, 'bookdown');

  it('a Quarto chapter inherits bibliography: from _quarto.yml', () => {
    const { project } = projectOver([quarto]);
    expect(bibliographiesOf(project, path.join(quarto, 'chapters', 'intro.qmd'))).toEqual({
      files: [path.join(quarto, 'references.bib')],
      declared: true,
      root: path.join(quarto, '_quarto.yml'),
      roots: [path.join(quarto, '_quarto.yml')],
      filesOfEveryRoot: [path.join(quarto, 'references.bib')],
      fallback: path.join(quarto, 'references.bib'),
    });
  });

  it('a Quarto appendix adds its folder’s _metadata.yml bibliography before the project’s', () => {
    const { project } = projectOver([quarto]);
    expect(bibliographiesOf(project, path.join(quarto, 'appendices', 'data.qmd')).files).toEqual([
      path.join(quarto, 'appendices', 'data-sources.bib'),
      path.join(quarto, 'references.bib'),
    ]);
  });

  it('a relative path that does not resolve against the chapter’s folder is read against the project root', () => {
    const { project } = projectOver([quarto]);
    expect(bibliographiesOf(project, path.join(quarto, 'chapters', 'methods.qmd')).files).toEqual([path.join(quarto, 'references.bib')]);
  });

  it('a bookdown chapter inherits index.Rmd’s bibliography: list', () => {
    const { project } = projectOver([bookdown]);
    expect(bibliographiesOf(project, path.join(bookdown, '01-intro.Rmd'))).toEqual({
      files: [path.join(bookdown, 'book.bib'), path.join(bookdown, 'packages.bib')],
      declared: true,
      root: path.join(bookdown, 'index.Rmd'),
      roots: [path.join(bookdown, 'index.Rmd')],
      filesOfEveryRoot: [path.join(bookdown, 'book.bib'), path.join(bookdown, 'packages.bib')],
      fallback: path.join(bookdown, 'references.bib'),
    });
  });

  it('lists the documents of a book for its project file', () => {
    const { project } = projectOver([PROJECTS]);
    expect(project.documentsOf(path.join(quarto, '_quarto.yml'))).toEqual([
      path.join(quarto, '_quarto.yml'),
      path.join(quarto, 'appendices', 'data.qmd'),
      path.join(quarto, 'chapters', 'intro.qmd'),
      path.join(quarto, 'chapters', 'methods.qmd'),
      path.join(quarto, 'index.qmd'),
    ]);
    expect(project.documentsOf(path.join(bookdown, 'index.Rmd'))).toEqual([path.join(bookdown, 'index.Rmd'), path.join(bookdown, '01-intro.Rmd')]);
  });

  it('a Markdown file outside any book declares for itself', () => {
    const { project } = projectOver([PROJECTS]);
    const manuscript = path.join(PROJECTS, 'manubot', 'content', '01.abstract.md');
    expect(bibliographiesOf(project, manuscript)).toEqual({
      files: [],
      declared: false,
      root: manuscript,
      roots: [manuscript],
      filesOfEveryRoot: [],
      fallback: path.join(PROJECTS, 'manubot', 'content', 'references.bib'),
    });
  });
});

describe('projects on the disk: changes, paths found in the workspace folder, listed files', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('reads the scanned LaTeX files once, and again only when told they changed', () => {
    directory = mkdtempSync(path.join(tmpdir(), 'paperlens-project-'));
    cpSync(path.join(PROJECTS, 'thesis'), directory, { recursive: true });
    const { project, reads } = projectOver([directory]);
    const intro = path.join(directory, 'chapters', 'intro.tex');
    const texReads = () => reads.filter((file) => file.endsWith('.tex'));
    bibliographiesOf(project, intro);
    expect(texReads().map((file) => path.relative(directory!, file)).sort()).toEqual(
      ['main.tex', path.join('chapters', 'background.tex'), path.join('chapters', 'methods.tex')].sort(),
    );
    bibliographiesOf(project, intro);
    expect(texReads()).toHaveLength(3);

    const main = path.join(directory, 'main.tex');
    const renamed = readFileSync(main, 'utf8').replace('\\bibliography{references}', '\\bibliography{thesis}');
    writeFileSync(main, renamed);
    // Not told yet: the scanned text stands.
    expect(bibliographiesOf(project, intro).files).toEqual([path.join(directory, 'references.bib')]);
    project.update(main);
    expect(bibliographiesOf(project, intro).files).toEqual([path.join(directory, 'thesis.bib')]);
  });

  it('takes unsaved text given with update, new roots, and removed files', () => {
    directory = mkdtempSync(path.join(tmpdir(), 'paperlens-project-'));
    cpSync(path.join(PROJECTS, 'no-bibliography'), directory, { recursive: true });
    const { project } = projectOver([directory]);
    const chapter = path.join(directory, 'chapters', 'one.tex');
    const main = path.join(directory, 'main.tex');
    expect(bibliographiesOf(project, chapter).declared).toBe(false);
    project.update(main, '\\documentclass{article}\\begin{document}\\input{chapters/one}\\bibliography{lit}\\end{document}');
    expect(bibliographiesOf(project, chapter).files).toEqual([path.join(directory, 'lit.bib')]);

    const second = path.join(directory, 'second.tex');
    writeFileSync(second, '\\documentclass{article}\\begin{document}\\input{chapters/one}\\end{document}');
    project.update(second);
    expect(project.rootsOf(chapter)).toEqual([main, second]);
    project.remove(second);
    expect(project.rootsOf(chapter)).toEqual([main]);
  });

  it('follows an \\input typed into a chapter, and drops it when it is deleted again', () => {
    const thesis = path.join(PROJECTS, 'thesis');
    const { project } = projectOver([thesis]);
    const methods = path.join(thesis, 'chapters', 'methods.tex');
    const appendix = path.join(thesis, 'chapters', 'appendix.tex');
    const text = readFileSync(methods, 'utf8');
    expect(project.rootsOf(appendix)).toEqual([appendix]);
    project.update(appendix, 'An appendix typed but not saved yet.');
    project.bibliographiesOf(methods, `${text}\\input{chapters/appendix}\n`, 'latex');
    expect(project.rootsOf(appendix)).toEqual([path.join(thesis, 'main.tex')]);
    project.bibliographiesOf(methods, `${text}Typing on without an input.\n`, 'latex');
    expect(project.rootsOf(appendix)).toEqual([appendix]);
  });

  it('sees the document’s own unsaved text when asked about it', () => {
    const { project } = projectOver([path.join(PROJECTS, 'thesis')]);
    const main = path.join(PROJECTS, 'thesis', 'main.tex');
    const unsaved = readFileSync(main, 'utf8').replace('\\include{chapters/methods}', '');
    expect(project.bibliographiesOf(main, unsaved, 'latex').files).toEqual([path.join(PROJECTS, 'thesis', 'references.bib')]);
    expect(project.rootsOf(path.join(PROJECTS, 'thesis', 'chapters', 'methods.tex'))).toEqual([path.join(PROJECTS, 'thesis', 'chapters', 'methods.tex')]);
  });

  it('reads a LaTeX bibliography missing beside the root from the workspace folder, and keeps a name found nowhere', () => {
    directory = mkdtempSync(path.join(tmpdir(), 'paperlens-project-'));
    mkdirSync(path.join(directory, 'paper'));
    writeFileSync(path.join(directory, 'shared.bib'), '@misc{a, title={A}}\n');
    const main = path.join(directory, 'paper', 'main.tex');
    writeFileSync(main, '\\documentclass{article}\\begin{document}\\bibliography{IEEEabrv,shared}\\end{document}');
    const { project } = projectOver([directory]);
    expect(bibliographiesOf(project, main).files).toEqual([path.join(directory, 'paper', 'IEEEabrv.bib'), path.join(directory, 'shared.bib')]);
  });

  it('lists files through the host when it gives listFiles', () => {
    const thesis = path.join(PROJECTS, 'thesis');
    const listed: string[] = [];
    const { project } = projectOver([thesis], {
      listFiles: (folder) => {
        listed.push(folder);
        return [path.join(thesis, 'main.tex'), path.join(thesis, 'chapters', 'intro.tex'), path.join(thesis, 'references.bib')];
      },
    });
    expect(bibliographiesOf(project, path.join(thesis, 'chapters', 'intro.tex')).root).toBe(path.join(thesis, 'main.tex'));
    expect(listed).toEqual([thesis]);
  });
});
