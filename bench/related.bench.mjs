// Writing-aware ranking (src/core/related): related papers for a 200-word paragraph at 10,000 and 100,000
// synthetic papers with abstracts; what the learned model adds to the library's build time and snapshot load; and
// the evaluation sets again with the ACL anthology's 88k papers added as distractors (ranking and BM25 baseline).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readArxivJsonl } from '../src/core/formats/arxiv';
import { readListing } from '../src/core/formats/listing';
import { Library } from '../src/core/library';
import { loadCorpusFiles } from '../src/core/load';
import { RelatedModel } from '../src/core/related/model';
import { proseText } from '../src/core/related/prose';
import { RelatedIndex } from '../src/core/related/rank';
import { Bm25Baseline, EVALUATION_SETS, rankWithBaseline, rankWithRelated, readEvaluationSet, scoresOf } from '../test/unit/related/evaluation';
import { corporaFolder } from '../test/unit/corpora';
import { randomSource } from '../test/unit/random';
import { ARXIV_SAMPLE, syntheticPapers } from './synthetic.mjs';

const row = (name, value, unit, target = null) => console.log(JSON.stringify({ name, value, unit, target }));
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
const time = (fn) => {
  const started = performance.now();
  const result = fn();
  return [result, performance.now() - started];
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * `count` paragraphs of 200 words, each about a random paper: 60 words of its abstract among 140 words drawn from
 * the arXiv sample's abstracts by their real frequency (so the paragraph has the sample's common words too).
 */
function paragraphsAbout(papers, count, seed) {
  const random = randomSource(seed);
  const common = readFileSync(ARXIV_SAMPLE, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .flatMap((line) => JSON.parse(line).abstract.split(/\s+/))
    .filter((word) => /^[A-Za-z][a-z-]+[.,]?$/.test(word));
  const pick = (list) => list[Math.floor(random() * list.length)];
  return Array.from({ length: count }, () => {
    const own = pick(papers).abstract.split(/\s+/);
    const words = [...Array.from({ length: 60 }, () => pick(own)), ...Array.from({ length: 140 }, () => pick(common))];
    for (let i = words.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [words[i], words[j]] = [words[j], words[i]];
    }
    return words.join(' ');
  });
}

function queryTimings(index, paragraphs) {
  for (const paragraph of paragraphs.slice(0, 20)) index.related(paragraph); // warm up the JIT
  return paragraphs.map((paragraph) => time(() => index.related(paragraph, { limit: 10 }))[1]).sort((a, b) => a - b);
}

// 10,000 papers: the model against the library it is built from.
{
  const papers = syntheticPapers(10_000, 1);
  const source = { file: 'synthetic.bib', format: 'bibtex', papers, problems: [] };
  gc();
  const [library, libraryMs] = time(() => Library.build([source]));
  gc();
  const [model, modelMs] = time(() => RelatedModel.build(library.papers()));
  row('related: 10k library build (Library.build)', libraryMs, 'ms', null);
  row('related: 10k model build (RelatedModel.build)', modelMs, 'ms', null);
  row('related: 10k model build / library build', (100 * modelMs) / libraryMs, '%', 50);

  const snapshot = library.toSnapshot();
  const modelJson = JSON.stringify(model.toJSON());
  gc();
  const [, libraryLoadMs] = time(() => Library.fromSnapshot(snapshot));
  gc();
  const [, modelLoadMs] = time(() => RelatedModel.fromJSON(JSON.parse(modelJson), library.papers()));
  row('related: 10k snapshot load (Library.fromSnapshot)', libraryLoadMs, 'ms', null);
  row('related: 10k model load (JSON.parse + RelatedModel.fromJSON)', modelLoadMs, 'ms', null);
  row('related: 10k model load / snapshot load', (100 * modelLoadMs) / libraryLoadMs, '%', 50);
  row('related: 10k model size (JSON)', modelJson.length / 1024 / 1024, 'MB', null);
  row('related: 10k snapshot size', snapshot.length / 1024 / 1024, 'MB', null);

  const index = new RelatedIndex(library.papers(), model);
  const timings = queryTimings(index, paragraphsAbout(library.papers(), 200, 3));
  row('related: 10k related papers for a 200-word paragraph p50 (200 paragraphs)', percentile(timings, 50), 'ms', null);
  row('related: 10k related papers for a 200-word paragraph p95', percentile(timings, 95), 'ms', 30);
  const similar = Array.from({ length: 50 }, (_, i) => time(() => index.similar(i * 37))[1]).sort((a, b) => a - b);
  row('related: 10k similar papers p95 (50 papers)', percentile(similar, 95), 'ms', null);
}

// 100,000 papers: the ranking alone (the library at this size is the ACL bench's subject).
{
  gc();
  const papers = syntheticPapers(100_000, 4).map((paper, i) => ({ ...paper, key: `synthetic${i}` }));
  const [index, buildMs] = time(() => RelatedIndex.build(papers));
  row('related: 100k model build', buildMs, 'ms', null);
  const modelJson = JSON.stringify(index.model.toJSON());
  gc();
  const [, loadMs] = time(() => RelatedModel.fromJSON(JSON.parse(modelJson), papers));
  row('related: 100k model load', loadMs, 'ms', null);
  row('related: 100k model size (JSON)', modelJson.length / 1024 / 1024, 'MB', null);
  const timings = queryTimings(index, paragraphsAbout(papers, 200, 5));
  row('related: 100k related papers for a 200-word paragraph p50', percentile(timings, 50), 'ms', null);
  row('related: 100k related papers for a 200-word paragraph p95', percentile(timings, 95), 'ms', 150);
}

// The evaluation sets with the ACL anthology as distractors.
const ACL = path.join(corporaFolder(), 'large', 'acl-anthology.bib');
const LISTING = path.resolve('corpus/papers.txt');
if (!existsSync(ACL) || !existsSync(ARXIV_SAMPLE)) {
  console.log(`related: evaluation with distractors skipped: ${ACL} or ${ARXIV_SAMPLE} is absent`);
} else {
  gc();
  const library = Library.build([
    { file: LISTING, format: 'listing', ...readListing(readFileSync(LISTING, 'utf8'), LISTING) },
    { file: ARXIV_SAMPLE, format: 'arxiv-jsonl', ...readArxivJsonl(readFileSync(ARXIV_SAMPLE, 'utf8'), ARXIV_SAMPLE) },
    ...(await loadCorpusFiles([ACL])),
  ]);
  const index = RelatedIndex.build(library.papers());
  const baseline = new Bm25Baseline(library.papers());
  row('related: evaluation with distractors: papers searched', library.size, 'papers', null);
  for (const set of EVALUATION_SETS) {
    const items = readEvaluationSet(set, path.resolve('test/fixtures/related'));
    const mine = scoresOf(items.map((item) => rankWithRelated(index, item)));
    const theirs = scoresOf(items.map((item) => rankWithBaseline(baseline, item)));
    for (const [name, scores] of [['ranking', mine], ['BM25 baseline', theirs]]) {
      row(`related: ${set} + ACL distractors, ${name}: recall@1`, 100 * scores.recallAt1, '%', null);
      row(`related: ${set} + ACL distractors, ${name}: recall@5`, 100 * scores.recallAt5, '%', null);
      row(`related: ${set} + ACL distractors, ${name}: MRR (× 100)`, 100 * scores.mrr, '%', null);
    }
  }
  const timings = queryTimings(index, readEvaluationSet('paragraphs', path.resolve('test/fixtures/related')).map((item) => proseText(item.text, item.language)));
  row(`related: ${library.size} real papers, evaluation paragraphs p95`, percentile(timings, 95), 'ms', null);
}
