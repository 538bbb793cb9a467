// File paths and file URIs: the server speaks URIs with its client and paths with the core.
import { fileURLToPath, pathToFileURL } from 'node:url';

export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

/** The path of a file URI; undefined for other schemes (untitled documents). */
export function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
