// The library on 10,000 synthetic papers with ~150-word abstracts: build, heap, snapshot save/load, and
// queries typed as a person types. Also measures the snapshot alternatives (MiniSearch.loadJSON on its own
// JSON string vs our single-parse loadJS).
import MiniSearch from 'minisearch';
import { Library } from '../src/core/library';
import { syntheticPapers, typedQueries } from './synthetic.mjs';

const PAPERS = 10_000;
const row = (name, value, unit, target = null) => console.log(JSON.stringify({ name, value, unit, target }));
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
const heapMB = () => process.memoryUsage().heapUsed / 1024 / 1024;
const time = (fn) => {
  const started = performance.now();
  const result = fn();
  return [result, performance.now() - started];
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const papers = syntheticPapers(PAPERS, 1);
const source = { file: 'synthetic.bib', format: 'bibtex', papers, problems: [] };
gc();
const heapBefore = heapMB();
let [library, buildMs] = time(() => Library.build([source]));
gc();
row('library: build 10k papers (dedupe, keys, index)', buildMs, 'ms', 5000);
row('library: heap of the library (index + paper copies)', heapMB() - heapBefore, 'MB', 150);

const [snapshot, saveMs] = time(() => library.toSnapshot());
row('library: snapshot save (toSnapshot)', saveMs, 'ms', null);
row('library: snapshot size', snapshot.length / 1024 / 1024, 'MB', null);
library = undefined;
gc();
const [restored, loadMs] = time(() => Library.fromSnapshot(snapshot));
row('library: snapshot load (fromSnapshot)', loadMs, 'ms', 1000);
row('library: snapshot save + load', saveMs + loadMs, 'ms', 1000);

// The alternative the snapshot layout was chosen against: MiniSearch's own JSON string and loadJSON (for the
// fields index; the abstracts' index has its own typed-array layout).
const body = JSON.parse(snapshot.slice(snapshot.indexOf('\n') + 1));
const fieldsJson = JSON.stringify(body.fieldIndex);
const [, loadJsonMs] = time(() => MiniSearch.loadJSON(fieldsJson, { fields: ['title', 'authors', 'keywords', 'venue', 'year', 'key'] }));
row('library: alternative: MiniSearch.loadJSON of the fields index alone', loadJsonMs, 'ms', null);

const queries = typedQueries(papers, 150, 2);
for (const query of queries.slice(0, 200)) restored.search(query); // warm up the JIT
const timings = queries.map((query) => time(() => restored.search(query))[1]).sort((a, b) => a - b);
row(`library: query p50 (${timings.length} keystrokes of 150 typed 1–3 word queries)`, percentile(timings, 50), 'ms', null);
row('library: query p95', percentile(timings, 95), 'ms', 15);
row('library: query max', timings.at(-1), 'ms', null);

const similarTimings = restored
  .papers()
  .slice(0, 40)
  .map((paper) => time(() => restored.similar(paper.key))[1])
  .sort((a, b) => a - b);
row('library: similar p50 (40 papers)', percentile(similarTimings, 50), 'ms', null);
row('library: similar p95', percentile(similarTimings, 95), 'ms', null);
