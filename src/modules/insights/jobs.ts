import type { JobHandler, RecurringSpec } from '../../core/module.ts';
import { aggregateRecentDays } from './aggregate-co-use.ts';

export const AGGREGATE_QUEUE = 'insights.aggregate';

/** Daily at 02:15 Europe/Berlin (after midnight, before the 03:00 maintenance); kept scheduled by the core worker. */
export const insightsRecurring: RecurringSpec[] = [{ queue: AGGREGATE_QUEUE, dailyAt: '02:15' }];

export const insightsJobs: Record<string, JobHandler> = {
  [AGGREGATE_QUEUE]: async (ctx) => {
    const done = await aggregateRecentDays(ctx);
    ctx.log.info({ days: done.length, pairs: done.reduce((n, d) => n + d.pairs, 0) }, 'insights: co-use aggregated');
  },
};
