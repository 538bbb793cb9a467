// Which files the library reads: the workspace's .bib files (the user's own entries win duplicates), then the
// configured files and globs of each folder, then the bundled corpus. Found by walking the folders, so the server
// needs no editor to find them.
import { readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { PaperlensSettings } from './settings';

/** Folders never searched: tools' caches and version control, as VS Code's default excludes. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);
/** More .bib files than any real project has; a home folder opened as a workspace must not be read whole. */
const MAX_WORKSPACE_BIB_FILES = 500;

export interface CorpusFolder {
  path: string;
  settings: PaperlensSettings;
}

export interface CorpusFileSearch {
  folders: CorpusFolder[];
  /** Settings that apply without a folder (user settings). */
  globalSettings: PaperlensSettings;
  bundledCorpus: string;
  /** False in an untrusted workspace: configured files outside the folders are skipped. */
  trusted: boolean;
  warn(message: string): void;
}

/** True when `file` is `folder` or inside it (a path on another drive is not). */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

export function corpusFiles(search: CorpusFileSearch): string[] {
  const files: string[] = [];
  for (const folder of search.folders) {
    if (!folder.settings.includeWorkspaceBibFiles) continue;
    files.push(...walk(folder.path, (file) => file.endsWith('.bib'), MAX_WORKSPACE_BIB_FILES).sort());
  }
  // Without a folder only user settings apply, and only their absolute paths mean anything.
  const scopes = search.folders.length > 0 ? search.folders : [undefined];
  for (const folder of scopes) {
    const settings = folder?.settings ?? search.globalSettings;
    for (const entry of settings.corpusFiles) files.push(...resolveConfigured(entry, folder?.path, search));
  }
  if (search.globalSettings.bundledCorpus) files.push(search.bundledCorpus);
  return [...new Set(files)];
}

/** A configured entry: an absolute path, or a path or glob relative to the folder whose setting it is. */
function resolveConfigured(entry: string, folder: string | undefined, search: CorpusFileSearch): string[] {
  const absolute = path.isAbsolute(entry);
  if (!absolute && folder === undefined) return [];
  const full = absolute ? entry : path.join(folder as string, entry);
  if (absolute && !search.trusted && !search.folders.some((open) => isInside(open.path, entry))) {
    search.warn(`Skipping ${entry}: the workspace is not trusted and the file is outside it.`);
    return [];
  }
  const globAt = full.search(/[*?{[]/);
  if (globAt < 0) return [full];
  const base = path.dirname(full.slice(0, globAt) + 'x');
  const pattern = globToRegExp(path.relative(base, full).split(path.sep).join('/'));
  return walk(base, (file) => pattern.test(path.relative(base, file).split(path.sep).join('/')), Infinity).sort();
}

/** `**` any folders, `*` and `?` within a name, `{a,b}` alternatives, `[…]` a character class. */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` matches no folder or any number of them.
      const slash = glob[i + 2] === '/';
      pattern += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else if (char === '{') pattern += '(?:';
    else if (char === '}') pattern += ')';
    else if (char === ',' ) pattern += '|';
    else if (char === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) pattern += '\\[';
      else {
        pattern += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else pattern += char.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

/** Files under `folder` that `wanted` accepts, skipping tool folders, at most `limit`. */
function walk(folder: string, wanted: (file: string) => boolean, limit: number): string[] {
  const found: string[] = [];
  const pending = [folder];
  while (pending.length > 0 && found.length < limit) {
    const current = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && wanted(full) && found.length < limit) {
        found.push(full);
      }
    }
  }
  return found;
}
