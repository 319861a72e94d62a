import { test, expect } from './fixtures';
import { start, expectHeading, checkA11y } from './helpers';

test('menu: the interview\'s menu_items are in the header menu, and an action item runs', async ({ page, consoleErrors }) => {
  await start(page, 'menu');
  await expectHeading(page, 'Welcome to the interview');
  const toggle = page.getByRole('button', { name: 'Menu', exact: true });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const cow = page.getByRole('link', { name: 'Visit Cow' });
  await expect(cow).toBeHidden();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(cow).toBeVisible();
  const signIn = page.getByRole('link', { name: 'Sign in or sign up to save answers' });
  await expect(signIn).toBeVisible();
  expect(await signIn.getAttribute('href')).toMatch(/^\/user\/sign-in\?next=%2Finterview%3Fi%3D/);
  await checkA11y(page, 'menu open');
  await page.keyboard.press('Escape');
  await expect(cow).toBeHidden();
  await expect(toggle).toBeFocused();
  await toggle.click();
  await cow.click();
  await expectHeading(page, 'Moo!');
  await expect(cow).toBeHidden();
  expect(consoleErrors).toEqual([]);
});

test('menu: a visitor on an interview without menu items gets the sign-in link alone', async ({ page, consoleErrors }) => {
  await start(page, 'hello');
  await expectHeading(page, 'What is your name?');
  await expect(page.getByRole('button', { name: 'Menu' })).toHaveCount(0);
  const signIn = page.getByRole('link', { name: 'Sign in or sign up to save answers' });
  await expect(signIn).toBeVisible();
  await signIn.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  expect(new URL(page.url()).searchParams.get('next')).toMatch(/^\/interview\?i=/);
  expect(consoleErrors).toEqual([]);
});

test('menu: show login False puts the exit label in place of the sign-in link; Exit leaves for the exit url', async ({ page, consoleErrors }) => {
  await start(page, 'exit');
  await expectHeading(page, 'What is your favorite fruit?');
  await expect(page.getByRole('link', { name: 'Sign in or sign up to save answers' })).toHaveCount(0);
  // question help button: the question's help is a button under the question, shown in place.
  const help = page.getByText('A fruit is the part of a plant that has seeds.');
  await expect(help).toBeHidden();
  const huh = page.getByRole('button', { name: 'Huh?', exact: true });
  await huh.click();
  await expect(help).toBeVisible();
  await expect(huh).toHaveAttribute('aria-expanded', 'true');
  await checkA11y(page, 'question help shown');
  await huh.click();
  await expect(help).toBeHidden();
  const exit = page.getByRole('link', { name: 'Leave this interview', exact: true });
  await expect(exit).toBeVisible();
  await exit.click();
  await expect(page).toHaveURL(/\/list$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Available interviews');
  expect(consoleErrors).toEqual([]);
});
