// Accessibility, proven in the real editor: axe-core runs inside the Search view's frame in every state a user
// meets (nothing typed, results, one expanded, filters open, no match, a failed library) in each of VS Code's
// five default themes and must report nothing (best-practice rules included); every control's focus ring is
// measured against what surrounds it (≥ 3:1) while Tab walks the view, which must go box → filters → list →
// actions and back with Shift+Tab; the Library and Cited trees' rows must read as short sentences; the Related
// view is audited in every theme too, with its Tab order and focus rings.
import { readFileSync } from 'node:fs';
import { BROKEN_BIB } from './fixtures.mjs';
import { ANYFIT_PARAGRAPH, ANYFIT_TITLE, PAPER_TEX_EMPTY_LINE, showRelatedView } from './lib/related-view.mjs';

const AXE_SOURCE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** Labels in the theme picker; 'Light 2026' is the default and goes first, so the rest each change something. */
const THEMES = ['Light 2026', 'Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'];
/** Several results in the bundled corpus, the first with an abstract longer than the collapsed excerpt. */
const QUERY = 'graph anomaly detection';
const NO_MATCH_QUERY = 'qqzxv wwzzq';
/** WCAG 2.1 1.4.11: a focus indicator is a user-interface component and needs 3:1 against what is next to it. */
const MIN_FOCUS_CONTRAST = 3;

/** broken.bib: one unreadable entry at line 10 (the Library tree's problem rows); odd.json: a key with icon syntax. */
export const workspaceFiles = {
  'broken.bib': BROKEN_BIB,
  'odd.json': JSON.stringify([
    { id: 'odd$(key)2020', type: 'article-journal', title: 'Dollar Signs In Keys', author: [{ family: 'Odd', given: 'Olga' }], issued: { 'date-parts': [[2020]] } },
  ]),
  'notes/plain.md': '# Notes\n\nNothing cited here yet.\n',
  '.vscode/settings.json': JSON.stringify({ 'paperlens.corpus.files': ['odd.json'] }, null, 2),
};

/** A webview view's content frame as a playwright Frame: evaluate() with a string runs there despite its CSP. */
async function viewFrame(ctx, view) {
  const handle = await ctx.webview(view).owner().elementHandle({ timeout: 30_000 });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`the ${view} view has no content frame`);
  return frame;
}

/**
 * Readies the frame for measuring: axe-core injected once, and the frame's page given the colour that shows through
 * it. The webview's page is transparent over the sidebar; axe (and the focus measurement) would otherwise blend
 * every colour with white, which is what a dark theme never shows.
 */
async function prepareFrame(ctx, view = 'Search') {
  const behind = await ctx.page.locator('.part.sidebar').first().evaluate((sidebar) => getComputedStyle(sidebar).backgroundColor);
  const frame = await viewFrame(ctx, view);
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.evaluate(AXE_SOURCE);
  await frame.evaluate((color) => document.documentElement.style.setProperty('background-color', color), behind);
  return frame;
}

/** Runs axe on the whole frame of a view and fails with every violation, readable. */
async function audit(ctx, state, theme, view = 'Search') {
  const frame = await prepareFrame(ctx, view);
  const result = await frame.evaluate(async () => {
    // Every rule axe enables by default: WCAG 2.0–2.2 A and AA and the best practices.
    const { violations, passes } = await window.axe.run(document, { resultTypes: ['violations'] });
    return {
      rules: passes.length + violations.length,
      bestPractices: [...passes, ...violations].filter((rule) => rule.tags.includes('best-practice')).length,
      violations: violations.map((rule) => ({
        id: rule.id,
        impact: rule.impact,
        help: rule.help,
        nodes: rule.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`),
      })),
    };
  });
  ctx.log(`${theme} · ${state}: ${result.rules} rules applied (${result.bestPractices} best practices), ${result.violations.length} violated`);
  const report = result.violations.map((rule) => `  [${rule.impact}] ${rule.id}: ${rule.help}\n${rule.nodes.map((node) => `    ${node}`).join('\n')}`).join('\n');
  ctx.assert.ok(result.bestPractices > 0, 'best-practice rules ran');
  ctx.assert.equal(result.violations.length, 0, `axe in ${theme}, ${state}:\n${report}`);
}

async function waitForThemeInFrame(ctx, label, view = 'Search') {
  const words = label.toLowerCase().split(' ');
  await ctx.waitFor(
    async () => {
      const frame = await viewFrame(ctx, view);
      const name = (await frame.evaluate(() => document.body.dataset.vscodeThemeName ?? '')).toLowerCase();
      return words.every((word) => name.includes(word));
    },
    { message: `the ${view} view in ${label}` },
  );
  // The colours the frame is measured in are the theme's variables: wait until the frame has the workbench's own.
  const variable = '--vscode-editor-foreground';
  await ctx.waitFor(
    async () => {
      const workbench = await ctx.page.locator('.monaco-workbench').first().evaluate((element, name) => getComputedStyle(element).getPropertyValue(name).trim(), variable);
      const frame = await viewFrame(ctx, view);
      const inFrame = await frame.evaluate((name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim(), variable);
      return workbench !== '' && workbench === inFrame;
    },
    { message: `the ${view} view's ${variable} to be the ${label} theme's` },
  );
}

async function openSearch(ctx) {
  await ctx.openPaperlensView();
  const web = ctx.webview('Search');
  await web.locator('#query').waitFor({ state: 'visible', timeout: 30_000 });
  return web;
}

/** Types a query the way the browse spec does (one input event), and waits for what the view shows for it. */
async function query(web, text) {
  await web.locator('#query').fill(text);
}

async function setFiltersOpen(web, open) {
  const toggle = web.locator('button[aria-controls="filters"]');
  if ((await toggle.getAttribute('aria-expanded')) !== String(open)) await toggle.click();
  await web.locator('#filters').waitFor({ state: open ? 'visible' : 'hidden', timeout: 30_000 });
}

/** The view with results for QUERY, the first active, the list focused and the first result expanded. */
async function showExpandedResult(ctx, web) {
  await query(web, QUERY);
  const first = web.locator('[role="row"]').first();
  await first.waitFor({ state: 'visible', timeout: 30_000 });
  await web.locator('#query').press('ArrowDown');
  await ctx.press('ArrowRight');
  await ctx.waitFor(async () => (await first.getAttribute('aria-expanded')) === 'true', { message: 'the first result expanded' });
}

/**
 * What has focus in the frame and how its focus shows: the outline's colour against the colour right outside it.
 * The tree shows focus on its active item (as VS Code's lists do), so the item's outline is measured for it.
 */
const DESCRIBE_FOCUS = () => {
  const parse = (text) => {
    const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(text);
    return match ? { r: +match[1], g: +match[2], b: +match[3], a: match[4] === undefined ? 1 : +match[4] } : undefined;
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  /** The colour an element's box shows: its own background over its ancestors', down to the page. */
  const backgroundOf = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color && color.a > 0) layers.push(color);
      if (color?.a === 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
  };
  const luminance = ({ r, g, b }) => {
    const channel = (value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const contrast = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };

  const focused = document.activeElement;
  if (!document.hasFocus() || !focused || focused === document.body) return { name: '(outside the view)' };
  const name = focused.id ? `#${focused.id}` : `${focused.tagName.toLowerCase()} "${focused.textContent.trim()}"`;
  const ringOn = focused.getAttribute('role') === 'treegrid' ? focused.querySelector('[aria-selected="true"]') : focused;
  if (!ringOn) return { name, ratio: 0, why: 'no active item shows the focus' };
  const style = getComputedStyle(ringOn);
  const width = parseFloat(style.outlineWidth);
  const ring = parse(style.outlineColor);
  if (style.outlineStyle === 'none' || !(width >= 1) || !ring || ring.a === 0) return { name, ratio: 0, why: `no outline (${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor})` };
  // An outline drawn outside the box sits on the parent's colour; one drawn on the box's edge (negative offset,
  // the tree's item) has the list's colour right outside it.
  const outside = backgroundOf(ringOn.parentElement);
  const solid = over(ring, outside);
  return {
    name,
    ratio: Math.round(contrast(solid, outside) * 100) / 100,
    why: `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} offset ${style.outlineOffset} on ${getComputedStyle(ringOn.parentElement).backgroundColor}`,
  };
};

/** Presses `key` until the focus leaves the view (at most `limit` times); returns each stop's description. */
async function walk(ctx, frame, key, limit = 20, view = 'Search') {
  const stops = [];
  for (let i = 0; i < limit; i += 1) {
    await ctx.press(key);
    const stop = await frame.evaluate(DESCRIBE_FOCUS);
    stops.push(stop);
    if (stop.name === '(outside the view)') return stops;
  }
  throw new Error(`${key} ${limit} times never left the ${view} view (a focus trap?): ${stops.map((stop) => stop.name).join(' → ')}`);
}

/** Focuses the toolbar from the keyboard, as a user does: a click on the active result, then Tab. */
async function focusActions(ctx, web) {
  await web.locator('[role="row"][aria-selected="true"] .title').click();
  await ctx.press('Tab');
  await ctx.waitFor(async () => web.locator('[role="toolbar"] button:focus').count(), { message: 'focus in the actions' });
}

const themeSlug = (label) => label.toLowerCase().replace(/\s+/g, '-');

/** One test per theme: every state audited, then focus rings and the Tab order with filters open. */
const themeTests = THEMES.map((theme) => ({
  name: `axe finds nothing and focus shows at 3:1 in ${theme}`,
  timeout: 300_000,
  run: async (ctx) => {
    await ctx.openFile('paper.tex');
    await ctx.waitForActivation();
    const web = await openSearch(ctx);
    await ctx.setTheme(theme);
    await waitForThemeInFrame(ctx, theme);
    await setFiltersOpen(web, false);

    await query(web, '');
    await web.locator('.message', { hasText: 'Type to search' }).waitFor({ state: 'visible', timeout: 30_000 });
    await audit(ctx, 'nothing typed', theme);

    await query(web, QUERY);
    await web.locator('[role="row"]').first().waitFor({ state: 'visible', timeout: 30_000 });
    await audit(ctx, 'results, focus in the search box', theme);

    await showExpandedResult(ctx, web);
    await audit(ctx, 'the first result expanded, focus in the list', theme);

    await setFiltersOpen(web, true);
    await audit(ctx, 'filters open', theme);

    // Tab from the search box to the end of the view and back: the order, no trap, a visible ring at every stop.
    await web.locator('#query').click();
    const frame = await prepareFrame(ctx);
    const forward = await walk(ctx, frame, 'Tab');
    // Back in: a click on the active result focuses the list; Tab goes on to the actions, with a keyboard ring.
    await focusActions(ctx, web);
    await ctx.screenshot(`focus-${themeSlug(theme)}`);
    await ctx.press('Shift+Tab');
    const fromList = await frame.evaluate(DESCRIBE_FOCUS);
    const backward = [fromList, ...(await walk(ctx, frame, 'Shift+Tab'))];
    const names = (stops) => stops.map((stop) => stop.name);
    ctx.log(`${theme} · Tab: #query → ${names(forward).join(' → ')}`);
    ctx.assert.deepEqual(names(forward), ['button "Filters"', '#year-from', '#year-to', '#source', 'button "Clear filters"', '#results', 'button "Cite"', '(outside the view)']);
    ctx.assert.deepEqual(names(backward), ['#results', 'button "Clear filters"', '#source', '#year-to', '#year-from', 'button "Filters"', '#query', '(outside the view)']);
    const weak = [...forward, ...backward].filter((stop) => stop.name !== '(outside the view)' && !(stop.ratio >= MIN_FOCUS_CONTRAST));
    ctx.assert.deepEqual(weak, [], `focus rings under ${MIN_FOCUS_CONTRAST}:1 in ${theme}`);

    // Within the toolbar the arrows move between the actions; each one's ring is measured too.
    await focusActions(ctx, web);
    const actions = [await frame.evaluate(DESCRIBE_FOCUS)];
    for (let i = 0; i < 5; i += 1) {
      await ctx.press('ArrowRight');
      actions.push(await frame.evaluate(DESCRIBE_FOCUS));
    }
    ctx.assert.deepEqual(
      names(actions).map((name) => name.replace(/ \(.*\)"$/, '"')),
      ['button "Cite"', 'button "Copy BibTeX"', 'button "Copy key"', 'button "Open source"', 'button "Similar papers"', 'button "Show less"'],
    );
    const weakActions = actions.filter((stop) => !(stop.ratio >= MIN_FOCUS_CONTRAST));
    ctx.assert.deepEqual(weakActions, [], `toolbar focus rings under ${MIN_FOCUS_CONTRAST}:1 in ${theme}`);
    await setFiltersOpen(web, false);

    await query(web, NO_MATCH_QUERY);
    await web.locator('.message', { hasText: 'No papers match' }).waitFor({ state: 'visible', timeout: 30_000 });
    await audit(ctx, 'no match', theme);

    // A failed first load, as the extension reports it: the view shows it as an alert with a button to the output.
    await frame.evaluate(() =>
      window.dispatchEvent(
        new MessageEvent('message', { data: { type: 'library', library: { state: 'failed', failure: 'papers.bib: permission denied', size: 0, sources: [] } } }),
      ),
    );
    await web.locator('[role="alert"]', { hasText: 'could not be loaded' }).waitFor({ state: 'visible', timeout: 30_000 });
    await audit(ctx, 'the library failed to load', theme);
    // Leaving the sidebar discards the view; coming back it asks the extension for the real library again.
    await ctx.runCommand('View: Show Explorer');
    await ctx.view('Library').waitFor({ state: 'hidden', timeout: 30_000 });
    await openSearch(ctx);
    await ctx.webview('Search').locator('[role="alert"]').filter({ hasText: 'could not be loaded' }).waitFor({ state: 'detached', timeout: 30_000 });
  },
}));

/** The aria-label and role of each rendered row of a tree view, top to bottom. */
async function spokenRows(ctx, viewName) {
  return ctx
    .view(viewName)
    .locator('.monaco-list-row')
    .evaluateAll((rows) => rows.map((row) => ({ label: row.getAttribute('aria-label') ?? '', role: row.getAttribute('role') ?? '' })));
}

export const tests = [
  {
    name: 'the search view announces loading, no match and errors through live regions',
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      const web = await openSearch(ctx);
      ctx.assert.equal(await web.locator('main').count(), 1);
      ctx.assert.equal(await web.locator('h1').innerText(), 'Search papers');
      ctx.assert.equal(await web.locator('.message').getAttribute('role'), 'status');
      ctx.assert.equal(await web.locator('.count').getAttribute('role'), 'status');
      ctx.assert.equal(await web.locator('.alert').getAttribute('role'), 'alert');
      await query(web, NO_MATCH_QUERY);
      await ctx.waitFor(async () => (await web.locator('.message').innerText()).startsWith(`No papers match “${NO_MATCH_QUERY}”`), { message: 'the no-match status' });
      await query(web, QUERY);
      const first = web.locator('[role="row"]').first();
      await first.waitFor({ state: 'visible', timeout: 30_000 });
      // A result is named by its title alone and described by its meta line.
      const title = await first.locator('.title').innerText();
      const named = await first.evaluate((item) => ({
        name: item.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id).textContent).join(' '),
        description: document.getElementById(item.getAttribute('aria-describedby')).textContent,
        meta: item.querySelector('.meta').textContent,
        controls: item.querySelectorAll('button, a, input, select, [tabindex]').length,
      }));
      ctx.assert.deepEqual(named, { name: title, description: named.meta, meta: named.meta, controls: 0 });
      ctx.assert.equal(await web.locator('.message').innerText(), '');
    },
  },
  ...themeTests,
  {
    name: 'every Library and Cited row reads as a short sentence with the tree item role',
    timeout: 150_000,
    run: async (ctx) => {
      await ctx.setTheme('Light 2026');
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await ctx.openPaperlensView();
      const library = ctx.view('Library');
      const rows = library.locator('.monaco-list-row');
      const source = rows.filter({ hasText: 'broken.bib' }).first();
      await source.waitFor({ state: 'visible', timeout: 30_000 });
      await source.click();
      await rows.filter({ hasText: 'Problems (1)' }).first().click();
      await rows.filter({ hasText: 'not terminated' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      const spoken = await spokenRows(ctx, 'Library');
      ctx.log(spoken.map((row) => `${row.role}: ${row.label}`).join('\n'));
      const labels = spoken.map((row) => row.label);
      ctx.assert.ok(labels.includes('broken.bib, 2 papers, 1 problem'), labels.join('\n'));
      ctx.assert.ok(labels.includes('1 problem'), labels.join('\n'));
      ctx.assert.ok(labels.some((label) => /^Problem at line 10: .*not terminated/.test(label)), labels.join('\n'));
      ctx.assert.ok(labels.includes('A Well Formed Entry, Good, 2020'), labels.join('\n'));
      ctx.assert.ok(labels.some((label) => /^papers\.txt, \d+ papers, \d+ duplicates$/.test(label)), labels.join('\n'));
      for (const row of spoken) {
        ctx.assert.equal(row.role, 'treeitem', row.label);
        ctx.assert.ok(row.label && !row.label.includes('\n') && !row.label.includes('/') && row.label.length <= 160, `short, one line, no path: "${row.label}"`);
      }

      const cited = await ctx.waitFor(async () => {
        const found = await spokenRows(ctx, 'Cited in this document');
        return found.length >= 3 && found;
      }, { message: 'the cited keys of paper.tex' });
      ctx.assert.match(cited[0].label, /^simonyan2015very, cited once: Very Deep Convolutional Networks/);
      await ctx.openFile('notes/plain.md');
      await ctx.waitFor(async () => {
        const found = await spokenRows(ctx, 'Cited in this document');
        return found.length === 1 && found[0].label === 'No citations yet. Press Enter to insert one.' && found[0].role === 'treeitem';
      }, { message: 'the one "No citations yet" row' });
    },
  },
  {
    name: 'a key containing $(…) reads as written in the Copy Key item, not as an icon',
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      await ctx.runCommand('Paperlens: Search Papers');
      // Into the pick's own input (its placeholder says so), never into whatever had focus before it opened.
      await ctx.page.locator('.quick-input-widget input[placeholder^="Search "]').fill('dollar signs');
      const row = ctx.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Dollar Signs In Keys' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.click();
      const copyKey = ctx.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Copy Key' }).first();
      await copyKey.waitFor({ state: 'visible', timeout: 30_000 });
      const description = (await copyKey.locator('.label-description').innerText()).replace(/\u200b/g, '');
      ctx.assert.equal(description, 'odd$(key)2020');
      await copyKey.click();
      await ctx.waitFor(async () => (await ctx.clipboard()) === 'odd$(key)2020', { message: 'the key on the clipboard' });
    },
  },
  {
    // The Related view (new this round) follows the Search view's rules: a grid whose rows hold no control,
    // one toolbar for the active paper, live regions; audited in every theme with papers shown and the list focused.
    name: 'the Related view: axe finds nothing and focus shows at 3:1 in every theme',
    timeout: 600_000,
    run: async (ctx) => {
      await ctx.openFile('paper.tex');
      await ctx.waitForActivation();
      const web = await showRelatedView(ctx);
      await ctx.openFile('paper.tex');
      await ctx.gotoLine(PAPER_TEX_EMPTY_LINE, 1);
      await ctx.type(ANYFIT_PARAGRAPH);
      const first = web.locator('[role="row"]').first();
      await ctx.waitFor(async () => ANYFIT_TITLE.test((await first.locator('.title').allInnerTexts())[0] ?? ''), { message: 'AnyFit first in the Related view' });
      for (const theme of THEMES) {
        await ctx.setTheme(theme);
        await waitForThemeInFrame(ctx, theme, 'Related');
        await audit(ctx, 'Related, papers for the paragraph', theme, 'Related');
        // From the heading, Tab walks the view as a keyboard user does: the list, then each action, then out.
        await web.locator('main h1').click();
        await ctx.press('Tab');
        const frame = await prepareFrame(ctx, 'Related');
        const inList = await frame.evaluate(DESCRIBE_FOCUS);
        await audit(ctx, 'Related, focus in the list', theme, 'Related');
        const forward = [inList, ...(await walk(ctx, frame, 'Tab', 20, 'Related'))];
        const names = forward.map((stop) => (stop.name.startsWith('div ') ? 'the list' : stop.name));
        ctx.log(`${theme} · Related, Tab: ${names.join(' → ')}`);
        ctx.assert.deepEqual(names, ['the list', 'button "Cite"', 'button "Open"', 'button "Similar"', '(outside the view)']);
        const weak = forward.filter((stop) => stop.name !== '(outside the view)' && !(stop.ratio >= MIN_FOCUS_CONTRAST));
        ctx.assert.deepEqual(weak, [], `Related view focus rings under ${MIN_FOCUS_CONTRAST}:1 in ${theme}`);
      }
      await ctx.setTheme('Light 2026');
    },
  },
];
