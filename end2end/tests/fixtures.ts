import { test as base, expect } from '@playwright/test';

/** A page that fails the test on any uncaught error or console error. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    await use(errors);
    expect(errors, 'the page logged errors').toEqual([]);
  },
});

export { expect };
