// A .bib with every entry on ONE line (as some exporters and minifiers write it), 4 MB and 10 MB, generated in a
// temporary folder and read with the corpus loader. Reading must stay linear: 10 MB should take about 2.5 times
// as long as 4 MB (it took 21.6 s and more than two minutes when every `@` scanned back to the line start).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCorpusFiles } from '../src/core/load';

const row = (name, value, unit, target = null) => console.log(JSON.stringify({ name, value, unit, target }));

/** Entries joined by single spaces up to `bytes` characters, with an `@` inside a value now and then. */
function oneLineBibtex(bytes) {
  const entries = [];
  let length = 0;
  for (let index = 0; length < bytes; index++) {
    const entry = `@article{key${index}, author = {Doe, Jane and Roe, Richard and von Neumann, John}, ` +
      `title = {A {Study} of Graphs, Number ${index}}, journal = {Journal of Examples}, year = ${1950 + (index % 70)}, ` +
      `note = {Contact ${index % 7 === 0 ? 'someone@example.org' : 'the authors'}}, pages = {${index}--${index + 9}}}`;
    entries.push(entry);
    length += entry.length + 1;
  }
  return { text: entries.join(' '), count: entries.length };
}

const folder = mkdtempSync(path.join(tmpdir(), 'paperlens-oneline-'));
try {
  // The first quarter megabyte warms the JIT up, so the figures compare sizes rather than compilation.
  for (const megabytes of [0.25, 4, 10]) {
    const { text, count } = oneLineBibtex(megabytes * 1024 * 1024);
    const file = path.join(folder, `oneline-${megabytes}mb.bib`);
    writeFileSync(file, text);
    const started = performance.now();
    const [source] = await loadCorpusFiles([file]);
    const elapsed = performance.now() - started;
    if (source.papers.length !== count) throw new Error(`read ${source.papers.length} of ${count} entries from ${file}`);
    // One second per megabyte is far above linear reading (about 0.3 s/MB on a loaded machine) and far below
    // the quadratic scan (21.6 s for 4 MB).
    if (megabytes >= 1) row(`oneline: read a ${megabytes} MB one-line .bib (${count} entries)`, elapsed, 'ms', megabytes * 1000);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
