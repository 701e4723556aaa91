import type { JobHandler, RecurringSpec } from '../../core/module.ts';
import { applyProfileRetention } from './apply-retention.ts';

export const profileRecurring: RecurringSpec[] = [{ queue: 'profile.retention', dailyAt: '03:40' }];

export const profileJobs: Record<string, JobHandler> = {
  'profile.retention': async (ctx) => {
    const r = await applyProfileRetention(ctx);
    if (r.accountsDeleted) ctx.log.info({ accountsDeleted: r.accountsDeleted, cutoff: r.cutoff }, 'profile retention');
  },
};
