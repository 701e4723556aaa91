import { sql } from 'drizzle-orm';
import type { AppContext } from '../../../core/context.ts';
import { execRows } from '../../../core/db/index.ts';
import { enqueue } from '../../../core/jobs/index.ts';
import { nextDailyAt } from '../../../core/jobs/schedule.ts';
import type { JobHandler } from '../../../core/module.ts';
import { applyRetention } from './apply-retention.ts';
import { pollAllMailboxes } from './imap-poll.ts';
import { listMailboxes } from './repository.ts';
import { scanInboxFolder } from './scan-folder.ts';

/** Seconds between IMAP polls and between scans of the watched folder. */
export const IMAP_POLL_SECONDS = 60;
export const FOLDER_SCAN_SECONDS = 15;

const RECURRING: Record<string, (now: Date) => Date> = {
  'mailroom.imap-poll': (now) => new Date(now.getTime() + IMAP_POLL_SECONDS * 1000),
  'mailroom.inbox-scan': (now) => new Date(now.getTime() + FOLDER_SCAN_SECONDS * 1000),
  'mailroom.retention': (now) => nextDailyAt(now, 3, 30),
};

/**
 * The core worker keeps only its own recurring jobs scheduled, so these jobs reschedule themselves:
 * a run queues the next one under the other of two singleton keys (a job cannot queue its own key
 * while it runs), so at most one run is pending per queue.
 */
async function scheduleNext(ctx: AppContext, queue: string, payload: Record<string, unknown>): Promise<void> {
  const slot = payload.slot === 'a' ? 'b' : 'a';
  await enqueue(ctx.db, queue, { slot }, { singletonKey: `recurring:${queue}:${slot}`, runAt: RECURRING[queue]!(ctx.now()), maxAttempts: 1 });
}

/** Queues the intake jobs that are not pending yet (IMAP when a mailbox exists, folder when LOTSE_INBOX_DIR is set). */
export async function ensureIntakeJobs(ctx: AppContext): Promise<string[]> {
  const wanted = ['mailroom.retention'];
  if (ctx.config.LOTSE_INBOX_DIR) wanted.push('mailroom.inbox-scan');
  if ((await listMailboxes(ctx.db, true)).length) wanted.push('mailroom.imap-poll');
  const started: string[] = [];
  for (const q of wanted) {
    const pending = await execRows(ctx.db, sql`SELECT 1 FROM jobs WHERE queue = ${q} AND status IN ('queued', 'running') LIMIT 1`);
    if (pending.length) continue;
    await enqueue(ctx.db, q, { slot: 'a' }, { singletonKey: `recurring:${q}:a`, runAt: q === 'mailroom.retention' ? RECURRING[q]!(ctx.now()) : ctx.now(), maxAttempts: 1 });
    started.push(q);
  }
  return started;
}

const recurring =
  (queue: string, run: (ctx: AppContext) => Promise<unknown>): JobHandler =>
  async (ctx, payload) => {
    try {
      await run(ctx);
    } finally {
      await scheduleNext(ctx, queue, payload);
    }
  };

export const intakeJobs: Record<string, JobHandler> = {
  'mailroom.imap-poll': recurring('mailroom.imap-poll', (ctx) => pollAllMailboxes(ctx)),
  'mailroom.inbox-scan': recurring('mailroom.inbox-scan', async (ctx) => {
    if (ctx.config.LOTSE_INBOX_DIR) await scanInboxFolder(ctx, ctx.config.LOTSE_INBOX_DIR);
  }),
  'mailroom.retention': recurring('mailroom.retention', (ctx) => applyRetention(ctx)),
};
