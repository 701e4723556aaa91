import { sql } from 'drizzle-orm';
import { auditHead, sealAudit, writeAudit } from './audit/index.ts';
import { systemActor } from './auth/actor.ts';
import type { AppContext } from './context.ts';
import { execRows } from './db/index.ts';
import type { JobRunInfo } from './jobs/worker.ts';
import { deliverOutboxMail, purgeOutbox } from './mail-out/index.ts';
import type { JobHandler } from './module.ts';

/** Finished jobs are kept this long for the admin view, then deleted. */
export const JOB_RETENTION_DAYS = 30;

/**
 * Daily maintenance (scheduled by the worker at 03:00 Europe/Berlin): outbox retention, clean-up
 * of finished jobs, and the audit head written to the log as an outside anchor. Audited.
 */
export async function runDailyMaintenance(ctx: AppContext): Promise<{ mailsSent: number; mailsDead: number; jobsDone: number; auditHead: { chainPos: number; seq: number; hash: string } }> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const mails = await purgeOutbox(tx, now);
    const jobs = await execRows(
      tx,
      sql`DELETE FROM jobs WHERE status = 'done' AND finished_at < ${now.toISOString()}::timestamptz - make_interval(days => ${JOB_RETENTION_DAYS}) RETURNING id`,
    );
    await sealAudit(tx);
    const head = await auditHead(tx);
    ctx.log.info({ auditHeadPos: head.chainPos, auditHeadHash: head.hash }, 'audit head');
    const result = { mailsSent: mails.sent, mailsDead: mails.dead, jobsDone: jobs.length, auditHead: head };
    await writeAudit(tx, {
      actor: systemActor('maintenance'),
      action: 'maintenance.daily',
      objectType: 'system',
      summary: { deleted: { outboxSent: mails.sent, outboxDead: mails.dead, jobsDone: jobs.length }, auditHeadPos: head.chainPos },
    });
    return result;
  });
}

/** Job handlers of the core (mail delivery, daily maintenance). */
export const coreJobs: Record<string, JobHandler> = {
  'mail.send': (async (ctx: AppContext, payload: Record<string, unknown>, job?: JobRunInfo) => {
    await deliverOutboxMail(ctx, String(payload.outboxId), job);
  }) as JobHandler,
  'maintenance.daily': async (ctx) => {
    await runDailyMaintenance(ctx);
  },
};
