/**
 * One Playwright test per scenario of a docassemble feature file (see README, "Browser
 * scenarios"). Each scenario runs its steps in order in a fresh browser context; the first step
 * that cannot be done fails the scenario, and the step and the reason are recorded for the
 * summary (scenarios/summary-reporter.ts).
 */
import { test } from '@playwright/test';
import { interviewOf } from './gherkin';
import { loadFeature, selectScenarios } from './select';
import { type Ctx, StepError, norm, runStep } from './steps';

const feature = loadFeature();
const maxWaitMs = Number(process.env.SCENARIOS_MAX_WAIT_MS ?? 1500);

for (const scenario of selectScenarios(feature.scenarios)) {
  test(scenario.name, async ({ page, context, baseURL }, info) => {
    info.annotations.push({ type: 'interview', description: interviewOf(scenario) ?? '' });
    info.annotations.push({ type: 'line', description: String(scenario.line) });
    page.on('dialog', (d) => void d.accept());
    const ctx: Ctx = { context, page, baseURL: baseURL ?? '', maxWaitMs, featureDir: feature.dir };
    for (const [i, step] of scenario.steps.entries()) {
      try {
        await runStep(ctx, step.text);
      } catch (e) {
        const reason = e instanceof StepError ? e.message : norm(String((e as Error).message ?? e)).slice(0, 400);
        info.annotations.push({
          type: 'failed-step',
          description: JSON.stringify({ index: i + 1, line: step.line, text: step.text, reason }),
        });
        throw new Error(`step ${i + 1} (line ${step.line}) "${step.text}": ${reason}`);
      }
    }
  });
}
