// Figures of the language server on a big corpus, through `paperlens lsp --stdio` as any client sees it:
//   node test/lsp/measure.mjs [corpus.bib]      (default: the ACL anthology in ../shared/corpora/large)
// Prints: initialize → first answer from the document's .bib, → ready (keys, titles, authors searchable), → abstracts
// indexed; completion latency p50/p95 while the library loads and once it is ready; a cite's incremental update.
// Build first (node esbuild.mjs). Figures depend on the machine and its load: say which when you quote them.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const corpus = process.argv[2] ?? path.resolve(repo, process.env.PAPERLENS_CORPORA ?? '../shared/corpora', 'large', 'acl-anthology.bib');
const workspace = mkdtempSync(path.join(tmpdir(), 'paperlens-measure-'));
cpSync(path.join(repo, 'examples'), workspace, { recursive: true });
const uri = (file) => pathToFileURL(path.join(workspace, file)).toString();

const server = spawn(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
const settings = { corpus: { files: [corpus], bundled: false } };
const statuses = [];
const logs = [];
connection.onRequest('workspace/configuration', (params) => params.items.map(() => settings));
connection.onRequest('client/registerCapability', () => null);
connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
connection.onNotification('paperlens/status', (status) => statuses.push({ at: performance.now(), status }));
connection.onNotification('window/logMessage', (params) => logs.push({ at: performance.now(), message: params.message }));
connection.onNotification('textDocument/publishDiagnostics', () => undefined);
connection.listen();

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const until = async (condition) => {
  for (;;) {
    const value = condition();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const started = performance.now();
await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(workspace).toString(),
  workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'measure' }],
  capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { insertReplaceSupport: true, labelDetailsSupport: true } } } },
  initializationOptions: { cacheDir: mkdtempSync(path.join(tmpdir(), 'paperlens-measure-cache-')) },
});
await connection.sendNotification('initialized', {});
const text = readFileSync(path.join(workspace, 'paper.tex'), 'utf8').split('\n');
let version = 1;
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('paper.tex'), languageId: 'latex', version, text: text.join('\n') } });

const QUERIES = ['hyper', 'neural machine translation', 'bert pretraining', 'sentimnt analysis', 'dependency parsing', 'question answering', 'attention'];
async function complete(query) {
  text[18] = `Adapters \\cite{${query}`;
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('paper.tex'), version: ++version }, contentChanges: [{ text: text.join('\n') }] });
  const asked = performance.now();
  const list = await connection.sendRequest('textDocument/completion', { textDocument: { uri: uri('paper.tex') }, position: { line: 18, character: text[18].length } });
  return { millis: performance.now() - asked, items: list?.items.length ?? 0 };
}

const first = await complete('hyper');
console.log(`initialize → first completion (from the document's .bib): ${((performance.now() - started) / 1000).toFixed(2)} s, ${first.items} item(s)`);
const whileLoading = [];
while (!statuses.some(({ status }) => status.kind !== 'loading')) {
  for (const query of QUERIES) whileLoading.push((await complete(query)).millis);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const ready = statuses.find(({ status }) => status.kind !== 'loading');
if (ready.status.kind !== 'ready') throw new Error(`the library failed: ${ready.status.message}`);
console.log(`initialize → ready: ${((ready.at - started) / 1000).toFixed(1)} s, ${ready.status.size} papers`);
console.log(`completion while loading: ${whileLoading.length} requests, p50 ${percentile(whileLoading, 50).toFixed(1)} ms, p95 ${percentile(whileLoading, 95).toFixed(1)} ms, max ${Math.max(...whileLoading).toFixed(1)} ms`);
const afterReady = [];
for (let round = 0; round < 5; round++) for (const query of QUERIES) afterReady.push((await complete(query)).millis);
console.log(`completion when ready (abstracts indexing in the background): p50 ${percentile(afterReady, 50).toFixed(1)} ms, p95 ${percentile(afterReady, 95).toFixed(1)} ms`);
const abstracts = await until(() => statuses.find(({ status }, index) => index > statuses.indexOf(ready) && status.kind === 'ready' && !status.abstracts));
console.log(`initialize → abstracts indexed: ${((abstracts.at - started) / 1000).toFixed(1)} s`);

// A cite: one entry appended to references.bib on disk, as a save does, and the file watcher's event.
const bib = path.join(workspace, 'references.bib');
writeFileSync(bib, `${readFileSync(bib, 'utf8')}\n@inproceedings{measure2026cite,\n  title = {A Paper Cited While Measuring},\n  author = {Writer, A.},\n  year = {2026}\n}\n`);
const saved = performance.now();
await connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('references.bib'), type: 2 }] });
const updated = await until(() => logs.find(({ at, message }) => at >= saved && message.startsWith('Library updated: references.bib')));
console.log(`cite (one entry appended to a 3-entry .bib at ${ready.status.size} papers): "${updated.message}", ${(updated.at - saved).toFixed(0)} ms from the file event (400 ms of it the debounce)`);
const afterCite = [];
for (const query of QUERIES) afterCite.push((await complete(query)).millis);
console.log(`completion right after the cite: p95 ${percentile(afterCite, 95).toFixed(1)} ms`);
await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();
server.kill();
