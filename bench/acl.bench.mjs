// The 88,536-entry ACL anthology (../shared/corpora/large/acl-anthology.bib, 50 MB, no abstracts): read with the
// corpus loader, then Library.build (dedupe, keys, index), then the snapshot round trip and a few queries.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Library } from '../src/core/library';
import { loadCorpusFiles } from '../src/core/load';
import { corporaFolder } from '../test/unit/corpora';
import { typedQueries } from './synthetic.mjs';

const ACL = path.join(corporaFolder(), 'large/acl-anthology.bib');
const row = (name, value, unit, target = null) => console.log(JSON.stringify({ name, value, unit, target }));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

if (!existsSync(ACL)) {
  console.log(`acl bench skipped: ${ACL} is absent`);
  process.exit(0);
}

globalThis.gc();
const heapBefore = process.memoryUsage().heapUsed;
let started = performance.now();
const sources = await loadCorpusFiles([ACL]);
const parseMs = performance.now() - started;
started = performance.now();
const library = Library.build(sources);
const buildMs = performance.now() - started;
globalThis.gc();
row('acl: parse 88k entries (loadCorpusFiles)', parseMs, 'ms', null);
row('acl: Library.build (dedupe, keys, index)', buildMs, 'ms', null);
row('acl: parse + build', parseMs + buildMs, 'ms', 10000);
row('acl: papers read', sources[0].papers.length, 'papers', null);
row('acl: papers kept after dedupe', library.size, 'papers', null);
row('acl: problems reported (reader + duplicate keys)', library.sources[0].problems.length, 'problems', null);
row('acl: heap after build (papers + index)', (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024, 'MB', null);

started = performance.now();
const snapshot = library.toSnapshot();
const saveMs = performance.now() - started;
started = performance.now();
const restored = Library.fromSnapshot(snapshot);
row('acl: snapshot save (worker side)', saveMs, 'ms', null);
row('acl: snapshot load (extension host side)', performance.now() - started, 'ms', null);
row('acl: snapshot size', snapshot.length / 1024 / 1024, 'MB', null);

const queries = typedQueries(library.papers(), 100, 3);
for (const query of queries.slice(0, 100)) restored.search(query);
const timings = queries
  .map((query) => {
    const begun = performance.now();
    restored.search(query);
    return performance.now() - begun;
  })
  .sort((a, b) => a - b);
row(`acl: query p50 (${timings.length} keystrokes)`, percentile(timings, 50), 'ms', null);
row('acl: query p95', percentile(timings, 95), 'ms', null);
