// The Related view's webview: the papers that speak to the paragraph at the cursor, best first. A grid of rows, as
// the Search view's (each named by its title, described by authors · year and the reason: an option named by less
// than its visible text is a name/content mismatch), and one toolbar acting on the active row (Cite, Open,
// Similar): no control sits inside a row. Loading, "too short" and "no related papers" go to a status
// live region, failures to an alert.
import type { RelatedAction, RelatedPaperView, RelatedToExtension, RelatedToWebview, RelatedViewState } from './relatedMessages';

declare function acquireVsCodeApi(): { postMessage(message: RelatedToExtension): void };
const vscode = acquireVsCodeApi();

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const main = element('main', { 'aria-labelledby': 'related-heading' });
const heading = element('h1', { id: 'related-heading' }, 'Related papers');
const back = element('button', { type: 'button', class: 'back', hidden: '' }, 'Back to the paragraph');
const status = element('p', { role: 'status', class: 'status' });
const alert = element('p', { role: 'alert', class: 'alert' });
const list = element('div', { role: 'grid', 'aria-labelledby': 'related-heading', tabindex: '0', class: 'papers' });
const toolbar = element('div', { role: 'toolbar', 'aria-label': 'Actions on the selected paper', class: 'toolbar' });
const buttons: Record<RelatedAction, HTMLButtonElement> = {
  cite: element('button', { type: 'button', 'data-action': 'cite' }, 'Cite'),
  open: element('button', { type: 'button', 'data-action': 'open' }, 'Open'),
  similar: element('button', { type: 'button', 'data-action': 'similar' }, 'Similar'),
};
toolbar.append(buttons.cite, buttons.open, buttons.similar);
main.append(heading, back, status, alert, list, toolbar);
document.body.append(main);

let hits: RelatedPaperView[] = [];
let active = 0;

/** The reason line with its shared ideas marked. */
function reasonNode(hit: RelatedPaperView): HTMLElement {
  const reason = element('span', { class: 'reason' });
  let at = 0;
  for (const [start, end] of hit.reasonMarks) {
    reason.append(hit.reason.slice(at, start), element('mark', {}, hit.reason.slice(start, end)));
    at = end;
  }
  reason.append(hit.reason.slice(at));
  return reason;
}

function render(state: RelatedViewState): void {
  heading.textContent = state.heading;
  back.hidden = !(state.kind === 'papers' && state.canGoBack);
  status.textContent = state.kind === 'loading' ? 'Finding related papers…' : state.kind === 'message' ? state.message : '';
  alert.textContent = state.kind === 'error' ? state.message : '';
  hits = state.kind === 'papers' ? state.hits : [];
  active = 0;
  list.replaceChildren(
    ...hits.map((hit, index) => {
      const row = element('div', { role: 'row', id: `paper-${index}`, class: 'paper', 'aria-labelledby': `title-${index}`, 'aria-describedby': `meta-${index}` });
      const title = element('span', { id: `title-${index}`, class: 'title' }, hit.title || hit.key);
      const meta = element('span', { id: `meta-${index}`, class: 'meta' });
      const byline = [hit.authors, hit.year].filter(Boolean).join(' · ');
      meta.append(element('span', { class: 'byline' }, byline));
      if (hit.cited) meta.append(element('span', { class: 'cited' }, ' · cited in this paragraph'));
      if (hit.reason) meta.append(element('br'), reasonNode(hit));
      const cell = element('div', { role: 'gridcell' });
      cell.append(title, meta);
      row.append(cell);
      row.addEventListener('click', () => select(index));
      row.addEventListener('dblclick', () => act('open'));
      return row;
    }),
  );
  list.hidden = hits.length === 0;
  toolbar.hidden = hits.length === 0;
  if (hits.length === 0 && state.kind === 'papers') status.textContent = 'No related papers in the library.';
  select(0);
}

function select(index: number): void {
  if (hits.length === 0) {
    list.removeAttribute('aria-activedescendant');
    return;
  }
  active = Math.max(0, Math.min(hits.length - 1, index));
  for (const [position, row] of [...list.children].entries()) row.setAttribute('aria-selected', String(position === active));
  list.setAttribute('aria-activedescendant', `paper-${active}`);
  list.children[active]?.scrollIntoView({ block: 'nearest' });
  buttons.cite.setAttribute('aria-label', `Cite ${hits[active].title || hits[active].key}`);
}

function act(action: RelatedAction): void {
  const hit = hits[active];
  if (hit) vscode.postMessage({ type: 'action', action, key: hit.key, origin: hit.origin });
}

list.addEventListener('keydown', (event) => {
  const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, Home: 0, End: hits.length - 1 };
  if (event.key in moves) {
    select(moves[event.key]);
    event.preventDefault();
  } else if (event.key === 'Enter') {
    act('cite');
    event.preventDefault();
  }
});
toolbar.addEventListener('click', (event) => {
  const action = (event.target as HTMLElement).closest('button')?.dataset.action as RelatedAction | undefined;
  if (action) act(action);
});
back.addEventListener('click', () => vscode.postMessage({ type: 'back' }));

window.addEventListener('message', (event: MessageEvent<RelatedToWebview>) => {
  const message = event.data;
  if (message.type === 'state') render(message.state);
  else if (message.type === 'actionDone' && !message.ok) alert.textContent = `Could not ${message.action} ${message.key}. See "Paperlens: Show Paperlens Output".`;
});
vscode.postMessage({ type: 'ready' });
