// In-memory documents with a cursor marker: `‸` marks the caret and is removed from the text.
export const CURSOR = '‸';

export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0 || marked.indexOf(CURSOR, offset + 1) >= 0) throw new Error(`exactly one ${CURSOR} expected in: ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + CURSOR.length), offset };
}
