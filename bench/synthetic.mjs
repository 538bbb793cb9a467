// Deterministic synthetic papers and typed queries for benchmarks, built from the words of the arXiv sample
// (../shared/corpora/arxiv), so term frequencies look like real abstracts. Same (n, seed) → same papers.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { corporaFolder } from '../test/unit/corpora';
import { randomSource } from '../test/unit/random';

/** The corpora folder is the one test setting (PAPERLENS_CORPORA, default ../shared/corpora). */
export const ARXIV_SAMPLE = path.join(corporaFolder(), 'arxiv/arxiv-metadata-0704-first2000.jsonl');

let vocabulary;
/** Word streams of the sample (so sampling picks words by their real frequency) and its family names. */
function sampleVocabulary() {
  if (vocabulary) return vocabulary;
  if (!existsSync(ARXIV_SAMPLE)) throw new Error(`synthetic papers need the arXiv sample at ${ARXIV_SAMPLE}`);
  const abstractWords = [];
  const titleWords = [];
  const families = new Set();
  for (const line of readFileSync(ARXIV_SAMPLE, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line);
    for (const word of record.abstract.split(/\s+/)) if (/^[A-Za-z][a-z-]+[.,]?$/.test(word)) abstractWords.push(word);
    for (const word of record.title.split(/\s+/)) if (/^[A-Za-z][a-z-]+$/.test(word)) titleWords.push(word);
    for (const [family] of record.authors_parsed) if (/^\p{L}[\p{L}-]+$/u.test(family)) families.add(family);
  }
  vocabulary = { abstractWords, titleWords, families: [...families], givens: 'A. B. C. D. E. F. G. H. J. K. L. M. N. P. R. S. T. W. Y. Z.'.split(' ') };
  return vocabulary;
}

const VENUES = ['Physical Review D', 'Journal of Machine Learning Research', 'NeurIPS', 'ACL', 'Nature', 'ICML', 'arXiv', 'Annals of Statistics'];

/** n papers with 6–12-word titles, 1–6 authors, a year 1990–2024 and a ~150-word abstract (120–180 words). */
export function syntheticPapers(n, seed = 1) {
  const random = randomSource(seed);
  const { abstractWords, titleWords, families, givens } = sampleVocabulary();
  const pick = (list) => list[Math.floor(random() * list.length)];
  const papers = [];
  for (let i = 0; i < n; i++) {
    const title = Array.from({ length: 6 + Math.floor(random() * 7) }, () => pick(titleWords)).join(' ');
    const authors = Array.from({ length: 1 + Math.floor(random() * 6) }, () => ({ family: pick(families), given: pick(givens) }));
    const year = String(1990 + Math.floor(random() * 35));
    const venue = pick(VENUES);
    const abstract = Array.from({ length: 120 + Math.floor(random() * 61) }, () => pick(abstractWords)).join(' ');
    papers.push({
      key: '',
      type: 'article',
      title,
      authors,
      year,
      venue,
      abstract,
      fields: {
        title,
        author: authors.map((a) => `${a.family}, ${a.given}`).join(' and '),
        year,
        journal: venue,
        abstract,
      },
      origin: { file: 'synthetic.bib', line: i * 8 + 1 },
    });
  }
  return papers;
}

function misspell(word, random) {
  const at = 1 + Math.floor(random() * (word.length - 2));
  return random() < 0.5 ? word.slice(0, at) + word.slice(at + 1) : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
}

/**
 * `count` queries of 1–3 words aimed at random papers (title words, an author's family name, the year), each
 * expanded into what a person has typed at every keystroke from the third character on: the last word is
 * partial most of the time, and about one query in five has a misspelt long word.
 */
export function typedQueries(papers, count, seed = 2) {
  const random = randomSource(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const typed = [];
  for (let q = 0; q < count; q++) {
    const paper = pick(papers);
    const words = paper.title.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 4);
    const length = 1 + Math.floor(random() * 3);
    const query = [];
    if (random() < 0.4 && paper.authors.length > 0) query.push(paper.authors[0].family.toLowerCase());
    while (query.length < length && words.length > 0) query.push(words.splice(Math.floor(random() * words.length), 1)[0]);
    if (random() < 0.2 && query.length < 3) query.push(paper.year);
    if (random() < 0.2) {
      const long = query.findIndex((w) => w.length >= 6);
      if (long >= 0) query[long] = misspell(query[long], random);
    }
    const text = query.join(' ');
    for (let end = 3; end <= text.length; end++) typed.push(text.slice(0, end));
  }
  return typed;
}
