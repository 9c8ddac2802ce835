/**
 * What a benchmark scenario is and what it reports. Every figure that says "fast enough" is a ratio
 * against a baseline measured in the same run (these machines are shared and noisy); absolute
 * times are printed beside it for context only.
 */

export interface Goal {
  /** `<=`: the value must not exceed the target; `>=`: it must reach it; `==`: exactly it. */
  op: '<=' | '>=' | '==' | '<';
  target: number;
}

export interface Figure {
  name: string;
  value: number;
  unit?: string;
  goal?: Goal;
  /** Raw samples (e.g. each alternation's ratio) when the value is their median. */
  samples?: number[];
  note?: string;
}

export interface ScenarioResult {
  figures: Figure[];
  /** Context: sizes, settings, absolute times. */
  details: Record<string, unknown>;
}

export interface Scenario {
  /** Short id used on the command line (`npm run bench -- a c`). */
  id: string;
  title: string;
  /** Must end within its share of the ~5-minute budget and send traffic only to 127.0.0.1. */
  run(): Promise<ScenarioResult>;
}

export function goalMet(figure: Figure): boolean | null {
  const goal = figure.goal;
  if (goal === undefined) return null;
  switch (goal.op) {
    case '<=':
      return figure.value <= goal.target;
    case '<':
      return figure.value < goal.target;
    case '>=':
      return figure.value >= goal.target;
    case '==':
      return figure.value === goal.target;
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds for printing and results.json: 3 significant decimals is plenty for noisy machines. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
