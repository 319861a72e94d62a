/**
 * docassemble's browser scenarios against Colloquy: `npm run scenarios` (see README, "Browser
 * scenarios"). Starts `colloquy serve` with the docassemble example corpus and the demo
 * interviews on a free port, then runs one test per scenario.
 */
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
// Set once in the main process; the workers inherit it.
process.env.SCENARIOS_PORT ??= String(20000 + Math.floor(Math.random() * 20000));
const port = process.env.SCENARIOS_PORT;
process.env.SCENARIOS_DATA ??= fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-scenarios-'));

// docassemble.base's examples (the project's shared corpus) and docassemble.demo.
const fetchRoot = (script: string) => execFileSync('bash', [script], { encoding: 'utf8' }).trim();
process.env.SCENARIOS_CORPUS ??= fetchRoot(path.join(root, '..', 'shared', 'checks', 'corpus.sh'));
process.env.SCENARIOS_DEMO_CORPUS ??= fetchRoot(path.join(__dirname, 'demo-corpus.sh'));

const bin = process.env.SCENARIOS_BIN ?? path.join(root, 'target', 'debug', 'colloquy');

export default defineConfig({
  testDir: __dirname,
  testMatch: 'scenarios.spec.ts',
  outputDir: path.join(root, 'end2end', 'test-results', 'scenarios'),
  workers: Number(process.env.SCENARIOS_WORKERS ?? 1),
  fullyParallel: true,
  retries: 0,
  timeout: 90_000,
  reporter: [['dot'], [path.join(__dirname, 'summary-reporter.ts')]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    actionTimeout: 5_000,
    navigationTimeout: 30_000,
    viewport: { width: 1005, height: 1200 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: [
      JSON.stringify(bin), 'serve', '--listen', `127.0.0.1:${port}`,
      '--data', JSON.stringify(path.join(process.env.SCENARIOS_DATA, 'data')),
      '--packages', JSON.stringify(process.env.SCENARIOS_CORPUS),
      '--packages', JSON.stringify(process.env.SCENARIOS_DEMO_CORPUS), '--packages', './interviews',
      '--dist', './dist',
    ].join(' '),
    cwd: root,
    url: `http://127.0.0.1:${port}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
