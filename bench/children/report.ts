/** What each measuring child sends back, once, before it exits. */
export interface ChildReport {
  elapsedMs: number;
  /** process.resourceUsage().maxRSS: this process's peak resident set, in KiB. */
  maxRssKb: number;
  /** Resident set before the measured work began (modules loaded), in KiB. */
  startRssKb: number;
  rows: number;
  extra?: Record<string, unknown>;
}

export function sendReport(report: ChildReport): void {
  if (process.send === undefined) {
    console.log(JSON.stringify(report));
    return;
  }
  process.send(report, () => process.disconnect());
}
