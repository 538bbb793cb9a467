// Citation integrity at the sizes of a real project: the check of a 2,000-line chapter citing 300 keys against a
// 10,000-entry .bib, and Find All References / Rename across a 200-file workspace. Medians of repeated runs; the
// targets are for the editor's case (the .bib already indexed, one document edited), the cold figures say what a
// first run or `paperlens check` pays.
import { renderBibtex } from '../src/core/bibtex-render';
import { findCitations } from '../src/core/documents/citations';
import { citationDiagnostics, projectDiagnostics } from '../src/core/integrity/check';
import { findReferences } from '../src/core/integrity/references';
import { renameKey } from '../src/core/integrity/rename';
import { unusedEntries } from '../src/core/integrity/unused';
import { WorkspaceIndex } from '../src/core/integrity/workspace';
import { Library } from '../src/core/library';
import { syntheticPapers } from './synthetic.mjs';

const row = (name, value, unit, target = null) => console.log(JSON.stringify({ name, value, unit, target }));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const time = (fn) => {
  const started = performance.now();
  fn();
  return performance.now() - started;
};
/** Median of `runs` timings, after a collection so the garbage of earlier measurements is not charged to this one. */
const repeat = (runs, fn) => {
  globalThis.gc?.();
  fn();
  return median(Array.from({ length: runs }, () => time(fn)));
};

// Keys assigned as the library assigns them, entries rendered as a user's .bib holds them (abstracts included).
const papers = Library.build([{ file: 'synthetic.bib', format: 'bibtex', papers: syntheticPapers(10_000, 3), problems: [] }]).papers();
const bibFile = '/thesis/bib/library.bib';
const bibText = papers.map((paper) => renderBibtex(paper)).join('\n');
const cited = papers.filter((_, i) => i % 33 === 0).slice(0, 300).map((paper) => paper.key);

/** A LaTeX chapter of `lines` lines citing the keys in turn, some lines with a key list, a comment now and then. */
function chapter(lines, offset, undefinedEvery = 0) {
  const text = [];
  for (let i = 0; i < lines; i++) {
    const key = cited[(i + offset) % cited.length];
    const other = cited[(i * 7 + offset) % cited.length];
    const typo = undefinedEvery > 0 && i % undefinedEvery === 0 ? `, ${key}x` : '';
    text.push(i % 3 === 0 ? `Line ${i} cites \\citep[p.~${i}]{${key}, ${other}${typo}} and goes on. % note ${i}` : `Line ${i} of running text with \\cite{${key}}.`);
  }
  return `${text.join('\n')}\n`;
}

/** A Markdown chapter citing the same keys. */
function markdownChapter(lines, offset) {
  const text = ['---', 'title: Chapter', '---'];
  for (let i = 0; i < lines; i++) text.push(`Line ${i} as [see @${cited[(i + offset) % cited.length]}, p. ${i}] shows, and \`code\`.`);
  return `${text.join('\n')}\n`;
}

const document = '/thesis/chapters/long.tex';
const documentText = chapter(2000, 0, 100);
const project = { root: document, documents: [document], bibliographies: [bibFile] };

console.log(`integrity: .bib of ${papers.length} entries (${(bibText.length / 1e6).toFixed(1)} MB), chapter of 2,000 lines citing ${cited.length} keys`);
row('integrity: check, cold (index the 10k .bib and the chapter, then check)', repeat(7, () => {
  const index = new WorkspaceIndex();
  index.set(bibFile, bibText);
  index.set(document, documentText);
  citationDiagnostics(index, project, document);
}), 'ms');

const warm = new WorkspaceIndex();
warm.set(bibFile, bibText);
let edit = 0;
row('integrity: check after an edit of the chapter (10k .bib indexed)', repeat(41, () => {
  warm.set(document, `${documentText}% edit ${edit++}\n`);
  citationDiagnostics(warm, project, document);
}), 'ms', 50);
row('integrity: — of which finding the chapter\'s citations (documents layer)', repeat(41, () => findCitations(documentText, 'latex')), 'ms');
row('integrity: — of which the check itself (chapter and .bib indexed)', repeat(41, () => citationDiagnostics(warm, project, document)), 'ms');
const findings = citationDiagnostics(warm, project, document);
console.log(`integrity: ${findings.filter((d) => d.code === 'undefined-key').length} undefined keys found in the chapter`);
row('integrity: whole project check with the reader\'s problems of the 10k .bib (paperlens check)', repeat(5, () => {
  const index = new WorkspaceIndex();
  index.set(bibFile, bibText);
  index.set(document, documentText);
  projectDiagnostics(index, project);
}), 'ms');

// The Library's unused filter asks on each pause in typing; Remove Unused Entries also computes the removal edits.
let unusedCount = 0;
row('integrity: unused entries of the 10k .bib with their removal edits (chapter edited, .bib indexed)', repeat(21, () => {
  warm.set(document, `${documentText}% edit ${edit++}\n`);
  unusedCount = unusedEntries(warm, project).entries.length;
}), 'ms');
console.log(`integrity: ${unusedCount} unused entries`);

// 200 workspace files: 150 LaTeX and 48 Markdown chapters of 300 lines, the 10k .bib and a small one.
const workspaceFiles = new Map([[bibFile, bibText], ['/thesis/bib/extra.bib', papers.slice(0, 300).map((paper) => renderBibtex(paper)).join('\n')]]);
for (let i = 0; i < 150; i++) workspaceFiles.set(`/thesis/chapters/c${i}.tex`, chapter(300, i * 11));
for (let i = 0; i < 48; i++) workspaceFiles.set(`/thesis/notes/n${i}.md`, markdownChapter(300, i * 13));
const key = cited[42];
const indexAll = () => {
  const index = new WorkspaceIndex();
  for (const [file, text] of workspaceFiles) index.set(file, text);
  return index;
};
let uses = 0;
row('integrity: references across 200 files, cold (parse the files naming the key, then find)', repeat(5, () => {
  uses = findReferences(indexAll(), key).length;
}), 'ms');
console.log(`integrity: ${uses} references of ${key} in ${workspaceFiles.size} files`);
const index = indexAll();
findReferences(index, key);
let step = 0;
const touch = () => index.set('/thesis/chapters/c7.tex', `${workspaceFiles.get('/thesis/chapters/c7.tex')}% ${step++}\n`);
row('integrity: references across 200 files (indexed; one file edited)', repeat(41, () => {
  touch();
  findReferences(index, key);
}), 'ms', 500);
row('integrity: rename across 200 files (indexed; one file edited)', repeat(41, () => {
  touch();
  renameKey(index, key, `${key}renamed`);
}), 'ms', 500);
row('integrity: rename across 200 files, cold', repeat(5, () => {
  renameKey(indexAll(), key, `${key}renamed`);
}), 'ms');
