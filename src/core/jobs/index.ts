import { sql, type SQL } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../db/index.ts';
import { jobs } from './schema.ts';

export { jobs };
export { listJobs, jobCounts, retryJob, JOB_STATUSES, type JobStatus, type JobListItem } from './admin.ts';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** At most one queued/running job with this key (a partial unique index enforces it, also across instances). */
  singletonKey?: string;
}

/**
 * Thrown by a handler for a failure that retrying cannot fix (e.g. SMTP 550 "no such mailbox"):
 * the job becomes a dead letter at once instead of being retried.
 */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * Queues a background job in the caller's transaction (so it exists only if the change commits).
 * Handlers are registered by modules (`LotseModule.jobs`) and run by the worker in `worker.ts`.
 * Resolves with the new job id, or null when a job with the same `singletonKey` is already queued or running.
 * @example await enqueue(tx, 'mail.send', { outboxId })
 */
export async function enqueue(tx: DbOrTx, queue: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions = {}): Promise<number | null> {
  const [row] = await execRows<{ id: string | number }>(tx, sql`${enqueueSql(queue, payload, opts)} RETURNING id`);
  return row ? Number(row.id) : null;
}

/**
 * The INSERT of `enqueue` as a SQL fragment (one source of truth for the row shape), for a use
 * case that folds its whole change into ONE statement (a data-modifying CTE). `from` is added as
 * `FROM …` (e.g. sql`p WHERE p.ok`: one job per row of it, none when it is empty).
 */
export function enqueueSql(queue: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions & { from?: SQL } = {}): SQL {
  const runAt = (opts.runAt ?? new Date()).toISOString();
  return sql`INSERT INTO jobs (queue, payload, run_at, max_attempts, singleton_key)
        SELECT ${queue}, ${JSON.stringify(payload)}::jsonb, ${runAt}::timestamptz, ${opts.maxAttempts ?? 5}::int, ${opts.singletonKey ?? null}::text${opts.from ? sql` FROM ${opts.from}` : sql``}
        ON CONFLICT DO NOTHING`;
}
