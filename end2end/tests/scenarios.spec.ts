/**
 * A fixed set of docassemble's own browser scenarios (tests/scenarios.feature, taken from
 * docassemble's tests/features/TestExamples.feature, MIT licence) that pass through Colloquy's UI,
 * run with the same step definitions as the full runner (end2end/scenarios/). They need the
 * docassemble example corpus served (scripts/lib/e2e.sh adds it and sets E2E_CORPUS=1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from './fixtures';
import { parseFeature } from '../scenarios/gherkin';
import { type Ctx, runStep } from '../scenarios/steps';

const file = path.join(__dirname, 'scenarios.feature');
const scenarios = parseFeature(fs.readFileSync(file, 'utf8'));

test.describe('docassemble scenarios', () => {
  test.skip(!process.env.E2E_CORPUS, 'the docassemble example corpus is not served (E2E_CORPUS unset)');
  for (const scenario of scenarios) {
    test(scenario.name, async ({ page, context, baseURL, consoleErrors }) => {
      const ctx: Ctx = { context, page, baseURL: baseURL ?? '', maxWaitMs: 1000, featureDir: __dirname };
      for (const [i, step] of scenario.steps.entries()) {
        await test.step(`${i + 1}: ${step.text}`, () => runStep(ctx, step.text));
      }
      if (scenario.steps.some((s) => s.text.includes('possibly error-producing'))) {
        // The interview's error comes with a 5xx status, which the browser logs; nothing else
        // may be logged.
        const rest = consoleErrors.filter((e) => !/status of 5\d\d/.test(e));
        consoleErrors.splice(0, consoleErrors.length, ...rest);
      }
    });
  }
});
