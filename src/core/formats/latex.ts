// LaTeX markup as found in BibTeX fields → Unicode display text, and plain Unicode → BibTeX-safe text.

/** Accent commands and the combining mark each puts on its argument. */
const ACCENTS: Record<string, string> = {
  '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', d: '\u0323', b: '\u0331', r: '\u030A', k: '\u0328',
  t: '\u0361',
};

/**
 * Accents written as control words: text (`\ocirc{u}` → ů) and math (`\hat{x}`, `\vec{v}`). `\bar` is TeX's macron
 * accent and `\overline` a bar over its whole argument; crystallography writes negative indices with either
 * (GaN(000\bar{1}) → GaN(0001̄)).
 */
const NAMED_ACCENTS: Record<string, string> = {
  ocirc: '\u030A', bar: '\u0304', overline: '\u0305', hat: '\u0302', widehat: '\u0302', tilde: '\u0303',
  widetilde: '\u0303', dot: '\u0307', ddot: '\u0308', check: '\u030C', breve: '\u0306', acute: '\u0301',
  grave: '\u0300', vec: '\u20D7',
};
/** Marks that run over the whole argument (`\overline{AB}` → A̅B̅), where other accents mark one letter. */
const SPANNING_MARKS = new Set(['\u0305']);

/**
 * An accent with nothing under it (`\~{}`) prints as the bare accent. `{\d}` alone is an exporter's slip for
 * `{\dh}` (ð), as in "Ragnhei{\d}ur".
 */
const BARE_ACCENTS: Record<string, string> = { '~': '~', '^': '^', '"': '"', "'": "'", '`': '`', d: 'ð' };
/** Letters that take a diaeresis; before any other `\"` is an escaped quote mark (`\"Living Hell\"`). */
const DIAERESIS_LETTERS = new Set('aeiouyAEIOUYı');

/** Control words that print text. Formatting commands are absent on purpose: they vanish, their argument stays. */
const SYMBOLS: Record<string, string> = {
  ss: 'ß', SS: 'SS', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', o: 'ø', O: 'Ø', l: 'ł', L: 'Ł',
  i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ', dj: 'đ', DJ: 'Đ',
  textendash: '–', textemdash: '—', textquoteright: '’', textquoteleft: '‘', textquotedblleft: '“',
  textquotedblright: '”', textquotedbl: '"', textquotesingle: "'", ldots: '…', dots: '…', textellipsis: '…',
  copyright: '©', textcopyright: '©', textregistered: '®', texttrademark: '™', pounds: '£', textsterling: '£',
  euro: '€', texteuro: '€', S: '§', textsection: '§', P: '¶', textparagraph: '¶', dag: '†', textdagger: '†',
  ddag: '‡', textdaggerdbl: '‡', textasciitilde: '~', textasciicircum: '^', textbackslash: '\\', textbar: '|',
  textless: '<', textgreater: '>', textunderscore: '_', textasciigrave: '`', textbullet: '•', textdegree: '°',
  textperiodcentered: '·', guillemotleft: '«', guillemotright: '»', guillemetleft: '«', guillemetright: '»',
  Dash: '—', textexclamdown: '¡', textquestiondown: '¿', slash: '/', textslash: '/', textnumero: '№',
  LaTeX: 'LaTeX', LaTeXe: 'LaTeX2e', TeX: 'TeX', BibTeX: 'BibTeX', MF: 'Metafont', MP: 'MetaPost',
  AmS: 'AMS', AMS: 'AMS', XeTeX: 'XeTeX', XeLaTeX: 'XeLaTeX', LuaTeX: 'LuaTeX', LuaLaTeX: 'LuaLaTeX',
  pdfTeX: 'pdfTeX', pdfLaTeX: 'pdfLaTeX', eTeX: 'e-TeX', ConTeXt: 'ConTeXt', SliTeX: 'SliTeX', PiCTeX: 'PiCTeX',
  // Math, so titles and abstracts stay readable.
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ',
  Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡',
  times: '×', cdot: '·', pm: '±', mp: '∓', div: '÷', infty: '∞', to: '→', rightarrow: '→', leftarrow: '←',
  Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔', mapsto: '↦', in: '∈',
  notin: '∉', subset: '⊂', subseteq: '⊆', supset: '⊃', supseteq: '⊇', cup: '∪', cap: '∩', emptyset: '∅',
  forall: '∀', exists: '∃', neg: '¬', wedge: '∧', land: '∧', vee: '∨', lor: '∨', partial: '∂', nabla: '∇',
  sum: '∑', prod: '∏', int: '∫', sqrt: '√', ell: 'ℓ', hbar: 'ℏ', circ: '∘', bullet: '•', star: '⋆',
  ast: '∗', prime: '′', langle: '⟨', rangle: '⟩', lfloor: '⌊', rfloor: '⌋', lceil: '⌈', rceil: '⌉',
  ll: '≪', gg: '≫', propto: '∝', cdots: '⋯', vdots: '⋮', ddots: '⋱', log: 'log', ln: 'ln', exp: 'exp',
  sin: 'sin', cos: 'cos', tan: 'tan', max: 'max', min: 'min', lim: 'lim', sup: 'sup', inf: 'inf',
  arg: 'arg', det: 'det', dim: 'dim', ker: 'ker', deg: 'deg', Pr: 'Pr', mid: '|', vert: '|', lvert: '|',
  rvert: '|', Vert: '‖', backslash: '\\', colon: ':', lbrace: '{', rbrace: '}', quad: ' ', qquad: ' ',
  space: ' ', enspace: ' ', thinspace: ' ', nobreakspace: ' ', textvisiblespace: '␣', newline: ' ', par: ' ',
  textmu: 'µ', surd: '√', setminus: '∖', bs: '\\', dash: '—', hyphen: '-',
};

/**
 * Formatting commands that print nothing themselves. Other unknown commands print their name when neither a braced
 * argument nor a space and more text follows (`{\mtex}` → "mtex", a macro from some @preamble), so a word is not
 * lost from a title.
 */
const SILENT = new Set([
  'bf', 'it', 'em', 'sl', 'sc', 'rm', 'tt', 'sf', 'up', 'md', 'normalfont', 'bfseries', 'itshape', 'slshape',
  'scshape', 'upshape', 'mdseries', 'rmfamily', 'sffamily', 'ttfamily', 'textbf', 'textit', 'emph', 'textsl',
  'textsc', 'textrm', 'textsf', 'texttt', 'textup', 'textmd', 'textnormal', 'text', 'mbox', 'hbox', 'fbox',
  'tiny', 'scriptsize', 'footnotesize', 'small', 'normalsize', 'large', 'Large', 'LARGE', 'huge', 'Huge', 'relax',
  'protect', 'noindent', 'nocorr', 'unskip', 'ignorespaces', 'mathrm', 'mathbf', 'mathit', 'mathcal', 'mathbb',
  'mathsf', 'mathtt', 'mathfrak', 'mathscr', 'boldsymbol', 'bm', 'operatorname', 'ensuremath', 'displaystyle',
  'textstyle', 'scriptstyle', 'left', 'right', 'big', 'Big', 'bigl', 'bigr', 'Bigl', 'Bigr', 'mkbibemph',
  'mkbibitalic', 'mkbibbold', 'textsuperscript', 'textsubscript', 'uppercase', 'lowercase', 'MakeUppercase',
  'MakeLowercase', 'allowbreak', 'nobreak', 'xspace', 'hfill', 'vfill', 'linebreak',
  'nolinebreak', 'penalty', 'smallskip', 'medskip', 'bigskip', 'strut', 'null', 'noopsort', 'natexlab', 'sortnoop',
]);

/** Commands whose argument is taken verbatim (URLs keep their `~` and `--`). */
const VERBATIM_ARGUMENT = new Set(['url', 'path', 'doi', 'nolinkurl']);
const CURLY_QUOTES: Record<string, [string, string]> = { mkbibquote: ['“', '”'], enquote: ['“', '”'] };

const SUPERSCRIPTS: Record<string, string> = {
  0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '+': '⁺', '-': '⁻', '=': '⁼',
  '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', T: 'ᵀ', '*': '*', '′': '′',
};
const SUBSCRIPTS: Record<string, string> = {
  0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉', '+': '₊', '-': '₋', '=': '₌',
  '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', o: 'ₒ', x: 'ₓ', h: 'ₕ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', p: 'ₚ', s: 'ₛ',
  t: 'ₜ', i: 'ᵢ', j: 'ⱼ', r: 'ᵣ', u: 'ᵤ', v: 'ᵥ',
};

const BACKSLASH = 92;
const CARET = 94;
const UNDERSCORE = 95;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const TILDE = 126;
const HYPHEN = 45;
const DOLLAR = 36;
const BACKTICK = 96;
const QUOTE = 39;
const SPACE = 32;
const STAR = 42;

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isWhitespace(code: number): boolean {
  return code === SPACE || code === 10 || code === 13 || code === 9;
}

/** True when `text` holds nothing latexToUnicode would change: most titles and names take this path. */
function isPlain(text: string): boolean {
  const length = text.length;
  if (length === 0) return true;
  if (text.charCodeAt(0) === SPACE || text.charCodeAt(length - 1) === SPACE) return false;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 126 || code < 33) {
      if (code === SPACE) {
        if (text.charCodeAt(i + 1) === SPACE) return false;
      } else if (code < 33) {
        return false;
      }
      continue;
    }
    if (code === BACKSLASH || code === OPEN_BRACE || code === CLOSE_BRACE || code === TILDE || code === DOLLAR ||
      code === BACKTICK) return false;
    if ((code === HYPHEN || code === QUOTE) && text.charCodeAt(i + 1) === code) return false;
  }
  return true;
}

/** Index just past the `}` closing the group that opens at `open`; an unclosed group ends as if closed after `end`. */
function groupEnd(text: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === OPEN_BRACE) depth++;
    else if (code === CLOSE_BRACE && --depth === 0) return i + 1;
  }
  return end + 1;
}

/** Index after a TeX dimension such as `-.15em` (the argument of `\kern`). */
function skipDimension(text: string, from: number, end: number): number {
  const match = /^[-+]?(?:\d+\.?\d*|\.\d+)\s*(?:em|ex|pt|bp|mm|cm|in|pc|sp|dd|cc|mu)/.exec(text.slice(from, Math.min(end, from + 24)));
  return match ? from + match[0].length : from;
}

class Converter {
  /** Set when a combining accent was emitted, so the result needs NFC composition. */
  combined = false;

  constructor(private readonly text: string) {}

  convert(start: number, end: number, math: boolean): string {
    const text = this.text;
    let out = '';
    let runStart = start;
    let i = start;
    while (i < end) {
      const code = text.charCodeAt(i);
      let replacement: string;
      let next: number;
      if (code === BACKSLASH) {
        [replacement, next] = this.command(i, end, math);
      } else if (code === OPEN_BRACE || code === CLOSE_BRACE) {
        replacement = '';
        next = i + 1;
      } else if (code === TILDE) {
        replacement = ' ';
        next = i + 1;
      } else if (code === HYPHEN && !math && text.charCodeAt(i + 1) === HYPHEN) {
        next = i;
        while (next < end && text.charCodeAt(next) === HYPHEN) next++;
        const run = next - i;
        replacement = run === 2 ? '–' : run === 3 ? '—' : text.slice(i, next);
      } else if (code === BACKTICK && text.charCodeAt(i + 1) === BACKTICK) {
        replacement = '“';
        next = i + 2;
      } else if (code === QUOTE && text.charCodeAt(i + 1) === QUOTE) {
        replacement = '”';
        next = i + 2;
      } else if ((code === CARET || code === UNDERSCORE) && math) {
        [replacement, next] = this.script(i + 1, end, code === CARET);
      } else if (code === DOLLAR && !math) {
        const close = this.mathEnd(i + 1, end);
        if (close < 0) {
          replacement = '$';
          next = i + 1;
        } else {
          replacement = this.convert(i + 1, close, true);
          next = close + 1;
        }
      } else {
        i++;
        continue;
      }
      out += text.slice(runStart, i) + replacement;
      i = next;
      runStart = next;
    }
    return out + text.slice(runStart, end);
  }

  /** `^2`, `_{ij}`: Unicode super/subscripts when every character has one, else the marker and the text. */
  private script(from: number, end: number, superscript: boolean): [string, number] {
    const text = this.text;
    let content: string;
    let next: number;
    if (from >= end) return [superscript ? '^' : '_', end];
    if (text.charCodeAt(from) === OPEN_BRACE) {
      next = groupEnd(text, from, end);
      content = this.convert(from + 1, next - 1, true);
    } else if (text.charCodeAt(from) === BACKSLASH) {
      [content, next] = this.command(from, end, true);
    } else {
      content = text[from];
      next = from + 1;
    }
    const table = superscript ? SUPERSCRIPTS : SUBSCRIPTS;
    let mapped = '';
    for (const char of content) {
      const script = table[char];
      if (script === undefined) return [(superscript ? '^' : '_') + content, next];
      mapped += script;
    }
    return [mapped, next];
  }

  /**
   * The `$` that closes math opened just before `from`, or -1: an unescaped `$10` is text, not math, and so are
   * two amounts (`from $4 million to $155 million`), told apart as pandoc does: a closing `$` is never followed
   * by a digit.
   */
  private mathEnd(from: number, end: number): number {
    const text = this.text;
    for (let i = from; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code === BACKSLASH) i++;
      else if (code === DOLLAR) return isDigit(text.charCodeAt(i + 1)) ? -1 : i;
    }
    return -1;
  }

  /** Converts the command at `at` (a backslash); returns its text and the index after it. */
  private command(at: number, end: number, math: boolean): [string, number] {
    const text = this.text;
    let i = at + 1;
    if (i >= end) return ['', end];
    const first = text.charCodeAt(i);
    if (!isLetter(first)) {
      const symbol = text[i];
      if (ACCENTS[symbol] !== undefined) return this.accent(symbol, i + 1, end);
      if (symbol === '\\' || isWhitespace(first)) return [' ', i + 1];
      if (symbol === ',' || symbol === ';' || symbol === ':' || symbol === '>') return [' ', i + 1];
      if (symbol === '-' || symbol === '/' || symbol === '@' || symbol === '!') return ['', i + 1];
      return [symbol, i + 1];
    }
    while (i < end && isLetter(text.charCodeAt(i))) i++;
    const name = text.slice(at + 1, i);
    // TeX drops the spaces after a control word.
    const nameEnd = i;
    while (i < end && isWhitespace(text.charCodeAt(i))) i++;
    if (name.length === 1 && ACCENTS[name] !== undefined) return this.accent(name, i, end);
    const accentMark = NAMED_ACCENTS[name];
    if (accentMark !== undefined) return this.namedAccent(accentMark, i, end, math);
    if (name === 'hspace' || name === 'vspace') return this.space(name === 'hspace', i, end);
    if (name === 'kern' || name === 'hskip' || name === 'vskip') return ['', skipDimension(text, i, end)];
    const symbol = SYMBOLS[name];
    if (symbol !== undefined) return [symbol, i];
    if (text.charCodeAt(i) !== OPEN_BRACE) {
      // An unknown word followed by a space and more text is a switch (`{\ssf BM2FONT}`, `{\smc mf}`): TeX would eat
      // the space, so a macro meant to print a word is written `{\mtex}` or `\mtex\ ` instead.
      const isSwitch = i > nameEnd && i < end && text.charCodeAt(i) !== CLOSE_BRACE;
      return [SILENT.has(name) || isSwitch ? '' : name, i];
    }
    if (VERBATIM_ARGUMENT.has(name)) {
      const close = groupEnd(text, i, end);
      return [text.slice(i + 1, close - 1), close];
    }
    if (name === 'href') {
      // \href{url}{text}: the text is what a reader sees.
      const urlEnd = groupEnd(text, i, end);
      return ['', urlEnd];
    }
    const quotes = CURLY_QUOTES[name];
    if (quotes) {
      const close = groupEnd(text, i, end);
      return [quotes[0] + this.convert(i + 1, close - 1, math) + quotes[1], close];
    }
    if (name === 'begin' || name === 'end') return ['', groupEnd(text, i, end)];
    if ((name === 'sp' || name === 'sb') && math) return this.script(i, end, name === 'sp');
    if (name === 'ElsevierGlyph') {
      // \ElsevierGlyph{2014}: a character by its hexadecimal code point, as Elsevier exports write them.
      const close = groupEnd(text, i, end);
      const codePoint = Number.parseInt(text.slice(i + 1, close - 1), 16);
      return [Number.isInteger(codePoint) && codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '', close];
    }
    if (name === 'frac') {
      const numeratorEnd = groupEnd(text, i, end);
      if (text.charCodeAt(numeratorEnd) === OPEN_BRACE) {
        const denominatorEnd = groupEnd(text, numeratorEnd, end);
        return [
          `${this.convert(i + 1, numeratorEnd - 1, true)}/${this.convert(numeratorEnd + 1, denominatorEnd - 1, true)}`,
          denominatorEnd,
        ];
      }
    }
    // Formatting and unknown commands vanish; their braced argument is converted where it stands.
    return ['', i];
  }

  /**
   * `\hspace{1em}`, `\vspace*{2pt}`: a horizontal space is a space (none when it is zero, as in
   * `location--\hspace{0pt}allocation`); a vertical one prints nothing. The length is never text.
   */
  private space(horizontal: boolean, from: number, end: number): [string, number] {
    const text = this.text;
    let i = from;
    if (text.charCodeAt(i) === STAR) i++;
    while (i < end && isWhitespace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== OPEN_BRACE) return ['', from];
    const next = groupEnd(text, i, end);
    const zero = /^\s*[-+]?[0.]*\s*[a-z]*\s*$/.test(text.slice(i + 1, next - 1));
    return [horizontal && !zero ? ' ' : '', next];
  }

  /** A one-character accent command (`\"u`, `\'{e}`, `\v c`). */
  private accent(symbol: string, from: number, end: number): [string, number] {
    const [base, next] = this.accentArgument(from, end);
    if (base === '') return [BARE_ACCENTS[symbol] ?? '', next];
    if (symbol === '"' && !DIAERESIS_LETTERS.has(base[0])) return [`"${base}`, next];
    return [this.marked(base, ACCENTS[symbol]), next];
  }

  /** A control-word accent (`\ocirc{u}`, `\bar{1}`); with nothing under it, it prints nothing. */
  private namedAccent(mark: string, from: number, end: number, math: boolean): [string, number] {
    const [base, next] = this.accentArgument(from, end, math);
    return [base === '' ? '' : this.marked(base, mark), next];
  }

  /**
   * What an accent stands on: the next character, braced group or `\i`-like command; TeX skips spaces before it.
   * Nothing when a group closes right after the accent (`Ragnhei{\d}ur`): that brace belongs to the group.
   */
  private accentArgument(from: number, end: number, math = false): [string, number] {
    const text = this.text;
    let i = from;
    while (i < end && isWhitespace(text.charCodeAt(i))) i++;
    if (i >= end) return ['', end];
    const code = text.charCodeAt(i);
    if (code === CLOSE_BRACE) return ['', i];
    if (code === OPEN_BRACE) {
      const next = groupEnd(text, i, end);
      return [this.convert(i + 1, next - 1, math), next];
    }
    if (code === BACKSLASH) return this.command(i, end, math);
    return [text[i], i + 1];
  }

  /** `base` with the combining `mark` on its first letter, or on every character for an overline. */
  private marked(base: string, mark: string): string {
    this.combined = true;
    // Accented dotless i/j are the dotted letters with an accent.
    const dotted = base.replace(/^ı/, 'i').replace(/^ȷ/, 'j');
    if (SPANNING_MARKS.has(mark)) return [...dotted].map((char) => char + mark).join('');
    const first = String.fromCodePoint(dotted.codePointAt(0)!);
    return first + mark + dotted.slice(first.length);
  }
}

/**
 * LaTeX → Unicode display text: `{\"u}` → ü, `\&` → &, `--` → –, `---` → —, `{\textit X}` → X, `~` → space,
 * protective braces stripped, math kept readable (`$\alpha$` → α), whitespace collapsed.
 */
export function latexToUnicode(text: string): string {
  if (isPlain(text)) return text;
  const converter = new Converter(text);
  let out = converter.convert(0, text.length, false);
  if (converter.combined) out = out.normalize('NFC');
  return out.replace(/\s+/g, ' ').trim();
}

/** Plain Unicode → BibTeX field text that latexToUnicode reads back unchanged. */
export function unicodeToBibtex(text: string): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    let replacement: string;
    switch (char) {
      case '&': case '%': case '$': case '#': case '_': case '{': case '}':
        replacement = `\\${char}`;
        break;
      case '\\':
        replacement = '\\textbackslash{}';
        break;
      case '~':
        replacement = '\\textasciitilde{}';
        break;
      case '^':
        replacement = '\\textasciicircum{}';
        break;
      case '-': case '`': case "'":
        // Keep `--`, ``` `` ``` and `''` from turning into dashes and quotes.
        if (text[i + 1] !== char) continue;
        replacement = `${char}{}`;
        break;
      default:
        continue;
    }
    out += text.slice(runStart, i) + replacement;
    runStart = i + 1;
  }
  return out + text.slice(runStart);
}
