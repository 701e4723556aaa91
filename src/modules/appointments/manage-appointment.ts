import { writeAudit } from '../../core/audit/index.ts';
import { assertCan, type Actor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { DbOrTx } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { enqueue } from '../../core/jobs/index.ts';
import { auditSummary } from './book-appointment.ts';
import { invalidateSearches } from './find-slots.ts';
import { queueCancelled, queueConfirmed } from './mails.ts';
import * as repo from './repository.ts';
import { getSetup, type Setup } from './rules.ts';
import { checkTokenInput, getSecret, verifyToken } from './security.ts';

const FINAL = new Set(['confirmed', 'arrived', 'done', 'noshow']);

/**
 * Confirms a pending booking via the link from the e-mail. Idempotent: a second click
 * shows the same confirmed booking and sends no second mail.
 */
export async function confirmAppointment(ctx: AppContext, token: string, meta: { requestId?: string } = {}) {
  checkTokenInput(undefined, token);
  const id = verifyToken(await getSecret(ctx), 'confirm', token, ctx.now());
  const setup = await getSetup(ctx);
  const EXPIRED = 'Die Frist zur Bestätigung ist abgelaufen, der Termin wurde wieder freigegeben. Bitte buchen Sie erneut.';
  const result = await ctx.db.transaction(async (tx) => {
    const b = await repo.getBooking(tx, id, true);
    if (!b) throw new AppError('gone', 'Dieser Termin existiert nicht mehr.');
    const loc = setup.locations.find((l) => l.id === b.locationId)!;
    if (FINAL.has(b.status)) return { booking: b, location: loc, already: true };
    if (b.status === 'cancelled') throw new AppError('gone', 'Dieser Termin wurde bereits abgesagt und kann nicht mehr bestätigt werden.');
    const now = ctx.now();
    if (b.status !== 'pending' || !b.expiresAt || b.expiresAt <= now) {
      // Free the slot now (committed), then answer 410.
      if (b.status === 'pending') {
        await repo.updateBooking(tx, b.id, { status: 'expired', now });
        await repo.releaseClaims(tx, b.id);
      }
      return null;
    }
    if (b.replacesId && (await repo.otherReplacementConfirmed(tx, b.replacesId, b.id))) {
      // The reschedule link was used twice: the old appointment was already moved. Free this time again.
      await repo.updateBooking(tx, b.id, { status: 'cancelled', cancelledAt: now, expiresAt: null, now });
      await repo.releaseClaims(tx, b.id);
      await writeAudit(tx, { actor: { type: 'citizen' }, action: 'appointment.cancel', objectType: 'appointment', objectId: b.id, summary: { ...auditSummary(b), reason: 'already-rescheduled' }, requestId: meta.requestId ?? null });
      return 'moved' as const;
    }
    if ((await repo.setClaimsExpiry(tx, b.id, null)) !== b.units) throw new AppError('gone', EXPIRED);
    await repo.updateBooking(tx, b.id, { status: 'confirmed', expiresAt: null, confirmedAt: now, now });
    const fresh = (await repo.getBooking(tx, b.id))!;
    await queueConfirmed(ctx, tx, fresh, loc, setup);
    await writeAudit(tx, { actor: { type: 'citizen' }, action: 'appointment.confirm', objectType: 'appointment', objectId: b.id, summary: auditSummary(fresh), requestId: meta.requestId ?? null });
    if (b.replacesId) await cancelInTx(ctx, setup, tx, b.replacesId, { type: 'citizen' }, 'rescheduled', meta.requestId).catch(() => undefined);
    return { booking: fresh, location: loc, already: false };
  });
  if (!result) throw new AppError('gone', EXPIRED);
  if (result === 'moved') throw new AppError('conflict', 'Dieser Termin wurde über denselben Link bereits verlegt. Die zusätzlich gewählte Zeit wurde wieder freigegeben.');
  return result;
}

async function cancelInTx(ctx: AppContext, setup: Setup, tx: DbOrTx, id: string, actor: Actor, reason: string, requestId?: string) {
  const b = await repo.getBooking(tx, id, true);
  if (!b) throw new AppError('gone', 'Dieser Termin existiert nicht.');
  if (b.status === 'cancelled') throw new AppError('gone', 'Dieser Termin wurde bereits abgesagt.');
  if (b.status === 'expired') throw new AppError('gone', 'Dieser Termin wurde nie bestätigt und ist bereits verfallen.');
  if (['arrived', 'done', 'noshow'].includes(b.status) || b.startAt <= ctx.now()) throw new AppError('gone', 'Dieser Termin liegt in der Vergangenheit und kann nicht mehr abgesagt werden.');
  const loc = setup.locations.find((l) => l.id === b.locationId)!;
  const now = ctx.now();
  await repo.updateBooking(tx, b.id, { status: 'cancelled', cancelledAt: now, expiresAt: null, now });
  await repo.releaseClaims(tx, b.id);
  invalidateSearches(ctx);
  if (reason !== 'rescheduled') await queueCancelled(ctx, tx, b, loc);
  // Tell the first person on the waitlist (only confirmed slots were really taken away from others).
  if (b.status === 'confirmed') await enqueue(tx, 'appointments.waitlist', { locationId: b.locationId, start: b.startAt.toISOString() });
  await writeAudit(tx, { actor, action: 'appointment.cancel', objectType: 'appointment', objectId: b.id, summary: { ...auditSummary(b), reason }, requestId: requestId ?? null });
  return b;
}

/**
 * Cancels by the signed link (no login). A replayed, forged or expired token answers 410
 * with a German explanation; the calendar is untouched in that case.
 */
export async function cancelByToken(ctx: AppContext, id: string, token: string | undefined, meta: { requestId?: string } = {}) {
  checkTokenInput(id, token);
  verifyToken(await getSecret(ctx), 'manage', token, ctx.now(), id);
  const setup = await getSetup(ctx);
  return ctx.db.transaction((tx) => cancelInTx(ctx, setup, tx, id, { type: 'citizen' }, 'citizen', meta.requestId));
}

export async function cancelByStaff(ctx: AppContext, actor: Actor, id: string, meta: { requestId?: string } = {}) {
  assertCan(actor, 'appointments.manage');
  await getSecret(ctx);
  const setup = await getSetup(ctx);
  return ctx.db.transaction((tx) => cancelInTx(ctx, setup, tx, id, actor, 'staff', meta.requestId));
}

/** The booking behind a manage link (for the citizen's page). */
export async function bookingByManageToken(ctx: AppContext, token: string | undefined) {
  checkTokenInput(undefined, token);
  const id = verifyToken(await getSecret(ctx), 'manage', token, ctx.now());
  const b = await repo.getBooking(ctx.db, id);
  if (!b) throw new AppError('gone', 'Dieser Termin existiert nicht mehr.');
  const setup = await getSetup(ctx);
  return { booking: b, location: setup.locations.find((l) => l.id === b.locationId)!, setup };
}

export const STAFF_STATUSES = ['arrived', 'noshow', 'done', 'confirmed'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/**
 * Allowed staff changes of a visit. `confirmed` as target is the undo. A visit that was
 * served (`done`) cannot become a no-show; no-show only once the time has begun.
 */
const TRANSITIONS: Record<string, readonly StaffStatus[]> = {
  confirmed: ['arrived', 'noshow', 'done'],
  arrived: ['done', 'noshow', 'confirmed'],
  noshow: ['arrived', 'done', 'confirmed'],
  done: ['arrived', 'confirmed'],
};

/** The status changes staff may make now (for the buttons of the day view). */
export function allowedStatusChanges(b: { status: string; startAt: Date }, now: Date): StaffStatus[] {
  return (TRANSITIONS[b.status] ?? []).filter((s) => s !== 'noshow' || b.startAt <= now);
}

/** Staff mark a visit arrived / no-show / done (or back to confirmed to undo). */
export async function setAppointmentStatus(ctx: AppContext, actor: Actor, id: string, status: string, meta: { requestId?: string } = {}) {
  assertCan(actor, 'appointments.manage');
  if (!(STAFF_STATUSES as readonly string[]).includes(status)) throw new AppError('validation', 'Unbekannter Status.', { fields: [{ field: 'status', message: 'Unbekannter Status.' }] });
  const to = status as StaffStatus;
  return ctx.db.transaction(async (tx) => {
    const b = await repo.getBooking(tx, id, true);
    if (!b) throw new AppError('not_found', 'Der Termin wurde nicht gefunden.');
    // A double click (same target again) changes nothing and writes no second audit entry.
    if (b.status === to) return b;
    if (!FINAL.has(b.status)) {
      const why: Record<string, string> = {
        pending: 'Der Termin ist noch nicht per E-Mail bestätigt.',
        held: 'Die Zeit ist nur vorläufig reserviert.',
        cancelled: 'Der Termin wurde abgesagt.',
        expired: 'Der Termin ist verfallen.',
      };
      throw new AppError('conflict', `${why[b.status] ?? 'Der Termin hat einen anderen Status.'} Nur bestätigte Termine können als anwesend, nicht erschienen oder erledigt markiert werden.`);
    }
    const now = ctx.now();
    if (!(TRANSITIONS[b.status] ?? []).includes(to)) {
      throw new AppError('conflict', `Ein Termin mit dem Status „${STATUS_LABEL[b.status]}“ kann nicht auf „${STATUS_LABEL[to]}“ gesetzt werden.`);
    }
    if (to === 'noshow' && b.startAt > now) throw new AppError('conflict', 'Ein Termin kann erst ab seiner Anfangszeit als „nicht erschienen“ markiert werden.');
    await repo.updateBooking(tx, id, { status: to, now });
    await writeAudit(tx, { actor, action: 'appointment.status', objectType: 'appointment', objectId: id, summary: { from: b.status, to }, requestId: meta.requestId ?? null });
    return { ...b, status: to };
  });
}

const STATUS_LABEL: Record<string, string> = { confirmed: 'bestätigt', arrived: 'anwesend', done: 'erledigt', noshow: 'nicht erschienen' };
