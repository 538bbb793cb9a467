// References and rename through `paperlens lsp --stdio` on a thesis of 200 files (a root, 198 chapters in a
// subfolder, a 2,000-entry .bib), as any client sees them: the first request (every file read and parsed) and the
// following ones (the workspace walked and stat'ed, only changed files read again), p50/p95 over 30 requests each.
//   node test/lsp/integrity-measure.mjs          Build first (node esbuild.mjs). Say the machine's load when quoting.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const CHAPTERS = 198;
const ENTRIES = 2_000;
const CITES_PER_CHAPTER = 30;
const RUNS = 30;

const repo = fileURLToPath(new URL('../..', import.meta.url));
const workspace = mkdtempSync(path.join(tmpdir(), 'paperlens-integrity-measure-'));
mkdirSync(path.join(workspace, 'chapters'));
const key = (n) => `author${n}key`;
const entries = Array.from({ length: ENTRIES }, (_, n) => `@article{${key(n)},\n  title = {Title number ${n}},\n  author = {Author, A${n}},\n  year = {${1990 + (n % 30)}}\n}\n`);
writeFileSync(path.join(workspace, 'refs.bib'), entries.join('\n'));
const includes = Array.from({ length: CHAPTERS }, (_, n) => `\\include{chapters/ch${n}}`).join('\n');
writeFileSync(path.join(workspace, 'main.tex'), `\\documentclass{book}\n\\begin{document}\nSee \\cite{${key(0)}}.\n${includes}\n\\bibliography{refs}\n\\end{document}\n`);
for (let chapter = 0; chapter < CHAPTERS; chapter++) {
  const lines = Array.from({ length: CITES_PER_CHAPTER }, (_, n) => `Sentence ${n} of chapter ${chapter} cites \\cite{${key((chapter * 7 + n * 13) % ENTRIES)}} and more words follow it here.`);
  writeFileSync(path.join(workspace, 'chapters', `ch${chapter}.tex`), `\\chapter{Chapter ${chapter}}\n${lines.join('\n')}\n`);
}

const server = spawn(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
const settings = { corpus: { bundled: false } };
connection.onRequest('workspace/configuration', (params) => params.items.map(() => settings));
connection.onRequest('client/registerCapability', () => null);
connection.onNotification('paperlens/status', () => undefined);
connection.onNotification('window/logMessage', () => undefined);
connection.onNotification('textDocument/publishDiagnostics', () => undefined);
connection.listen();
await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(workspace).toString(),
  workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'measure' }],
  capabilities: { workspace: { configuration: true } },
  initializationOptions: { cacheDir: mkdtempSync(path.join(tmpdir(), 'paperlens-integrity-measure-cache-')) },
});
await connection.sendNotification('initialized', {});

const uri = pathToFileURL(path.join(workspace, 'main.tex')).toString();
const position = { line: 2, character: 'See \\cite{'.length + 2 };
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
async function timed(method, params) {
  const started = performance.now();
  const result = await connection.sendRequest(method, params);
  return { millis: performance.now() - started, result };
}

const first = await timed('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
const references = [];
for (let run = 0; run < RUNS; run++) references.push((await timed('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } })).millis);
const renames = [];
let edited = 0;
for (let run = 0; run < RUNS; run++) {
  const answer = await timed('textDocument/rename', { textDocument: { uri }, position, newName: `renamed${run}` });
  renames.push(answer.millis);
  edited = Object.keys(answer.result.changes).length;
}
const fmt = (value) => `${value.toFixed(1)} ms`;
console.log(`workspace: ${CHAPTERS + 2} files (${ENTRIES}-entry .bib, ${CHAPTERS * CITES_PER_CHAPTER} citations)`);
console.log(`references, first (read + parse every file): ${fmt(first.millis)}, ${first.result.length} locations`);
console.log(`references, then: p50 ${fmt(percentile(references, 50))}, p95 ${fmt(percentile(references, 95))}`);
console.log(`rename: p50 ${fmt(percentile(renames, 50))}, p95 ${fmt(percentile(renames, 95))} (${edited} files edited)`);
await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();
server.kill();
