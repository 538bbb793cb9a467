// Runs every bench/*.bench.mjs and prints one table; writes bench/results/latest.json.
// `node bench/run.mjs library acl` runs only the benches whose file names contain one of the words.
//
// Contract for a bench file: it runs with the repository root as its working directory; it is an ES module that may import TypeScript from src/ (this script bundles it
// with esbuild first; packages stay external and load from node_modules). It runs in its own
// `node --expose-gc` child process and prints its figures on stdout, one JSON object per line:
//
//   {"name": "library: build 10k synthetic papers", "value": 4210.5, "unit": "ms", "target": 5000}
//
//   name    what was measured, prefixed by the area ("library: …", "acl: …", "completion: …")
//   value   a number
//   unit    "ms", "MB", "papers", "%", …
//   target  the upper bound the value must stay at or under, in the same unit, or null when informational
//
// Any other stdout line and all of stderr are passed through as progress messages. A bench that cannot run
// (data missing) prints a line saying why and exits 0; a crash fails the whole run with its exit code.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const resultsDir = path.join(benchDir, 'results');
const buildDir = path.join(resultsDir, 'build');
const only = process.argv.slice(2);

const benches = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

mkdirSync(buildDir, { recursive: true });

function runBench(file) {
  return new Promise((resolve, reject) => {
    const rows = [];
    const child = spawn(process.execPath, ['--expose-gc', file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        let row;
        try {
          row = JSON.parse(line);
        } catch {
          row = undefined;
        }
        if (row && typeof row.name === 'string' && typeof row.value === 'number') rows.push(row);
        else if (line.trim()) process.stderr.write(`  ${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(rows) : reject(new Error(`${path.basename(file)} exited with ${code}`))));
  });
}

function formatValue(value) {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(Number.isInteger(value) ? 0 : 1);
}

const allRows = [];
for (const bench of benches) {
  const outfile = path.join(buildDir, bench);
  await esbuild.build({
    entryPoints: [path.join(benchDir, bench)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    // Bundled TypeScript may require() packages; give the ES module a real require.
    banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
  });
  process.stderr.write(`${bench}\n`);
  for (const row of await runBench(outfile)) allRows.push({ bench, ...row });
}

const table = [['measurement', 'value', 'target', ''], ...allRows.map((row) => [
  row.name,
  `${formatValue(row.value)} ${row.unit}`,
  row.target === null || row.target === undefined ? '' : `≤ ${row.target} ${row.unit}`,
  row.target === null || row.target === undefined ? '' : row.value <= row.target ? 'ok' : 'OVER',
])];
const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
for (const [index, cells] of table.entries()) {
  console.log(cells.map((cell, column) => (column === 1 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd());
  if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
}
writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows: allRows }, null, 2)}\n`);
