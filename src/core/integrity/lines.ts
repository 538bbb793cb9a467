// Offsets ↔ 0-based line/character positions of one text, by binary search over line starts.
import type { Position, TextRange } from './types';

export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  /** Found on first use: most files of a workspace are never asked for a position. */
  private get starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    for (let newline = this.text.indexOf('\n'); newline >= 0; newline = this.text.indexOf('\n', newline + 1)) starts.push(newline + 1);
    return (this.lineStarts = starts);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)];
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1] - 1 : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  range(start: number, end: number): TextRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The 0-based line of a 1-based reader line, as a range covering the line's text. */
  lineRange(oneBasedLine: number): TextRange {
    const line = Math.max(0, Math.min(oneBasedLine - 1, this.starts.length - 1));
    const start = this.starts[line];
    let end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    if (end > start && this.text[end - 1] === '\r') end--;
    return { start: { line, character: 0 }, end: { line, character: end - start } };
  }
}
