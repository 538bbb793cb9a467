// What the .vsix must hold: the runtime files and exactly the screenshots the README shows (the installed
// extension's page renders the README from the package, so a screenshot left out is a broken image there).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script without type declarations
import { checkVsixContents, imagesNamedBy } from '../../e2e/lib/vsix.mjs';

const repo = join(__dirname, '..', '..', '..');
const MANIFEST = JSON.stringify({ main: './dist/extension.js', contributes: {} });

/** Zip entries as listZip gives them, with the texts of package.json and the readme. */
function vsix(readme: string, ...files: string[]) {
  const texts: Record<string, string> = { 'extension/package.json': MANIFEST, 'extension/readme.md': readme };
  const names = ['extension.vsixmanifest', '[Content_Types].xml', 'extension/package.json', 'extension/readme.md', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/libraryWorker.js', ...files];
  return names.map((name) => ({ name, size: 1, text: () => texts[name] ?? '' }));
}

describe('the .vsix content check', () => {
  const readme = '# P\n\n![The list](media/screenshots/cite-list.png)\n\n| ![a](./media/screenshots/hover.png) |\n\n![badge](https://example.org/b.svg)\n';

  it('reads the images a README shows, package-relative, without URLs', () => {
    expect(imagesNamedBy(readme)).toEqual(['media/screenshots/cite-list.png', 'media/screenshots/hover.png']);
    expect(imagesNamedBy('<img src="media/screenshots/x.png" alt="x">')).toEqual(['media/screenshots/x.png']);
  });

  it('accepts a package with the runtime files and exactly the screenshots the README shows', () => {
    expect(checkVsixContents(vsix(readme, 'extension/media/screenshots/cite-list.png', 'extension/media/screenshots/hover.png', 'extension/media/paperlens.svg'))).toEqual([]);
  });

  it('names a screenshot the README shows that the package lacks', () => {
    expect(checkVsixContents(vsix(readme, 'extension/media/screenshots/cite-list.png'))).toEqual([
      'the README shows media/screenshots/hover.png, which the package lacks',
    ]);
  });

  it('names a screenshot the README does not show, and anything else in media that does not run', () => {
    const files = ['extension/media/screenshots/cite-list.png', 'extension/media/screenshots/hover.png', 'extension/media/screenshots/old.png', 'extension/media/notes.txt'];
    expect(checkVsixContents(vsix(readme, ...files))).toEqual([
      'not something that runs: extension/media/notes.txt',
      'the README does not show extension/media/screenshots/old.png',
    ]);
  });
});

describe('.vscodeignore', () => {
  it('packs every screenshot the README shows', () => {
    const listed = spawnSync(join(repo, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: repo, encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    const packed = listed.stdout.split('\n').map((line) => line.trim());
    const shown = imagesNamedBy(readFileSync(join(repo, 'README.md'), 'utf8'));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((path: string) => !packed.includes(path))).toEqual([]);
  });
});
