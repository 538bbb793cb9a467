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
 *   openFile(relPath)          opens a workspace file (Quick Open, then the Explorer as fallback) and focuses its editor
 *   waitForActivation()        waits for the status bar "Paperlens: N papers"; returns N
 *   statusBarItem(text)        Locator of the status bar entry whose text contains `text` (string or RegExp)
 *   runCommand(title)          F1, types the title (e.g. 'Paperlens: Search Papers'), runs the exact match; returns
 *                              once the palette closed or the command's own quick pick replaced it
 *   setTheme(label)            picks a colour theme by its label in the picker: 'Light Modern', 'Dark Modern',
 *                              'Dark High Contrast', 'Light High Contrast' ('Light 2026' is the default)
 *   openPaperlensView()        clicks the Paperlens activity bar item (if its sidebar is not already shown)
 *   view(name)                 Locator of the sidebar pane with this title (e.g. 'Library', 'Cited in this document')
 *   webview(viewTitle)         FrameLocator of the content of Paperlens's webview view 'Search' or 'Related' (the
 *                              one expanded: expand one at a time); use it like page
 *
 *   type(text)                 types into whatever has focus (key by key, as a user does)
 *   press(key)                 page.keyboard.press, e.g. 'Enter', 'Control+Space', 'Escape'
 *   gotoLine(line, column=1)   moves the caret of the active editor (1-based) through "Go to Line"
 *   save()                     Ctrl+S on the active editor and waits until its tab is no longer dirty
 *   visibleEditorText()        text of the lines the active editor currently renders (not the whole file)
 *   suggestions({timeout})     waits for the suggest widget; returns its rows' texts ([] when it says "No suggestions.")
 *   acceptSuggestion(text)     selects the suggest row containing `text` (arrow keys) and presses Enter
 *   showHover({timeout})       runs "Show or Focus Hover" at the caret; returns the hover's text
 *   notifications()            texts of the notification toasts currently shown
 *   clipboard()                the browser clipboard's text (read/write permissions are granted)
 *
 *   readWorkspaceFile(rel)     file text on disk (utf8)
 *   writeWorkspaceFile(rel, text)   writes a file into the workspace (folders created)
 *   exthostLog()               the text of this window's extension host log so far
 *   paperlensLog()             the text of this window's "Paperlens" log channel so far ('' before activation)
 *   screenshot(name)           saves test/e2e/screenshots/<spec>--<name>.png; returns the path
 *   log(message)               prints an indented line under the current test
 *
 * The module also exports `selectors`: CSS selectors of the workbench parts the helpers use (status bar entries,
 * quick input rows, suggest rows, hover, active tab, focused editor, toasts), for specs that need them directly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const DEFAULT_TEST_TIMEOUT = 90_000;
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const WEBVIEW_VIEWS = Object.values(manifest.contributes.views)
  .flat()
  .filter((view) => view.type === 'webview')
  .map((view) => view.name);
/** Generous: this machine's 2 cores are shared, and the workbench alone takes ~13 s to appear. */
const UI_TIMEOUT = 30_000;

export const selectors = {
  workbench: '.monaco-workbench',
  statusBarEntry: '#workbench\\.parts\\.statusbar .statusbar-item',
  activityBarItem: (label) => `.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item [aria-label^="${label}"]`,
  quickInput: '.quick-input-widget',
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
        await page.waitForTimeout(interval);
      }
    },

    async openFile(relPath) {
      const name = basename(relPath);
      const tab = page.locator(selectors.activeTab).filter({ hasText: name });
      await retry(`open ${relPath}`, async (attempt) => {
        if (attempt % 2 === 0) await openWithQuickOpen(page, relPath);
        else await openWithExplorer(page, relPath);
        await tab.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT / 2 });
      });
      await focusActiveEditor(page);
    },

    async waitForActivation({ timeout = 120_000 } = {}) {
      // Also wait for the failure text, so a broken library fails the test at once rather than at the timeout.
      const item = ctx.statusBarItem(/Paperlens: (\d+ papers?|library failed)/).first();
      await item.waitFor({ state: 'visible', timeout });
      const text = await item.innerText();
      const count = /Paperlens: (\d+)/.exec(text);
      if (!count) throw new Error(`The status bar says "${text.trim()}" (the Paperlens log follows below)`);
      return Number(count[1]);
    },

    statusBarItem(text) {
      return page.locator(selectors.statusBarEntry).filter({ hasText: text });
    },

    async runCommand(title) {
      const input = page.locator(`${selectors.quickInput} input`);
      const row = page
        .locator(selectors.quickInputRow)
        .filter({ has: page.locator('.label-name', { hasText: exactly(title) }) })
        .first();
      // Only finding the command is retried: once chosen it has run, and running it twice could edit twice.
      await retry(`find the command "${title}"`, async () => {
        await dismissOverlays(page);
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT / 2 });
        await input.fill(`>${title}`);
        await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT / 2 });
      });
      await row.click();
      // Done when the palette has closed, or has been replaced by the command's own quick pick (no '>' prefix).
      await ctx.waitFor(
        async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'),
        { timeout: UI_TIMEOUT / 2, message: `the command palette to close after "${title}"` },
      );
    },

    async setTheme(label) {
      await ctx.runCommand('Preferences: Color Theme');
      const input = page.locator(`${selectors.quickInput} input`);
      await input.fill(label);
      await page
        .locator(selectors.quickInputRow)
        .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
        .first()
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.keyboard.press('Enter');
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
      await page.keyboard.type(text, { delay: 25 });
    },

    async press(key) {
      await page.keyboard.press(key);
    },

    async gotoLine(line, column = 1) {
      await page.keyboard.press('Control+G');
      const input = page.locator(`${selectors.quickInput} input`);
      await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await input.fill(`:${line}:${column}`);
      // Enter before the picker has turned the text into its "go to line" row does nothing: wait for the row.
      await page.locator(selectors.quickInputRow).filter({ hasText: /line \d+/ }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await ctx.waitFor(
        async () => {
          if (!(await page.locator(selectors.quickInput).isVisible())) return true;
          // Pressed on the input itself, so an Enter can never land in the editor once the picker has closed.
          await input.press('Enter', { timeout: 1_000 }).catch(() => {});
          return false;
        },
        { interval: 1_000, message: `"Go to Line" to accept ${line}:${column}` },
      );
      await focusActiveEditor(page);
    },

    async save() {
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

    async suggestions({ timeout = UI_TIMEOUT } = {}) {
      const rows = page.locator(selectors.suggestRow);
      // The widget says "No suggestions." once every provider has answered with nothing: that is an answer too.
      const none = page.locator('.editor-widget.suggest-widget.visible .message', { hasText: 'No suggestions' });
      await rows.first().or(none).first().waitFor({ state: 'visible', timeout });
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

    async showHover({ timeout = UI_TIMEOUT } = {}) {
      await ctx.runCommand('Show or Focus Hover');
      const hover = page.locator(selectors.hover).first();
      await hover.waitFor({ state: 'visible', timeout });
      return hover.innerText();
    },

    async notifications() {
      return page.locator(selectors.notificationToast).allInnerTexts();
    },

    async clipboard() {
      return page.evaluate(() => navigator.clipboard.readText());
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

async function openWithQuickOpen(page, relPath) {
  await dismissOverlays(page);
  await page.keyboard.press('Control+P');
  const input = page.locator(`${selectors.quickInput} input`);
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT / 2 });
  await input.fill(relPath);
  // File search answers asynchronously and the list is rebuilt as it does: Enter can land between two versions
  // of the list and open nothing, so click the row naming the file.
  await page
    .locator(selectors.quickInputRow)
    .filter({ hasText: basename(relPath) })
    .first()
    .click({ timeout: UI_TIMEOUT / 2 });
}

async function openWithExplorer(page, relPath) {
  await dismissOverlays(page);
  await page.keyboard.press('Control+Shift+E');
  // Only top-level files and already-expanded folders are reachable by one click; Quick Open covers the rest.
  const row = page.locator('.explorer-viewlet .monaco-list-row').filter({ hasText: exactly(basename(relPath)) });
  await row.first().click({ timeout: UI_TIMEOUT / 2 });
}

async function focusActiveEditor(page) {
  const focused = page.locator(selectors.focusedEditor);
  if (await focused.count()) return;
  await page.keyboard.press('Escape');
  // "View: Focus Active Editor Group" through its default chord would be locale-dependent; click the text area.
  await page.locator('.editor-instance .monaco-editor textarea.inputarea, .editor-instance .monaco-editor .native-edit-context').first().focus();
  await focused.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
}

/** Closes what would swallow the next shortcut: the quick input, a dialog, a modal editor. */
async function dismissOverlays(page) {
  const overlays = page.locator(`${selectors.quickInput}, .monaco-dialog-box, .modal-editor-part`);
  for (let attempt = 0; attempt < 3 && (await overlays.first().isVisible()); attempt++) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
}

async function retry(what, attempt, times = 3) {
  let lastError;
  for (let index = 0; index < times; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`Could not ${what} after ${times} attempts: ${lastError.message}`);
}

function exactly(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
