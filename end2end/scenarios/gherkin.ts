/**
 * The subset of Gherkin that docassemble's browser scenarios use: one `Feature:`, then
 * `Scenario:` headers each followed by steps (`Given`/`When`/`Then`/`And`/`But`). Lines starting
 * with `#` are comments (docassemble keeps its disabled scenarios there), blank lines and the
 * feature's free text are ignored.
 */

export interface Step {
  /** The step without its keyword: `I click the button "Continue"`. */
  text: string;
  /** The 1-based line in the feature file. */
  line: number;
}

export interface Scenario {
  /** The name after `Scenario:`, made unique within the file by ` #2`, ` #3` … when repeated. */
  name: string;
  line: number;
  steps: Step[];
}

const KEYWORD = /^(Given|When|Then|And|But)\s+(.*)$/;
const SCENARIO = /^Scenario(?: Outline)?:\s*(.*)$/;

/** Parses a feature file. A step before any scenario is an error (with its line number). */
export function parseFeature(source: string): Scenario[] {
  const out: Scenario[] = [];
  const seen = new Map<string, number>();
  let current: Scenario | undefined;
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@')) return;
    const sc = SCENARIO.exec(line);
    if (sc) {
      const base = sc[1].trim();
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      current = { name: n === 1 ? base : `${base} #${n}`, line: i + 1, steps: [] };
      out.push(current);
      return;
    }
    const st = KEYWORD.exec(line);
    if (st) {
      if (!current) throw new Error(`line ${i + 1}: a step outside any scenario: ${line}`);
      current.steps.push({ text: st[2].trim(), line: i + 1 });
    }
    // Anything else (`Feature:` and its description) is prose.
  });
  return out;
}

/** The interview a scenario starts (`docassemble.base:data/questions/examples/x.yml`). */
export function interviewOf(s: Scenario): string | undefined {
  for (const step of s.steps) {
    const m = /^I (?:start|launch) the (?:possibly error-producing )?interview "([^"]+)"/.exec(step.text);
    if (m) return m[1];
  }
  return undefined;
}
