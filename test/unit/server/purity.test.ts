// The language server runs outside VS Code (`paperlens lsp --stdio`): nothing it bundles may import the vscode
// module, nor the client's languageclient — the server, its library worker and the protocol they share with the client.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vscodeImports } from '../purity';

const src = path.resolve(__dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [full] : [];
  });
}

describe('language server purity', () => {
  const files = [...sourceFiles(path.join(src, 'server')), ...sourceFiles(path.join(src, 'worker')), path.join(src, 'protocol.ts'), path.join(src, 'ids.ts')];

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('imports neither vscode nor vscode-languageclient', () => {
    const offenders = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const found = [...vscodeImports(text), ...(/(['"])vscode-languageclient[/'"]/.test(text) ? ['vscode-languageclient'] : [])];
      return found.map((line) => `${path.relative(src, file)}: ${line}`);
    });
    expect(offenders).toEqual([]);
  });
});
