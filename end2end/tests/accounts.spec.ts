import { test as base } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';

// scripts/lib/e2e.sh runs the server with the file mailer writing to E2E_MAIL_DIR.
const mailDir = process.env.E2E_MAIL_DIR ?? '';

// These pages run under the server's real Content-Security-Policy.
base.use({ bypassCSP: false });
test.use({ bypassCSP: false });
const PASSWORD = 'Correct horse 42';

/** The first link to `path` in the newest message of the file mailer. */
function linkInLastMail(path: string): string {
  const files = readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort();
  const text = readFileSync(join(mailDir, files[files.length - 1]), 'utf8')
    .replace(/=\r\n/g, '')
    .replace(/=3D/g, '=');
  const match = text.match(new RegExp(`https?://[^\\s]*${path.replace(/[?]/g, '\\?')}[^\\s]*`));
  if (!match) throw new Error(`no ${path} link in ${text}`);
  return new URL(match[0]).pathname + new URL(match[0]).search;
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 key. */
function totp(base32: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const bytes = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', bytes).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}

async function register(page: import('@playwright/test').Page, email: string) {
  await page.goto('/user/register');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an account');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status')).toContainText('Check your e-mail');
  await page.goto(linkInLastMail('/user/activate?token='));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account activated');
}

async function signIn(page: import('@playwright/test').Page, email: string) {
  await page.goto('/user/sign-in?next=/user/me');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function whoAmI(page: import('@playwright/test').Page) {
  return (await page.request.get('/user/me')).json();
}

test('registration: the activation mail activates the account, then sign-in works', async ({ page, consoleErrors }) => {
  const email = `reg${Date.now()}@example.org`;
  await register(page, email);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await signIn(page, email);
  await expect(page).toHaveURL(/\/user\/me$/);
  const me = await whoAmI(page);
  expect(me.signed_in).toBe(true);
  expect(me.email).toBe(email);
  expect(me.developer).toBe(false);
  expect(consoleErrors).toEqual([]);
});

test('signed in, the header menu is named by the e-mail and offers sign-out', async ({ page, consoleErrors }) => {
  const email = `menu${Date.now()}@example.org`;
  await register(page, email);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/user\/me$/);
  await page.goto('/interview?i=docassemble.colloquydemo:data/questions/hello.yml&reset=2');
  await expect(page.locator('#question-heading')).toHaveText('What is your name?');
  await expect(page.getByRole('link', { name: 'Sign in or sign up to save answers' })).toHaveCount(0);
  const toggle = page.getByRole('button', { name: email, exact: true });
  await toggle.click();
  await expect(page.getByRole('link', { name: 'My interviews' })).toBeVisible();
  await page.getByRole('link', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('the sign-in page has a strict CSP and no script', async ({ page, consoleErrors }) => {
  const resp = await page.goto('/user/sign-in');
  const csp = resp?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
  expect(await page.locator('script').count()).toBe(0);
  await expect(page.getByLabel('Remember me on this device')).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('the app shell runs under the CSP (hashed inline loader, WebAssembly)', async ({ page, consoleErrors }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Colloquy');
  expect(consoleErrors).toEqual([]);
});

base('a wrong password is refused with a clear message', async ({ page }) => {
  await signIn(page, 'nobody@example.org');
  await expect(page.getByRole('alert')).toContainText('Incorrect e-mail address or password');
  expect((await whoAmI(page)).signed_in).toBe(false);
});

base('two-factor: set up with an authenticator code, then sign in with a code', async ({ page }) => {
  const email = `mfa${Date.now()}@example.org`;
  await register(page, email);
  await signIn(page, email);
  await page.goto('/user/mfa/setup');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up two-factor sign-in');
  const key = (await page.locator('#totp-secret').textContent())!.trim();
  await page.getByLabel('Six-digit code').fill(totp(key));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Two-factor sign-in is on');
  await expect(page.locator('#recovery-codes li')).toHaveCount(10);

  await page.goto('/user/sign-out');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  expect((await whoAmI(page)).signed_in).toBe(false);

  await signIn(page, email);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Two-factor sign-in');
  expect((await whoAmI(page)).signed_in).toBe(false);
  await page.getByLabel(/Code from your authenticator app/).fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not valid');
  await page.goto('/user/mfa?next=/user/me');
  // The setup spent this time step's code; the next step's is accepted too.
  await page.getByLabel(/Code from your authenticator app/).fill(totp(key, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/user\/me$/);
  const me = await whoAmI(page);
  expect(me.signed_in).toBe(true);
  expect(me.two_factor).toBe(true);
});
