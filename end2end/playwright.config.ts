import { defineConfig } from '@playwright/test';

// scripts/test starts `colloquy serve` on a free port and passes its URL here.
const baseURL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  testDir: './tests',
  workers: 1,
  reporter: 'list',
  timeout: 30_000,
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    // axe-core is injected as an inline script (helpers.ts), which the server's CSP forbids;
    // tests/accounts.spec.ts turns this off again and checks the pages under the real CSP.
    bypassCSP: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
});
