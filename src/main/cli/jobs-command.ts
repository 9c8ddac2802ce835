/**
 * `signup-desk jobs`: the import jobs of this data folder — started from the app or the CLI —
 * newest first, with their state and counts. A job whose process died (a crash, a kill) shows as
 * "interrupted"; it and paused or stopped jobs continue with `signup-desk import --resume ID`.
 * --json prints JSON Lines (one job per line), like `signup-desk log --json`. https://jsonlines.org/
 */
import { parseOptions } from './args';
import { call } from './call';
import type { Command } from './command';
import { EXIT } from './exit-codes';
import { jobLines } from './import-output';
import { writeJson, writeLines } from './output';

const usage = `Usage:
  signup-desk jobs [--json]

Lists the import jobs (from the app and the CLI), newest first: state (running, paused, stopped,
interrupted, completed, cancelled), rows done and the counts per outcome. Continue a paused, stopped
or interrupted job with \`signup-desk import --resume ID\`.
  --json   JSON Lines: one job object per line {"id", "createdAt", "state", "fileName", "profileName",
           "passwordKind", "rate", "concurrency", "parentJobId", "progress": {"rows", "valid", "created",
           "exists", "invalid", "failed", "remaining", "elapsedMs", "state", "stopReason"…}}

Exit codes: 0 listed; 2 usage; 3 the data folder cannot be opened.`;

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'list import jobs and their state',
  usage,
  async run(args, context) {
    const { values } = parseOptions({ args, options: { json: { type: 'boolean' } } });
    const jobs = await call(await context.services(), 'import:jobs', undefined);
    if (values.json === true) for (const job of jobs) writeJson(context.io.stdout, job);
    else writeLines(context.io.stdout, jobLines(jobs));
    return EXIT.ok;
  },
};
