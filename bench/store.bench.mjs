// The incremental library (LibraryStore) at issue 10's scale: 100,000 synthetic papers with ~150-word abstracts,
// and the ACL anthology (88k entries, no abstracts). Cold start until searchable by key/title/authors and until
// abstracts are searchable, heap, queries and completion while typing, and one entry appended to a 10-entry .bib
// (the user's own, first in priority) with the big source loaded. The snapshot save: its longest stretch without a
// turn for queries, and a change that comes during it (it must not wait for the save). `node bench/run.mjs store`
// runs it alone; PAPERLENS_BENCH_PAPERS=20000 runs the synthetic part smaller. The warm start is timed in a process of
// its own, as a new window's worker starts: one that still held the cold start's library collected garbage in a
// heap twice the size.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BibliographyContents } from '../src/core/bibedit';
import { completionItems } from '../src/core/completion';
import { citeContext } from '../src/core/documents/citations';
import { LibraryStore } from '../src/core/libraryStore';
import { loadCorpusFiles } from '../src/core/load';
import { RelatedModel } from '../src/core/related';
import { corporaFolder } from '../test/unit/corpora';
import { syntheticPapers, typedQueries } from './synthetic.mjs';

const PAPERS = Number(process.env.PAPERLENS_BENCH_PAPERS ?? 100_000);
const ACL = path.join(corporaFolder(), 'large', 'acl-anthology.bib');
const label = PAPERS >= 1000 ? `${PAPERS / 1000}k` : String(PAPERS);
const row = (name, value, unit, target = null) => console.log(JSON.stringify({ name, value, unit, target }));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
const heapMB = () => process.memoryUsage().heapUsed / 1024 / 1024;
const time = (fn) => {
  const started = performance.now();
  fn();
  return performance.now() - started;
};

/**
 * Runs `task` while a setImmediate loop measures the turns between: the longest is the longest stretch the task
 * held the thread (a query waiting in the worker waits that long).
 */
async function longestStretch(task) {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const turn = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  const result = await task();
  running = false;
  return { longest, result };
}

/** Resolves once a save into `folder` is writing: its .partial folder beside it exists, without the manifest (the last part). */
async function saveWriting(folder) {
  const parent = path.dirname(folder);
  const prefix = `${path.basename(folder)}.`;
  const writing = () =>
    readdirSync(parent).some((name) => name.startsWith(prefix) && name.endsWith('.partial') && !existsSync(path.join(parent, name, 'manifest.json')));
  while (!writing()) await new Promise((resolve) => setImmediate(resolve));
}

/** A 10-entry .bib as the user's own: the source a cite appends to. */
function userBib(entries) {
  const file = '/work/paper/references.bib';
  const papers = Array.from({ length: entries }, (_, index) => ({
    key: `mine${index}`,
    type: 'article',
    title: `My own paper number ${index} on citation graphs`,
    authors: [{ family: 'Writer', given: 'A.' }],
    year: '2024',
    fields: { title: `My own paper number ${index} on citation graphs`, author: 'Writer, A.', year: '2024' },
    origin: { file, line: index * 6 + 1 },
  }));
  return { file, format: 'bibtex', papers, problems: [] };
}

/** Appends one entry to the user's .bib, `times` times, each a new version of the file: ms per update. */
async function appendTimings(store, times) {
  const timings = [];
  for (let round = 0; round < times; round++) {
    const bib = userBib(10 + round);
    bib.papers.push({ ...bib.papers[0], key: `cited${round}`, title: `Cited paper ${round} about appended entries`, origin: { file: bib.file, line: 1000 + round } });
    const started = performance.now();
    await store.setSource(bib, 0);
    timings.push(performance.now() - started);
  }
  return timings.sort((a, b) => a - b);
}

function queryTimings(library, queries) {
  for (const query of queries.slice(0, 100)) library.search(query); // warm up the JIT
  return queries.map((query) => time(() => library.search(query))).sort((a, b) => a - b);
}

function completionTimings(library, queries) {
  const cited = library.papers().slice(0, 300);
  const bibliography = new BibliographyContents([
    { file: '/work/refs.bib', text: cited.map((paper) => `@article{${paper.key},\n  title = {${paper.title}}\n}\n`).join('\n') },
  ]);
  const body = cited.map((paper, i) => `Sentence ${i} cites \\citep[p.~${i}]{${paper.key}} % a comment`).join('\n');
  const run = (query) => {
    const text = `${body}\nFinally \\cite{${query}} and more.\n`;
    const offset = text.length - ' and more.\n'.length - 1;
    const context = citeContext(text, offset, 'latex');
    completionItems(library, context, text.slice(context.replaceStart, context.replaceEnd), bibliography);
  };
  for (const query of queries.slice(0, 50)) run(query);
  return queries.map((query) => time(() => run(query))).sort((a, b) => a - b);
}

async function coldStart(name, source) {
  gc();
  const heapBefore = heapMB();
  const store = new LibraryStore();
  let started = performance.now();
  await store.setSources([
    { source: userBib(10), priority: 0 },
    { source, priority: 1 },
  ]);
  const fieldsMs = performance.now() - started;
  await store.abstractsIndexed();
  const abstractsMs = performance.now() - started;
  gc();
  row(`store: ${name}: cold start → searchable by key, title, authors (fields indexed)`, fieldsMs, 'ms', 15_000);
  row(`store: ${name}: cold start → abstracts searchable`, abstractsMs, 'ms', 90_000);
  row(`store: ${name}: heap of the library (papers + both indexes)`, heapMB() - heapBefore, 'MB', 700);
  row(`store: ${name}: papers`, store.library.size, 'papers', null);
  return store;
}

/**
 * Saves the store with its related-papers model, as the worker does, then restores it as a new session would:
 * until everything (abstracts too) is searchable, and the model's share of the build and of the load.
 */
async function warmStart(name, store, files = []) {
  const folder = mkdtempSync(path.join(tmpdir(), 'paperlens-bench-'));
  try {
    let started = performance.now();
    const model = RelatedModel.build(store.library.papers());
    row(`store: ${name}: related model build (issue 11: ≤ 50% of the cold start)`, performance.now() - started, 'ms', null);
    started = performance.now();
    const { longest, result: written } = await longestStretch(() => store.save(folder, '', model));
    if (!written) throw new Error('the save was overtaken: nothing changed the store');
    row(`store: ${name}: snapshot save (worker, in the background)`, performance.now() - started, 'ms', null);
    row(`store: ${name}: snapshot save, longest stretch without a turn for queries`, longest, 'ms', 50);
    const bytes = (match) => readdirSync(folder).filter(match).reduce((sum, file) => sum + statSync(path.join(folder, file)).size, 0) / 1024 / 1024;
    row(`store: ${name}: snapshot size`, bytes(() => true), 'MB', null);
    row(`store: ${name}: snapshot size, related model part`, bytes((file) => file.startsWith('related-')), 'MB', null);
    await warmStartInItsOwnProcess({ name, folder, files, size: store.library.size });
    // Restored again here, untimed, for what follows.
    const restored = await LibraryStore.restore(folder);
    for (const [file, priority] of files) await restored.loadFile(file, priority);
    await restored.abstractsIndexed();
    if (!(await restored.takeRestoredRelated())) throw new Error('the related model was not restored');
    // The model's own share of the load: its parts read and checked against the papers.
    gc();
    const partsStarted = performance.now();
    const head = JSON.parse(await readFile(path.join(folder, 'related-head.json'), 'utf8'));
    const arrays = await Promise.all(['offsets', 'postings', 'counts', 'lengths'].map((part) => readFile(path.join(folder, `related-${part}.bin`))));
    const view = (bytes, Type) => new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
    const loaded = RelatedModel.fromParts(
      { ...head, offsets: view(arrays[0], Uint32Array), postings: view(arrays[1], Uint32Array), counts: view(arrays[2], Uint16Array), lengths: view(arrays[3], Float32Array) },
      restored.library.papers(),
    );
    if (!loaded) throw new Error('the related model parts did not load');
    row(`store: ${name}: warm start, the related model's load once the library answers (read, checked against the papers)`, performance.now() - partsStarted, 'ms', null);
    // A cite while the library is being saved: the change goes first, the save gives way.
    const again = path.join(folder, 'again');
    const saving = restored.save(again, '', model);
    await saveWriting(again);
    const bib = userBib(11);
    started = performance.now();
    await restored.setSource(bib, 0);
    row(`store: ${name}: a change during a save → library updated`, performance.now() - started, 'ms', 200);
    if (await saving) throw new Error('the save was written before the change: it did not give way');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** This bench run again with `--warm-start`: it times the restore alone in a fresh process and prints the rows. */
async function warmStartInItsOwnProcess(task) {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--warm-start', JSON.stringify(task)], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`the warm start's process exited with ${code}`);
}

/** The warm start as a new session makes it: the snapshot restored, each corpus file checked, abstracts indexed. */
async function timedWarmStart({ name, folder, files, size }) {
  const started = performance.now();
  const restored = await LibraryStore.restore(folder);
  const readyMs = performance.now() - started;
  // An unchanged corpus file costs a read and a hash.
  for (const [file, priority] of files) await restored.loadFile(file, priority);
  await restored.abstractsIndexed();
  row(`store: ${name}: warm start (snapshot) → everything searchable`, performance.now() - started, 'ms', 5_000);
  row(`store: ${name}: warm start, of which restore (read, parse, indexes loaded)`, readyMs, 'ms', null);
  if (restored.library.size !== size) throw new Error('warm start restored another library');
}

async function measure(name, store) {
  const queries = typedQueries(store.library.papers(), 150, 2);
  const timings = queryTimings(store.library, queries);
  row(`store: ${name}: query p50 (${timings.length} keystrokes of 150 typed 1–3 word queries, some misspelt)`, percentile(timings, 50), 'ms', null);
  row(`store: ${name}: query p95`, percentile(timings, 95), 'ms', 15);
  const completion = completionTimings(store.library, queries);
  row(`store: ${name}: completion items p95 (\\cite{…}, 300-line document)`, percentile(completion, 95), 'ms', 25);
  const appends = await appendTimings(store, 15);
  row(`store: ${name}: one entry appended to the 10-entry .bib → library updated, median`, percentile(appends, 50), 'ms', null);
  row(`store: ${name}: one entry appended → library updated, max of 15`, appends.at(-1), 'ms', 200);
  const vacuumStarted = performance.now();
  await store.idle();
  row(`store: ${name}: idle after the appends (vacuum)`, performance.now() - vacuumStarted, 'ms', null);
}

async function benchmarks() {
  {
    const papers = syntheticPapers(PAPERS, 1);
    const store = await coldStart(`${label} synthetic`, { file: '/corpus/synthetic.bib', format: 'bibtex', papers, problems: [] });
    await warmStart(`${label} synthetic`, store);
    await measure(`${label} synthetic`, store);
  }
  if (existsSync(ACL) && !process.env.PAPERLENS_BENCH_SKIP_ACL) {
    gc();
    const started = performance.now();
    const [acl] = await loadCorpusFiles([ACL]);
    row('store: acl: parse', performance.now() - started, 'ms', null);
    const store = await coldStart('acl', acl);
    await measure('acl', store);
    // As the owner loads it: through loadFile, so the snapshot knows the file's hash.
    const loaded = new LibraryStore();
    await loaded.loadFile(ACL, 1);
    await warmStart('acl', loaded, [[ACL, 1]]);
  } else {
    console.log('store bench: ACL part skipped');
  }
}

const warmStartTask = process.argv[2] === '--warm-start' ? JSON.parse(process.argv[3]) : undefined;
if (warmStartTask) await timedWarmStart(warmStartTask);
else await benchmarks();
