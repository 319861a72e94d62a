import { type Page, expect } from '@playwright/test';
import * as path from 'node:path';

/** docassemble's interview reference for a demo interview. */
export const demo = (name: string) => `docassemble.colloquydemo:data/questions/${name}.yml`;

/** "I start the interview": `/interview?i=…&reset=2`, then waits for the first screen. */
export async function start(page: Page, name: string): Promise<number> {
  const started = Date.now();
  await page.goto(`/interview?i=${encodeURIComponent(demo(name))}&reset=2`);
  await expect(page.locator('#question-heading')).toBeVisible();
  const elapsed = Date.now() - started;
  // `data-first-screen-ms`: performance.now() when the first screen was drawn.
  const firstScreen = Number(await page.locator('body').getAttribute('data-first-screen-ms'));
  console.log(`${name}: first screen drawn ${firstScreen} ms after navigation start (${elapsed} ms wall)`);
  return firstScreen;
}

/** "I set 'Label' to 'value'": the input named by `<label for>` whose text is exactly Label. */
export async function setField(page: Page, label: string, value: string) {
  const lbl = page.locator(`xpath=//label[normalize-space(text())=${xpathString(label)}]`);
  await expect(lbl).toHaveCount(1);
  const id = await lbl.getAttribute('for');
  await page.locator(`[id="${id}"]`).fill(value);
}

/** "I select 'Option' as the 'Label'". */
export async function selectField(page: Page, label: string, option: string) {
  await page.getByLabel(label, { exact: true }).selectOption({ label: option });
}

/** "I click the button 'Label'": a `<button>` whose text is exactly Label. */
export async function clickButton(page: Page, label: string) {
  await page.locator(`xpath=//button[normalize-space(.)=${xpathString(label)}]`).first().click();
}

/** Waits until the screen with this heading is shown. */
export async function expectHeading(page: Page, text: string | RegExp) {
  await expect(page.locator('#question-heading')).toHaveText(text);
}

function xpathString(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  return `concat('${s.split("'").join(`', "'", '`)}')`;
}

/** Runs axe-core on the page; fails on serious or critical violations. */
export async function checkA11y(page: Page, what: string) {
  await page.addScriptTag({ path: path.join(__dirname, '..', 'node_modules', 'axe-core', 'axe.min.js') });
  const result = await page.evaluate(async () => {
    // @ts-expect-error injected global
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
    }));
  });
  const bad = result.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `axe violations on ${what}`).toEqual([]);
}
