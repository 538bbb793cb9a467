// Citation integrity across a project: the API the language server's handlers call. Every result maps one-to-one
// onto an LSP result (see types.ts), with absolute paths where LSP has URIs and 0-based line/character positions:
//
//   textDocument/references     keyAtOffset → findReferences(index, key, context.includeDeclaration)  → Location[]
//   textDocument/definition     keyAtOffset → findDefinitions(index, key)                              → Location[]
//   the Cited view under a key  keyUsesIn(index, project.documents, key)  → uses with their lines
//   textDocument/prepareRename  prepareRename(index, file, offset)       → { range, placeholder } | { refused }
//   textDocument/rename         rename(index, file, offset, newName)     → { changes } (WorkspaceEdit) | { refused }
//   diagnostics of a .bib       bibliographyDiagnostics(bibliographies)  → Diagnostic[] (related information included)
//   diagnostics of a document   citationDiagnostics(index, project, file) → undefined-key, ambiguous-key
//   code action "merge"         mergeDuplicateEntry(index, bibliographies, file, offset) for a duplicate-entry diagnostic
//   unused entries + removal    unusedEntries(index, project)            → entries, one edit list per file
//   export cited entries        exportCitedEntries(index, project, lookup) → .bib text, exported and missing keys
//   add all missing entries     addMissingEntries(requests, elsewhere)   → one edit per bibliography file
//   paperlens check             projectDiagnostics(index, project) → checkReport(...)
//
// A WorkspaceIndex holds the workspace's LaTeX, Markdown and .bib texts (set on open, change and file events;
// parsed once per text); projectsOf(model, readFile, file) gives a document's projects from documents/project.ts.
export { addMissingEntries, type MissingEntriesEdit, type MissingEntriesRequest } from './addMissing';
export { bibliographyDiagnostics, mergeDuplicateEntry } from './bibDiagnostics';
export { checkReport, citationDiagnostics, projectDiagnostics, type CheckFinding, type CheckReport } from './check';
export { exportCitedEntries, type ExportedBibliography } from './exportCited';
export { projectOfRoot, projectsOf, type Project } from './project';
export { findDefinitions, findReferences, keyAtOffset, keyUsesIn, type KeyAtCursor, type KeyUse } from './references';
export { prepareRename, rename, renameKey, type PrepareRenameResult, type RenameResult } from './rename';
export type { FileEdits, IntegrityDiagnostic, Location, Position, Severity, TextEdit, TextRange } from './types';
export { entriesRemovalEdits, unusedEntries, type UnusedEntries } from './unused';
export { WorkspaceIndex, fileKind, type IndexedBibliography, type IndexedDocument } from './workspace';
export { LineIndex } from './lines';
