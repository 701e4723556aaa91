import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { writeAudit } from '../../core/audit/index.ts';
import { assertCan, type Actor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import * as repo from './repository.ts';
import { getSetup, invalidateSetup } from './rules.ts';
import { sha256 } from './security.ts';
import { addDays, isIsoDate, localDate, zonedToUtc } from './time.ts';
import { formatOpeningHours, parseOpeningHours } from './opening-hours.ts';

export { formatOpeningHours, parseOpeningHours } from './opening-hours.ts';

const PHONE_LIMIT_MSG = 'Offene Termine je Telefonnummer: bitte eine ganze Zahl von 1 bis 50 angeben.';

const locationSchema = z.object({
  name: z.string().trim().min(2).max(120),
  address: z.string().trim().min(2).max(200),
  openingHours: z.string().max(2000),
  slotMinutes: z.coerce.number().int().refine((n) => [5, 10, 15, 20, 30].includes(n), 'Erlaubt: 5, 10, 15, 20 oder 30 Minuten.'),
  windowMinDays: z.coerce.number().int().min(0).max(30),
  windowMaxDays: z.coerce.number().int().min(1).max(365),
  leadMinutes: z.coerce.number().int().min(0).max(10080),
  holdMinutes: z.coerce.number().int().min(2).max(60),
  pendingMinutes: z.coerce.number().int().min(5).max(1440),
  maxOpenPerEmail: z.coerce.number().int().min(1).max(50),
  // Optional for older callers (absent = keep the stored value); the settings form always sends it.
  maxOpenPerPhone: z.coerce
    .number({ error: PHONE_LIMIT_MSG })
    .int(PHONE_LIMIT_MSG)
    .min(1, PHONE_LIMIT_MSG)
    .max(50, PHONE_LIMIT_MSG)
    .optional(),
  reminderHours: z.coerce.number().int().min(1).max(168),
});

export async function updateLocation(ctx: AppContext, actor: Actor, id: string, input: z.input<typeof locationSchema>) {
  assertCan(actor, 'appointments.configure');
  const v = locationSchema.safeParse(input);
  if (!v.success) throw validationError(v.error.issues);
  const oh = parseOpeningHours(v.data.openingHours);
  if (!oh.errors.length && !oh.windows.length) oh.errors.push('Bitte mindestens ein Zeitfenster angeben, z. B. „Mo–Fr 08:00–12:30“.');
  if (oh.errors.length) throw new AppError('validation', oh.errors[0]!, { fields: oh.errors.map((m) => ({ field: 'openingHours', message: m })) });
  if (v.data.windowMaxDays < v.data.windowMinDays) throw new AppError('validation', 'Das Buchungsfenster endet vor seinem Beginn.', { fields: [{ field: 'windowMaxDays', message: 'Muss größer als der Beginn sein.' }] });
  const setup = await getSetup(ctx);
  const cur = setup.locations.find((l) => l.id === id);
  if (!cur) throw new AppError('not_found', 'Der Standort wurde nicht gefunden.');
  const next = { ...cur, ...v.data, openingHours: oh.windows };
  await ctx.db.transaction(async (tx) => {
    await repo.upsertLocation(tx, next);
    // Opening hours are compared in their canonical text form (same windows in another order = unchanged).
    const same = (k: string) =>
      k === 'openingHours' ? formatOpeningHours(cur.openingHours) === formatOpeningHours(next.openingHours) : JSON.stringify((cur as never)[k]) === JSON.stringify((next as never)[k]);
    const changed = Object.keys(v.data).filter((k) => !same(k));
    await writeAudit(tx, { actor, action: 'appointments.location.update', objectType: 'appt_location', objectId: id, summary: { changed } });
  });
  invalidateSetup(ctx);
}

const workstationSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'Kennung: Kleinbuchstaben, Ziffern und Bindestrich.'),
  locationId: z.string(),
  name: z.string().trim().min(1).max(60),
  serviceIds: z.array(z.string()).max(200),
  online: z.boolean(),
  active: z.boolean(),
  sort: z.coerce.number().int().min(0).max(999).default(0),
});

export async function saveWorkstation(ctx: AppContext, actor: Actor, input: z.input<typeof workstationSchema>) {
  assertCan(actor, 'appointments.configure');
  const v = workstationSchema.safeParse(input);
  if (!v.success) throw validationError(v.error.issues);
  const setup = await getSetup(ctx);
  if (!setup.locations.some((l) => l.id === v.data.locationId)) throw new AppError('validation', 'Unbekannter Standort.');
  const unknown = v.data.serviceIds.filter((s) => !setup.services.some((x) => x.serviceId === s));
  if (unknown.length) throw new AppError('validation', `Unbekannte Leistung: ${unknown[0]}`);
  const cur = setup.workstations.find((w) => w.id === v.data.id);
  if (cur && cur.locationId !== v.data.locationId) throw new AppError('validation', 'Ein Schalter kann nicht an einen anderen Standort verschoben werden.', { fields: [{ field: 'locationId', message: 'Anderer Standort.' }] });
  if (cur?.active && !v.data.active) {
    // Taking a counter out of service must not orphan booked visits (the calendar shows active counters only).
    const open = (await repo.bookingsForWorkstation(ctx.db, cur.id, ctx.now())).filter((b) => b.status === 'confirmed' || b.status === 'pending');
    if (open.length) {
      const loc = setup.locations.find((l) => l.id === cur.locationId)!;
      const [y, m, d] = localDate(open[0]!.startAt, loc.timeZone).split('-');
      const msg = `${cur.name} hat noch ${open.length === 1 ? 'einen offenen Termin' : `${open.length} offene Termine`} (erster am ${d}.${m}.${y}). Bitte zuerst absagen oder umbuchen, dann außer Betrieb nehmen – oder nur „online buchbar“ abschalten.`;
      throw new AppError('validation', msg, { fields: [{ field: 'active', message: msg }] });
    }
  }
  await ctx.db.transaction(async (tx) => {
    await repo.upsertWorkstation(tx, v.data);
    await writeAudit(tx, { actor, action: 'appointments.workstation.save', objectType: 'appt_workstation', objectId: v.data.id, summary: { services: v.data.serviceIds.length, online: v.data.online, active: v.data.active } });
  });
  invalidateSetup(ctx);
}

const serviceSchema = z.object({
  serviceId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'Ungültige Kennung.'),
  title: z.string().trim().min(2).max(200),
  slots: z.coerce.number().int().min(1, 'Mindestens eine Zeiteinheit.').max(24),
  bookable: z.boolean(),
  bring: z.string().trim().max(1000).default(''),
  sort: z.coerce.number().int().min(0).max(999).default(0),
});

export async function saveServiceSetting(ctx: AppContext, actor: Actor, input: z.input<typeof serviceSchema>) {
  assertCan(actor, 'appointments.configure');
  const v = serviceSchema.safeParse(input);
  if (!v.success) throw validationError(v.error.issues);
  await ctx.db.transaction(async (tx) => {
    await repo.upsertServiceSetting(tx, v.data);
    await writeAudit(tx, { actor, action: 'appointments.service.save', objectType: 'appt_service', objectId: v.data.serviceId, summary: { slots: v.data.slots, bookable: v.data.bookable } });
  });
  invalidateSetup(ctx);
}

const closureSchema = z.object({
  locationId: z.string(),
  fromDate: z.string().refine(isIsoDate, 'Datum im Format JJJJ-MM-TT'),
  toDate: z.string().refine(isIsoDate, 'Datum im Format JJJJ-MM-TT'),
  reason: z.string().trim().min(2, 'Bitte einen Grund angeben.').max(120),
});

/**
 * Adds a closure (days without slots). Bookings already in the period stay; their number is
 * returned (and audited) so the staff can cancel them – the people are then told by e-mail.
 */
export async function addClosure(ctx: AppContext, actor: Actor, input: z.input<typeof closureSchema>): Promise<{ id: string; affected: number }> {
  assertCan(actor, 'appointments.configure');
  const v = closureSchema.safeParse(input);
  if (!v.success) throw validationError(v.error.issues);
  if (v.data.toDate < v.data.fromDate) throw new AppError('validation', 'Das Ende liegt vor dem Beginn.', { fields: [{ field: 'toDate', message: 'Das Ende liegt vor dem Beginn.' }] });
  const setup = await getSetup(ctx);
  const loc = setup.locations.find((l) => l.id === v.data.locationId);
  if (!loc) throw new AppError('validation', 'Unbekannter Standort.', { fields: [{ field: 'locationId', message: 'Unbekannter Standort.' }] });
  const booked = await repo.bookingsInRange(ctx.db, loc.id, zonedToUtc(v.data.fromDate, '00:00', loc.timeZone), zonedToUtc(addDays(v.data.toDate, 1), '00:00', loc.timeZone), ['pending', 'confirmed']);
  const id = await ctx.db.transaction(async (tx) => {
    const id = await repo.insertClosure(tx, v.data);
    await writeAudit(tx, { actor, action: 'appointments.closure.add', objectType: 'appt_closure', objectId: id, summary: { from: v.data.fromDate, to: v.data.toDate, affected: booked.length } });
    return id;
  });
  invalidateSetup(ctx);
  return { id, affected: booked.length };
}

export async function removeClosure(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'appointments.configure');
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not_found', 'Die Schließung wurde nicht gefunden.');
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteClosure(tx, id))) throw new AppError('not_found', 'Die Schließung wurde nicht gefunden.');
    await writeAudit(tx, { actor, action: 'appointments.closure.remove', objectType: 'appt_closure', objectId: id });
  });
  invalidateSetup(ctx);
}

/** New secret for a workstation's iCalendar feed; returns the token (shown once). */
export async function rotateFeedToken(ctx: AppContext, actor: Actor, workstationId: string): Promise<string> {
  assertCan(actor, 'appointments.configure');
  const setup = await getSetup(ctx);
  if (!setup.workstations.some((w) => w.id === workstationId)) throw new AppError('not_found', 'Der Schalter wurde nicht gefunden.');
  const token = randomBytes(24).toString('base64url');
  await ctx.db.transaction(async (tx) => {
    await repo.setWorkstationFeedHash(tx, workstationId, sha256(token));
    await writeAudit(tx, { actor, action: 'appointments.feed.rotate', objectType: 'appt_workstation', objectId: workstationId });
  });
  invalidateSetup(ctx);
  return token;
}
