/** Which scenarios a run takes: a feature file, then optional filters from the environment. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { type Scenario, interviewOf, parseFeature } from './gherkin';

/** docassemble's git directory, for reading its feature file when none is named. */
const DEFAULT_DA_GIT = '/work/.mirror/jhpyle+docassemble/repo';

export interface Feature {
  /** Where it came from (a path, or `git:DIR:PATH`). */
  origin: string;
  /** The directory relative file names in steps are resolved against. */
  dir: string;
  scenarios: Scenario[];
}

/**
 * `SCENARIOS_FEATURE` (a .feature path), else `tests/features/TestExamples.feature` read from the
 * docassemble git directory `DOCASSEMBLE_GIT`.
 */
export function loadFeature(): Feature {
  const file = process.env.SCENARIOS_FEATURE;
  if (file) {
    const full = path.resolve(file);
    return { origin: full, dir: path.dirname(full), scenarios: parseFeature(fs.readFileSync(full, 'utf8')) };
  }
  const git = process.env.DOCASSEMBLE_GIT ?? DEFAULT_DA_GIT;
  const rel = 'tests/features/TestExamples.feature';
  let text: string;
  try {
    text = execFileSync('git', ['-C', git, 'show', `HEAD:${rel}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch {
    throw new Error(
      `no feature file: set SCENARIOS_FEATURE=path/to/file.feature or DOCASSEMBLE_GIT=<docassemble git dir> (tried ${git})`,
    );
  }
  return { origin: `git:${git}:${rel}`, dir: path.join(git, 'tests', 'features'), scenarios: parseFeature(text) };
}

/**
 * Filters: `SCENARIOS_INTERVIEW` (a regular expression on the interview reference),
 * `SCENARIOS_SAMPLE=N` (N scenarios spread evenly over the file), `SCENARIOS_NAMES` (a file
 * with one scenario name a line). Playwright's own `--grep` filters by name on top.
 */
export function selectScenarios(all: Scenario[]): Scenario[] {
  let out = all;
  const iv = process.env.SCENARIOS_INTERVIEW;
  if (iv) {
    const re = new RegExp(iv);
    out = out.filter((s) => re.test(interviewOf(s) ?? ''));
  }
  const names = process.env.SCENARIOS_NAMES;
  if (names) {
    const wanted = new Set(
      fs
        .readFileSync(names, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#')),
    );
    out = out.filter((s) => wanted.has(s.name));
  }
  const sample = Number(process.env.SCENARIOS_SAMPLE ?? 0);
  if (sample > 0 && sample < out.length) {
    const step = out.length / sample;
    out = Array.from({ length: sample }, (_, i) => out[Math.floor(i * step)]);
  }
  return out;
}
