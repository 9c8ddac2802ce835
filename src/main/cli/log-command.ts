/**
 * `signup-desk log`: the durable attempt log (form, CLI and import), newest first. --json prints
 * JSON Lines — one LogEntry object per line — so a pipeline can stream it into `jq -c` or a file
 * without holding the whole log. https://jsonlines.org/
 */
import { OutcomeSchema, type LogEntry, type Outcome } from '@shared/contract';
import { parseCount, parseOptions } from './args';
import { call } from './call';
import type { Command } from './command';
import { EXIT } from './exit-codes';
import { logLines, writeJson, writeLines } from './output';
import { UsageError } from './usage-error';

const DEFAULT_LIMIT = 20;
const CODE_NOT_SENT_ERROR = 'LimitExceededException';
const MAX_LIMIT = 100_000;
/** The contract's page size cap (LogQuerySchema.limit). */
const PAGE = 500;

const usage = `Usage:
  signup-desk log [--limit N] [--outcome X]... [--job ID] [--code-not-sent] [--json]

Shows logged sign-up attempts (from the app's form, the CLI and imports), newest first.
  --limit N        how many entries (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})
  --outcome X      only entries with this outcome: ${OutcomeSchema.options.join(', ')} (repeatable)
  --job ID         only the entries of this import job
  --code-not-sent  only users created without a confirmation code (LimitExceededException):
                   send their codes later with ResendConfirmationCode
  --json         JSON Lines: one entry object per line, newest first
Passwords and client secrets are never logged.`;

export const logCommand: Command = {
  name: 'log',
  summary: 'show logged sign-up attempts, newest first',
  usage,
  async run(args, context) {
    const { values } = parseOptions({
      args,
      options: {
        limit: { type: 'string' },
        outcome: { type: 'string', multiple: true },
        job: { type: 'string' },
        'code-not-sent': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    const limit = parseCount('limit', values.limit, DEFAULT_LIMIT, MAX_LIMIT);
    const outcomes: Outcome[] = (values.outcome ?? []).map((raw) => {
      const parsed = OutcomeSchema.safeParse(raw);
      if (!parsed.success)
        throw new UsageError(`--outcome takes one of ${OutcomeSchema.options.join(', ')}.`);
      return parsed.data;
    });

    // LimitExceededException on SignUp created the user but sent no code (docs/cognito.md#errors):
    // such entries are the created ones that carry that error's name.
    const codeNotSent = values['code-not-sent'] === true;
    if (codeNotSent && outcomes.length > 0)
      throw new UsageError('--code-not-sent already picks the outcome.');
    if (codeNotSent) outcomes.push('created');
    const job = values.job;

    const services = await context.services();
    const entries: LogEntry[] = [];
    let before: number | undefined;
    while (entries.length < limit) {
      const page = await call(services, 'log:query', {
        limit: Math.min(PAGE, limit - entries.length),
        ...(outcomes.length > 0 && { outcomes }),
        ...(job !== undefined && { jobId: job }),
        ...(codeNotSent && { errorName: CODE_NOT_SENT_ERROR }),
        ...(before !== undefined && { before }),
      });
      for (const entry of page.entries) {
        if (values.json === true) writeJson(context.io.stdout, entry);
        entries.push(entry);
      }
      if (page.nextCursor === null || page.entries.length === 0) break;
      before = page.nextCursor;
    }
    if (values.json !== true) writeLines(context.io.stdout, logLines(entries));
    return EXIT.ok;
  },
};
