/** What each measuring child sends back, once, before it exits. */
export interface ChildReport {
  elapsedMs: number;
  /** CPU time (user + system) of the measured work: less sensitive to a busy machine than elapsed time. */
  cpuMs: number;
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

export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
