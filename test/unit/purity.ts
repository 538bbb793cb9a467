// Finds static, dynamic and re-export imports of the `vscode` module in a source text.
const VSCODE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])vscode\1/gm;

export function vscodeImports(source: string): string[] {
  return [...source.matchAll(VSCODE_IMPORT)].map((match) => match[0]);
}
