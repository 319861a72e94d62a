import { test, expect } from './fixtures';
import { start, setField, clickButton, expectHeading, checkA11y } from './helpers';

/** Answers the review demo up to its final screen. */
async function toTheEnd(page: import('@playwright/test').Page) {
  await start(page, 'review');
  await expectHeading(page, 'What is your name?');
  await setField(page, 'Name', 'Ann');
  await clickButton(page, 'Continue');
  await expectHeading(page, 'What is your favorite fruit?');
  await setField(page, 'Fruit', 'apple');
  await clickButton(page, 'Continue');
  await expectHeading(page, 'What is your favorite vegetable?');
  await setField(page, 'Vegetable', 'kale');
  await clickButton(page, 'Continue');
  await expectHeading(page, 'Thank you, Ann.');
}

test('sections: the list shows the current section, and a progress bar follows the questions', async ({ page, consoleErrors }) => {
  await start(page, 'review');
  await expectHeading(page, 'What is your name?');
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await expect(nav).toBeVisible();
  await expect(nav.locator('li')).toHaveText(['About you', 'Food', 'Finished']);
  await expect(nav.locator('[aria-current="step"]')).toHaveText('About you');
  const bar = page.getByRole('progressbar');
  await expect(bar).toHaveAttribute('aria-valuenow', '20');
  await expect(bar).toHaveAttribute('aria-valuemin', '0');
  await expect(bar).toHaveAttribute('aria-valuemax', '100');
  await checkA11y(page, 'sections');
  await setField(page, 'Name', 'Ann');
  await clickButton(page, 'Continue');
  await expect(nav.locator('[aria-current="step"]')).toHaveText('Food');
  await expect(bar).toHaveAttribute('aria-valuenow', '50');
  expect(consoleErrors).toEqual([]);
});

test('review: a url_action link opens the review, an edit link re-asks and comes back, Resume returns', async ({ page, consoleErrors }) => {
  await toTheEnd(page);
  await page.getByRole('link', { name: 'Review your answers' }).click();
  await expectHeading(page, 'Review your answers');
  await expect(page.getByText('Press Resume when you are done.')).toBeVisible();
  await checkA11y(page, 'review');
  const fruit = page.getByRole('link', { name: 'Fruit', exact: true });
  await expect(fruit).toBeVisible();
  await expect(page.locator('.review-item', { has: fruit })).toContainText('apple');
  await fruit.click();
  await expectHeading(page, 'What is your favorite fruit?');
  await expect(page.getByLabel('Fruit', { exact: true })).toHaveValue('apple');
  await setField(page, 'Fruit', 'pear');
  await clickButton(page, 'Continue');
  await expectHeading(page, 'Review your answers');
  await expect(page.locator('.review-item', { has: page.getByRole('link', { name: 'Fruit', exact: true }) })).toContainText('pear');
  await clickButton(page, 'Resume');
  await expectHeading(page, 'Thank you, Ann.');
  await expect(page.getByText('You like pear and kale.')).toBeVisible();
  expect(consoleErrors).toEqual([]);
});
