/**
 * docassemble's step templates (tests/features/steps/docassemble.py) mapped onto Colloquy's UI
 * by intent: a button or link by its visible text, a field by its label, an option by its label
 * inside the group whose legend is given, the Back control, the phrase in the visible text.
 * docassemble's own step code finds these through its HTML (`span` inside labels, `da-legend`,
 * `alt="Input box"`); here the same things are found the way a person or a screen reader would.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Ctx {
  context: BrowserContext;
  page: Page;
  baseURL: string;
  /** Upper bound for `I wait N seconds` (background tasks are not what these runs measure). */
  maxWaitMs: number;
  /** Directory the feature file is in (uploads are relative to it). */
  featureDir: string;
}

/** A step that could not be done, with the reason a person would give. */
export class StepError extends Error {}

type Handler = (ctx: Ctx, ...groups: string[]) => Promise<void>;

const ORD = 'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth';
const ORDINALS = ORD.split('|');
const nth = (ordinal: string) => ORDINALS.indexOf(ordinal);
const Q = '"([^"]*)"';

/** Whitespace as a person reads it: runs collapsed, non-breaking spaces as spaces. */
export function norm(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Waits until the app has drawn a screen (or an error) and no request is under way. */
export async function settle(page: Page, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const main = document.querySelector('main');
      if (!main || main.getAttribute('aria-busy') === 'true') return false;
      return !!document.querySelector('#question-heading, #load-error, main h1');
    },
    undefined,
    { timeout, polling: 25 },
  );
}

async function visibleText(page: Page): Promise<string> {
  return norm(await page.locator('body').innerText());
}

async function loadError(page: Page): Promise<string | undefined> {
  const err = page.locator('#load-error');
  if ((await err.count()) > 0 && (await err.first().isVisible())) {
    return norm(await err.first().innerText()).replace(/ Try again$/, '');
  }
  return undefined;
}

/** The visible elements of `loc`, in document order. */
async function visible(loc: Locator): Promise<Locator[]> {
  const out: Locator[] = [];
  for (const l of await loc.all()) if (await l.isVisible()) out.push(l);
  return out;
}

/** The first of several ways to find something that finds a visible element. */
async function firstOf(candidates: Locator[], index = 0): Promise<Locator | undefined> {
  for (const c of candidates) {
    const v = await visible(c);
    if (v.length > index) return v[index];
  }
  return undefined;
}

/** Clicks and waits for whatever request the click started to finish. */
async function clickAndSettle(ctx: Ctx, target: Locator): Promise<void> {
  await target.click();
  await ctx.page.waitForTimeout(20);
  await settle(ctx.page);
}

/** Matches a whole visible text, whitespace collapsed. */
function wholeText(text: string): RegExp {
  const words = norm(text).split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^\\s*${words.join('\\s+')}\\s*$`);
}

function buttonsNamed(page: Page, name: string): Locator[] {
  return [
    page.getByRole('button', { name, exact: true }),
    // A button whose accessible name differs from its text (an image's alt text, say).
    page.locator('button').filter({ hasText: wholeText(name) }),
  ];
}

function linksNamed(page: Page, name: string): Locator[] {
  return [page.getByRole('link', { name, exact: true }), page.getByRole('link', { name: name.trim(), exact: true })];
}

async function clickButton(ctx: Ctx, name: string, index = 0, alsoLinks = true): Promise<void> {
  const page = ctx.page;
  const cands = [...buttonsNamed(page, name)];
  if (alsoLinks) cands.push(...linksNamed(page, name));
  const target = await firstOf(cands, index);
  if (!target) throw new StepError(`no button${alsoLinks ? ' or link' : ''} "${name}"${await onScreen(page)}`);
  await clickAndSettle(ctx, target);
}

async function clickLink(ctx: Ctx, name: string, index = 0): Promise<void> {
  const target = await firstOf(linksNamed(ctx.page, name), index);
  if (!target) throw new StepError(`no link "${name}"${await onScreen(ctx.page)}`);
  await clickAndSettle(ctx, target);
}

/** What the screen offers, for failure reasons: its heading and its buttons. */
async function onScreen(page: Page): Promise<string> {
  const err = await loadError(page);
  if (err) return ` (the page shows an error: ${err})`;
  const h = page.locator('#question-heading');
  const heading = (await h.count()) ? norm(await h.first().innerText()) : '';
  const names: string[] = [];
  for (const b of await visible(page.locator('.question button, .question a'))) {
    const t = norm(await b.innerText());
    if (t) names.push(t);
  }
  return ` (screen "${heading.slice(0, 80)}"${names.length ? `; buttons/links: ${names.slice(0, 8).join(' | ')}` : ''})`;
}

/** The control a `<label>` with this text is for (exact text, or with one trailing space). */
async function labelled(ctx: Ctx, label: string, index = 0): Promise<Locator> {
  const page = ctx.page;
  const found = await firstOf(
    [page.getByLabel(label, { exact: true }), page.getByLabel(label.trim(), { exact: true })],
    index,
  );
  if (!found) throw new StepError(`no field labelled "${label}"${await labelsOnScreen(page)}`);
  return found;
}

/** The Nth drop-down (or combobox) labelled `label`: docassemble's "I select … as the second …"
 * counts only the selects, not other inputs with the same label. */
async function labelledSelect(ctx: Ctx, label: string, index = 0): Promise<Locator> {
  const page = ctx.page;
  const choosers = page.locator('select, input[role="combobox"], input[list]');
  const found = await firstOf(
    [
      page.getByLabel(label, { exact: true }).and(choosers),
      page.getByLabel(label.trim(), { exact: true }).and(choosers),
    ],
    index,
  );
  return found ?? labelled(ctx, label, index);
}

async function labelsOnScreen(page: Page): Promise<string> {
  const err = await loadError(page);
  if (err) return ` (the page shows an error: ${err})`;
  const names: string[] = [];
  for (const l of await visible(page.locator('.question label, .question legend'))) {
    const t = norm(await l.innerText());
    if (t) names.push(t);
  }
  return names.length ? ` (labels on screen: ${names.slice(0, 10).join(' | ')})` : await onScreen(page);
}

/** docassemble's tests type dates as MM/DD/YYYY and times as HH:MMAM into Chrome's inputs. */
export function toInputValue(type: string, value: string): string {
  const date = (s: string) => {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim());
    return m ? `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : s.trim();
  };
  const time = (s: string) => {
    const m = /^(\d{1,2}):(\d{2})\s*([AaPp][Mm])?$/.exec(s.trim());
    if (!m) return s.trim();
    let h = Number(m[1]) % (m[3] ? 12 : 24);
    if (m[3] && m[3].toUpperCase() === 'PM') h += 12;
    return `${String(h).padStart(2, '0')}:${m[2]}`;
  };
  switch (type) {
    case 'date':
      return date(value);
    case 'time':
      return time(value);
    case 'datetime-local': {
      const [d, t = '00:00'] = value.split(/[\t ]+/, 2);
      return `${date(d)}T${time(t)}`;
    }
    case 'number':
    case 'range':
      return value.replace(/[,$\s]/g, '');
    default:
      return value;
  }
}

async function setValue(el: Locator, value: string): Promise<void> {
  const tag = await el.evaluate((e) => e.tagName.toLowerCase());
  if (tag === 'select') {
    await el.selectOption({ label: value }).catch(() => el.selectOption(value));
    return;
  }
  const type = tag === 'input' ? ((await el.getAttribute('type')) ?? 'text').toLowerCase() : tag;
  if (type === 'checkbox' || type === 'radio') {
    await el.click();
    return;
  }
  await el.fill(toInputValue(type, value));
}

async function selectIn(el: Locator, value: string): Promise<void> {
  const tag = await el.evaluate((e) => e.tagName.toLowerCase());
  if (tag === 'select') {
    const labels = await el.locator('option').allInnerTexts();
    const match = labels.find((l) => norm(l) === norm(value));
    if (match === undefined) throw new StepError(`no option "${value}" (options: ${labels.map(norm).join(' | ')})`);
    await el.selectOption({ label: match });
  } else {
    // A combobox: a text input whose suggestions are the choices.
    await el.fill(value);
  }
}

/** A radio button or checkbox by its label text, else a button: docassemble's `//span[text()=…]/..`. */
async function clickOption(ctx: Ctx, option: string, scope?: Locator, index = 0): Promise<void> {
  const root = scope ?? ctx.page.locator('main');
  const exact = (name: string) => [
    root.getByRole('radio', { name, exact: true }),
    root.getByRole('checkbox', { name, exact: true }),
    root.getByRole('button', { name, exact: true }),
  ];
  let target = await firstOf([...exact(option), ...exact(option.trim())], index);
  if (!target) {
    // docassemble falls back to a label that contains the text.
    target = await firstOf(
      [root.getByRole('radio', { name: option }), root.getByRole('checkbox', { name: option })],
      index,
    );
  }
  if (!target) throw new StepError(`no option "${option}"${await labelsOnScreen(ctx.page)}`);
  const role = await target.evaluate((e) => (e instanceof HTMLInputElement ? e.type : e.tagName.toLowerCase()));
  if (role === 'radio' || role === 'checkbox') {
    const id = await target.getAttribute('id');
    const label = id ? ctx.page.locator(`label[for="${id}"]`) : undefined;
    if (label && (await label.count()) > 0 && (await label.first().isVisible())) await label.first().click();
    else await target.click({ force: true });
  } else {
    await clickAndSettle(ctx, target);
  }
}

/** The group (fieldset) whose legend reads `label`. */
async function group(ctx: Ctx, label: string): Promise<Locator> {
  const page = ctx.page;
  const g = await firstOf([
    page.getByRole('radiogroup', { name: label, exact: true }),
    page.getByRole('group', { name: label, exact: true }),
    page.getByRole('radiogroup', { name: label.trim(), exact: true }),
    page.getByRole('group', { name: label.trim(), exact: true }),
  ]);
  if (!g) throw new StepError(`no group of options labelled "${label}"${await labelsOnScreen(page)}`);
  return g;
}

/** The unlabelled single inputs (docassemble marks them `alt="Input box"`). */
async function textBoxes(ctx: Ctx): Promise<Locator[]> {
  const page = ctx.page;
  const inputs = await visible(
    page.locator(
      'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]):not([type=submit]):not([type=button]):not([type=range])',
    ),
  );
  const unlabelled: Locator[] = [];
  for (const i of inputs) {
    const id = await i.getAttribute('id');
    const hasLabel = id ? (await page.locator(`label[for="${id}"]`).count()) > 0 : false;
    if (!hasLabel) unlabelled.push(i);
  }
  return unlabelled.length ? unlabelled : inputs;
}

async function seePhrase(ctx: Ctx, phrase: string, checkError: boolean): Promise<void> {
  const page = ctx.page;
  const want = norm(phrase);
  const deadline = Date.now() + 2_000;
  for (;;) {
    if (checkError) {
      const err = await loadError(page);
      if (err) throw new StepError(`the page shows an error instead: ${err}`);
    }
    const text = await visibleText(page);
    if (text.includes(want)) return;
    if (Date.now() > deadline) {
      throw new StepError(`not on the page; it reads: "${text.slice(0, 300)}"`);
    }
    await page.waitForTimeout(100);
  }
}

async function start(ctx: Ctx, ref: string, allowError: boolean): Promise<void> {
  const page = ctx.page;
  await page.goto(`${ctx.baseURL}/interview?i=${encodeURIComponent(ref)}&reset=2`);
  await settle(page, 30_000);
  if (allowError) return;
  if ((await page.title()) === 'Error') throw new StepError('the page title is "Error"');
  const err = await loadError(page);
  if (err) throw new StepError(`the interview did not start: ${err}`);
}

const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

async function upload(ctx: Ctx, file: string): Promise<void> {
  const input = ctx.page.locator('main input[type=file]').first();
  if ((await input.count()) === 0) throw new StepError(`no file input${await onScreen(ctx.page)}`);
  const full = path.resolve(ctx.featureDir, file);
  if (fs.existsSync(full)) {
    await input.setInputFiles(full);
  } else {
    // The scenarios name files of docassemble's repository; an image of the same name stands in.
    const name = path.basename(file);
    const ext = path.extname(name).toLowerCase();
    const image = ['.png', '.jpg', '.jpeg', '.gif'].includes(ext);
    await input.setInputFiles({
      name: image ? name.replace(/\.(jpe?g|gif)$/i, '.png') : name,
      mimeType: image ? 'image/png' : ext === '.pdf' ? 'application/pdf' : 'text/plain',
      buffer: image ? TINY_PNG : Buffer.from(ext === '.pdf' ? '%PDF-1.4\n%%EOF\n' : 'test\n'),
    });
  }
}

async function signatureArea(ctx: Ctx): Promise<void> {
  const canvas = ctx.page.locator('main canvas').first();
  if ((await canvas.count()) === 0) throw new StepError(`no signature area${await onScreen(ctx.page)}`);
  const box = await canvas.boundingBox();
  if (!box) throw new StepError('the signature area is not visible');
  const m = ctx.page.mouse;
  const pts: [number, number][] = [
    [20, 20],
    [20, 40],
    [40, 40],
    [40, 20],
  ];
  await m.move(box.x + pts[0][0], box.y + pts[0][1]);
  await m.down();
  for (const [x, y] of pts.slice(1)) await m.move(box.x + x, box.y + y, { steps: 4 });
  await m.up();
}

async function wait(ctx: Ctx, seconds: string): Promise<void> {
  await ctx.page.waitForTimeout(Math.min(Number(seconds) * 1000, ctx.maxWaitMs));
  await settle(ctx.page);
}

async function openHelp(ctx: Ctx, open: boolean): Promise<void> {
  // docassemble's steps click #dahelptoggle and #dabackToQuestion; the app uses those ids
  const control = ctx.page.locator(open ? '#dahelptoggle' : '#dabackToQuestion').first();
  if ((await control.count()) === 0 || !(await control.isVisible())) {
    if (!open && (await ctx.page.locator('#dahelptoggle').isVisible())) return;
    throw new StepError(`no help on this screen${await onScreen(ctx.page)}`);
  }
  await control.click();
}

/** The step templates, most specific first. */
const STEPS: [RegExp, Handler][] = [
  [/^I start the interview "([^"]+)"$/, (c, i) => start(c, i, false)],
  [/^I launch the interview "([^"]+)"$/, (c, i) => start(c, i, true)],
  [/^I start the possibly error-producing interview "([^"]+)"$/, (c, i) => start(c, i, true)],
  [/^I am using the server "([^"]+)"$/, async () => {}],
  [new RegExp(`^I should see the phrase ${Q}$`), (c, p) => seePhrase(c, p, true)],
  [/^I should see the phrase '([^']*)'$/, (c, p) => seePhrase(c, p, true)],
  [new RegExp(`^I should explicitly see the phrase ${Q}$`), (c, p) => seePhrase(c, p, false)],
  [
    /^I should not see the phrase (?:"([^"]*)"|'([^']*)')$/,
    async (c, a, b) => {
      const phrase = norm(a ?? b);
      const text = await visibleText(c.page);
      if (text.includes(phrase)) throw new StepError('the phrase is on the page');
    },
  ],
  [new RegExp(`^I click the button ${Q}$`), (c, n) => clickButton(c, n)],
  [new RegExp(`^I click the (${ORD}) button ${Q}$`), (c, o, n) => clickButton(c, n, nth(o), false)],
  [new RegExp(`^I click the ${Q} button$`), (c, n) => clickButton(c, n)],
  [new RegExp(`^I exit by clicking ${Q}$`), (c, n) => clickButton(c, n, 0, false)],
  [new RegExp(`^I click the link ${Q}$`), (c, n) => clickLink(c, n)],
  [new RegExp(`^I click the final link ${Q}$`), (c, n) => clickLink(c, n)],
  [new RegExp(`^I click the (${ORD}) link ${Q}$`), (c, o, n) => clickLink(c, n, nth(o))],
  [
    new RegExp(`^If I see it, I will click the link ${Q}$`),
    async (c, n) => {
      const t = await firstOf(linksNamed(c.page, n));
      if (t) await clickAndSettle(c, t);
    },
  ],
  [
    new RegExp(`^I set ${Q} to ${Q}$`),
    async (c, l, v) => setValue(await labelled(c, l), v),
  ],
  [
    new RegExp(`^I set the (${ORD}) ${Q} to ${Q}$`),
    async (c, o, l, v) => setValue(await labelled(c, l, nth(o)), v),
  ],
  [new RegExp(`^I select ${Q} as the ${Q}$`), async (c, v, l) => selectIn(await labelledSelect(c, l), v)],
  [
    new RegExp(`^I select ${Q} as the (${ORD}) ${Q}$`),
    async (c, v, o, l) => selectIn(await labelledSelect(c, l, nth(o)), v),
  ],
  [
    new RegExp(`^I choose ${Q}$`),
    async (c, v) => {
      const sel = await firstOf([c.page.locator('main select')]);
      if (!sel) throw new StepError(`no menu of choices${await onScreen(c.page)}`);
      await selectIn(sel, v);
    },
  ],
  [
    new RegExp(`^I set the text box to ${Q}$`),
    async (c, v) => {
      const boxes = await textBoxes(c);
      if (!boxes.length) throw new StepError(`no text box${await onScreen(c.page)}`);
      await setValue(boxes[0], v);
    },
  ],
  [
    new RegExp(`^I set text box (\\d+) to ${Q}$`),
    async (c, n, v) => {
      const boxes = await textBoxes(c);
      const b = boxes[Number(n) - 1];
      if (!b) throw new StepError(`no text box ${n} (there are ${boxes.length})`);
      await setValue(b, v);
    },
  ],
  [
    new RegExp(`^I set the text area to ${Q}$`),
    async (c, v) => {
      const t = await firstOf([c.page.locator('main textarea')]);
      if (!t) throw new StepError(`no text area${await onScreen(c.page)}`);
      await t.fill(v);
    },
  ],
  [
    new RegExp(`^I should see that ${Q} is ${Q}$`),
    async (c, l, v) => {
      const got = await (await labelled(c, l)).inputValue();
      if (got !== v) throw new StepError(`it is "${got}"`);
    },
  ],
  [
    new RegExp(`^I click the (?:${Q} option|option ${Q}) under ${Q}$`),
    async (c, a, b, l) => clickOption(c, a ?? b, await group(c, l)),
  ],
  [new RegExp(`^I click the (?:${Q} option|option ${Q})$`), (c, a, b) => clickOption(c, a ?? b)],
  [new RegExp(`^I click the (${ORD}) option ${Q}$`), (c, o, n) => clickOption(c, n, undefined, nth(o))],
  [
    /^I click the (?:question )?back button$/,
    async (c) => {
      const b = await firstOf([c.page.locator('main button.back-button'), c.page.getByRole('button', { name: 'Back', exact: true })]);
      if (!b) throw new StepError(`no Back control${await onScreen(c.page)}`);
      await clickAndSettle(c, b);
    },
  ],
  [/^I wait ([\d.]+) seconds?$/, wait],
  [/^I spend at least \d+ seconds? on each page$/, async () => {}],
  [/^I unfocus$/, async (c) => void (await c.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()))],
  [/^I reload the screen$/, async (c) => {
    await c.page.reload();
    await settle(c.page);
  }],
  [
    new RegExp(`^I should see ${Q} as the title of the page$`),
    async (c, t) => {
      const got = await c.page.title();
      if (got !== t) throw new StepError(`the title is "${got}"`);
    },
  ],
  [
    new RegExp(`^I should see ${Q} as the URL of the page$`),
    async (c, u) => {
      if (c.page.url() !== u) throw new StepError(`the URL is ${c.page.url()}`);
    },
  ],
  [
    new RegExp(`^I select ${Q} from the menu$`),
    async (c, n) => {
      const items = () => [
        c.page.getByRole('navigation').getByRole('link', { name: n, exact: true }),
        c.page.getByRole('navigation').getByRole('button', { name: n, exact: true }),
        c.page.getByRole('menuitem', { name: n, exact: true }),
        c.page.locator('header').getByRole('link', { name: n, exact: true }),
      ];
      let t = await firstOf(items());
      if (!t) {
        // A collapsed menu opens first, as docassemble's step clicks its dropdown toggle.
        const toggle = await firstOf([
          c.page.locator('header button[aria-expanded="false"][aria-controls]'),
        ]);
        if (toggle) {
          await toggle.click();
          t = await firstOf(items());
        }
      }
      if (!t) throw new StepError(`no menu item "${n}"`);
      await clickAndSettle(c, t);
    },
  ],
  [/^I go to the help screen$/, (c) => openHelp(c, true)],
  [/^I go back to the question screen$/, (c) => openHelp(c, false)],
  [
    new RegExp(`^I click the help icon for ${Q}$`),
    async (c, l) => {
      const field = c.page.locator('.field').filter({ has: c.page.getByLabel(l, { exact: true }) });
      const s = await firstOf([field.locator('details.field-help > summary')]);
      if (!s) throw new StepError(`no help for "${l}"`);
      await s.click();
    },
  ],
  [
    new RegExp(`^I click the (${ORD}) choice help$`),
    async (c, o) => {
      const h = await firstOf([c.page.locator('main .choice-help')], nth(o));
      if (!h) throw new StepError('no help for the choices');
      await h.click();
    },
  ],
  [new RegExp(`^I upload the file ${Q}$`), upload],
  [/^I click inside the signature area$/, signatureArea],
  [
    new RegExp(`^I set the combobox text to ${Q}$`),
    async (c, v) => {
      const box = await firstOf([c.page.locator('main input[list]'), c.page.getByRole('combobox')]);
      if (!box) throw new StepError(`no combobox${await onScreen(c.page)}`);
      await box.fill(v);
    },
  ],
  [
    new RegExp(`^I select ${Q} (?:in the combobox|from the combobox dropdown)$`),
    async (c, v) => {
      const box = await firstOf([c.page.locator('main input[list]'), c.page.getByRole('combobox')]);
      if (!box) throw new StepError(`no combobox${await onScreen(c.page)}`);
      await selectIn(box, v);
    },
  ],
  [/^I click accept in the alert$/, async () => {}],
  [
    /^I switch to the new tab$/,
    async (c) => {
      const pages = c.context.pages();
      c.page = pages[pages.length - 1];
      await c.page.waitForLoadState();
      await settle(c.page).catch(() => undefined);
    },
  ],
  [
    /^I close the tab$/,
    async (c) => {
      await c.page.close();
      c.page = c.context.pages()[0];
    },
  ],
  [/^I scroll to the bottom$/, async (c) => void (await c.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight)))],
  [/^I switch to dark mode$/, async (c) => c.page.emulateMedia({ colorScheme: 'dark' })],
  [/^I set the window size to (\d+)x(\d+)$/, async (c, w, h) => c.page.setViewportSize({ width: Number(w), height: Number(h) })],
  [/^I (?:save a screenshot to "[^"]*"|screenshot the page|want to store screenshots in the folder "[^"]*")$/, async () => {}],
  [
    /^I log in with "([^"]*)" and "([^"]*)"$/,
    async () => {
      throw new StepError('signing in to a server account is not part of these runs');
    },
  ],
  [/^I wait forever$/, async () => { throw new StepError('"wait forever" is for manual debugging'); }],
];

/** Runs one step; throws [StepError] (or a Playwright error) when it cannot be done. */
export async function runStep(ctx: Ctx, text: string): Promise<void> {
  for (const [re, handler] of STEPS) {
    const m = re.exec(text);
    if (m) {
      await handler(ctx, ...m.slice(1));
      return;
    }
  }
  throw new StepError('no step definition matches this step');
}
