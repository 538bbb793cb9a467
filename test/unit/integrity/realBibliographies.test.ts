// The entry scanner against real bibliographies: every entry the reader reads is found at the reader's line with
// the reader's key, and each span is the whole entry, so edits made from the spans (rename, removal, merge) land
// where the reader says the entry is.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBibtex } from '../../../src/core/formats/bibtex';
import { scanBibEntries } from '../../../src/core/integrity/bibEntries';

const corpora = path.resolve(__dirname, '../../../../shared/corpora');
/** 88k entries agree too (checked by hand), but reading it twice costs the suite 12 s. */
const acl = path.join(corpora, 'large', 'acl-anthology.bib');

function bibFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return bibFiles(full);
    return name.endsWith('.bib') && full !== acl ? [full] : [];
  });
}

describe('scanBibEntries on real bibliographies', () => {
  const files = bibFiles(corpora);

  it('has files to read', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((file) => [path.relative(corpora, file), file]))('finds every entry the reader reads in %s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const scanned = scanBibEntries(text);
    const byLine = new Map(scanned.map((entry) => [`${entry.line}:${entry.key}`, entry]));
    const unmatched = parseBibtex(text, file).entries.filter((entry) => entry.key !== '' && !byLine.has(`${entry.line}:${entry.key}`));
    expect(unmatched.map((entry) => `${entry.line}:${entry.key}`)).toEqual([]);
    for (const entry of scanned) {
      expect(text[entry.start]).toBe('@');
      expect(text.slice(entry.keyStart, entry.keyEnd)).toBe(entry.key);
    }
  });
});
