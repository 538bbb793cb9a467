// src/ids.ts declares every language, command and view id once; the manifest must say the same, and the documents
// layer must accept exactly the citing languages the client registers.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentLanguage } from '../../../src/core/documents/citations';
import { BIBLIOGRAPHY_LANGUAGE, CITING_LANGUAGES, COMMANDS, CONTEXT_KEYS, INTERNAL_COMMANDS, VIEWS } from '../../../src/ids';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const sorted = (values: Iterable<string>) => [...values].sort();

describe('ids', () => {
  it('activates on every citing language and the bibliography language, and on nothing else', () => {
    const languages = (manifest.activationEvents as string[]).filter((event) => event.startsWith('onLanguage:')).map((event) => event.slice('onLanguage:'.length));
    expect(sorted(languages)).toEqual(sorted([...CITING_LANGUAGES, BIBLIOGRAPHY_LANGUAGE]));
  });

  it('the documents layer reads exactly the citing languages', () => {
    const candidates = [...CITING_LANGUAGES, BIBLIOGRAPHY_LANGUAGE, 'plaintext', 'html', 'restructuredtext', 'typst', 'org'];
    expect(sorted(candidates.filter((id) => documentLanguage(id) !== undefined))).toEqual(sorted(CITING_LANGUAGES));
  });

  it('declares the commands of the manifest, and none of the internal ones there', () => {
    const declared = (manifest.contributes.commands as { command: string }[]).map((entry) => entry.command);
    expect(sorted(declared)).toEqual(sorted(Object.values(COMMANDS)));
    for (const internal of Object.values(INTERNAL_COMMANDS)) expect(declared).not.toContain(internal);
  });

  it('every command a menu or key names is declared', () => {
    const menus = Object.values(manifest.contributes.menus as Record<string, { command: string }[]>).flat();
    const keys = manifest.contributes.keybindings as { command: string }[];
    for (const { command } of [...menus, ...keys]) expect(Object.values(COMMANDS)).toContain(command);
  });

  it('the Library title bar shows one of the unused-entries toggles, with an icon, as the context key says; the palette too', () => {
    const toggles = [COMMANDS.libraryShowOnlyUnused, COMMANDS.libraryShowAll] as string[];
    const inMenu = (menu: string) => (manifest.contributes.menus[menu] as { command: string; when: string }[]).filter((entry) => toggles.includes(entry.command));
    expect(inMenu('view/title').map((entry) => [entry.command, entry.when])).toEqual([
      [COMMANDS.libraryShowOnlyUnused, `view == ${VIEWS.library} && !${CONTEXT_KEYS.libraryShowsUnused}`],
      [COMMANDS.libraryShowAll, `view == ${VIEWS.library} && ${CONTEXT_KEYS.libraryShowsUnused}`],
    ]);
    expect(inMenu('commandPalette').map((entry) => [entry.command, entry.when])).toEqual([
      [COMMANDS.libraryShowOnlyUnused, `!${CONTEXT_KEYS.libraryShowsUnused}`],
      [COMMANDS.libraryShowAll, CONTEXT_KEYS.libraryShowsUnused],
    ]);
    const declared = manifest.contributes.commands as { command: string; title: string; icon?: string }[];
    expect(declared.filter((entry) => toggles.includes(entry.command)).map((entry) => [entry.title, entry.icon])).toEqual([
      ['Show Only Unused Entries in the Library', '$(filter)'],
      ['Show All Entries in the Library', '$(filter-filled)'],
    ]);
  });

  it('every paperlens context key a when clause reads is one Paperlens sets (view ids aside)', () => {
    const entries = [...Object.values(manifest.contributes.menus as Record<string, { when?: string }[]>).flat(), ...(manifest.contributes.keybindings as { when?: string }[])];
    const names = entries.flatMap((entry) => [...(entry.when ?? '').matchAll(/paperlens\.[\w.]+/g)].map((match) => match[0]));
    const views = Object.values(VIEWS) as string[];
    expect(sorted(new Set(names.filter((name) => !views.includes(name))))).toEqual(sorted(Object.values(CONTEXT_KEYS)));
  });

  it('declares the views and their container', () => {
    const container = (manifest.contributes.viewsContainers.activitybar as { id: string }[]).map((entry) => entry.id);
    const views = Object.entries(manifest.contributes.views as Record<string, { id: string }[]>).flatMap(([, list]) => list.map((view) => view.id));
    expect(container).toEqual([VIEWS.container]);
    expect(Object.keys(manifest.contributes.views)).toEqual([VIEWS.container]);
    expect(sorted(views)).toEqual(sorted([VIEWS.search, VIEWS.library, VIEWS.cited, VIEWS.related]));
  });

  it('the editor keybindings apply in every citing language', () => {
    for (const binding of (manifest.contributes.keybindings as { when?: string }[]).filter((entry) => entry.when?.includes('editorLangId'))) {
      const languages = /editorLangId =~ \/\^\(([^)]*)\)\$\//.exec(binding.when ?? '')?.[1].split('|');
      expect(sorted(languages ?? [])).toEqual(sorted(CITING_LANGUAGES));
    }
  });
});
