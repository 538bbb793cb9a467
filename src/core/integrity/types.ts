// The shapes integrity results come in. Each maps one-to-one onto an LSP type (Position, Range, Location, TextEdit,
// WorkspaceEdit.changes, Diagnostic), with absolute file paths where LSP has URIs, so a server handler only converts.

/** 0-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

export interface TextRange {
  start: Position;
  end: Position;
}

export interface Location {
  file: string;
  range: TextRange;
}

export interface TextEdit {
  range: TextRange;
  newText: string;
}

/** Edits per absolute file path: LSP's WorkspaceEdit.changes. Edits of one file never overlap. */
export type FileEdits = Record<string, TextEdit[]>;

export type Severity = 'error' | 'warning' | 'information';

export type DiagnosticCode =
  | 'duplicate-key'
  | 'duplicate-entry'
  | 'reader-problem'
  | 'undefined-key'
  | 'ambiguous-key'
  | 'missing-bibliography';

export interface IntegrityDiagnostic {
  file: string;
  range: TextRange;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** The key the diagnostic is about (LSP's `data`, for the code action that fixes it). */
  key?: string;
  /** LSP's relatedInformation: the first definition of a duplicated key, the entry a duplicate repeats. */
  related?: { location: Location; message: string }[];
}
