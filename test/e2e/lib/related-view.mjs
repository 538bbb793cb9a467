// The Related view as more than one spec drives it: a paragraph written about a bundled paper, where it goes, and
// how the view is shown.

/** AnyFit (virtual try-on), described as a writer would: no three-word phrase of its title or abstract. */
export const ANYFIT_PARAGRAPH =
  'Dressing a photographed person in clothes from shop images is hard when several garments must be combined. ' +
  'Parallel attention blocks that inject the features of multiple garments keep the fitting realistic in any scene';
export const ANYFIT_KEY = 'anyfitcontrollablevirtual';
export const ANYFIT_TITLE = /AnyFit: Controllable Virtual Try-on/;
/** paper.tex line 19 is the empty line under "% Cite something here." */
export const PAPER_TEX_EMPTY_LINE = 19;

/** Shows the Related view (it starts collapsed) with the Search view collapsed: one webview view at a time. */
export async function showRelatedView(ctx) {
  await ctx.openPaperlensView();
  const header = (name) => ctx.view(name).locator('.pane-header');
  if ((await header('Search').getAttribute('aria-expanded')) === 'true') await header('Search').click();
  if ((await header('Related').getAttribute('aria-expanded')) !== 'true') await header('Related').click();
  const web = ctx.webview('Related');
  await web.locator('main h1').waitFor({ state: 'visible', timeout: 30_000 });
  return web;
}
