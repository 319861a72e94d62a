import { test, expect } from './fixtures';

test('the app loads and shows what the server says about itself', async ({ page, consoleErrors }) => {
  const info = await (await page.request.get('/api/info')).json();
  const started = Date.now();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Colloquy');
  await expect(page.locator('#server-info')).toHaveText(`Connected to ${info.name} ${info.version}`);
  console.log(`first render with server data: ${Date.now() - started} ms after navigation`);
  expect(consoleErrors).toEqual([]);
});

test('a deep link is answered by the app shell', async ({ page, consoleErrors }) => {
  const resp = await page.goto('/interview?i=docassemble.colloquydemo:data/questions/hello.yml');
  expect(resp?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What is your name?');
  expect(consoleErrors).toEqual([]);
});

test('health is JSON', async ({ request }) => {
  const resp = await request.get('/health');
  expect(resp.ok()).toBeTruthy();
  const body = await resp.json();
  expect(body.status).toBe('ok');
  expect(typeof body.uptime_seconds).toBe('number');
});
