// Which files the server's library reads, found by walking the workspace folders as the server does outside VS Code,
// and the settings as clients send them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusFiles, globToRegExp } from '../../../src/server/corpusFiles';
import { settingsFrom } from '../../../src/server/settings';

function workspace(files: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'paperlens-corpus-files-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  }
  return root;
}

describe('globToRegExp', () => {
  it('matches ** across folders, * and ? within a name, {a,b} and [..]', () => {
    const matches = (glob: string, names: string[]) => names.filter((name) => globToRegExp(glob).test(name));
    expect(matches('**/*.bib', ['a.bib', 'x/y/b.bib', 'c.bibx', 'd.json'])).toEqual(['a.bib', 'x/y/b.bib']);
    expect(matches('refs/*.bib', ['refs/a.bib', 'refs/x/b.bib', 'a.bib'])).toEqual(['refs/a.bib']);
    expect(matches('lib?.{bib,ris}', ['lib1.bib', 'lib2.ris', 'lib10.bib', 'lib1.json'])).toEqual(['lib1.bib', 'lib2.ris']);
    expect(matches('part[12].bib', ['part1.bib', 'part2.bib', 'part3.bib'])).toEqual(['part1.bib', 'part2.bib']);
    expect(matches('a+b (1).bib', ['a+b (1).bib', 'aab 1.bib'])).toEqual(['a+b (1).bib']);
  });
});

describe('corpusFiles', () => {
  const bundled = '/bundle/corpus/papers.txt';

  it('reads the workspace .bib files first (sorted, tool folders skipped), then configured files and globs, then the bundled corpus', () => {
    const root = workspace(['b.bib', 'chapters/a.bib', 'node_modules/pkg/x.bib', '.git/y.bib', 'exports/zotero.json', 'exports/old.json', 'notes.txt']);
    const settings = settingsFrom({ corpus: { files: ['exports/*.json', 'b.bib'] } });
    const warnings: string[] = [];
    const files = corpusFiles({ folders: [{ path: root, settings }], globalSettings: settings, bundledCorpus: bundled, trusted: true, warn: (message) => warnings.push(message) });
    expect(files).toEqual([path.join(root, 'b.bib'), path.join(root, 'chapters/a.bib'), path.join(root, 'exports/old.json'), path.join(root, 'exports/zotero.json'), bundled]);
    expect(warnings).toEqual([]);
  });

  it('skips a configured file outside the workspace when it is not trusted, and says so', () => {
    const root = workspace(['refs.bib']);
    const settings = settingsFrom({ corpus: { files: ['/elsewhere/library.bib'], includeWorkspaceBibFiles: false, bundled: false } });
    const warnings: string[] = [];
    const search = { folders: [{ path: root, settings }], globalSettings: settings, bundledCorpus: bundled, warn: (message: string) => warnings.push(message) };
    expect(corpusFiles({ ...search, trusted: true })).toEqual(['/elsewhere/library.bib']);
    expect(corpusFiles({ ...search, trusted: false })).toEqual([]);
    expect(warnings).toEqual(['Skipping /elsewhere/library.bib: the workspace is not trusted and the file is outside it.']);
  });

  it('without a folder reads only absolute configured paths', () => {
    const settings = settingsFrom({ corpus: { files: ['relative.bib', '/abs/lib.bib'], bundled: false } });
    expect(corpusFiles({ folders: [], globalSettings: settings, bundledCorpus: bundled, trusted: true, warn: () => undefined })).toEqual(['/abs/lib.bib']);
  });
});

describe('settingsFrom', () => {
  it('gives the documented defaults for a missing or malformed section', () => {
    const defaults = { corpusFiles: [], includeWorkspaceBibFiles: true, bundledCorpus: true, defaultBibliography: 'references.bib', keyFormula: 'authYearTitle', uncitedClaims: false };
    expect(settingsFrom(undefined)).toEqual(defaults);
    expect(settingsFrom({ corpus: { files: 'refs.bib' }, cite: { keyFormula: 'nonsense', defaultBibliography: ' ' } })).toEqual(defaults);
  });

  it('reads nested and flat (dotted) keys', () => {
    expect(settingsFrom({ corpus: { files: ['a.bib', ' ', 3] }, cite: { keyFormula: 'authYear' } })).toMatchObject({ corpusFiles: ['a.bib'], keyFormula: 'authYear' });
    expect(settingsFrom({ 'corpus.bundled': false, 'cite.defaultBibliography': 'bib/main.bib' })).toMatchObject({ bundledCorpus: false, defaultBibliography: 'bib/main.bib' });
  });
});
