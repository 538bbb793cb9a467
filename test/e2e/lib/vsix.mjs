// What is inside a .vsix (a zip), read from the zip's central directory so no unzip tool is needed, and the
// rule for what may ship: only what runs.
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;

/** Entries of a zip file in the order the archive lists them: [{ name, size, text() }]. */
export async function listZip(file) {
  const zip = await readFile(file);
  // The end record is the last 22 bytes plus a comment of at most 64 KiB.
  let end = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new Error(`${file} is not a zip file (no end of central directory record)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`${file}: damaged central directory`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const text = () => {
      // The data follows the local header, whose name and extra field lengths may differ from the central ones.
      const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(start, start + compressedSize);
      if (method === 0) return data.toString('utf8');
      if (method === 8) return inflateRawSync(data).toString('utf8');
      throw new Error(`${file}: ${name} uses zip compression method ${method}`);
    };
    entries.push({ name, size, text });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

// The vsix's own bookkeeping plus the extension's runtime files (bundles, icon, grammars, corpus, docs) and the
// README's screenshots, which the installed extension's page shows from the package.
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/dist\/extension\.js$/,
  /^extension\/dist\/(server|libraryWorker)\.js$/,
  /^extension\/dist\/webview\/[^/]+$/,
  /^extension\/media\/[^/]+\.(svg|css)$/,
  /^extension\/media\/screenshots\/[^/]+\.png$/,
  /^extension\/syntaxes\//,
  /^extension\/corpus\//,
  /^extension\/(readme|license|changelog)(\.(md|txt))?$/i,
];
const REQUIRED = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/libraryWorker.js'];
// Named separately so a failure says which kind of leak it is.
const FORBIDDEN = [
  /^extension\/src\//,
  /^extension\/test\//,
  /^extension\/bench\//,
  /^extension\/node_modules\//,
  /^extension\/\.ci\//,
  /^extension\/examples\//,
  /^extension\/scripts\//,
  /\.map$/,
  /\.ts$/,
];

/**
 * Problems with a listing: forbidden or unexpected entries, required ones missing, files the manifest or the
 * README's images name that are missing, screenshots the README does not show.
 */
export function checkVsixContents(entries) {
  const names = entries.map((entry) => entry.name).filter((name) => !name.endsWith('/'));
  const problems = [];
  for (const name of names) {
    if (FORBIDDEN.some((pattern) => pattern.test(name))) problems.push(`must not ship: ${name}`);
    else if (!ALLOWED.some((pattern) => pattern.test(name))) problems.push(`not something that runs: ${name}`);
  }
  for (const name of REQUIRED) if (!names.includes(name)) problems.push(`missing: ${name}`);
  const manifest = entries.find((entry) => entry.name === 'extension/package.json');
  if (manifest) {
    for (const path of filesNamedBy(JSON.parse(manifest.text()))) {
      const name = `extension/${path.replace(/^\.\//, '')}`;
      if (!names.includes(name)) problems.push(`package.json names ${path}, which the package lacks`);
    }
  }
  const readme = entries.find((entry) => /^extension\/readme\.md$/i.test(entry.name));
  const shown = new Set(readme ? imagesNamedBy(readme.text()).map((path) => `extension/${path}`) : []);
  for (const name of shown) if (!names.includes(name)) problems.push(`the README shows ${name.slice('extension/'.length)}, which the package lacks`);
  for (const name of names) {
    if (/^extension\/media\/screenshots\//.test(name) && !shown.has(name)) problems.push(`the README does not show ${name}`);
  }
  return problems;
}

/** Package-relative paths of the images a README shows: Markdown `![alt](path)` and HTML `<img src>`, not URLs. */
export function imagesNamedBy(markdown) {
  const paths = [
    ...[...markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]),
    ...[...markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((match) => match[1]),
  ];
  return [...new Set(paths.filter((path) => !/^[a-z][a-z0-9+.-]*:/i.test(path)).map((path) => path.replace(/^\.\//, '')))];
}

/** Files the manifest points at: code, icons, grammars, snippets, language configurations. */
function filesNamedBy(manifest) {
  const contributes = manifest.contributes ?? {};
  const withExtension = (path) => (/\.[a-z]+$/i.test(path) ? path : `${path}.js`);
  const paths = [manifest.main && withExtension(manifest.main), manifest.browser && withExtension(manifest.browser), manifest.icon];
  for (const containers of Object.values(contributes.viewsContainers ?? {})) paths.push(...containers.map((container) => container.icon));
  for (const views of Object.values(contributes.views ?? {})) paths.push(...views.map((view) => view.icon));
  paths.push(...(contributes.grammars ?? []).map((grammar) => grammar.path));
  paths.push(...(contributes.snippets ?? []).map((snippet) => snippet.path));
  paths.push(...(contributes.languages ?? []).map((language) => language.configuration));
  // Codicon references such as "$(quote)" are not files.
  return paths.filter((path) => typeof path === 'string' && !path.startsWith('$('));
}
