/**
 * Paperlens end-to-end harness: the packaged extension in a real VS Code (code-server) driven through headless
 * Chromium with playwright-core. `npm run test:e2e` (test/e2e/run.mjs) packages the .vsix, installs it, and runs
 * every test/e2e/*.spec.mjs in alphabetical order.
 *
 * WRITING A SPEC
 *
 *   // test/e2e/20-cite.spec.mjs
 *   export const tests = [
 *     {
 *       name: 'completes \\cite{ with bundled papers',
 *       timeout: 120_000,                      // optional, ms; default 90 s per test
 *       run: async (ctx) => {
 *         await ctx.openFile('paper.tex');
 *         await ctx.waitForActivation();       // before typing: a trigger typed earlier only gets word completions
 *         await ctx.gotoLine(12, 1);
 *         await ctx.type('\\cite{');           // Monaco auto-closes the brace: the text is now \cite{}
 *         const labels = await ctx.suggestions();
 *         ctx.assert.ok(labels.some((label) => label.includes('barabasi')), labels.join('\n'));
 *       },
 *     },
 *   ];
 *
 *   // Optional: files written into the workspace before its window opens (paths relative to the workspace),
 *   // e.g. a .vscode/settings.json for workspace settings.
 *   export const workspaceFiles = { 'notes/empty.md': '# Empty\n' };
 *
 * ISOLATION: each spec FILE gets a fresh copy of examples/ as its workspace and its own browser page opened on
 * it (a fresh workbench; the extension activates again). The tests inside one file run in order and share
 * that window and workspace, so a later test sees what an earlier one left (open editors, edited files).
 * Every run has a fresh user-data-dir and extensions-dir; user settings keep the UI deterministic (no welcome
 * page, no telemetry, no workspace trust prompt, no AI chat, auto save off).
 *
 * ON FAILURE the runner saves test/e2e/screenshots/<spec>--<test>--failure.png, prints the tails of the
 * extension host log and of the Paperlens log channel, and closes the window: the next test of the file gets a
 * fresh window on the same workspace, so a test should open the file it needs and waitForActivation() itself.
 * Nothing is ever skipped; `node test/e2e/run.mjs cite` runs only matching spec files, and is refused under CI.
 *
 * THE CONTEXT `ctx` each test receives
 *   page                       playwright-core Page of the workbench
 *   workspace                  absolute path of this spec file's workspace folder
 *   specName                   e.g. '20-cite'
 *   assert                     node:assert/strict
 *   waitFor(fn, {timeout, interval, message})   polls fn (sync or async) until it returns a truthy value; returns it
 *
 *   openFile(relPath)          opens a workspace file through Quick Open and focuses its editor
 *   waitForActivation()        waits for the status bar "Paperlens: N papers"; returns N
 *   statusBarItem(text)        Locator of the status bar entry whose text contains `text` (string or RegExp)
 *   runCommand(title)          F1, types the title (e.g. 'Paperlens: Search Papers'), runs the exact match; returns
 *                              once the palette closed or the command's own quick pick replaced it
 *   setTheme(label)            picks a colour theme by its label in the picker: 'Light Modern', 'Dark Modern',
 *                              'Dark High Contrast', 'Light High Contrast' ('Light 2026' is the default)
 *   openPaperlensView()        clicks the Paperlens activity bar item (if its sidebar is not already shown)
 *   view(name)                 Locator of the sidebar pane with this title (e.g. 'Library', 'Cited in this document')
 *   treeRows(name)             the rendered rows of that pane's tree, top to bottom: [{ label, description }]
 *   webview(viewTitle)         FrameLocator of the content of Paperlens's webview view 'Search' or 'Related' (the
 *                              one expanded: expand one at a time); use it like page
 *
 *   type(text)                 types into the active editor, key by key as a user does, once no quick input or
 *                              dialog is open and the editor has the focus (for a webview's box, use the
 *                              Locator's pressSequentially, which focuses it first)
 *   typeInQuickInput(text)     types into the quick input a command opened, once it is shown, its box has the
 *                              focus and is empty; returns when the box holds exactly `text`
 *   press(key)                 page.keyboard.press, e.g. 'Enter', 'Control+Space', 'Escape'
 *   gotoLine(line, column=1)   moves the caret of the active editor (1-based) through "Go to Line"; returns once
 *                              the status bar shows the caret on that line and the editor has the focus
 *   save()                     Ctrl+S on the active editor and waits until its tab is no longer dirty
 *   visibleEditorText()        text of the lines the active editor currently renders (not the whole file)
 *   waitForSymbolInBreadcrumbs(name)   waits until the active editor's breadcrumbs show the symbol `name` (e.g. the
 *                              heading the caret is under): the language server that serves the document has
 *                              started and registered its providers. Wait for it before typing `[@` in Markdown:
 *                              VS Code's Markdown server registering a provider while a list is open re-asks as if
 *                              no trigger was typed, and Markdown (no quick suggestions) then closes the list
 *   suggestions({timeout})     waits for the suggest widget; returns its rows' texts ([] when it says "No suggestions.");
 *                              on a timeout the error says what the widget showed instead (e.g. "Loading...")
 *   codeAction(title)          opens the Quick Fix menu (Ctrl+.) at the caret until it lists an action whose title
 *                              contains `title`; returns that item's Locator. The menu lists what the providers
 *                              answered for the diagnostics the editor had when it opened, so it is opened again
 *                              (Escape, Ctrl+.) each time it answers without the action, as a user would
 *   acceptSuggestion(text)     selects the suggest row containing `text` (arrow keys) and presses Enter
 *   showHover({timeout})       runs "Show or Focus Hover" at the caret; returns the hover's text once loaded
 *   notifications()            texts of the notification toasts currently shown
 *   clipboard()                the browser clipboard's text (read/write permissions are granted)
 *   assertStaysUnchanged(rel, text, {during})   fails as soon as the file differs from `text` within `during` ms
 *                              (default 3 s): the one check that is bounded by time, because "nothing
 *                              happened" has no event to wait for; it can miss a late change, never fail a
 *                              correct extension for being slow
 *
 *   readWorkspaceFile(rel)     file text on disk (utf8)
 *   writeWorkspaceFile(rel, text)   writes a file into the workspace (folders created)
 *   exthostLog()               the text of this window's extension host log so far
 *   paperlensLog()             the text of this window's "Paperlens" log channel so far ('' before activation)
 *   screenshot(name)           saves test/e2e/screenshots/<spec>--<name>.png; returns the path
 *   log(message)               prints an indented line under the current test
 *
 * The module also exports `selectors`: CSS selectors of the workbench parts the helpers use (status bar entries,
 * quick input rows, suggest rows, hover, active tab, focused editor, toasts), for specs that need them directly,
 * and UI_TIMEOUT, the limit for one wait in the UI (30 s times PAPERLENS_E2E_TIMEOUT_SCALE), for specs' own waits.
 *
 * WAITS: every helper waits for the state its next key needs (the palette or picker shown, its box focused and
 * empty; the editor focused and no overlay open; the suggest widget or hover shown) and never sleeps or retries
 * after a fixed time: on a loaded machine a key typed a little too early goes to the wrong place (a picker once got
 * "rnetworks" for "hypernetworks"). Specs do the same: wait for what the user would see, never waitForTimeout.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * PAPERLENS_E2E_TIMEOUT_SCALE (default 1) multiplies every time limit of the runner and the helpers: limits only
 * catch a hang, and a machine deliberately loaded (npm run test:load) is that many times slower.
 */
export const TIMEOUT_SCALE = timeoutScale(process.env.PAPERLENS_E2E_TIMEOUT_SCALE);
export const DEFAULT_TEST_TIMEOUT = 90_000 * TIMEOUT_SCALE;
/** How long a clicked Quick Open row may take to close the picker before the click counts as lost. */
const CLICK_TAKEN_TIMEOUT = 5_000 * TIMEOUT_SCALE;
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const WEBVIEW_VIEWS = Object.values(manifest.contributes.views)
  .flat()
  .filter((view) => view.type === 'webview')
  .map((view) => view.name);
/** Generous: this machine's 2 cores are shared, and the workbench alone takes ~13 s to appear. */
export const UI_TIMEOUT = 30_000 * TIMEOUT_SCALE;

function timeoutScale(setting) {
  if (setting === undefined || setting === '') return 1;
  const scale = Number(setting);
  if (!(scale >= 1)) throw new Error(`PAPERLENS_E2E_TIMEOUT_SCALE must be a number ≥ 1, not "${setting}"`);
  return scale;
}

export const selectors = {
  workbench: '.monaco-workbench',
  statusBarEntry: '#workbench\\.parts\\.statusbar .statusbar-item',
  activityBarItem: (label) => `.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item [aria-label^="${label}"]`,
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .monaco-list-row',
  suggestRow: '.editor-widget.suggest-widget.visible .monaco-list-row',
  hover: '.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents',
  activeTab: '.tabs-container .tab.active',
  focusedEditor: '.editor-instance .monaco-editor.focused',
  notificationToast: '.notifications-toasts .notification-toast',
};

/** The `ctx` of one spec file's window: `userDataDir` is where its logs are, `screenshotsDir` gets its pictures. */
export function createContext({ page, workspace, specName, userDataDir, screenshotsDir, print }) {
  const ctx = {
    page,
    workspace,
    specName,
    assert,

    async waitFor(fn, { timeout = UI_TIMEOUT, interval = 250, message = 'condition' } = {}) {
      const deadline = Date.now() + timeout;
      let lastError;
      for (;;) {
        try {
          const value = await fn();
          if (value) return value;
        } catch (error) {
          lastError = error;
        }
        if (Date.now() > deadline) {
          throw new Error(`Timed out after ${timeout} ms waiting for ${message}${lastError ? `: ${lastError.message}` : ''}`);
        }
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    },

    async openFile(relPath) {
      await dismissOverlays(page);
      await page.keyboard.press('Control+P');
      const box = await quickInputBox(page, { value: '', what: 'Quick Open' });
      await box.fill(relPath);
      // File search answers asynchronously and rebuilds the list as it does, so Enter could land between two
      // versions of it and open nothing: click the row naming the file (in its folder), then wait for its tab.
      // A click can be lost the same way (the row replaced between mouse down and up; seen under load, the
      // picker then stays open on the row): while the picker still shows the row, click it again. Opening the same
      // file twice is harmless, so this is the one place a helper repeats an action.
      const folder = dirname(relPath);
      let row = page.locator(selectors.quickInputRow).filter({ has: page.locator('.label-name', { hasText: exactly(basename(relPath)) }) });
      if (folder !== '.') row = row.filter({ has: page.locator('.label-description', { hasText: folder }) });
      const picker = page.locator(selectors.quickInput);
      await ctx.waitFor(
        async () => {
          if (!(await picker.isVisible())) return true;
          await row.first().click({ timeout: UI_TIMEOUT });
          return picker.waitFor({ state: 'hidden', timeout: CLICK_TAKEN_TIMEOUT }).then(
            () => true,
            () => false,
          );
        },
        { message: `Quick Open to open ${relPath}` },
      );
      await page.locator(selectors.activeTab).filter({ hasText: basename(relPath) }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await focusActiveEditor(page);
    },

    async waitForActivation({ timeout = 120_000 * TIMEOUT_SCALE } = {}) {
      // Also wait for the failure text, so a broken library fails the test at once rather than at the timeout.
      const item = ctx.statusBarItem(/Paperlens: (\d+ papers?|library failed)/).first();
      await item.waitFor({ state: 'visible', timeout });
      const text = await item.innerText();
      const count = /Paperlens: (\d+)/.exec(text);
      if (!count) throw new Error(`The status bar says "${text.trim()}" (the Paperlens log follows below)`);
      return Number(count[1]);
    },

    async treeRows(viewName) {
      return ctx
        .view(viewName)
        .locator('.monaco-list-row')
        .evaluateAll((rows) =>
          rows.map((row) => ({
            label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
            description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
          })),
        );
    },

    statusBarItem(text) {
      return page.locator(selectors.statusBarEntry).filter({ hasText: text });
    },

    async runCommand(title) {
      const row = page
        .locator(selectors.quickInputRow)
        .filter({ has: page.locator('.label-name', { hasText: exactly(title) }) })
        .first();
      await dismissOverlays(page);
      await page.keyboard.press('F1');
      const input = await quickInputBox(page, { value: '>', what: 'the command palette' });
      await input.fill(`>${title}`);
      await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await row.click();
      // Done when the palette has closed, or has been replaced by the command's own quick pick (no '>' prefix).
      await ctx.waitFor(
        async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'),
        { message: `the command palette to close after "${title}"` },
      );
    },

    async setTheme(label) {
      await ctx.runCommand('Preferences: Color Theme');
      const input = await quickInputBox(page, { value: '', what: 'the colour theme picker' });
      await input.fill(label);
      // Enter accepts the active row: wait until the filtered list has made the wanted theme the active one.
      await page
        .locator(`${selectors.quickInputRow}.focused`)
        .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
        .first()
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await input.press('Enter');
      await page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    },

    async openPaperlensView() {
      if (await ctx.view('Library').isVisible()) return;
      await page.locator(selectors.activityBarItem('Paperlens')).first().click();
      await ctx.view('Library').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    },

    view(name) {
      return page
        .locator('.part.sidebar .pane')
        .filter({ has: page.locator('.pane-header', { has: page.locator('h3.title', { hasText: exactly(name) }) }) })
        .first();
    },

    webview(viewTitle) {
      if (!WEBVIEW_VIEWS.includes(viewTitle)) {
        throw new Error(`"${viewTitle}" is not a webview view of Paperlens (those are: ${WEBVIEW_VIEWS.join(', ')})`);
      }
      // The outer iframe carries no view title, only the extension (and `purpose=webviewView` on first load, but not
      // when the view is restored after being hidden). A collapsed or hidden view's webview stays in the page, made
      // invisible: so the visible one is the view asked for, as long as one webview view is expanded at a time (a
      // spec that shows another collapses the Search view first; Related starts collapsed). Its content is the
      // inner frame #active-frame.
      return page
        .frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]:visible`)
        .frameLocator('#active-frame');
    },

    async type(text) {
      await page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      await page.locator(selectors.focusedEditor).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.keyboard.type(text, { delay: 25 });
    },

    async typeInQuickInput(text) {
      const input = await quickInputBox(page, { value: '', what: 'an empty quick input' });
      await page.keyboard.type(text, { delay: 25 });
      await ctx.waitFor(async () => (await input.inputValue()) === text, {
        message: `the quick input to hold "${text}" (it holds "${await input.inputValue().catch(() => '?')}")`,
      });
    },

    async press(key) {
      await page.keyboard.press(key);
    },

    async gotoLine(line, column = 1) {
      await dismissOverlays(page);
      await focusActiveEditor(page);
      await page.keyboard.press('Control+G');
      const input = await quickInputBox(page, { value: ':', what: 'Go to Line' });
      await input.fill(`:${line}:${column}`);
      // Enter before the picker has turned this text into its "go to line" row does nothing: wait for the row
      // naming this line (not one left from an earlier text), then press Enter on the input itself.
      await page
        .locator(selectors.quickInputRow)
        .filter({ hasText: new RegExp(`line ${line}\\b`) })
        .first()
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await input.press('Enter');
      await page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      await ctx.statusBarItem(new RegExp(`^\\s*Ln ${line}, Col \\d+`)).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await focusActiveEditor(page);
    },

    async save() {
      await page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      await page.keyboard.press('Control+S');
      await page.locator(`${selectors.activeTab}.dirty`).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    },

    async visibleEditorText() {
      const lines = await page
        .locator(`${selectors.focusedEditor} .view-lines .view-line`)
        .evaluateAll((nodes) =>
          nodes
            .map((node) => ({ top: parseFloat(node.style.top) || 0, text: node.textContent ?? '' }))
            .sort((a, b) => a.top - b.top)
            .map((line) => line.text),
        );
      return lines.join('\n').replace(/\u00a0/g, ' ');
    },

    async waitForSymbolInBreadcrumbs(name, { timeout = 60_000 * TIMEOUT_SCALE } = {}) {
      await page.locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: name }).first().waitFor({ state: 'visible', timeout });
    },

    async suggestions({ timeout = UI_TIMEOUT } = {}) {
      const rows = page.locator(selectors.suggestRow);
      // The widget says "No suggestions." once every provider has answered with nothing: that is an answer too.
      const none = page.locator('.editor-widget.suggest-widget.visible .message', { hasText: 'No suggestions' });
      await rows.first().or(none).first().waitFor({ state: 'visible', timeout }).catch(async (error) => {
        const widget = await page
          .locator('.editor-widget.suggest-widget')
          .first()
          .evaluate((node) => `class "${node.className}", text "${(node.textContent ?? '').trim().slice(0, 200)}"`, undefined, { timeout: 1_000 })
          .catch(() => 'not in the page');
        error.message = `${error.message}\nthe suggest widget then: ${widget}`;
        throw error;
      });
      if (await none.isVisible()) return [];
      return rows.evaluateAll((nodes) => nodes.map((node) => (node.innerText ?? '').replace(/\s+/g, ' ').trim()));
    },

    async acceptSuggestion(text, { timeout = UI_TIMEOUT } = {}) {
      const target = page.locator(selectors.suggestRow).filter({ hasText: text }).first();
      await target.waitFor({ state: 'visible', timeout });
      // Arrow down until the wanted row is the focused one: clicking a row would steal the editor's focus.
      for (let step = 0; step < 50; step++) {
        const focused = page.locator(`${selectors.suggestRow}.focused`).filter({ hasText: text });
        if (await focused.count()) {
          await page.keyboard.press('Enter');
          return;
        }
        await page.keyboard.press('ArrowDown');
      }
      throw new Error(`No suggestion containing "${text}" could be focused`);
    },

    async codeAction(title, { timeout = UI_TIMEOUT } = {}) {
      const menu = page.locator('.action-widget');
      const action = menu.locator('.monaco-list-row', { hasText: title }).first();
      // What Ctrl+. opens once the providers answered: the menu, or the editor's "No code actions available".
      const answered = menu.or(page.locator('.monaco-editor-overlaymessage')).first();
      await ctx.waitFor(
        async () => {
          if (await action.isVisible()) return true;
          await page.keyboard.press('Escape');
          await focusActiveEditor(page);
          await page.keyboard.press('Control+.');
          await answered.waitFor({ state: 'visible', timeout: CLICK_TAKEN_TIMEOUT }).catch(() => {});
          return action.isVisible();
        },
        { timeout, message: `the Quick Fix menu to list "${title}"` },
      );
      return action;
    },

    async showHover({ timeout = UI_TIMEOUT } = {}) {
      await ctx.runCommand('Show or Focus Hover');
      const hover = page.locator(selectors.hover).first();
      await hover.waitFor({ state: 'visible', timeout });
      // The hover opens with "Loading..." while the providers answer.
      return ctx.waitFor(async () => {
        const text = await hover.innerText();
        return !/^\s*Loading\b/.test(text) && text;
      }, { timeout, message: 'the hover to finish loading' });
    },

    async notifications() {
      return page.locator(selectors.notificationToast).allInnerTexts();
    },

    async clipboard() {
      return page.evaluate(() => navigator.clipboard.readText());
    },

    async assertStaysUnchanged(rel, text, { during = 3_000 } = {}) {
      const until = Date.now() + during;
      do {
        assert.equal(await ctx.readWorkspaceFile(rel), text, `${rel} changed`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      } while (Date.now() < until);
    },

    async readWorkspaceFile(rel) {
      return readFile(join(workspace, rel), 'utf8');
    },

    async writeWorkspaceFile(rel, text) {
      const file = join(workspace, rel);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    },

    async exthostLog() {
      const [hostLog] = await latestWindowLogs(userDataDir);
      return hostLog ? readFile(hostLog, 'utf8') : '';
    },

    async paperlensLog() {
      const [, paperlensLog] = await latestWindowLogs(userDataDir);
      return paperlensLog ? readFile(paperlensLog, 'utf8') : '';
    },

    async screenshot(name) {
      return takeScreenshot(page, screenshotsDir, `${specName}--${name}`);
    },

    log(message) {
      print(`      ${message}`);
    },
  };
  return ctx;
}

export async function takeScreenshot(page, screenshotsDir, name) {
  await mkdir(screenshotsDir, { recursive: true });
  const path = join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * The extension host logs under <user-data-dir>/logs, oldest first: one folder per window,
 * <time>/exthost<N>/remoteexthost.log, with each extension's log channels beside it (paperlens.paperlens/Paperlens.log).
 */
async function exthostLogFiles(userDataDir) {
  const logs = join(userDataDir, 'logs');
  const entries = await readdir(logs, { recursive: true }).catch(() => []);
  const files = entries.filter((entry) => basename(entry) === 'remoteexthost.log').map((entry) => join(logs, entry));
  const dated = await Promise.all(files.map(async (file) => ({ file, time: (await stat(file)).birthtimeMs })));
  return dated.sort((a, b) => a.time - b.time).map((entry) => entry.file);
}

/** The newest window's extension host log and the Paperlens log channel beside it (when it exists). */
export async function latestWindowLogs(userDataDir) {
  const hostLog = (await exthostLogFiles(userDataDir)).pop();
  if (!hostLog) return [];
  const paperlensLog = join(dirname(hostLog), 'paperlens.paperlens', 'Paperlens.log');
  return [hostLog, ...((await stat(paperlensLog).catch(() => null)) ? [paperlensLog] : [])];
}

/** The last `lines` lines of each file, each under its path. */
export async function tailOfLogs(files, lines) {
  const tails = await Promise.all(
    files.map(async (file) => `${file}:\n${(await readFile(file, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-lines).join('\n')}`),
  );
  return tails.join('\n') || '(no extension host log yet)';
}

/**
 * The quick input's box once the picker is shown, the box has the keyboard focus and holds `value` (the palette
 * opens with '>', Go to Line with ':', Quick Open and a command's own pick empty): a key typed before that goes
 * to whatever had the focus, or is lost.
 */
async function quickInputBox(page, { value, what }) {
  const box = page.locator(selectors.quickInputBox).first();
  await box.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  try {
    await page.waitForFunction(
      ([selector, expected]) => {
        const input = document.querySelector(selector);
        return input !== null && input.offsetParent !== null && document.activeElement === input && input.value === expected;
      },
      [selectors.quickInputBox, value],
      { timeout: UI_TIMEOUT, polling: 100 },
    );
  } catch (error) {
    const state = await box.evaluate((input) => ({ focused: document.activeElement === input, value: input.value })).catch(() => null);
    const seen = state ? `its box ${state.focused ? 'has' : 'lacks'} the focus and holds "${state.value}"` : 'its box is gone';
    throw new Error(`${what} was not ready for typing (${seen}, expected "${value}"): ${error.message}`);
  }
  return box;
}

async function focusActiveEditor(page) {
  const focused = page.locator(selectors.focusedEditor);
  if (await focused.count()) return;
  await page.keyboard.press('Escape');
  // "View: Focus Active Editor Group" through its default chord would be locale-dependent; click the text area.
  await page.locator('.editor-instance .monaco-editor textarea.inputarea, .editor-instance .monaco-editor .native-edit-context').first().focus();
  await focused.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
}

/** Closes what would swallow the next shortcut: the quick input, a dialog, a modal editor; one Escape each. */
async function dismissOverlays(page) {
  for (const overlay of [selectors.quickInput, '.monaco-dialog-box', '.modal-editor-part']) {
    const shown = page.locator(overlay).first();
    if (!(await shown.isVisible())) continue;
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }
}

function exactly(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
