import { createHash, randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { auditInsertSql, writeAudit } from '../../core/audit/index.ts';
import { assertCan, type Actor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows, type DbOrTx, type Tx } from '../../core/db/index.ts';
import { queueMailSql } from '../../core/mail-out/index.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { dayGrid, invalidateSearches, unitsFor } from './find-slots.ts';
import { confirmRequestMail, queueConfirmed, queueConfirmRequest } from './mails.ts';
import * as repo from './repository.ts';
import { closedReason, getSetup, slotRules, type Setup } from './rules.ts';
import { checkCaptcha, checkTokenInput, getSecret, ipHash, rateLimit, signToken, verifyToken } from './security.ts';
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

const SLOT_GONE = 'Dieser Termin ist leider gerade vergeben worden. Bitte wählen Sie eine andere Zeit.';
const SLOT_GONE_ERROR = () => new AppError('conflict', SLOT_GONE, { fields: [{ field: 'slotId', message: 'Die Zeit ist nicht mehr frei.' }] });

function emailLimitError(max: number) {
  return new AppError('validation', `Mit dieser E-Mail-Adresse sind bereits ${max} offene Termine gebucht. Bitte sagen Sie einen ab, bevor Sie einen neuen buchen.`, {
    fields: [{ field: 'email', message: 'Zu viele offene Termine für diese E-Mail-Adresse.' }],
  });
}

function phoneLimitError(max: number) {
  return new AppError('validation', `Mit dieser Telefonnummer sind bereits ${max} offene Termine gebucht. Bitte sagen Sie einen ab, bevor Sie einen neuen buchen.`, {
    fields: [{ field: 'phone', message: 'Zu viele offene Termine für diese Telefonnummer.' }],
  });
}

const phoneMax = (loc: repo.LocationRow) => loc.maxOpenPerPhone ?? 3;

/** Serialises bookings of one address (then one phone) so the open-bookings limits cannot be raced (same keys and order as `appt_place_booking`). */
async function lockEmail(tx: Tx, mail: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`appt:${mail}`}))`);
}
async function lockPhone(tx: Tx, key: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`appt:tel:${key}`}))`);
}

type BookingFields = Omit<repo.NewBooking, 'locationId' | 'workstationId' | 'startAt' | 'endAt' | 'units' | 'serviceIds' | 'now'> & { expireMinutes?: number };

/**
 * Everything `appt_place_booking` needs; the booking id is made here, so mail and audit can be built
 * before the statement. `limitEmail` switches on the open-bookings limits (e-mail, and phone when given).
 */
function placing(ctx: AppContext, p: Placement, b: BookingFields, limitEmail: string | null): repo.Placing {
  const key = repo.phoneKey(b.phone);
  return {
    ...b,
    phoneKey: key,
    expireMinutes: b.expireMinutes ?? null,
    id: randomUUID(),
    locationId: p.loc.id,
    startAt: p.start,
    endAt: p.end,
    units: p.units,
    serviceIds: p.serviceIds,
    now: ctx.now(),
    candidates: p.candidates,
    starts: p.starts,
    limit: limitEmail ? { email: limitEmail, max: p.loc.maxOpenPerEmail, phone: key, phoneMax: phoneMax(p.loc) } : null,
  };
}

/**
 * Runs `statement` (which starts with `appt_place_booking`, see `repo.placeBookingSql`, and returns
 * its `w` and `t`) and maps its outcome: the workstation, 409 when no candidate was free, 422 when the
 * e-mail or phone limit is reached. A hold's expiry is the database time `t` + `expireMinutes`.
 * The claims' primary key decides races (`INSERT … ON CONFLICT DO NOTHING` in the function waits for
 * a concurrent uncommitted claim of the same unit), on PGlite, PostgreSQL and across instances.
 */
async function runPlacement(ctx: AppContext, db: DbOrTx | 'own', pl: repo.Placing, statement: SQL = repo.placeBookingSql(pl)): Promise<repo.BookingRow> {
  let row: Placed | undefined;
  try {
    const rows = db === 'own' ? await runOwn(ctx, statement) : await execRows<Placed>(db, statement);
    row = rows[0];
  } catch (e) {
    const kind = repo.limitErrorKind(e);
    if (kind === 'email') throw emailLimitError(pl.limit?.max ?? 0);
    if (kind === 'phone') throw phoneLimitError(pl.limit?.phoneMax ?? 0);
    throw e;
  }
  if (!row?.w) throw SLOT_GONE_ERROR();
  invalidateSearches(ctx);
  const placed = repo.placedRow(pl, row.w);
  if (pl.expireMinutes !== null) placed.expiresAt = new Date(repo.toDate(row.t).getTime() + pl.expireMinutes * 60_000);
  return placed;
}

type Placed = { w: string | null; t: unknown };

const dialect = new PgDialect();
const statementNames = new Map<string, string>();

/**
 * Runs one statement as its own transaction (no BEGIN/COMMIT round trips) as a named prepared
 * statement on PostgreSQL: its text depends only on the statement's shape (arrays go in as one
 * parameter), so each pooled connection parses and plans it once.
 */
async function runOwn(ctx: AppContext, statement: SQL): Promise<Placed[]> {
  const q = dialect.sqlToQuery(statement);
  let name = statementNames.get(q.sql);
  if (!name) {
    name = `appt_${createHash('sha1').update(q.sql).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 100) statementNames.set(q.sql, name);
  }
  return ctx.database.query<Placed>(q.sql, q.params, { name });
}

/** Limits when a hold gets its address; a reschedule hold may count one less (the old booking goes on confirmation). */
async function checkLimits(ctx: AppContext, tx: Tx, loc: repo.LocationRow, mail: string, phone: string | null, replacing: boolean) {
  const mine = replacing ? 1 : 0;
  await lockEmail(tx, mail);
  if ((await repo.countOpenByEmail(tx, mail, ctx.now())) - mine >= loc.maxOpenPerEmail) throw emailLimitError(loc.maxOpenPerEmail);
  const key = repo.phoneKey(phone);
  if (!key) return;
  await lockPhone(tx, key);
  if ((await repo.countOpenByPhone(tx, key, ctx.now())) - mine >= phoneMax(loc)) throw phoneLimitError(phoneMax(loc));
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
  const p = await resolveSlot(ctx, v.slotId, v.serviceIds, false);
  const ip = await ipHash(ctx, meta.ip);
  const pl = placing(ctx, p, {
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
  // ONE statement = one round trip and its own transaction (no BEGIN/COMMIT): lock + limit +
  // booking + claims (function), then outbox mail + its job and the audit entry, written only
  // when the function placed the booking (`p.w` is its workstation, NULL when the slot is gone).
  const draft = repo.placedRow(pl, p.candidates[0]!);
  const placed = sql`p WHERE p.w IS NOT NULL`;
  const mail = await confirmRequestMail(ctx, draft, p.loc, p.setup);
  const m = mail ? queueMailSql(mail, { from: placed }) : null;
  const audit = auditInsertSql(
    { actor: { type: 'citizen' }, action: 'appointment.book', objectType: 'appointment', objectId: pl.id, summary: auditSummary(draft), requestId: meta.requestId ?? null },
    { from: placed, extraSummary: sql`jsonb_build_object('workstation', p.w)` },
  );
  const booking = await runPlacement(
    ctx,
    'own',
    pl,
    sql`WITH p AS (${repo.placeBookingSql(pl)})${m ? sql`, m AS (${m.outbox}), j AS (${m.job})` : sql``}, a AS (${audit}) SELECT p.w, p.t FROM p`,
  );
  return { booking, location: p.loc };
}

/**
 * Checks a reschedule link before a new time is held: the token must be valid (410 otherwise) and
 * the appointment still open, in the future and not moved already (410 with the reason).
 */
export async function assertReschedulable(ctx: AppContext, token: string | undefined) {
  checkTokenInput(undefined, token);
  const id = verifyToken(await getSecret(ctx), 'manage', token, ctx.now());
  const b = await repo.getBooking(ctx.db, id);
  if (!b) throw new AppError('gone', 'Dieser Termin existiert nicht mehr.');
  if (b.status === 'cancelled') {
    const moved = await repo.otherReplacementConfirmed(ctx.db, b.id, '00000000-0000-0000-0000-000000000000');
    throw new AppError('gone', moved ? 'Dieser Termin wurde bereits verlegt. Bitte nutzen Sie den Link aus der neuesten Bestätigungs-E-Mail.' : 'Dieser Termin wurde abgesagt und kann nicht mehr verlegt werden. Bitte buchen Sie neu.');
  }
  if (!['confirmed', 'pending'].includes(b.status) || b.startAt <= ctx.now()) throw new AppError('gone', 'Dieser Termin liegt in der Vergangenheit oder ist abgeschlossen und kann nicht mehr verlegt werden.');
  return b;
}

/**
 * Step 1 of the web flow: hold a slot for `holdMinutes` while the citizen fills in the form. The
 * hold's expiry is stamped and judged by the database clock (`now()`), so app instances with
 * different clocks agree on it.
 */
export async function holdSlot(ctx: AppContext, input: { slotId: string; serviceIds: string[]; lang?: string; replaces?: string | null }, meta: { ip?: string | null; requestId?: string } = {}) {
  const slotId = z.string().min(1).max(120).safeParse(input.slotId);
  if (!slotId.success) throw new AppError('validation', 'Bitte eine Zeit wählen.', { fields: [{ field: 'slotId', message: 'Bitte eine Zeit wählen.' }] });
  await rateLimit(ctx, 'hold-ip', meta.ip ?? '-', 30, 600);
  // A reschedule link must still belong to an open, future appointment (410 otherwise, 422 when malformed).
  const replacesId = input.replaces ? (await assertReschedulable(ctx, input.replaces)).id : null;
  const p = await resolveSlot(ctx, slotId.data, input.serviceIds, false);
  const ip = await ipHash(ctx, meta.ip);
  // One statement, its own transaction (a hold has no mail and no audit entry).
  const booking = await runPlacement(
    ctx,
    'own',
    placing(ctx, p, { status: 'held', name: null, email: null, phone: null, lang: input.lang === 'en' ? 'en' : 'de', source: 'online', ipHash: ip, expiresAt: null, expireMinutes: p.loc.holdMinutes, replacesId }, null),
  );
  // The link outlives the hold by an hour (app clock, generous); the hold itself is judged by the database.
  const holdToken = signToken(await getSecret(ctx), 'hold', booking.id, new Date(ctx.now().getTime() + (p.loc.holdMinutes + 60) * 60_000));
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
    if (!b.expiresAt || b.expiresAt <= (await repo.dbNow(tx))) {
      // Expired by the database clock: commit the expiry (slot returns), then answer 410.
      await repo.updateBooking(tx, b.id, { status: 'expired', now });
      await repo.releaseClaims(tx, b.id);
      return { expired: loc.holdMinutes } as const;
    }
    await checkLimits(ctx, tx, loc, v.email, v.phone, b.replacesId !== null);
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
    const b = await runPlacement(ctx, tx, placing(ctx, p, { status: 'confirmed', name: v.name, email: v.email ?? null, phone: v.phone, lang: 'de', source: 'staff', ipHash: null, expiresAt: null, replacesId: null }, null));
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
  if (!b.expiresAt || b.expiresAt <= (await repo.dbNow(ctx.db))) throw new AppError('gone', `Die Reservierung ist abgelaufen (nach ${loc.holdMinutes} Minuten). Bitte wählen Sie die Zeit erneut.`);
  return { booking: b, location: loc, setup };
}
