import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { enqueue } from '../../core/jobs/index.ts';
import { nextDailyAt } from '../../core/jobs/schedule.ts';
import type { JobHandler } from '../../core/module.ts';
import { aggregateRecentDays } from './aggregate-co-use.ts';

export const AGGREGATE_QUEUE = 'insights.aggregate';
/** Runs at 02:15 Europe/Berlin (after midnight, before the 03:00 maintenance). */
const nextRun = (now: Date) => nextDailyAt(now, 2, 15);

/**
 * The core worker keeps only its own recurring jobs, so this job reschedules itself: a run queues
 * the next one under the other of two singleton keys (a running job holds its own key).
 */
async function scheduleNext(ctx: AppContext, payload: Record<string, unknown>): Promise<void> {
  const slot = payload.slot === 'a' ? 'b' : 'a';
  await enqueue(ctx.db, AGGREGATE_QUEUE, { slot }, { singletonKey: `recurring:${AGGREGATE_QUEUE}:${slot}`, runAt: nextRun(ctx.now()), maxAttempts: 3 });
}

/** Queues the daily aggregation unless one is pending; safe from every instance at every start. */
export async function ensureAggregationJob(ctx: AppContext): Promise<boolean> {
  const pending = await execRows(ctx.db, sql`SELECT 1 FROM jobs WHERE queue = ${AGGREGATE_QUEUE} AND status IN ('queued', 'running') LIMIT 1`);
  if (pending.length) return false;
  const id = await enqueue(ctx.db, AGGREGATE_QUEUE, { slot: 'a' }, { singletonKey: `recurring:${AGGREGATE_QUEUE}:a`, runAt: nextRun(ctx.now()), maxAttempts: 3 });
  return id !== null;
}

export const insightsJobs: Record<string, JobHandler> = {
  [AGGREGATE_QUEUE]: async (ctx, payload) => {
    try {
      const done = await aggregateRecentDays(ctx);
      ctx.log.info({ days: done.length, pairs: done.reduce((n, d) => n + d.pairs, 0) }, 'insights: co-use aggregated');
    } finally {
      await scheduleNext(ctx, payload);
    }
  },
};
