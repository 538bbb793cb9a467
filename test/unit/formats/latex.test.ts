import { describe, expect, it } from 'vitest';
import { latexToUnicode, unicodeToBibtex } from '../../../src/core/formats/latex';

describe('latexToUnicode', () => {
  it.each([
    ['{\\"u}ber', 'über'],
    ['\\"{U}ber', 'Über'],
    ["Montr{\\'e}al", 'Montréal'],
    ["{\\'\\i}", 'í'],
    ['Ko\\v{c}i', 'Koči'],
    ['{\\c c}a', 'ça'],
    ['Stra\\ss e', 'Straße'],
    ['{\\o}ystein {\\AA}se', 'øystein Åse'],
    ['Sanskrit \\& Digital', 'Sanskrit & Digital'],
    ['50\\% \\$ \\# \\_', '50% $ # _'],
    ['pages 1--20', 'pages 1–20'],
    ['yes---no', 'yes—no'],
    ['{\\textit X}', 'X'],
    ['{\\bf mode\\_def\\/} settings', 'mode_def settings'],
    ['\\emph{deep} learning', 'deep learning'],
    ['10~January', '10 January'],
    ['The {B}ook of {TUG}', 'The Book of TUG'],
    ['BpHigh at \\{WASSA\\} 2023', 'BpHigh at {WASSA} 2023'],
    ['$\\alpha$-test of $O(n^2)$', 'α-test of O(n²)'],
    ['$x_{ij}^{n+1}$ and $x^{ab}$', 'xᵢⱼⁿ⁺¹ and x^ab'],
    ['Faust. Der Trag{\\" o}die', 'Faust. Der Tragödie'],
    ['a\\begin{it}b\\end{it}c', 'abc'],
    ['\\ElsevierGlyph{2014}', '—'],
    ['DVIto\\kern-.15em VDU', 'DVIto VDU'],
    ['Class-based $n$-gram models', 'Class-based n-gram models'],
    ['$10.3 Trillion', '$10.3 Trillion'],
    ['``stream of consciousness\'\'', '“stream of consciousness”'],
    ['{\\TeX} on the HP-1000', 'TeX on the HP-1000'],
    ['Bugs in \\MF ware', 'Bugs in Metafontware'],
    ['A multilingual {\\mtex}', 'A multilingual mtex'],
    ['The \\mtex\\ system', 'The mtex system'],
    ['Bitmaps with {\\ssf BM2FONT} and {\\SMC SGML}', 'Bitmaps with BM2FONT and SGML'],
    ['How to build a {\\tt\\bs strut}', 'How to build a \\strut'],
    ['1.3\\textmu{}m, methodology\\hyphen independent, $Y \\setminus \\{y\\}$', '1.3µm, methodology-independent, Y ∖{y}'],
    ['\\url{http://a.org/~c--d}', 'http://a.org/~c--d'],
    ['\\href{http://x.org}{the text}', 'the text'],
    ['\\mkbibquote{Hi}', '“Hi”'],
    ['1{\\textendash}20', '1–20'],
    ['Two\n                 lines', 'Two lines'],
    ['  padded  ', 'padded'],
    ['\\textbf{never closed', 'never closed'],
    ['\\url{http://never.closed', 'http://never.closed'],
    // Negative crystal indices: \bar is the macron accent, \overline a bar over its whole argument.
    ['GaN(000\\bar{1})', 'GaN(0001\u0304)'],
    ['{${\\rm GaN}(000\\bar{1})$}', 'GaN(0001\u0304)'],
    ['(000{$\\overline{1}$}) and $\\overline{AB}$', '(0001\u0305) and A\u0305B\u0305'],
    ['{$<$}001{$\\overline{}>$}', '<001>'],
    ['$\\hat{x}$, $\\vec{v}$ and $D\\bar{D}$', 'x\u0302, v\u20D7 and DD\u0304'],
    ['$\\hat{x_1}$ and $\\bar{\\alpha}$', 'x\u0302\u2081 and \u1FB1'],
    ['Space\\hspace{1em}Quad and x\\hspace*{ 2pt }y', 'Space Quad and x y'],
    ['location--\\hspace{0pt}allocation', 'location–allocation'],
    ['one\\vspace{2pt}two', 'onetwo'],
    ["Ragnhei{\\d}ur Bogad\\'{o}ttir", 'Ragnheiður Bogadóttir'],
    ['{Pre\\d}post and \\d{o}', 'Preðpost and ọ'],
    ['Franc{\\ocirc{u}}', 'Franců'],
    ['\\"Living Hell\\": Na\\"ive \\"{\\i} \\"Ubel \\"{y}', '"Living Hell": Naïve ï Übel ÿ'],
    ['from $4 million to $155 million', 'from $4 million to $155 million'],
    ['between $1 and $2', 'between $1 and $2'],
    ['$x$ then $10$', 'x then 10'],
  ])('%s → %s', (latex, unicode) => {
    expect(latexToUnicode(latex)).toBe(unicode);
  });

  it('returns plain text untouched, hyphens and apostrophes included', () => {
    const plain = "Evaluating Neural Word-Embeddings for Sanskrit's Pāṇini";
    expect(latexToUnicode(plain)).toBe(plain);
  });
});

describe('unicodeToBibtex', () => {
  it('escapes the BibTeX specials', () => {
    expect(unicodeToBibtex('A & B: 50% of $5 #1 my_var {x} \\ ~ ^')).toBe(
      'A \\& B: 50\\% of \\$5 \\#1 my\\_var \\{x\\} \\textbackslash{} \\textasciitilde{} \\textasciicircum{}',
    );
  });

  it.each([
    'A & B: 50% of $5 #1 my_var {x} \\ ~ ^',
    'pages 1--2 and 1---2',
    "``quoted'' text",
    'Über Straße – naïve',
  ])('reads back unchanged: %s', (text) => {
    expect(latexToUnicode(unicodeToBibtex(text))).toBe(text);
  });
});
