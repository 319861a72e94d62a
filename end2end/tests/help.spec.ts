import { test, expect } from './fixtures';
import { start, setField, clickButton, expectHeading, checkA11y } from './helpers';

test('help: the question\'s help label opens the help screen, Back to question returns with the answer kept', async ({ page, consoleErrors }) => {
  await start(page, 'help');
  await expectHeading(page, 'How much money do you wish to seek in damages?');
  const helpText = page.getByText('just ask for a million dollars, since you want Dastardly Defendant to suffer.');
  const about = page.getByRole('heading', { name: 'About this interview' });
  await expect(helpText).toBeHidden();
  await setField(page, 'Money', '500');
  const toggle = page.getByRole('button', { name: 'More info', exact: true });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(helpText).toBeVisible();
  await expect(about).toBeVisible(); // interview help follows the question's own
  await expect(page.locator('#question-heading')).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const back = page.getByRole('button', { name: 'Back to question', exact: true });
  await expect(back).toBeFocused();
  await checkA11y(page, 'help screen');
  await back.click();
  await expect(helpText).toBeHidden();
  await expectHeading(page, 'How much money do you wish to seek in damages?');
  await expect(page.getByLabel('Money', { exact: true })).toHaveValue('500');
  await expect(toggle).toBeFocused();
  await clickButton(page, 'Continue');
  await expectHeading(page, 'You are seeking $500.00 in damages.');
  // A screen without help of its own still offers the interview's, under "Help".
  await expect(page.getByRole('button', { name: 'More info' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Help', exact: true }).click();
  await expect(about).toBeVisible();
  await expect(page.getByText('Answer each question as well as you can.')).toBeVisible();
  await expect(helpText).toHaveCount(0);
  await checkA11y(page, 'interview help');
  expect(consoleErrors).toEqual([]);
});

test('help: a screen without any help has no Help control', async ({ page, consoleErrors }) => {
  await start(page, 'hello');
  await expectHeading(page, 'What is your name?');
  await expect(page.getByRole('button', { name: 'Help' })).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
