// src/core/ must run in plain Node: no file under it may import the vscode module.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vscodeImports } from './purity';

const coreDir = path.resolve(__dirname, '../../src/core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [full] : [];
  });
}

describe('src/core purity', () => {
  it('finds the import forms it looks for', () => {
    expect(vscodeImports(`import * as vscode from 'vscode';`)).toHaveLength(1);
    expect(vscodeImports(`import type { Uri } from "vscode"`)).toHaveLength(1);
    expect(vscodeImports(`const vscode = require('vscode');`)).toHaveLength(1);
    expect(vscodeImports(`export { window } from 'vscode';`)).toHaveLength(1);
    expect(vscodeImports(`const m = await import('vscode');`)).toHaveLength(1);
    expect(vscodeImports(`import { x } from './vscode-like';\n// mentions 'vscode' in a comment`)).toHaveLength(0);
  });

  it('has source files to check', () => {
    expect(sourceFiles(coreDir).length).toBeGreaterThan(0);
  });

  it('no file under src/core imports vscode', () => {
    const offenders = sourceFiles(coreDir)
      .filter((file) => vscodeImports(readFileSync(file, 'utf8')).length > 0)
      .map((file) => path.relative(coreDir, file));
    expect(offenders).toEqual([]);
  });
});
