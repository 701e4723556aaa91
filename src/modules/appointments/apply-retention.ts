import { writeAudit } from '../../core/audit/index.ts';
import { systemActor } from '../../core/auth/actor.ts';
import type { AppContext } from '../../core/context.ts';
import * as repo from './repository.ts';

/**
 * GDPR retention: `LOTSE_APPT_RETENTION_DAYS` (default 30) days after an appointment ended,
 * its name, e-mail (and domain), phone and IP hash are removed; times, services, workstation,
 * status and source stay, so statistics keep their counts. Waitlist entries whose wished date
 * (or notification) lies that far back are deleted. Idempotent; audited with counts only.
 */
export async function applyRetention(ctx: AppContext, days = ctx.config.LOTSE_APPT_RETENTION_DAYS): Promise<{ anonymised: number; waitlistDeleted: number; cutoff: string }> {
  const cutoff = new Date(ctx.now().getTime() - days * 86400_000);
  return ctx.db.transaction(async (tx) => {
    const anonymised = await repo.anonymiseEndedBefore(tx, cutoff);
    const waitlistDeleted = await repo.deleteWaitlistBefore(tx, cutoff);
    if (anonymised || waitlistDeleted) {
      await writeAudit(tx, {
        actor: systemActor('appointments.retention'),
        action: 'appointments.retention',
        objectType: 'appointment',
        summary: { days, cutoff: cutoff.toISOString(), anonymised, waitlistDeleted },
      });
    }
    return { anonymised, waitlistDeleted, cutoff: cutoff.toISOString() };
  });
}
