import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { writeAudit } from '../../core/audit/index.ts';
import { assertCan, type Actor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { Tx } from '../../core/db/index.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { dayGrid, invalidateSearches, unitsFor } from './find-slots.ts';
import { queueConfirmed, queueConfirmRequest } from './mails.ts';
import * as repo from './repository.ts';
import { closedReason, getSetup, slotRules, type Setup } from './rules.ts';
import { checkCaptcha, getSecret, ipHash, rateLimit, signToken, verifyToken } from './security.ts';
import { decodeSlotId, eligibleWorkstations, unitStarts } from './slots.ts';
import { addDays, localDate } from './time.ts';

const email = z
  .string()
  .trim()
  .max(254, 'Die E-Mail-Adresse ist zu lang.')
  .regex(/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z]{2,}$/i, 'Bitte eine gültige E-Mail-Adresse angeben, z. B. name@beispiel.de.')
  .transform((s) => s.toLowerCase());
const name = z.string().trim().min(2, 'Bitte Ihren Namen angeben.').max(120, 'Der Name ist zu lang.');
const phone = z
  .string()
  .trim()
  .max(40, 'Die Telefonnummer ist zu lang.')
  .regex(/^[+0-9 ()/-]*$/, 'Die Telefonnummer darf nur Ziffern, Leerzeichen und + ( ) / - enthalten.')
  .optional()
  .transform((s) => (s ? s : null));
const lang = z.enum(['de', 'en']).default('de');

export const bookSchema = z.object({
  slotId: z.string().min(1, 'Bitte eine Zeit wählen.').max(120),
  serviceIds: z.array(z.string().min(1).max(100)).min(1, 'Bitte mindestens eine Leistung wählen.').max(5),
  name,
  email,
  phone,
  lang,
  captcha: z.string().max(4000).optional(),
});
export type BookInput = z.input<typeof bookSchema>;

interface Placement {
  setup: Setup;
  loc: repo.LocationRow;
  start: Date;
  end: Date;
  units: number;
  starts: Date[];
  candidates: string[];
  serviceIds: string[];
}

/** Checks a slot id against the rules (opening hours, holidays, window, lead time) without touching claims. */
export async function resolveSlot(ctx: AppContext, slotId: string, serviceIds: readonly string[], staff: boolean): Promise<Placement> {
  const setup = await getSetup(ctx);
  const ids = [...new Set(serviceIds)];
  const units = unitsFor(setup, ids, staff);
  const field = (message: string, code: 'validation' | 'conflict' = 'validation') => new AppError(code, message, { fields: [{ field: 'slotId', message }] });
  const dec = decodeSlotId(slotId);
  if (!dec) throw field('Die gewählte Zeit ist ungültig. Bitte wählen Sie eine Zeit aus der Liste.');
  const loc = setup.locations.find((l) => l.id === dec.locationId);
  if (!loc) throw field('Der Standort der gewählten Zeit ist unbekannt.');
  if (dec.units !== units) throw field('Die gewählte Zeit passt nicht zur Dauer der gewählten Leistungen. Bitte wählen Sie erneut.');
  const now = ctx.now();
  if (dec.start.getTime() < now.getTime()) throw field('Die gewählte Zeit liegt in der Vergangenheit.');
  const date = localDate(dec.start, loc.timeZone);
  const today = localDate(now, loc.timeZone);
  if (!staff) {
    if (dec.start.getTime() < now.getTime() + loc.leadMinutes * 60_000 || date < addDays(today, loc.windowMinDays)) {
      throw field('Diese Zeit ist online nicht mehr buchbar (Vorlaufzeit). Bitte wählen Sie eine spätere Zeit.', 'conflict');
    }
    if (date > addDays(today, loc.windowMaxDays)) throw field(`Termine können höchstens ${loc.windowMaxDays} Tage im Voraus gebucht werden.`);
  }
  const closed = closedReason(setup, loc, date);
  if (closed) throw field(`An diesem Tag ist ${loc.name} geschlossen (${closed}).`);
  const candidates = eligibleWorkstations(slotRules(setup, loc, !staff), ids).map((w) => w.id);
  const match = dayGrid(setup, loc, date, units).find((s) => s.startAt.getTime() === dec.start.getTime());
  if (!match || !candidates.length) throw field('Die gewählte Zeit liegt außerhalb der Öffnungszeiten oder wird für diese Leistungen nicht angeboten.');
  const end = new Date(match.startAt.getTime() + units * loc.slotMinutes * 60_000);
  return { setup, loc, start: match.startAt, end, units, starts: unitStarts(match.startAt, units, loc.slotMinutes), candidates, serviceIds: ids };
}

/**
 * Inserts the booking and claims its slot units on the first free workstation, all in the
 * caller's transaction. The claims' primary key decides races: 409 when no workstation is left.
 */
const SLOT_GONE = 'Dieser Termin ist leider gerade vergeben worden. Bitte wählen Sie eine andere Zeit.';

/**
 * Share of recent placements that met a taken slot (exponentially decayed, per process). The
 * pre-check below costs a round trip that only pays off when conflicts are common (a release
 * rush with bots racing for the same times); when most attempts succeed it is skipped and the
 * transaction finds the rare conflict itself.
 */
const contention = { score: 1 };
/** Test hook: 1 = pre-check on, 0 = off (it adapts again with the next outcomes). */
export const setContentionForTest = (score: number) => {
  contention.score = score;
};
const noteOutcome = (conflict: boolean) => {
  contention.score = contention.score * 0.9 + (conflict ? 0.1 : 0);
};

/**
 * Fast path for races (release rush): drop workstations whose units are visibly taken before
 * opening a transaction; 409 at once when none is left. The claims' key still decides.
 */
async function freeCandidates(ctx: AppContext, p: Placement): Promise<Placement> {
  if (contention.score < 0.2) return p;
  const taken = await repo.takenUnits(ctx.db, p.candidates, p.start, p.end, ctx.now());
  const busy = new Set(taken.map((t) => t.workstationId));
  const candidates = p.candidates.filter((w) => !busy.has(w));
  if (!candidates.length) {
    noteOutcome(true);
    throw new AppError('conflict', SLOT_GONE, { fields: [{ field: 'slotId', message: 'Die Zeit ist nicht mehr frei.' }] });
  }
  return { ...p, candidates };
}

const SLOT_GONE_ERROR = () => new AppError('conflict', SLOT_GONE, { fields: [{ field: 'slotId', message: 'Die Zeit ist nicht mehr frei.' }] });

function emailLimitError(max: number) {
  return new AppError('validation', `Mit dieser E-Mail-Adresse sind bereits ${max} offene Termine gebucht. Bitte sagen Sie einen ab, bevor Sie einen neuen buchen.`, {
    fields: [{ field: 'email', message: 'Zu viele offene Termine für diese E-Mail-Adresse.' }],
  });
}

/** Serialises bookings of one address so the open-bookings limit cannot be raced. */
async function lockEmail(tx: Tx, mail: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`appt:${mail}`}))`);
}

/**
 * Inserts the booking and claims its slot units on the first free workstation, all in the
 * caller's transaction. The claims' primary key decides races: 409 when no workstation is left.
 * Common case = one statement (limit check + booking + claims); expired claims are only cleared
 * and further workstations only tried when the first attempt did not get every unit.
 * `limitEmail`: check the open-bookings limit per address (the caller holds its advisory lock).
 */
async function place(
  ctx: AppContext,
  tx: Tx,
  p: Placement,
  b: Omit<repo.NewBooking, 'locationId' | 'workstationId' | 'startAt' | 'endAt' | 'units' | 'serviceIds' | 'now'>,
  limitEmail: string | null = null,
) {
  const now = ctx.now();
  const first = p.candidates[0]!;
  const r = await repo.insertBookingWithClaims(
    tx,
    { ...b, locationId: p.loc.id, workstationId: first, startAt: p.start, endAt: p.end, units: p.units, serviceIds: p.serviceIds, now },
    p.starts,
    limitEmail ? { email: limitEmail, max: p.loc.maxOpenPerEmail, exceptId: null } : null,
  );
  if (!r.booking) throw emailLimitError(p.loc.maxOpenPerEmail);
  let booking = r.booking;
  noteOutcome(r.claimed !== p.units);
  if (r.claimed !== p.units) {
    if (r.claimed) await repo.releaseClaimsOn(tx, booking.id, first);
    let won: string | null = null;
    // Clear expired claims on these units (a stale hold never blocks), then try the workstations
    // that look free now, first one first; the primary key still decides each attempt.
    await repo.deleteExpiredClaims(tx, p.candidates, p.starts, now);
    const busy = new Set((await repo.takenUnits(tx, p.candidates, p.start, p.end, now)).map((t) => t.workstationId));
    for (const w of p.candidates.filter((x) => !busy.has(x))) {
      if (await repo.claimUnits(tx, w, p.starts, booking.id, b.expiresAt, now)) {
        won = w;
        break;
      }
    }
    if (!won) throw SLOT_GONE_ERROR();
    if (won !== first) {
      await repo.setBookingWorkstation(tx, booking.id, won);
      booking = { ...booking, workstationId: won };
    }
  }
  invalidateSearches(ctx);
  return booking;
}

async function checkEmailLimit(ctx: AppContext, tx: Tx, loc: repo.LocationRow, mail: string, exceptId?: string) {
  await lockEmail(tx, mail);
  const open = await repo.countOpenByEmail(tx, mail, ctx.now());
  const mine = exceptId ? 1 : 0;
  if (open - mine >= loc.maxOpenPerEmail) throw emailLimitError(loc.maxOpenPerEmail);
}

const auditSummary = (b: repo.BookingRow) => ({ start: b.startAt.toISOString(), units: b.units, services: b.serviceIds, workstation: b.workstationId, status: b.status, source: b.source });

/**
 * Public API booking: captcha, rate limits, limit per e-mail, then a pending booking
 * whose slot is kept until the confirm link is used (or `pendingMinutes` pass).
 */
export async function bookAppointment(ctx: AppContext, input: BookInput, meta: { ip?: string | null; requestId?: string } = {}) {
  const parsed = bookSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  await rateLimit(ctx, 'book-ip', meta.ip ?? '-', 20, 600);
  await rateLimit(ctx, 'book-mail', v.email, 6, 3600);
  await checkCaptcha(ctx, v.captcha);
  const p = await freeCandidates(ctx, await resolveSlot(ctx, v.slotId, v.serviceIds, false));
  const ip = await ipHash(ctx, meta.ip);
  await getSecret(ctx); // warm the cache: no ctx.db use inside the transaction (PGlite has one connection)
  const booking = await ctx.db.transaction(async (tx) => {
    await lockEmail(tx, v.email);
    const b = await place(ctx, tx, p, {
      status: 'pending',
      name: v.name,
      email: v.email,
      phone: v.phone,
      lang: v.lang,
      source: 'online',
      ipHash: ip,
      expiresAt: new Date(ctx.now().getTime() + p.loc.pendingMinutes * 60_000),
      replacesId: null,
    }, v.email);
    await queueConfirmRequest(ctx, tx, b, p.loc, p.setup);
    await writeAudit(tx, { actor: { type: 'citizen' }, action: 'appointment.book', objectType: 'appointment', objectId: b.id, summary: auditSummary(b), requestId: meta.requestId ?? null });
    return b;
  });
  return { booking, location: p.loc };
}

/** Step 1 of the web flow: hold a slot for `holdMinutes` while the citizen fills in the form. */
export async function holdSlot(ctx: AppContext, input: { slotId: string; serviceIds: string[]; lang?: string; replaces?: string | null }, meta: { ip?: string | null; requestId?: string } = {}) {
  const slotId = z.string().min(1).max(120).safeParse(input.slotId);
  if (!slotId.success) throw new AppError('validation', 'Bitte eine Zeit wählen.', { fields: [{ field: 'slotId', message: 'Bitte eine Zeit wählen.' }] });
  await rateLimit(ctx, 'hold-ip', meta.ip ?? '-', 30, 600);
  const p = await freeCandidates(ctx, await resolveSlot(ctx, slotId.data, input.serviceIds, false));
  let replacesId: string | null = null;
  if (input.replaces) replacesId = verifyToken(await getSecret(ctx), 'manage', input.replaces, ctx.now());
  const ip = await ipHash(ctx, meta.ip);
  const expiresAt = new Date(ctx.now().getTime() + p.loc.holdMinutes * 60_000);
  const booking = await ctx.db.transaction(async (tx) =>
    place(ctx, tx, p, { status: 'held', name: null, email: null, phone: null, lang: input.lang === 'en' ? 'en' : 'de', source: 'online', ipHash: ip, expiresAt, replacesId }),
  );
  const holdToken = signToken(await getSecret(ctx), 'hold', booking.id, new Date(expiresAt.getTime() + 3600_000));
  return { booking, holdToken, location: p.loc };
}

export const completeSchema = z.object({
  name,
  email,
  phone,
  lang,
  consent: z.literal(true, { error: 'Bitte stimmen Sie der Verarbeitung Ihrer Daten für die Terminvergabe zu.' }),
  captcha: z.string().max(4000).optional(),
});

/** Step 2 of the web flow: the held slot gets name and e-mail and becomes pending (confirm link mailed). */
export async function completeHold(ctx: AppContext, bookingId: string, holdToken: string, input: z.input<typeof completeSchema>, meta: { ip?: string | null; requestId?: string } = {}) {
  verifyToken(await getSecret(ctx), 'hold', holdToken, ctx.now(), bookingId);
  const parsed = completeSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  await rateLimit(ctx, 'book-mail', v.email, 6, 3600);
  await checkCaptcha(ctx, v.captcha);
  const setup = await getSetup(ctx);
  const result = await ctx.db.transaction(async (tx) => {
    const b = await repo.getBooking(tx, bookingId, true);
    if (!b) throw new AppError('not_found', 'Die Reservierung wurde nicht gefunden.');
    const loc = setup.locations.find((l) => l.id === b.locationId)!;
    if (b.status !== 'held') throw new AppError('gone', 'Diese Reservierung wurde bereits abgeschlossen oder ist abgelaufen.');
    const now = ctx.now();
    if (!b.expiresAt || b.expiresAt <= now) {
      // Commit the expiry (slot returns), then answer 410.
      await repo.updateBooking(tx, b.id, { status: 'expired', now });
      await repo.releaseClaims(tx, b.id);
      return { expired: loc.holdMinutes } as const;
    }
    await checkEmailLimit(ctx, tx, loc, v.email, b.id);
    const expiresAt = new Date(now.getTime() + loc.pendingMinutes * 60_000);
    if ((await repo.setClaimsExpiry(tx, b.id, expiresAt)) !== b.units) throw new AppError('gone', 'Die Reservierung ist abgelaufen. Bitte wählen Sie die Zeit erneut.');
    await repo.updateBooking(tx, b.id, { status: 'pending', name: v.name, email: v.email, phone: v.phone, lang: v.lang, expiresAt, now });
    const fresh = (await repo.getBooking(tx, b.id))!;
    await queueConfirmRequest(ctx, tx, fresh, loc, setup);
    await writeAudit(tx, { actor: { type: 'citizen' }, action: 'appointment.book', objectType: 'appointment', objectId: b.id, summary: auditSummary(fresh), requestId: meta.requestId ?? null });
    return { booking: fresh, location: loc };
  });
  if ('expired' in result) throw new AppError('gone', `Die Reservierung ist abgelaufen (nach ${result.expired} Minuten). Bitte wählen Sie die Zeit erneut.`);
  return result;
}

export const staffBookSchema = z.object({
  slotId: z.string().min(1, 'Bitte eine Zeit wählen.').max(120),
  serviceIds: z.array(z.string().min(1)).min(1, 'Bitte mindestens eine Leistung wählen.').max(5),
  name,
  email: z.union([z.literal('').transform(() => null), email]).optional(),
  phone,
});

/** Staff book on behalf of a caller: confirmed at once, any workstation, no booking window. */
export async function staffBook(ctx: AppContext, actor: Actor, input: z.input<typeof staffBookSchema>, meta: { requestId?: string } = {}) {
  assertCan(actor, 'appointments.manage');
  const parsed = staffBookSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  const p = await resolveSlot(ctx, v.slotId, v.serviceIds, true);
  await getSecret(ctx); // warm the cache: no ctx.db use inside the transaction (PGlite has one connection)
  return ctx.db.transaction(async (tx) => {
    const b = await place(ctx, tx, p, { status: 'confirmed', name: v.name, email: v.email ?? null, phone: v.phone, lang: 'de', source: 'staff', ipHash: null, expiresAt: null, replacesId: null });
    await queueConfirmed(ctx, tx, b, p.loc, p.setup);
    await writeAudit(tx, { actor, action: 'appointment.book', objectType: 'appointment', objectId: b.id, summary: auditSummary(b), requestId: meta.requestId ?? null });
    return b;
  });
}

export { auditSummary };

/** The held booking behind a hold link (web flow step 2). */
export async function getHeldBooking(ctx: AppContext, id: string, holdToken: string | undefined) {
  verifyToken(await getSecret(ctx), 'hold', holdToken, ctx.now(), id);
  const b = await repo.getBooking(ctx.db, id);
  if (!b) throw new AppError('gone', 'Die Reservierung wurde nicht gefunden.');
  const setup = await getSetup(ctx);
  const loc = setup.locations.find((l) => l.id === b.locationId)!;
  if (b.status !== 'held') {
    if (b.status === 'pending' || b.status === 'confirmed') throw new AppError('gone', 'Diese Reservierung ist bereits abgeschickt. Bitte sehen Sie in Ihre E-Mails.');
    throw new AppError('gone', 'Diese Reservierung ist abgelaufen. Bitte wählen Sie eine Zeit neu.');
  }
  if (!b.expiresAt || b.expiresAt <= ctx.now()) throw new AppError('gone', `Die Reservierung ist abgelaufen (nach ${loc.holdMinutes} Minuten). Bitte wählen Sie die Zeit erneut.`);
  return { booking: b, location: loc, setup };
}
