import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignKeys } from '../../../src/core/citekey';
import { readBibtex, scanBibtexKeys } from '../../../src/core/formats/bibtex';
import { corpusPath } from '../corpora';

const corpora = corpusPath();
const read = (relative: string): string => readFileSync(path.join(corpora, relative), 'utf8');

describe('readBibtex: entries', () => {
  const text = [
    '% a comment line before the first entry',
    '@Article{Vaswani2017,',
    '  Title = {Attention Is All You {Need}},',
    '  author = "Vaswani, Ashish and Shazeer, Noam",',
    '  journal = {Advances in Neural Information Processing Systems},',
    '  date = {2017-12-04},',
    '  doi = {https://doi.org/10.5555/3295222.3295349},',
    '  url = {https://arxiv.org/abs/1706.03762},',
    '  abstract = {The dominant sequence transduction models \\ldots{} are based on',
    '              recurrent networks.},',
    '}',
    '',
    'Free text between entries, even with an e-mail@example.org address.',
    '@misc(paren-entry, title = "Parenthesised", year = 1999)',
  ].join('\n');

  it('reads fields, display text and origin', () => {
    const { papers, problems } = readBibtex(text, 'refs.bib');
    expect(problems).toEqual([]);
    expect(papers.map((p) => p.key)).toEqual(['Vaswani2017', 'paren-entry']);
    const [paper] = papers;
    expect(paper.type).toBe('article');
    expect(paper.title).toBe('Attention Is All You Need');
    expect(paper.authors).toEqual([{ family: 'Vaswani', given: 'Ashish' }, { family: 'Shazeer', given: 'Noam' }]);
    expect(paper.year).toBe('2017');
    expect(paper.venue).toBe('Advances in Neural Information Processing Systems');
    expect(paper.doi).toBe('10.5555/3295222.3295349');
    expect(paper.url).toBe('https://arxiv.org/abs/1706.03762');
    expect(paper.abstract).toBe('The dominant sequence transduction models … are based on recurrent networks.');
    expect(paper.fields.title).toBe('Attention Is All You {Need}');
    expect(paper.origin).toEqual({ file: 'refs.bib', line: 2 });
    expect(papers[1]).toMatchObject({ type: 'misc', title: 'Parenthesised', year: '1999', origin: { line: 14 } });
  });

  it('reads CRLF and a BOM like LF', () => {
    const { papers, problems } = readBibtex(`\uFEFF${text.replace(/\n/g, '\r\n')}`, 'crlf.bib');
    expect(problems).toEqual([]);
    expect(papers.map((p) => [p.key, p.origin.line, p.title])).toEqual([
      ['Vaswani2017', 2, 'Attention Is All You Need'],
      ['paren-entry', 14, 'Parenthesised'],
    ]);
  });
});

describe('readBibtex: @string macros', () => {
  it('expands macros, # concatenation and bare months, and adds the file macros to the shared map', () => {
    const macros = new Map([['acm', 'Association for Computing Machinery']]);
    const text = [
      '@STRING{stoc = " Symposium on the Theory of Computing"}',
      '@string(and = " and ")',
      '@inproceedings{a,',
      '  author = "Aarts, Emile" #and# "Korst, Jan",',
      '  booktitle = "Proc. Fifteenth Annual " # ACM # stoc,',
      '  month = "10~" # jan, year = 1983,',
      '  title = {T}',
      '}',
    ].join('\n');
    const { papers, problems } = readBibtex(text, 'm.bib', { macros });
    expect(problems).toEqual([]);
    expect(papers[0].fields.booktitle).toBe('Proc. Fifteenth Annual Association for Computing Machinery Symposium on the Theory of Computing');
    expect(papers[0].fields.month).toBe('10~January');
    expect(papers[0].authors.map((a) => a.family)).toEqual(['Aarts', 'Korst']);
    expect(macros.get('stoc')).toBe(' Symposium on the Theory of Computing');
    expect(macros.get('and')).toBe(' and ');
  });

  it('reports an undefined macro and keeps its name as text', () => {
    const { papers, problems } = readBibtex('@article{k,\n  title = {T},\n  journal = IEEE_TEC,\n}\n', 'u.bib');
    expect(papers[0].venue).toBe('IEEE_TEC');
    expect(problems).toEqual([{ file: 'u.bib', line: 1, message: '@article{k: undefined @string macro IEEE_TEC (kept as text)' }]);
  });
});

describe('readBibtex: malformed entries cost only themselves', () => {
  const good = (key: string): string => `@misc{${key},\n  title = {Good ${key}},\n}\n`;

  const cases: [string, string, { line: number; message: string }][] = [
    [
      'a missing comma',
      '@article{bad,\n  title = {Bad}\n  author = {Doe, J.},\n}\n',
      { line: 2, message: "@article{bad: missing ',' after field 'title' (found 'a'); skipped" },
    ],
    [
      'an unclosed brace in a value that swallows the entry end',
      '@article{bad,\n  title = {Bad {title},\n  year = 2000,\n}\n',
      { line: 2, message: "@article{bad, field 'title': unbalanced '{' (the value runs into the fields after it); skipped" },
    ],
    [
      'an unclosed brace in the last value',
      '@article{bad,\n  title = {Bad {title}\n',
      { line: 2, message: "@article{bad, field 'title': value is not terminated (unbalanced braces); skipped" },
    ],
    [
      'an unterminated quoted value',
      '@article{bad,\n  title = "Bad title,\n  year = 2000,\n}\n',
      { line: 2, message: "@article{bad, field 'title': value is not terminated (unbalanced quote or braces); skipped" },
    ],
    [
      'a missing closing brace',
      '@article{bad,\n  title = {Bad},\n  year = 2000\n',
      { line: 3, message: "@article{bad: entry is not closed (missing '}' after field 'year'); skipped" },
    ],
    [
      'a field without =',
      '@article{bad,\n  title {Bad},\n}\n',
      { line: 2, message: "@article{bad: expected '=' after field 'title', found '{'; skipped" },
    ],
    [
      'an @string without =',
      '@string{foo "bar"}\n',
      { line: 1, message: "@string{foo: expected '=' after the macro name; skipped" },
    ],
    [
      'junk without a type',
      '@{WASSA,\n}\n',
      { line: 1, message: '@{WASSA: entry has no type; skipped' },
    ],
  ];

  it.each(cases)('%s', (_name, bad, problem) => {
    const { papers, problems } = readBibtex(`${good('before')}\n${bad}${good('after')}`, 'bad.bib');
    expect(papers.map((p) => p.key)).toEqual(['before', 'after']);
    expect(problems).toEqual([{ file: 'bad.bib', line: problem.line + 4, message: problem.message }]);
  });

  it.each(cases)('%s, in a file whose entries are indented', (_name, bad, problem) => {
    const indent = (text: string): string => text.replace(/^(?=.)/gm, '    ');
    const { papers, problems } = readBibtex(indent(`${good('before')}\n${bad}${good('after')}${good('last')}`), 'bad.bib');
    expect(papers.map((p) => p.key)).toEqual(['before', 'after', 'last']);
    expect(problems).toEqual([{ file: 'bad.bib', line: problem.line + 4, message: problem.message }]);
  });

  it('reads a value with a line starting with @ that opens no entry', () => {
    const { papers, problems } = readBibtex('@misc{a,\n  note = {Write to\n@ the office},\n}\n', 'at.bib');
    expect(problems).toEqual([]);
    expect(papers[0].fields.note).toBe('Write to\n@ the office');
  });

  it('reports a value left open at the end of the file', () => {
    const { papers, problems } = readBibtex(`${good('before')}@article{bad,\n  title = {Bad`, 'eof.bib');
    expect(papers.map((p) => p.key)).toEqual(['before']);
    expect(problems).toEqual([
      { file: 'eof.bib', line: 5, message: "@article{bad, field 'title': value is not terminated before the end of the file; skipped" },
    ]);
  });

  it('keeps the first of duplicate keys and fields', () => {
    const text = '@misc{dup,\n  title = {First},\n  title = {Again},\n}\n@misc{dup,\n  title = {Second},\n}\n';
    const { papers, problems } = readBibtex(text, 'dup.bib');
    expect(papers.map((p) => p.title)).toEqual(['First']);
    expect(problems).toEqual([
      { file: 'dup.bib', line: 3, message: "@misc{dup: duplicate field 'title' (the first is kept)" },
      { file: 'dup.bib', line: 5, message: '@misc{dup: duplicate key (first defined on line 1); skipped' },
    ]);
  });

  it('keeps every entry of a repeated key for a corpus file, without a problem (the library tells them apart)', () => {
    const text = '@misc{dup,\n  title = {First},\n}\n@misc{dup,\n  title = {Second},\n}\n';
    const { papers, problems } = readBibtex(text, 'dup.bib', { keepRepeatedKeys: true });
    expect(papers.map((p) => [p.key, p.title, p.origin.line])).toEqual([['dup', 'First', 1], ['dup', 'Second', 4]]);
    expect(problems).toEqual([]);
  });

  it('skips an entry commented out with % and its fields', () => {
    const text = '% @misc{old,\n%   title = {Old},\n% }\n' + good('kept');
    expect(readBibtex(text, 'pc.bib')).toMatchObject({ papers: [{ key: 'kept', origin: { line: 4 } }], problems: [] });
    expect(scanBibtexKeys(text)).toEqual([{ key: 'kept', line: 4 }]);
  });

  it('reads entries without a key (`@article{,` and EndNote\'s key-less `@article{`) for the library to name', () => {
    const text = `${good('before')}@article{,\n  author = {Doe, Jane},\n  title = {Graph Theory},\n  year = 1999\n}\n` +
      '@article{\n  author = {Roe, Richard},\n  title = {The Theory of Graphs},\n  year = 2001\n}\n' + good('after');
    const { papers, problems } = readBibtex(text, 'keyless.bib');
    expect(papers.map((p) => [p.key, p.title, p.origin.line])).toEqual([
      ['before', 'Good before', 1], ['', 'Graph Theory', 4], ['', 'The Theory of Graphs', 9], ['after', 'Good after', 14],
    ]);
    expect(problems).toEqual([
      { file: 'keyless.bib', line: 4, message: '@article{: entry has no key; one will be assigned' },
      { file: 'keyless.bib', line: 9, message: '@article{: entry has no key; one will be assigned' },
    ]);
    assignKeys(papers, new Set(['before', 'after']));
    expect(papers.map((p) => p.key)).toEqual(['before', 'doe1999graph', 'roe2001theory', 'after']);
    expect(scanBibtexKeys(text).map((k) => k.key)).toEqual(['before', 'after']);
  });

  it('skips @comment and @preamble blocks, even with entries inside a comment', () => {
    const text = '@preamble{ "\\newcommand{\\noopsort}[1]{}" }\n@comment{ @misc{hidden, title = {No}} }\n' + good('kept');
    const { papers, problems } = readBibtex(text, 'c.bib');
    expect(papers.map((p) => p.key)).toEqual(['kept']);
    expect(problems).toEqual([]);
  });
});

describe('readBibtex: crossref and xref', () => {
  it('inherits from a parent defined later, maps a BibLaTeX parent title to booktitle, keeps own fields', () => {
    const text = [
      '@inproceedings{child, title = {Child}, author = {Doe, Jane}, crossref = {Proc2020}}',
      '@inproceedings{bibtex-style, title = {Other}, crossref = {proc2020}, year = 1999}',
      '@proceedings{proc2020, title = {Proceedings of Things}, year = 2020, publisher = {ACM}}',
    ].join('\n');
    const { papers, problems } = readBibtex(text, 'x.bib');
    expect(problems).toEqual([]);
    expect(papers[0]).toMatchObject({ venue: 'Proceedings of Things', year: '2020', title: 'Child' });
    expect(papers[0].fields).toEqual({
      title: 'Child', author: 'Doe, Jane', crossref: 'Proc2020', booktitle: 'Proceedings of Things', year: '2020', publisher: 'ACM',
    });
    expect(papers[1].year).toBe('1999');
  });

  it('gives an article the title of its periodical as journal title, not as its own title', () => {
    const text = '@periodical{e, title = {Foo}, subtitle = {Bar}, date = 2020}\n@article{f, crossref = {e}}';
    const [, article] = readBibtex(text, 'p.bib').papers;
    expect(article).toMatchObject({ title: '', venue: 'Foo: Bar', year: '2020' });
  });

  it('follows biblatex.def: a book\'s author is also the bookauthor, its titles the book titles, an mvbook\'s the main titles', () => {
    const text = [
      '@mvbook{works, author = {Kant, Immanuel}, title = {Gesammelte Schriften}, shorttitle = {GS}, date = 1900}',
      '@book{volume, crossref = {works}, volume = 5, title = {Kritik der praktischen Vernunft}}',
      '@inbook{part, crossref = {volume}, title = {Vorrede}, pages = {1--10}}',
      '@inbook{own, crossref = {volume}, title = {Einleitung}, author = {Doe, Jane}, booktitle = {Own Book}}',
    ].join('\n');
    const { papers, problems } = readBibtex(text, 'kant.bib');
    expect(problems).toEqual([]);
    const [, volume, part, own] = papers;
    expect(volume.fields).toEqual({
      crossref: 'works', volume: '5', title: 'Kritik der praktischen Vernunft', author: 'Kant, Immanuel', maintitle: 'Gesammelte Schriften', date: '1900',
    });
    expect(part.fields).toEqual({
      crossref: 'volume', title: 'Vorrede', pages: '1--10', author: 'Kant, Immanuel', bookauthor: 'Kant, Immanuel',
      booktitle: 'Kritik der praktischen Vernunft', volume: '5', maintitle: 'Gesammelte Schriften', date: '1900',
    });
    expect(part).toMatchObject({ title: 'Vorrede', venue: 'Kritik der praktischen Vernunft', year: '1900' });
    expect(own.fields).toMatchObject({ author: 'Doe, Jane', bookauthor: 'Kant, Immanuel', booktitle: 'Own Book' });
  });

  it("takes a proceedings' title as the booktitle even when the proceedings has a booktitle of its own", () => {
    const text = '@proceedings{cec, title = {Proceedings of CEC 2017}, booktitle = {CEC}, year = 2017, address = {San Sebastián}}\n' +
      '@inproceedings{paper, crossref = {cec}, title = {A Paper}, location = {Online}}\n@conference{talk, crossref = {cec}, title = {A Talk}}';
    const [, paper, talk] = readBibtex(text, 'cec.bib').papers;
    expect(paper.fields).toEqual({ crossref: 'cec', title: 'A Paper', location: 'Online', booktitle: 'Proceedings of CEC 2017', year: '2017' });
    expect(talk.venue).toBe('Proceedings of CEC 2017');
  });

  it('passes nothing on through xref, and finds a crossref target by one of its ids aliases', () => {
    const text = '@book{parent, ids = {old-key, older}, title = {Parent}, publisher = {P}, year = 2001}\n' +
      '@inbook{by-xref, xref = {parent}, title = {X}}\n@inbook{by-alias, crossref = {OLDER}, title = {Y}}';
    const { papers, problems } = readBibtex(text, 'ids.bib');
    expect(problems).toEqual([]);
    expect(papers[1].fields).toEqual({ xref: 'parent', title: 'X' });
    expect(papers[2].fields).toEqual({ crossref: 'OLDER', title: 'Y', booktitle: 'Parent', publisher: 'P', year: '2001' });
  });

  it('keeps a child\'s own date and its BibTeX-named fields (journal, address) over the parent\'s BibLaTeX ones', () => {
    const text = '@periodical{j, title = {Journal}, journaltitle = {Other}, date = {2004-03}, location = {Berlin}}\n' +
      '@article{a, crossref = {j}, journal = {J. Own}, year = 1999, address = {Paris}}';
    const [, article] = readBibtex(text, 'j.bib').papers;
    expect(article.fields).toEqual({ crossref: 'j', journal: 'J. Own', year: '1999', address: 'Paris' });
    expect(article).toMatchObject({ venue: 'J. Own', year: '1999' });
  });

  it('strips any DOI resolver prefix', () => {
    const text = '@misc{a, title = {A}, doi = {https://www.doi.org/10.1/X\\_y}}\n@misc{b, title = {B}, doi = {dx.doi.org/10.2/z}}';
    expect(readBibtex(text, 'doi.bib').papers.map((p) => p.doi)).toEqual(['10.1/X_y', '10.2/z']);
  });

  it('adds no ": " for an empty subtitle, of the title or of the venue', () => {
    const text = '@inproceedings{a, title = {Main}, subtitle = {}, booktitle = {Proc}, booksubtitle = {{}}}\n' +
      '@article{b, title = {Main}, subtitle = {Sub}, journaltitle = {J}, journalsubtitle = { }}';
    expect(readBibtex(text, 's.bib').papers.map((p) => [p.title, p.venue])).toEqual([['Main', 'Proc'], ['Main: Sub', 'J']]);
  });

  it('takes the year from a BibLaTeX date before the year field', () => {
    expect(readBibtex('@misc{b, title = {T}, date = {2016-12-13}, year = 2017}', 'd.bib').papers[0].year).toBe('2016');
  });

  it('reports missing targets and cycles without hanging', () => {
    const text = [
      '@book{a, title = {A}, crossref = {b}}',
      '@book{b, title = {B}, crossref = {a}}',
      '@book{c, title = {C}, xref = {nowhere}}',
      '@book{d, title = {D}, crossref = {d}}',
    ].join('\n');
    const { papers, problems } = readBibtex(text, 'cyc.bib');
    expect(papers).toHaveLength(4);
    expect(problems).toEqual([
      { file: 'cyc.bib', line: 2, message: '@book{b: crossref cycle a → b → a; not inherited' },
      { file: 'cyc.bib', line: 3, message: "@book{c: xref target 'nowhere' not found" },
      { file: 'cyc.bib', line: 4, message: '@book{d: crossref cycle d → d; not inherited' },
    ]);
  });
});

describe('readBibtex on pathological text', () => {
  it('skips an entry whose markup nests deeper than the stack, keeping the others', () => {
    const deep = `${'\\"{'.repeat(20_000)}u${'}'.repeat(20_000)}`;
    const { papers, problems } = readBibtex(`@misc{a, title = {A}}\n@misc{deep, title = {${deep}}}\n@misc{b, title = {B}}\n`, 'deep.bib');
    expect(papers.map((p) => p.key)).toEqual(['a', 'b']);
    expect(problems).toEqual([{ file: 'deep.bib', line: 2, message: '@misc{deep: could not be read (Maximum call stack size exceeded); skipped' }]);
  });

  it('stops following a crossref chain longer than any real one, without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `@misc{k${i}, title = {T${i}}, crossref = {k${i + 1}}, note = {N${i}}}`);
    const { papers, problems } = readBibtex(chain.join('\n'), 'chain.bib');
    expect(papers).toHaveLength(20_000);
    expect(problems[0]).toEqual({ file: 'chain.bib', line: 32, message: '@misc{k31: crossref chain more than 32 entries deep; not inherited' });
    expect(problems.at(-1)!.message).toBe("@misc{k19999: crossref target 'k20000' not found");
    expect(papers[0].fields.note).toBe('N0');
  });
});

describe('readBibtex on a file written as one line', () => {
  const entry = (index: number): string =>
    `@article{key${index}, author = {Doe, Jane and von Neumann, John}, title = {Graphs, Part ${index}}, ` +
    `note = {Write to ${index % 5 === 0 ? 'someone@example.org' : 'us'}}, year = ${1950 + (index % 70)}}`;
  const count = 3000;
  const oneLine = Array.from({ length: count }, (_, index) => entry(index)).join(' ');

  it('reads every entry of a few thousand on one line, each from line 1', () => {
    const { papers, problems } = readBibtex(oneLine, 'oneline.bib');
    expect(problems).toEqual([]);
    expect(papers).toHaveLength(count);
    expect(papers.map((p) => p.key)).toEqual(Array.from({ length: count }, (_, index) => `key${index}`));
    expect(papers[2999]).toMatchObject({
      title: 'Graphs, Part 2999', year: '2009', authors: [{ family: 'Doe', given: 'Jane' }, { family: 'Neumann', given: 'John', prefix: 'von' }],
      origin: { file: 'oneline.bib', line: 1 },
    });
    expect(papers[5].fields.note).toBe('Write to someone@example.org');
    expect(scanBibtexKeys(oneLine).map((k) => [k.key, k.line])).toEqual(papers.map((p) => [p.key, 1]));
  });

  it('resumes after an unclosed brace at the next entry on the same line', () => {
    const text = `${entry(0)} @article{bad, title = {Never closed, year = 2000} ${entry(1)} ${entry(2)}`;
    const { papers, problems } = readBibtex(text, 'open.bib');
    expect(papers.map((p) => p.key)).toEqual(['key0', 'key1', 'key2']);
    expect(problems).toEqual([
      // The brace closes at the entry's end, so the value runs on and the next entry's '@' is where a comma belongs.
      { file: 'open.bib', line: 1, message: "@article{bad: missing ',' after field 'title' (found '@'); skipped" },
    ]);
  });

  it('decides per line whether it is commented out: a % line of many entries between two long lines', () => {
    const text = `${entry(0)} ${entry(1)}\n  % ${entry(2)} ${entry(3)}\n${entry(4)} ${entry(5)}`;
    const { papers, problems } = readBibtex(text, 'lines.bib');
    expect(problems).toEqual([]);
    expect(papers.map((p) => [p.key, p.origin.line])).toEqual([['key0', 1], ['key1', 1], ['key4', 3], ['key5', 3]]);
    expect(scanBibtexKeys(text)).toEqual([{ key: 'key0', line: 1 }, { key: 'key1', line: 1 }, { key: 'key4', line: 3 }, { key: 'key5', line: 3 }]);
  });

  it('loses only the malformed entry of a line, and reports a later line\'s problem at its line', () => {
    const text = `${entry(0)} @article{bad, title = {x} year = 2000} ${entry(1)}\n\n@misc{b, title = {B}, title = {Again}}`;
    const { papers, problems } = readBibtex(text, 'err.bib');
    expect(papers.map((p) => p.key)).toEqual(['key0', 'key1', 'b']);
    expect(problems).toEqual([
      { file: 'err.bib', line: 1, message: "@article{bad: missing ',' after field 'title' (found 'y'); skipped" },
      { file: 'err.bib', line: 3, message: "@misc{b: duplicate field 'title' (the first is kept)" },
    ]);
  });
});

describe('readBibtex on damaged text', () => {
  it('never throws on xampl.bib cut short or with a character deleted, and keeps every intact entry before the damage', () => {
    const text = read('edge/xampl.bib');
    const lines = text.split('\n').length;
    const complete = readBibtex(text, 'xampl.bib').papers;
    for (let cut = 0; cut < text.length; cut += 37) {
      for (const damaged of [text.slice(0, cut), text.slice(0, cut) + text.slice(cut + 1)]) {
        const { papers, problems } = readBibtex(damaged, 'damaged.bib');
        for (const problem of problems) expect(problem.line).toBeGreaterThanOrEqual(1);
        for (const problem of problems) expect(problem.line).toBeLessThanOrEqual(lines);
        const intact = complete.filter((p) => text.indexOf('\n}', text.indexOf(`{${p.key},`)) + 2 < cut && !p.fields.crossref);
        expect(papers.map((p) => p.key)).toEqual(expect.arrayContaining(intact.map((p) => p.key)));
      }
    }
  });
});

describe('readBibtex on real files', () => {
  it('ACL anthology: reports the junk entries with their lines and reads the rest', () => {
    const { papers, problems } = readBibtex(read('large/acl-anthology.bib'), 'acl.bib');
    expect(papers).toHaveLength(88_131);
    expect(problems).toHaveLength(405);
    expect(problems[0]).toEqual({ file: 'acl.bib', line: 1358, message: '@{WASSA: entry has no type; skipped' });
    expect(problems).toContainEqual({
      file: 'acl.bib', line: 1057743, message: '@tt{S_284ebcfecd1011eebd08f0d4152957ac: entry has no fields; skipped',
    });
    const pahwa = papers.find((p) => p.key === 'pahwa-2023-bphigh')!;
    expect(pahwa.title).toBe('BpHigh at {WASSA} 2023: Using Contrastive Learning to build Sentence Transformer models for Multi-Class Emotion Classification in Code-mixed Urdu');
    expect(pahwa.venue).toBe('Proceedings of the 13th Workshop on Computational Approaches to Subjectivity, Sentiment, & Social Media Analysis');
    expect(pahwa.fields.month).toBe('jul');
  });

  it('crossref_cascading_cycle.bib: the cycle is one problem, both entries kept', () => {
    const file = 'edge/bibtex-tidy-fixtures/python-bibtexparser/crossref_cascading_cycle.bib';
    const { papers, problems } = readBibtex(read(file), file);
    expect(papers.map((p) => p.key)).toEqual(['circ1', 'circ2']);
    expect(problems).toEqual([{ file, line: 11, message: '@book{circ2: crossref cycle circ1 → circ2 → circ1; not inherited' }]);
  });

  it('article_missing_coma.bib: no comma after the last field is valid BibTeX', () => {
    const file = 'edge/bibtex-tidy-fixtures/python-bibtexparser/article_missing_coma.bib';
    const { papers, problems } = readBibtex(read(file), file);
    expect(problems).toEqual([]);
    expect(papers.map((p) => [p.key, p.year, p.fields.month])).toEqual([
      ['Cesar2013', '2013', undefined], ['Baltazar2013', '2013', undefined], ['Aimar2013', '2013', 'january'], ['Doute2013', '2013', undefined],
    ]);
  });

  it('simple-search-library.bib (JabRef): entries with an empty key are kept for the library to name', () => {
    const file = 'edge/jabref-testbib/simple-search-library.bib';
    const { papers, problems } = readBibtex(read(file), file);
    expect(papers).toHaveLength(16);
    expect(papers.every((p) => p.key === '')).toBe(true);
    expect(problems[0]).toEqual({ file, line: 1, message: '@article{: entry has no key; one will be assigned' });
    expect(problems).toHaveLength(16);
  });

  it('endnote.txt: an entry whose first field sits where the key belongs is read without a key, and reported', () => {
    const file = 'edge/bibtex-tidy-fixtures/bibtex-perl-libs/endnote.txt';
    const { papers, problems } = readBibtex(read(file), file);
    expect(papers.map((p) => [p.key, p.fields])).toEqual([['', { volume: '59', number: '6', year: '1999' }]]);
    expect(problems).toEqual([{ file, line: 1, message: '@article{: entry has no key; one will be assigned' }]);
    expect(scanBibtexKeys(read(file))).toEqual([]);
  });

  it('different delimiters.bib: an entry opened with { and closed with ) is reported', () => {
    const file = 'edge/citation-js-plugin-bibtex/input/different delimiters.bib';
    const { papers, problems } = readBibtex(read(file), file);
    expect(papers.map((p) => p.key)).toEqual(['a']);
    expect(problems).toEqual([{ file, line: 10, message: "@book{b: entry opened with '{' is closed with ')'; skipped" }]);
  });

  it('xampl.bib: macros, "10~" # jan, crossref to an upper-cased key', () => {
    const { papers, problems } = readBibtex(read('edge/xampl.bib'), 'xampl.bib');
    expect(problems).toEqual([]);
    const byKey = new Map(papers.map((p) => [p.key, p]));
    expect(byKey.get('inbook-full')!.fields.month).toBe('10~January');
    // As biber resolves it: the proceedings' title is the booktitle, though the proceedings has a booktitle of its own.
    expect(byKey.get('inproceedings-crossref')!.venue).toBe('Proc. Fifteenth Annual Symposium on the Theory of Computing');
    expect(byKey.get('inproceedings-crossref')!.fields.organization).toBe('');
    expect(byKey.get('article-crossref')).toMatchObject({ venue: "G-Animal's Journal", year: '1986' });
    expect(byKey.get('article-crossref')!.fields.month).toBe('July');
  });

  it('biblatex-examples.bib: dates, subtitles and a crossref to a collection defined later', () => {
    const { papers, problems } = readBibtex(read('edge/biblatex-examples.bib'), 'biblatex-examples.bib');
    expect(problems).toEqual([]);
    const space = papers.find((p) => p.key === 'westfahl:space')!;
    expect(space).toMatchObject({
      title: 'The True Frontier: Confronting and Avoiding the Realities of Space in American Science Fiction Films',
      year: '2000',
      venue: 'Space and Beyond: The Frontier Theme in Science Fiction',
      editors: [{ family: 'Westfahl', given: 'Gary' }],
      origin: { line: 10 },
    });
    expect(space.fields.subtitle).toBe('Confronting and Avoiding the Realities of Space in {American}\n                  Science Fiction Films');
    expect(space.fields.publisher).toBe('Greenwood');
  });

  it('Better BibTeX import fixtures: negative crystal indices, an accent with nothing under it, \\ocirc', () => {
    const titles = readBibtex(read('edge/bibtex-tidy-fixtures/better-bibtex/Overline_during_Import_1467.bib'), 'o.bib').papers
      // Spaces inside math (`$\\left( 000\\bar{1} \\right)$`) are kept; the bars are what this checks.
      .map((p) => p.title.match(/\([^)]*\)/)?.[0].replace(/ /g, ''));
    expect(titles).toEqual(['(0001\u0304)', '(0001\u0304)', '(112\u03042)', '(In,Ga)', '(0001\u0304)', '(0001\u0305)', '(0001\u0305)', '(0001)']);
    const bogadottir = readBibtex(read('edge/bibtex-tidy-fixtures/better-bibtex/BBT_does_not_import_groups_from_JabRef_5.1_1641.bib'), 'b.bib');
    expect(bogadottir.papers[0].authors).toEqual([{ family: 'Bogadóttir', given: 'Ragnheiður' }]);
    const francu = readBibtex(read('edge/bibtex-tidy-fixtures/better-bibtex/BibTeX_import;_preamble_with_def_create_problems_732.bib'), 'f.bib');
    expect(francu.papers[0].authors).toEqual([{ family: 'Franců', given: 'Jan' }, { family: 'Krejčí', given: 'Pavel' }]);
  });

  it("biber's crossrefs.bib: the inheritance biber's own tests check", () => {
    const file = 'edge/bibtex-tidy-fixtures/biber/crossrefs.bib';
    const { papers, problems } = readBibtex(read(file), file);
    const fields = (key: string): Record<string, string> => papers.find((p) => p.key === key)!.fields;
    expect(fields('cr7')).toEqual({
      author: 'Author, Firstname', crossref: 'cr7i', pages: '123--126', title: 'Title of Book bit', year: '2010',
      bookauthor: 'Brian Bookauthor', booktitle: 'Book Title', booksubtitle: 'Book Subtitle', booktitleaddon: 'Book Titleaddon',
      publisher: 'Publisher of proceeding', verba: 'String',
    });
    expect(fields('cr8')).toMatchObject({ booktitle: 'Book Title', booksubtitle: 'Book Subtitle', editor: 'Brian Editor', year: '2010' });
    expect(fields('cr8').subtitle).toBeUndefined();
    expect(fields('cr6')).toMatchObject({ booktitle: 'Manual booktitle', eventtitle: 'Title of the event', venue: 'Location of event', author: 'Author, Firstname' });
    expect(fields('xr1')).toEqual({ author: 'Zoe Zentrum', title: 'Moods Mildly Modified', origdate: '1921', xref: 'xrm' });
    expect(fields('sup2')).toEqual({ note: 'Book sup2', crossref: 'sup1', maintitle: 'Title1', author: 'Alan Smith' });
    expect(fields('ccr3')).toEqual({ title: 'Perhaps, Perchance, Possibilities?', date: '1911', crossref: 'ccr2', booktitle: 'Misc etc.' });
    expect(fields('b1')).toEqual({ date: '2004-03-03', origdate: '2004-03', crossref: 'b2' });
    expect(problems).toEqual([
      { file, line: 194, message: "@inbook{mxr: xref target 'missing1' not found" },
      { file, line: 244, message: '@book{circ2: crossref cycle circ1 → circ3 → circ2 → circ1; not inherited' },
    ]);
  });

  it("biber's xdata.bib: @xdata blocks are no papers; their fields, by key or alias, reach the entries naming them", () => {
    const file = 'edge/bibtex-tidy-fixtures/biber/xdata.bib';
    const granular = '\n@book{g, author = {Doe, Jane and xdata=gxd2-author-2}, editor = {xdata=gxd2-editor}, title = {xdata=gxd4-title}, ' +
      'location = {xdata=gxd3-location-2}}\n@book{h, author = {xdata=gxd2-author}, editor = {xdata=gxd2-editor-3}, note = {xdata=nowhere-note}}\n';
    const { papers, problems } = readBibtex(read(file) + granular, file);
    expect(papers.map((p) => p.key)).toEqual(['xd1', 'xd2', 'xd3', 'lxd1', 'g', 'h']);
    const byKey = new Map(papers.map((p) => [p.key, p]));
    expect(byKey.get('xd1')!.fields).toEqual({
      author: 'Edward Ellington', date: '2007', xdata: 'macmillanalias, missingxd', publisher: 'Macmillan', location: 'New York and London', note: 'A Note',
    });
    expect(byKey.get('xd2')!.fields).toMatchObject({ publisher: 'Routledge', location: 'New York and London', note: 'A Note' });
    expect(byKey.get('xd3')!.fields.note).toBe('Note');
    expect(byKey.get('lxd1')!.fields).toEqual({ author: 'Simon Smith' });
    expect(byKey.get('g')).toMatchObject({
      title: 'Some title',
      authors: [{ family: 'Doe', given: 'Jane' }, { family: 'Anderson', given: 'Arthur' }],
      editors: [{ family: 'Wool', given: 'William' }, { family: 'Frill', given: 'Frank' }],
      fields: { location: 'C' },
    });
    expect(byKey.get('h')!.fields).toEqual({ author: 'Brian Bloom and Arthur Anderson' });
    expect(problems).toEqual([
      { file, line: 17, message: "@book{xd1: xdata entry 'missingxd' not found" },
      { file, line: 23, message: "@book{xd2: xdata entry 'bltxxd1' not found" },
      { file, line: 45, message: '@xdata{loop:3: xdata cycle loop → loop:2 → loop:3 → loop; not inherited' },
      { file, line: 73, message: "@xdata{lxd1:loop: xdata reference cycle through field 'author'; not resolved" },
      { file, line: 85, message: "@xdata{lxd4:loop: xdata reference cycle through field 'editor'; not resolved" },
      { file, line: 90, message: "@book{h: field 'editor': xdata reference 'gxd2-editor-3': @xdata{gxd2 has no item 3 in 'editor'; left out" },
      { file, line: 90, message: "@book{h: field 'note': xdata reference 'nowhere-note' names no @xdata entry; left out" },
    ]);
  });

  it('citation-js mapping fixtures: titles, names, years as citation-js maps them', () => {
    const { papers } = readBibtex(read('edge/citation-js-plugin-bibtex/mapping/biblatex-input.bib'), 'b.bib');
    const csl = JSON.parse(read('edge/citation-js-plugin-bibtex/mapping/biblatex-csl.json')) as {
      id: string; title?: string; author?: { family?: string; given?: string }[]; issued?: { 'date-parts': number[][] };
    }[];
    for (const item of csl) {
      const paper = papers.find((p) => p.key === item.id)!;
      expect(paper.title).toBe((item.title ?? '').replace(/<\/?[a-z]+>/g, ''));
      expect(paper.authors.map((a) => [a.family, a.given])).toEqual((item.author ?? []).map((a) => [a.family, a.given]));
      expect(paper.year).toBe(item.issued?.['date-parts'][0][0].toString());
    }
  });
});

describe('scanBibtexKeys', () => {
  it('finds every key with its line and DOI, skipping @string, @comment and junk', () => {
    const text = [
      '@string{x = "y"}',
      '@comment{nothing}',
      '@article{first,',
      '  doi = {https://doi.org/10.1/ABC},',
      '}',
      '@{WASSA,',
      '}',
      '@misc(second, title = {No DOI})',
    ].join('\n');
    expect(scanBibtexKeys(text)).toEqual([
      { key: 'first', line: 3, doi: '10.1/ABC' },
      { key: 'second', line: 8 },
    ]);
  });

  it('agrees with readBibtex on the keys of xampl.bib', () => {
    const text = read('edge/xampl.bib');
    expect(scanBibtexKeys(text).map((k) => [k.key, k.line])).toEqual(
      readBibtex(text, 'xampl.bib').papers.map((p) => [p.key, p.origin.line]),
    );
  });
});
