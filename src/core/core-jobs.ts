import type { JobHandler } from './module.ts';

/** Job handlers of the core (mail delivery, retention clean-up, …). */
export const coreJobs: Record<string, JobHandler> = {};
