// Where the parsed-source cache lives when the client names no folder (outside VS Code): the user's cache folder,
// one subfolder per set of workspace folders, so windows on different corpora do not overwrite each other's.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import * as path from 'node:path';

export function defaultCacheDir(workspaceFolders: readonly string[]): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  const id = createHash('sha256').update(workspaceFolders.join('\0')).digest('hex').slice(0, 16);
  return path.join(base, 'paperlens', id);
}
