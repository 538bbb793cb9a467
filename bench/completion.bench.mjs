// Completion and hover as the editor runs them, on 10,000 synthetic papers and a long document: the cite
// context at the cursor, the ranked items with their documentation, and a hover's markdown, per keystroke.
import { BibliographyContents } from '../src/core/bibedit';
import { completionItems } from '../src/core/completion';
import { citeContext, keyAt } from '../src/core/documents/citations';
import { Library } from '../src/core/library';
import { hoverMarkdown } from '../src/core/render';
import { syntheticPapers, typedQueries } from './synthetic.mjs';

const PAPERS = 10_000;
const row = (name, value, unit, target = null) => console.log(JSON.stringify({ name, value, unit, target }));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const time = (fn) => {
  const started = performance.now();
  fn();
  return performance.now() - started;
};

const library = Library.build([{ file: 'synthetic.bib', format: 'bibtex', papers: syntheticPapers(PAPERS, 1), problems: [] }]);
const cited = library.papers().slice(0, 300);
const bibliographyText = cited.map((paper) => `@article{${paper.key},\n  title = {${paper.title}},\n  year = {${paper.year}}\n}\n`).join('\n');
const bibliography = new BibliographyContents([{ file: '/work/refs.bib', text: bibliographyText }]);

/**
 * A ~2,000-line document citing the bibliography throughout, with the query typed in its last paragraph: one
 * paragraph, or with `crlf` one paragraph per line, CRLF line endings.
 */
function documentWith(language, query, crlf = false) {
  const lines = [];
  for (let i = 0; i < 2000; i++) {
    const key = cited[i % cited.length].key;
    lines.push(
      language === 'latex'
        ? `Sentence ${i} of the text cites earlier work \\citep[p.~${i}]{${key}} % a comment`
        : `Sentence ${i} of the text cites earlier work [see @${key}, p. ${i}] and \`code ${i}\`.`,
    );
  }
  const typed = language === 'latex' ? `Finally \\cite{${query}` : `Finally [@${query}`;
  const head = crlf ? `${lines.join('\r\n\r\n')}\r\n\r\n${typed}` : `${lines.join('\n')}\n${typed}`;
  return { text: `${head}${language === 'latex' ? '}' : ']'} and more text.\n`, offset: head.length, hoverAt: head.indexOf(cited[7].key) + 2 };
}

function completionRun(language, queries, crlf = false) {
  const timings = [];
  let items = 0;
  for (const query of queries) {
    // LaTeX queries keep their spaces (several words); a Markdown key stops at a space, so its query is one word.
    const typed = language === 'latex' ? query : query.split(' ')[0];
    const { text, offset } = documentWith(language, typed, crlf);
    timings.push(
      time(() => {
        const context = citeContext(text, offset, language);
        items += completionItems(library, context, text.slice(context.replaceStart, context.replaceEnd), bibliography).length;
      }),
    );
  }
  return { timings: timings.sort((a, b) => a - b), items };
}

const queries = typedQueries(library.papers(), 80, 2);
completionRun('latex', queries.slice(0, 100)); // warm up the JIT
for (const language of ['latex', 'markdown']) {
  const { timings, items } = completionRun(language, queries);
  row(`completion: ${language} items p50 (${timings.length} keystrokes, 10k papers, 2,000-line document)`, percentile(timings, 50), 'ms', null);
  row(`completion: ${language} items p95`, percentile(timings, 95), 'ms', 20);
  row(`completion: ${language} items per list (mean)`, items / timings.length, 'items', null);
}

{
  const { timings } = completionRun('markdown', queries, true);
  row('completion: markdown items p95, CRLF document of 2,000 paragraphs', percentile(timings, 95), 'ms', 20);
}

const emptyPartial = documentWith('latex', '');
const emptyTimings = Array.from({ length: 50 }, () =>
  time(() => {
    const context = citeContext(emptyPartial.text, emptyPartial.offset, 'latex');
    completionItems(library, context, '', bibliography);
  }),
).sort((a, b) => a - b);
row('completion: list on an empty \\cite{ (bibliography first) p95', percentile(emptyTimings, 95), 'ms', 20);

for (const language of ['latex', 'markdown']) {
  const { text, hoverAt } = documentWith(language, 'x');
  const hover = () => {
    const found = keyAt(text, hoverAt, language);
    hoverMarkdown({ key: found.key, paper: library.byKey(found.key), definitions: bibliography.definitions(found.key) });
  };
  for (let i = 0; i < 50; i++) hover();
  const timings = Array.from({ length: 200 }, () => time(hover)).sort((a, b) => a - b);
  row(`completion: ${language} hover p95 (key at line 8 of 2,000)`, percentile(timings, 95), 'ms', 5);
}
const end = documentWith('latex', 'x');
const lastKey = end.text.lastIndexOf(cited[(1999) % cited.length].key) + 2;
const hoverEnd = Array.from({ length: 200 }, () =>
  time(() => {
    const found = keyAt(end.text, lastKey, 'latex');
    hoverMarkdown({ key: found.key, paper: library.byKey(found.key), definitions: bibliography.definitions(found.key) });
  }),
).sort((a, b) => a - b);
row('completion: latex hover p95 (key at line 2,000 of 2,000)', percentile(hoverEnd, 95), 'ms', 5);
