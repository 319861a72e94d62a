/**
 * Writes `summary.json` and `summary.md` (pass/fail per scenario, the failing step and why, and
 * the failures grouped by cause) to `SCENARIOS_OUT` (default `scenario-results/`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

interface Row {
  name: string;
  line: number;
  interview: string;
  status: 'passed' | 'failed';
  step?: { index: number; line: number; text: string; reason: string };
  ms: number;
}

/** A coarse cause for grouping: the kind of step and the first words of its reason. */
export function cause(r: Row): string {
  if (!r.step) return 'other';
  const kind = r.step.text
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, 'N');
  const why = r.step.reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\(.*$/, '')
    .replace(/;.*$/, '')
    .split(' ')
    .slice(0, 8)
    .join(' ')
    .trim();
  return `${kind} → ${why}`;
}

export default class SummaryReporter implements Reporter {
  private rows: Row[] = [];

  onTestEnd(test: TestCase, result: TestResult) {
    const ann = (t: string) => test.annotations.find((a) => a.type === t)?.description ?? '';
    const failed = test.annotations.find((a) => a.type === 'failed-step');
    let step: Row['step'];
    if (failed?.description) step = JSON.parse(failed.description);
    else if (result.status !== 'passed') {
      step = { index: 0, line: 0, text: '(scenario)', reason: result.error?.message?.split('\n')[0] ?? result.status };
    }
    this.rows.push({
      name: test.title,
      line: Number(ann('line')),
      interview: ann('interview'),
      status: result.status === 'passed' ? 'passed' : 'failed',
      step,
      ms: result.duration,
    });
  }

  onEnd(result: FullResult) {
    if (this.rows.length === 0) return;
    const out = process.env.SCENARIOS_OUT ?? path.join(__dirname, '..', 'scenario-results');
    fs.mkdirSync(out, { recursive: true });
    const rows = this.rows.sort((a, b) => a.line - b.line);
    const passed = rows.filter((r) => r.status === 'passed').length;
    fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify({ passed, total: rows.length, rows }, null, 1));
    const groups = new Map<string, Row[]>();
    for (const r of rows.filter((r) => r.status === 'failed')) {
      const c = cause(r);
      groups.set(c, [...(groups.get(c) ?? []), r]);
    }
    const md: string[] = [
      `# Scenarios: ${passed} of ${rows.length} passed (${rows.length ? ((100 * passed) / rows.length).toFixed(1) : 0}%)`,
      '',
      `Run status: ${result.status}.`,
      '',
      '## Failures by cause',
      '',
      '| n | cause | scenarios |',
      '|---:|---|---|',
      ...[...groups.entries()]
        .sort((a, b) => b[1].length - a[1].length)
        .map(([c, rs]) => `| ${rs.length} | ${c.replace(/\|/g, '\\|')} | ${rs.slice(0, 4).map((r) => r.line).join(', ')}${rs.length > 4 ? ' …' : ''} |`),
      '',
      '## Scenarios',
      '',
      '| line | scenario | result | failing step | reason |',
      '|---:|---|---|---|---|',
      ...rows.map((r) =>
        [
          '',
          r.line,
          r.name.replace(/\|/g, '\\|'),
          r.status,
          r.step ? `${r.step.index}: ${r.step.text}`.replace(/\|/g, '\\|') : '',
          r.step ? r.step.reason.replace(/\|/g, '\\|').slice(0, 300) : '',
          '',
        ].join(' | ').trim(),
      ),
      '',
    ];
    fs.writeFileSync(path.join(out, 'summary.md'), md.join('\n'));
    console.log(`\nscenarios: ${passed} passed, ${rows.length - passed} failed; summary in ${out}/summary.md`);
  }
}
