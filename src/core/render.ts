// Markdown for hovers and completion details. Everything that comes from a bibliography is escaped: a title
// holding Markdown, HTML or a `command:` link shows as text. The only links are ones built here: http(s) DOI/URL
// links, file links to where an entry is defined, and — for clients that run them — the command links that show a
// whole abstract and the similar papers.
import { pathToFileURL } from 'node:url';
import { bareDoi } from './formats/plain-item';
import { type KeySharer, type Origin, type Paper } from './paper';
import { authorList, baseName } from './viewmodel';

/** Internal command (registered by the hover feature) that shows a paper's whole abstract. */
export const SHOW_ABSTRACT_COMMAND = 'paperlens.showAbstract';
/** The command that lists a paper's similar papers in the Search view (also in the palette and the trees' menus). */
export const SHOW_SIMILAR_COMMAND = 'paperlens.showSimilarPapers';
/** Hovers show this much of an abstract; the rest is one click away. */
export const HOVER_ABSTRACT_LENGTH = 600;

/** Every ASCII punctuation character Markdown may read as syntax gets a backslash (CommonMark allows it on all). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~&$^:"'=]/g, '\\$&');
}

/** Plain text on one line: runs of white space, line breaks included, become one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cut at a word boundary before `length`, with an ellipsis; unchanged when short enough. */
export function shorten(text: string, length: number): { text: string; shortened: boolean } {
  if (text.length <= length) return { text, shortened: false };
  const space = text.lastIndexOf(' ', length);
  return { text: `${text.slice(0, space > length / 2 ? space : length).trimEnd()}…`, shortened: true };
}

/** Characters that could end a Markdown link destination, percent-encoded. */
function safeDestination(url: string): string {
  return url.replace(/[()<>\\"'`\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Only http(s) links are made from bibliography text. */
function linkTarget(url: string): string | undefined {
  const trimmed = url.trim();
  return /^https?:\/\/[^\s]+$/i.test(trimmed) ? safeDestination(trimmed) : undefined;
}

function doiTarget(doi: string): string | undefined {
  return linkTarget(`https://doi.org/${encodeURI(bareDoi(doi))}`);
}

/** `command:id?args` with JSON arguments, percent-encoded so no character can end the link. */
export function commandLink(command: string, args: unknown[]): string {
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(/[()'!*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${encoded}`;
}

/** A clickable `references.bib:12` opening the file at that line. */
export function originLink(origin: Origin): string {
  return `[${escapeMarkdown(`${baseName(origin.file)}:${origin.line}`)}](${safeDestination(pathToFileURL(origin.file).href)}#L${origin.line})`;
}

/** "Authors · 2017 · *Venue*", each part escaped, missing parts left out. */
function byline(paper: Paper): string {
  const parts: string[] = [];
  const people = paper.authors.length > 0 ? paper.authors : (paper.editors ?? []);
  if (people.length > 0) parts.push(escapeMarkdown(authorList(people)));
  if (paper.year) parts.push(escapeMarkdown(paper.year));
  if (paper.venue) parts.push(`*${escapeMarkdown(oneLine(paper.venue))}*`);
  return parts.join(' · ');
}

function links(paper: Paper): string {
  const parts: string[] = [];
  const doi = paper.doi ? doiTarget(paper.doi) : undefined;
  if (paper.doi && doi) parts.push(`[doi:${escapeMarkdown(paper.doi.trim())}](${doi})`);
  const url = paper.url ? linkTarget(paper.url) : undefined;
  if (url && url !== doi) parts.push(`[${escapeMarkdown(paper.url!.trim())}](${url})`);
  return parts.join(' · ');
}

export interface HoverInput {
  key: string;
  /** The paper from the library or from the document's bibliography; absent when neither knows the key. */
  paper?: Paper;
  /** Where the key is defined in the document's bibliography files. */
  definitions: Origin[];
  /** The client runs Paperlens's commands from links (the VS Code extension); other editors get no command links. */
  commandLinks?: boolean;
}

/** The hover of a cited key: title, byline, abstract (shortened, with a link to all of it), links, definitions. */
export function hoverMarkdown({ key, paper, definitions, commandLinks = false }: HoverInput): string {
  const blocks: string[] = [];
  if (!paper) {
    blocks.push(
      definitions.length > 0
        ? `**${escapeMarkdown(key)}**: defined in the bibliography but not readable as an entry.`
        : `**${escapeMarkdown(key)}**: not in this document's bibliography and not in the library.`,
    );
  } else {
    blocks.push(`**${escapeMarkdown(oneLine(paper.title) || key)}**`);
    const by = byline(paper);
    if (by) blocks.push(by);
    if (paper.abstract) {
      const abstract = shorten(oneLine(paper.abstract), HOVER_ABSTRACT_LENGTH);
      const more = abstract.shortened && commandLinks ? ` [Read the whole abstract](${commandLink(SHOW_ABSTRACT_COMMAND, [paper.key])})` : '';
      blocks.push(escapeMarkdown(abstract.text) + more);
    }
    const linkLine = [links(paper), commandLinks ? `[Similar papers](${commandLink(SHOW_SIMILAR_COMMAND, [paper.key])})` : ''].filter(Boolean).join(' · ');
    if (linkLine) blocks.push(linkLine);
    const shared = sameKeyNote(paper);
    if (shared) blocks.push(`⚠ ${escapeMarkdown(shared)}; the one above is from ${originLink(paper.origin)}, also: ${sameKeyList(paper.sameKey ?? [])}.`);
  }
  if (definitions.length > 0) blocks.push(`Defined in ${definitions.map(originLink).join(', ')}`);
  else if (paper) {
    const from = paper.origin.file ? ` From ${originLink(paper.origin)}.` : '';
    blocks.push(`\`${paper.key.replace(/`/g, '')}\` is not yet in this document's bibliography.${from}`);
  }
  return blocks.join('\n\n');
}

/** The details pane of a completion item: byline, the whole abstract, links; a warning when its key is shared. */
export function completionDocumentation(paper: Paper): string {
  const blocks = [`**${escapeMarkdown(oneLine(paper.title))}**`];
  const by = byline(paper);
  if (by) blocks.push(by);
  if (paper.abstract) blocks.push(escapeMarkdown(oneLine(paper.abstract)));
  const linkLine = links(paper);
  if (linkLine) blocks.push(linkLine);
  const shared = sameKeyNote(paper);
  if (shared) blocks.push(`⚠ ${escapeMarkdown(shared)}: this one and ${sameKeyList(paper.sameKey ?? [])}. Citing \`${paper.key.replace(/`/g, '')}\` is ambiguous.`);
  return blocks.join('\n\n');
}

/** "2 papers in mendeley.bib have the key Smith2020", for a paper the library keeps beside others under its key. */
export function sameKeyNote(paper: Paper): string | undefined {
  if (!paper.sameKey?.length) return undefined;
  const files = [...new Set([paper.origin, ...paper.sameKey.map((other) => other.origin)].map((origin) => baseName(origin.file)))];
  return `${paper.sameKey.length + 1} papers in ${files.join(' and ')} have the key ${paper.key}`;
}

/** Papers under one key as Markdown: each title with a link to its line. */
function sameKeyList(papers: readonly KeySharer[]): string {
  return papers.map((other) => `**${escapeMarkdown(oneLine(other.title))}**${other.year ? ` (${other.year})` : ''}, ${originLink(other.origin)}`).join('; ');
}

/**
 * The papers under a shared key, as plain text for a diagnostic: `"Keys that collide" (mendeley.bib:6) and
 * "Sediment transport" (mendeley.bib:19)`.
 */
export function sameKeyTitles(paper: Paper): string {
  const all: KeySharer[] = [paper, ...(paper.sameKey ?? [])].sort((a, b) => a.origin.line - b.origin.line);
  const named = all.map((one) => `"${oneLine(one.title)}" (${baseName(one.origin.file)}:${one.origin.line})`);
  return named.length <= 2 ? named.join(' and ') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/** A whole paper as plain text, for a dialog: byline, venue, the complete abstract. */
export function paperPlainText(paper: Paper): string {
  const people = paper.authors.length > 0 ? paper.authors : (paper.editors ?? []);
  const byLine = [authorList(people), paper.year, paper.venue].filter(Boolean).join(' · ');
  return [byLine, paper.abstract ? oneLine(paper.abstract) : 'No abstract.', paper.doi ? `doi:${paper.doi}` : '']
    .filter(Boolean)
    .join('\n\n');
}
