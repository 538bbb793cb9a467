import { describe, expect, it } from 'vitest';
import { isPaperAction, PAPER_ACTIONS } from '../../src/webview/messages';

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
