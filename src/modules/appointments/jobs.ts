import type { AppContext } from '../../core/context.ts';
import { applyRetention } from './apply-retention.ts';
import type { JobHandler, RecurringSpec } from '../../core/module.ts';
import { findSlots } from './find-slots.ts';
import { formatWhen, queueReminder, queueWaitlistNotice } from './mails.ts';
import * as repo from './repository.ts';
import { getSetup } from './rules.ts';
import { getSecret } from './security.ts';
import { localDate } from './time.ts';


/** Expires held/pending bookings whose time is up (their slots return). */
export async function expireHolds(ctx: AppContext): Promise<number> {
  const expired = await repo.expireDue(ctx.db, ctx.now());
  await repo.purgeCaptcha(ctx.db, ctx.now());
  return expired.length;
}

/** Sends due reminders (lead time per location, default 24 h); each booking once. */
export async function sendReminders(ctx: AppContext): Promise<number> {
  const setup = await getSetup(ctx);
  const due = await repo.dueReminders(ctx.db, ctx.now());
  if (due.length) await getSecret(ctx);
  for (const b of due) {
    await ctx.db.transaction(async (tx) => {
      const locked = await repo.getBooking(tx, b.id, true);
      if (!locked || locked.reminderSentAt || locked.status !== 'confirmed') return;
      await queueReminder(ctx, tx, locked, setup.locations.find((l) => l.id === b.locationId)!, setup);
      await repo.updateBooking(tx, b.id, { reminderSentAt: ctx.now(), now: ctx.now() });
    });
  }
  return due.length;
}

/** After a cancellation: tell the first person in line who wants a slot earlier than theirs. */
export async function notifyWaitlist(ctx: AppContext, payload: { locationId: string; start: string }): Promise<boolean> {
  const setup = await getSetup(ctx);
  const loc = setup.locations.find((l) => l.id === payload.locationId);
  if (!loc) return false;
  const start = new Date(payload.start);
  await getSecret(ctx);
  for (const w of await repo.waitingFor(ctx.db, loc.id, start, ctx.now())) {
    // Only notify when the freed time fits the waiting person's services.
    const date = localDate(start, loc.timeZone);
    let fits = false;
    try {
      const r = await findSlots(ctx, { serviceIds: w.serviceIds, locationId: loc.id, from: date, to: date });
      fits = r.slots.some((s) => s.startAt.getTime() === start.getTime());
    } catch {
      fits = false;
    }
    if (!fits) continue;
    const sent = await ctx.db.transaction(async (tx) => {
      if (!(await repo.markWaitlistNotified(tx, w.id, ctx.now()))) return false;
      await queueWaitlistNotice(ctx, tx, w, formatWhen(start, loc.timeZone, w.lang));
      return true;
    });
    if (sent) return true;
  }
  return false;
}

/** Expiry/reminder tick every minute and retention daily at 03:30 Berlin; kept scheduled by the core worker. */
export const appointmentRecurring: RecurringSpec[] = [
  { queue: 'appointments.tick', everySeconds: 60 },
  { queue: 'appointments.retention', dailyAt: '03:30' },
];

export const appointmentJobs: Record<string, JobHandler> = {
  'appointments.tick': async (ctx) => {
    await expireHolds(ctx);
    await sendReminders(ctx);
  },
  'appointments.retention': async (ctx) => {
    const r = await applyRetention(ctx);
    ctx.log.info({ anonymised: r.anonymised, waitlistDeleted: r.waitlistDeleted }, 'appointments retention');
  },
  'appointments.waitlist': async (ctx, payload) => {
    await notifyWaitlist(ctx, payload as { locationId: string; start: string });
  },
};
