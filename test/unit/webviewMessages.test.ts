import { describe, expect, it } from 'vitest';
import { isPaperAction, PAPER_ACTIONS, paperTarget } from '../../src/webview/messages';
import { isRelatedAction, RELATED_ACTIONS } from '../../src/webview/relatedMessages';

describe('isPaperAction', () => {
  it('accepts exactly the actions the search view offers', () => {
    expect(PAPER_ACTIONS).toEqual(['cite', 'copyBibtex', 'copyKey', 'openSource']);
    for (const action of PAPER_ACTIONS) expect(isPaperAction(action)).toBe(true);
  });

  it('refuses any other paperlens command, near misses and non-strings', () => {
    for (const action of ['rebuildLibrary', 'addCorpusFile', 'showAbstract', 'library.openPaper', 'Cite', 'cite ', '', 'toString', '__proto__']) {
      expect(isPaperAction(action), action).toBe(false);
    }
    for (const action of [undefined, null, 1, ['cite'], { toString: () => 'cite' }]) expect(isPaperAction(action)).toBe(false);
  });
});

describe('isRelatedAction', () => {
  it("accepts exactly the Related view's actions", () => {
    expect(RELATED_ACTIONS).toEqual(['cite', 'open', 'similar']);
    for (const action of ['copyBibtex', 'Cite', 'open ', '', 'constructor', undefined, 1]) expect(isRelatedAction(action), String(action)).toBe(false);
  });
});

describe('paperTarget', () => {
  const origin = { file: '/home/u/mendeley.bib', line: 19 };

  it('keeps the key and a well-formed origin, and nothing else the message carries', () => {
    expect(paperTarget({ key: 'Smith2020', origin: { ...origin, toString: 'x', extra: [1] } })).toEqual({ key: 'Smith2020', origin });
    expect(paperTarget({ type: 'action', action: 'cite', key: 'Smith2020', origin } as { key: unknown; origin: unknown })).toEqual({ key: 'Smith2020', origin });
  });

  it('leaves a missing or malformed origin out, so the key names its first paper', () => {
    const malformed = [
      ...[undefined, null, 'mendeley.bib:19', 19, [origin.file, 19]],
      ...[{ file: origin.file }, { line: 19 }, { file: '', line: 19 }, { file: 19, line: 19 }],
      ...[{ file: origin.file, line: '19' }, { file: origin.file, line: 1.5 }, { file: origin.file, line: Number.NaN }],
    ];
    for (const bad of malformed) {
      expect(paperTarget({ key: 'Smith2020', origin: bad }), JSON.stringify(bad)).toEqual({ key: 'Smith2020' });
    }
  });

  it('names no paper without a key', () => {
    for (const key of [undefined, '', 42, ['Smith2020'], { key: 'Smith2020' }]) expect(paperTarget({ key, origin }), JSON.stringify(key)).toBeUndefined();
  });
});
