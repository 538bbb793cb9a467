// The injection grammar's patterns, run with JavaScript regular expressions (the constructs used are common
// to Oniguruma and JavaScript), against the same cases the documents layer handles.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCitations } from '../../../src/core/documents/citations';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  patterns?: Rule[];
  include?: string;
  name?: string;
}
const grammar = JSON.parse(readFileSync('syntaxes/citations.tmLanguage.json', 'utf8')) as {
  scopeName: string;
  injectionSelector: string;
  repository: Record<string, Rule>;
};
const regex = (source: string, flags = 'u') => new RegExp(source, flags);
const KEY_SCOPE = 'constant.other.reference.citation.paperlens';

describe('citation injection grammar', () => {
  it('is injected into Markdown and LaTeX, outside code and comments', () => {
    expect(grammar.scopeName).toBe('paperlens.citation.injection');
    expect(grammar.injectionSelector).toContain('L:text.html.markdown -markup.fenced_code -markup.inline.raw');
    expect(grammar.injectionSelector).toContain('L:text.tex.latex -comment');
  });

  it('marks the same Markdown keys the documents layer finds', () => {
    const rule = grammar.repository['markdown-citation'];
    const line = 'Text [see @alpha, p. 3; -@beta] and @gamma.; mail me@example.org, @{odd.key} and https://x.org/@user';
    const marked = [...line.matchAll(regex(rule.match!, 'gu'))].map((match) => match[4] ?? match[6]);
    expect(marked).toEqual(['alpha', 'beta', 'gamma', 'odd.key']);
    expect(marked).toEqual(findCitations(line, 'markdown').map((cited) => cited.key));
  });

  it('starts a LaTeX citation at cite commands only', () => {
    const begin = regex(grammar.repository['latex-citation'].begin!);
    for (const command of ['\\cite{', '\\citep[p.~3]{', '\\Textcite{', '\\parencite*{', '\\cites(pre)(post){', '\\nocite{']) {
      expect(begin.exec(command)?.index, command).toBe(0);
    }
    for (const text of ['\\DeclareCiteCommand{', '\\citep (see above)', '\\section{', '\\cite and more']) {
      expect(begin.test(text), text).toBe(false);
    }
  });

  it('marks each key of a LaTeX key list', () => {
    const keys = grammar.repository['latex-citation'].patterns!.find((rule) => rule.begin === '\\{')!;
    const key = keys.patterns!.find((rule) => rule.name === KEY_SCOPE)!;
    expect([...'a:1, b-2,c_3 '.matchAll(regex(key.match!, 'gu'))].map((match) => match[0])).toEqual(['a:1', 'b-2', 'c_3']);
  });

  it('ends a LaTeX citation after its last key list, not before another argument', () => {
    const endsAt = (text: string, position: number) => {
      const end = regex(grammar.repository['latex-citation'].end!, 'uy');
      end.lastIndex = position;
      return end.test(text);
    };
    expect(endsAt('\\cite{a} more', 8)).toBe(true);
    expect(endsAt('\\cites{a}[p]{b} x', 9)).toBe(false);
    expect(endsAt('\\cites{a}[p]{b} x', 15)).toBe(true);
    expect(endsAt('\\cite [p]{a}', 5)).toBe(false);
  });
});
