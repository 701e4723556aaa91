import { sql, type SQL } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../core/db/index.ts';
import type { OpeningWindow } from './schema.ts';

/** All SQL of the appointments module. Timestamps go in as ISO strings and come out via `toDate`. */

/** PGlite returns `2026-01-01 08:00:00+00`, node-postgres a Date: accept both. */
export function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return new Date(s);
}
export const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));

export const textArray = (arr: readonly string[]): SQL =>
  arr.length ? sql`ARRAY[${sql.join(arr.map((a) => sql`${a}`), sql`, `)}]::text[]` : sql`'{}'::text[]`;
const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

// ---------- configuration ----------

export interface LocationRow {
  id: string;
  name: string;
  address: string;
  timeZone: string;
  openingHours: OpeningWindow[];
  holidayCountry: string;
  holidayState: string;
  slotMinutes: number;
  windowMinDays: number;
  windowMaxDays: number;
  leadMinutes: number;
  holdMinutes: number;
  pendingMinutes: number;
  maxOpenPerEmail: number;
  /** Open bookings per normalised phone number (column default 3; optional so older callers keep the stored value). */
  maxOpenPerPhone?: number;
  reminderHours: number;
  demo: boolean;
}
export interface WorkstationRow {
  id: string;
  locationId: string;
  name: string;
  serviceIds: string[];
  online: boolean;
  active: boolean;
  feedTokenHash: string | null;
  sort: number;
}
export interface ClosureRow {
  id: string;
  locationId: string;
  fromDate: string;
  toDate: string;
  reason: string;
}
export interface ServiceSettingRow {
  serviceId: string;
  title: string;
  slots: number;
  bookable: boolean;
  bring: string;
  sort: number;
}

export async function listLocations(db: DbOrTx): Promise<LocationRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`SELECT id, name, address, time_zone, opening_hours, holiday_country, holiday_state, slot_minutes, window_min_days, window_max_days,
      lead_minutes, hold_minutes, pending_minutes, max_open_per_email, max_open_per_phone, reminder_hours, demo FROM appt_locations ORDER BY created_at, id`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    address: String(r.address),
    timeZone: String(r.time_zone),
    openingHours: (typeof r.opening_hours === 'string' ? JSON.parse(r.opening_hours) : r.opening_hours) as OpeningWindow[],
    holidayCountry: String(r.holiday_country),
    holidayState: String(r.holiday_state),
    slotMinutes: Number(r.slot_minutes),
    windowMinDays: Number(r.window_min_days),
    windowMaxDays: Number(r.window_max_days),
    leadMinutes: Number(r.lead_minutes),
    holdMinutes: Number(r.hold_minutes),
    pendingMinutes: Number(r.pending_minutes),
    maxOpenPerEmail: Number(r.max_open_per_email),
    maxOpenPerPhone: Number(r.max_open_per_phone),
    reminderHours: Number(r.reminder_hours),
    demo: Boolean(r.demo),
  }));
}

export async function listWorkstations(db: DbOrTx): Promise<WorkstationRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`SELECT id, location_id, name, service_ids, online, active, feed_token_hash, sort FROM appt_workstations ORDER BY location_id, sort, id`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    locationId: String(r.location_id),
    name: String(r.name),
    serviceIds: (r.service_ids as string[]) ?? [],
    online: Boolean(r.online),
    active: Boolean(r.active),
    feedTokenHash: (r.feed_token_hash as string | null) ?? null,
    sort: Number(r.sort),
  }));
}

export async function listClosures(db: DbOrTx): Promise<ClosureRow[]> {
  const rows = await execRows<Record<string, unknown>>(db, sql`SELECT id, location_id, from_date::text AS f, to_date::text AS t, reason FROM appt_closures ORDER BY from_date`);
  return rows.map((r) => ({ id: String(r.id), locationId: String(r.location_id), fromDate: String(r.f), toDate: String(r.t), reason: String(r.reason) }));
}

export async function listServiceSettings(db: DbOrTx): Promise<ServiceSettingRow[]> {
  const rows = await execRows<Record<string, unknown>>(db, sql`SELECT service_id, title, slots, bookable, bring, sort FROM appt_service_settings ORDER BY sort, title`);
  return rows.map((r) => ({ serviceId: String(r.service_id), title: String(r.title), slots: Number(r.slots), bookable: Boolean(r.bookable), bring: String(r.bring), sort: Number(r.sort) }));
}

export async function upsertLocation(db: DbOrTx, l: LocationRow): Promise<void> {
  await db.execute(sql`
    INSERT INTO appt_locations (id, name, address, time_zone, opening_hours, holiday_country, holiday_state, slot_minutes, window_min_days, window_max_days,
      lead_minutes, hold_minutes, pending_minutes, max_open_per_email, max_open_per_phone, reminder_hours, demo)
    VALUES (${l.id}, ${l.name}, ${l.address}, ${l.timeZone}, ${JSON.stringify(l.openingHours)}::jsonb, ${l.holidayCountry}, ${l.holidayState}, ${l.slotMinutes},
      ${l.windowMinDays}, ${l.windowMaxDays}, ${l.leadMinutes}, ${l.holdMinutes}, ${l.pendingMinutes}, ${l.maxOpenPerEmail}, coalesce(${l.maxOpenPerPhone ?? null}::int, 3),
      ${l.reminderHours}, ${l.demo})
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address, time_zone = excluded.time_zone, opening_hours = excluded.opening_hours,
      holiday_country = excluded.holiday_country, holiday_state = excluded.holiday_state, slot_minutes = excluded.slot_minutes,
      window_min_days = excluded.window_min_days, window_max_days = excluded.window_max_days, lead_minutes = excluded.lead_minutes,
      hold_minutes = excluded.hold_minutes, pending_minutes = excluded.pending_minutes, max_open_per_email = excluded.max_open_per_email,
      max_open_per_phone = ${l.maxOpenPerPhone === undefined ? sql`appt_locations.max_open_per_phone` : sql`excluded.max_open_per_phone`},
      reminder_hours = excluded.reminder_hours`);
}

export async function upsertWorkstation(db: DbOrTx, w: Omit<WorkstationRow, 'feedTokenHash'>): Promise<void> {
  await db.execute(sql`
    INSERT INTO appt_workstations (id, location_id, name, service_ids, online, active, sort)
    VALUES (${w.id}, ${w.locationId}, ${w.name}, ${textArray(w.serviceIds)}, ${w.online}, ${w.active}, ${w.sort})
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, service_ids = excluded.service_ids, online = excluded.online, active = excluded.active, sort = excluded.sort`);
}

export async function setWorkstationFeedHash(db: DbOrTx, id: string, hash: string): Promise<void> {
  await db.execute(sql`UPDATE appt_workstations SET feed_token_hash = ${hash} WHERE id = ${id}`);
}

export async function insertClosure(db: DbOrTx, c: Omit<ClosureRow, 'id'>): Promise<string> {
  const [r] = await execRows<{ id: string }>(
    db,
    sql`INSERT INTO appt_closures (location_id, from_date, to_date, reason) VALUES (${c.locationId}, ${c.fromDate}::date, ${c.toDate}::date, ${c.reason}) RETURNING id`,
  );
  return r!.id;
}
export async function deleteClosure(db: DbOrTx, id: string): Promise<number> {
  const r = await execRows(db, sql`DELETE FROM appt_closures WHERE id = ${id} RETURNING id`);
  return r.length;
}
export async function closureExists(db: DbOrTx, locationId: string, fromDate: string, toDate: string): Promise<boolean> {
  const r = await execRows(db, sql`SELECT 1 FROM appt_closures WHERE location_id = ${locationId} AND from_date = ${fromDate}::date AND to_date = ${toDate}::date`);
  return r.length > 0;
}

export async function upsertServiceSetting(db: DbOrTx, s: ServiceSettingRow, onlyInsert = false): Promise<void> {
  await db.execute(sql`
    INSERT INTO appt_service_settings (service_id, title, slots, bookable, bring, sort)
    VALUES (${s.serviceId}, ${s.title}, ${s.slots}, ${s.bookable}, ${s.bring}, ${s.sort})
    ON CONFLICT (service_id) DO ${onlyInsert ? sql`NOTHING` : sql`UPDATE SET title = excluded.title, slots = excluded.slots, bookable = excluded.bookable, bring = excluded.bring, sort = excluded.sort`}`);
}

// ---------- claims ----------

/**
 * Taken (not expired) slot units of some workstations in [from, to), as epoch milliseconds (no date
 * parsing; for the slot search). Expiry is judged by the database clock, like the booking function.
 */
export async function takenEpochs(db: DbOrTx, workstationIds: readonly string[], from: Date, to: Date): Promise<{ w: string; t: number }[]> {
  if (!workstationIds.length) return [];
  const rows = await execRows<{ w: string; t: string | number }>(
    db,
    sql`SELECT workstation_id AS w, (extract(epoch FROM slot_start) * 1000)::float8 AS t FROM appt_slot_claims
        WHERE workstation_id IN (${sql.join(workstationIds.map((w) => sql`${w}`), sql`, `)})
          AND slot_start >= ${ts(from)} AND slot_start < ${ts(to)} AND (expires_at IS NULL OR expires_at > now())`,
  );
  return rows.map((r) => ({ w: r.w, t: Number(r.t) }));
}

export async function setClaimsExpiry(tx: DbOrTx, bookingId: string, expiresAt: Date | null): Promise<number> {
  const r = await execRows(tx, sql`UPDATE appt_slot_claims SET expires_at = ${expiresAt ? ts(expiresAt) : sql`NULL`} WHERE booking_id = ${bookingId}::uuid RETURNING 1 AS x`);
  return r.length;
}
export async function releaseClaims(tx: DbOrTx, bookingId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM appt_slot_claims WHERE booking_id = ${bookingId}::uuid`);
}

// ---------- bookings ----------

export interface BookingRow {
  id: string;
  locationId: string;
  workstationId: string;
  startAt: Date;
  endAt: Date;
  units: number;
  serviceIds: string[];
  status: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  lang: string;
  source: string;
  expiresAt: Date | null;
  replacesId: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  reminderSentAt: Date | null;
  ipHash: string | null;
  emailDomain: string | null;
}

const BOOKING_COLS = sql`id, location_id, workstation_id, start_at, end_at, units, service_ids, status, name, email, phone, lang, source, expires_at, replaces_id,
  created_at, confirmed_at, cancelled_at, reminder_sent_at, ip_hash, email_domain`;

function mapBooking(r: Record<string, unknown>): BookingRow {
  return {
    id: String(r.id),
    locationId: String(r.location_id),
    workstationId: String(r.workstation_id),
    startAt: toDate(r.start_at),
    endAt: toDate(r.end_at),
    units: Number(r.units),
    serviceIds: (r.service_ids as string[]) ?? [],
    status: String(r.status),
    name: (r.name as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    lang: String(r.lang),
    source: String(r.source),
    expiresAt: toDateOrNull(r.expires_at),
    replacesId: (r.replaces_id as string | null) ?? null,
    createdAt: toDate(r.created_at),
    confirmedAt: toDateOrNull(r.confirmed_at),
    cancelledAt: toDateOrNull(r.cancelled_at),
    reminderSentAt: toDateOrNull(r.reminder_sent_at),
    ipHash: (r.ip_hash as string | null) ?? null,
    emailDomain: (r.email_domain as string | null) ?? null,
  };
}

export interface NewBooking {
  locationId: string;
  workstationId: string;
  startAt: Date;
  endAt: Date;
  units: number;
  serviceIds: readonly string[];
  status: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  lang: string;
  source: string;
  ipHash: string | null;
  expiresAt: Date | null;
  replacesId: string | null;
  now: Date;
}

/** A PostgreSQL array literal (`{"a","b"}`) passed as ONE parameter: the statement text stays the same for any length. */
export function pgArrayLiteral(arr: readonly string[]): string {
  return `{${arr.map((a) => `"${a.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export interface Placing extends Omit<NewBooking, 'workstationId'> {
  id: string;
  /** Workstations that may take the booking, in order of preference. */
  candidates: readonly string[];
  /** Start of every slot unit the booking occupies. */
  starts: readonly Date[];
  /** Normalised phone (`phoneKey`), stored with the booking. */
  phoneKey: string | null;
  /** Set for holds: expires_at = database now() + minutes (then `expiresAt` is ignored). */
  expireMinutes: number | null;
  /**
   * Open-bookings limits per e-mail and, when given, per normalised phone (the function takes the
   * advisory lock of the address, then of the phone, and counts by the database clock).
   */
  limit: { email: string; max: number; phone: string | null; phoneMax: number } | null;
}

/** Phone number for the limit: digits only, +49 / 0049 (also `+49 (0)…`) → leading 0; null when fewer than 6 digits. */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let d = phone.trim().replace(/^\+/, '00').replace(/\D/g, '');
  if (d.startsWith('0049')) d = '0' + d.slice(4).replace(/^0/, '');
  return d.length >= 6 ? d : null;
}

/**
 * `SELECT appt_place_booking(…) AS w, now() AS t` (migrations 0014, 0015, 0018, 0021): per-e-mail and
 * per-phone lock + limit, booking row and all claims on the first free candidate, in ONE statement.
 * `w` is the workstation, or NULL when no candidate was free (nothing left behind); `t` is the
 * database's transaction time (a hold expires at t + expireMinutes). SQLSTATE LT422 when the e-mail
 * limit is reached, LT423 for the phone limit. Usable alone (its own transaction) or as the first CTE
 * of a bigger statement.
 */
export function placeBookingSql(b: Placing): SQL {
  const domain = b.email ? b.email.split('@')[1]!.toLowerCase() : null;
  return sql`SELECT appt_place_booking(${b.id}::uuid, ${b.locationId}::text, ${pgArrayLiteral(b.candidates)}::text[],
    ${pgArrayLiteral(b.starts.map((d) => d.toISOString()))}::timestamptz[], ${b.startAt.toISOString()}::timestamptz, ${b.endAt.toISOString()}::timestamptz,
    ${b.units}::int, ${pgArrayLiteral(b.serviceIds)}::text[], ${b.status}::text, ${b.name}::text, ${b.email}::text, ${domain}::text, ${b.phone}::text,
    ${b.phoneKey}::text, ${b.lang}::text, ${b.source}::text, ${b.ipHash}::text, ${b.expiresAt ? b.expiresAt.toISOString() : null}::timestamptz,
    ${b.expireMinutes}::int, ${b.replacesId}::uuid, ${b.now.toISOString()}::timestamptz, ${b.limit ? b.limit.email : null}::text,
    ${b.limit ? b.limit.max : null}::int, ${b.limit ? b.limit.phone : null}::text, ${b.limit ? b.limit.phoneMax : null}::int) AS w, now() AS t`;
}

/** The booking row `placeBookingSql` writes (no re-read needed). */
export function placedRow(b: Placing, workstationId: string): BookingRow {
  return {
    id: b.id,
    locationId: b.locationId,
    workstationId,
    startAt: b.startAt,
    endAt: b.endAt,
    units: b.units,
    serviceIds: [...b.serviceIds],
    status: b.status,
    name: b.name,
    email: b.email,
    phone: b.phone,
    lang: b.lang,
    source: b.source,
    expiresAt: b.expiresAt,
    replacesId: b.replacesId,
    createdAt: b.now,
    confirmedAt: b.status === 'confirmed' ? b.now : null,
    cancelledAt: null,
    reminderSentAt: null,
    ipHash: b.ipHash,
    emailDomain: b.email ? b.email.split('@')[1]!.toLowerCase() : null,
  };
}

/** Which open-bookings limit `appt_place_booking` reported (SQLSTATE LT422 e-mail, LT423 phone), or null. */
export function limitErrorKind(e: unknown): 'email' | 'phone' | null {
  const x = e as { code?: string; cause?: { code?: string } } | null;
  const code = x?.code ?? x?.cause?.code;
  return code === 'LT422' ? 'email' : code === 'LT423' ? 'phone' : null;
}

/** The database's clock (transaction time): the one clock every instance uses for hold expiry. */
export async function dbNow(db: DbOrTx): Promise<Date> {
  const [r] = await execRows<{ t: unknown }>(db, sql`SELECT now() AS t`);
  return toDate(r!.t);
}

export async function getBooking(db: DbOrTx, id: string, forUpdate = false): Promise<BookingRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [r] = await execRows<Record<string, unknown>>(db, sql`SELECT ${BOOKING_COLS} FROM appt_bookings WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
  return r ? mapBooking(r) : null;
}

export async function updateBooking(
  tx: DbOrTx,
  id: string,
  patch: { status?: string; name?: string | null; email?: string | null; phone?: string | null; lang?: string; expiresAt?: Date | null; confirmedAt?: Date; cancelledAt?: Date; reminderSentAt?: Date; now: Date },
): Promise<void> {
  const sets: SQL[] = [sql`status_at = ${ts(patch.now)}`];
  if (patch.status !== undefined) sets.push(sql`status = ${patch.status}`);
  if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
  if (patch.email !== undefined) sets.push(sql`email = ${patch.email}, email_domain = ${patch.email ? patch.email.split('@')[1]!.toLowerCase() : null}`);
  if (patch.phone !== undefined) sets.push(sql`phone = ${patch.phone}, phone_key = ${phoneKey(patch.phone)}`);
  if (patch.lang !== undefined) sets.push(sql`lang = ${patch.lang}`);
  if (patch.expiresAt !== undefined) sets.push(sql`expires_at = ${patch.expiresAt ? ts(patch.expiresAt) : sql`NULL`}`);
  if (patch.confirmedAt) sets.push(sql`confirmed_at = ${ts(patch.confirmedAt)}`);
  if (patch.cancelledAt) sets.push(sql`cancelled_at = ${ts(patch.cancelledAt)}`);
  if (patch.reminderSentAt) sets.push(sql`reminder_sent_at = ${ts(patch.reminderSentAt)}`);
  await tx.execute(sql`UPDATE appt_bookings SET ${sql.join(sets, sql`, `)} WHERE id = ${id}::uuid`);
}

/** Open (held, pending, confirmed, future) bookings of one e-mail address (hold expiry by the database clock). */
export async function countOpenByEmail(db: DbOrTx, email: string, now: Date): Promise<number> {
  const [r] = await execRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM appt_bookings WHERE email = ${email} AND end_at > ${ts(now)}
        AND (status = 'confirmed' OR (status IN ('held','pending') AND expires_at > now()))`,
  );
  return Number(r?.n ?? 0);
}

/** Open bookings of one normalised phone number (see `phoneKey`). */
export async function countOpenByPhone(db: DbOrTx, key: string, now: Date): Promise<number> {
  const [r] = await execRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM appt_bookings WHERE phone_key = ${key} AND end_at > ${ts(now)}
        AND (status = 'confirmed' OR (status IN ('held','pending') AND expires_at > now()))`,
  );
  return Number(r?.n ?? 0);
}

/** Held/pending bookings whose time is up by the database clock: marks them expired, frees their claims, returns them. */
export async function expireDue(db: DbOrTx, now: Date, limit = 500): Promise<BookingRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`UPDATE appt_bookings SET status = 'expired', status_at = ${ts(now)}
        WHERE id IN (SELECT id FROM appt_bookings WHERE status IN ('held','pending') AND expires_at <= now() ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING ${BOOKING_COLS}`,
  );
  if (rows.length) await db.execute(sql`DELETE FROM appt_slot_claims WHERE booking_id IN (${sql.join(rows.map((r) => sql`${String(r.id)}::uuid`), sql`, `)})`);
  return rows.map(mapBooking);
}

export async function dueReminders(db: DbOrTx, now: Date, limit = 200): Promise<BookingRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`SELECT ${sql.join([sql`b.id`, sql`b.location_id`, sql`b.workstation_id`, sql`b.start_at`, sql`b.end_at`, sql`b.units`, sql`b.service_ids`, sql`b.status`, sql`b.name`, sql`b.email`, sql`b.phone`, sql`b.lang`, sql`b.source`, sql`b.expires_at`, sql`b.replaces_id`, sql`b.created_at`, sql`b.confirmed_at`, sql`b.cancelled_at`, sql`b.reminder_sent_at`, sql`b.ip_hash`, sql`b.email_domain`], sql`, `)}
        FROM appt_bookings b JOIN appt_locations l ON l.id = b.location_id
        WHERE b.status = 'confirmed' AND b.reminder_sent_at IS NULL AND b.email IS NOT NULL AND b.start_at > ${ts(now)}
          AND b.start_at <= ${ts(now)} + make_interval(hours => l.reminder_hours)
        ORDER BY b.start_at LIMIT ${limit}`,
  );
  return rows.map(mapBooking);
}

export async function bookingsInRange(db: DbOrTx, locationId: string, from: Date, to: Date, statuses?: readonly string[]): Promise<BookingRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`SELECT ${BOOKING_COLS} FROM appt_bookings WHERE location_id = ${locationId} AND start_at >= ${ts(from)} AND start_at < ${ts(to)}
        ${statuses ? sql`AND status IN (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})` : sql``} ORDER BY start_at, workstation_id`,
  );
  return rows.map(mapBooking);
}

export async function bookingsForWorkstation(db: DbOrTx, workstationId: string, from: Date): Promise<BookingRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`SELECT ${BOOKING_COLS} FROM appt_bookings WHERE workstation_id = ${workstationId} AND start_at >= ${ts(from)} AND status IN ('confirmed','arrived','done','pending') ORDER BY start_at LIMIT 2000`,
  );
  return rows.map(mapBooking);
}

export async function claimedUnitCount(db: DbOrTx, workstationIds: readonly string[], from: Date, to: Date): Promise<number> {
  if (!workstationIds.length) return 0;
  const [r] = await execRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM appt_slot_claims c JOIN appt_bookings b ON b.id = c.booking_id
        WHERE c.workstation_id IN (${sql.join(workstationIds.map((w) => sql`${w}`), sql`, `)}) AND c.slot_start >= ${ts(from)} AND c.slot_start < ${ts(to)}
          AND b.status IN ('confirmed','arrived','done','noshow')`,
  );
  return Number(r?.n ?? 0);
}

// ---------- waitlist ----------

export async function insertWaitlist(db: DbOrTx, w: { locationId: string; serviceIds: readonly string[]; email: string; lang: string; beforeAt: Date; now: Date }): Promise<string> {
  const [r] = await execRows<{ id: string }>(
    db,
    sql`INSERT INTO appt_waitlist (location_id, service_ids, email, lang, before_at, created_at) VALUES (${w.locationId}, ${textArray(w.serviceIds)}, ${w.email}, ${w.lang}, ${ts(w.beforeAt)}, ${ts(w.now)}) RETURNING id`,
  );
  return r!.id;
}

/** Waiting entries (oldest first) that want a slot earlier than `slotStart`. */
export async function waitingFor(db: DbOrTx, locationId: string, slotStart: Date, now: Date): Promise<{ id: string; serviceIds: string[]; email: string; lang: string }[]> {
  if (slotStart <= now) return [];
  const rows = await execRows<{ id: string; service_ids: string[]; email: string; lang: string }>(
    db,
    sql`SELECT id, service_ids, email, lang FROM appt_waitlist WHERE location_id = ${locationId} AND notified_at IS NULL AND before_at > ${ts(slotStart)}
        ORDER BY created_at LIMIT 20`,
  );
  return rows.map((r) => ({ id: r.id, serviceIds: r.service_ids, email: r.email, lang: r.lang }));
}
/** Marks an entry notified; false when another instance was faster. */
export async function markWaitlistNotified(tx: DbOrTx, id: string, now: Date): Promise<boolean> {
  const r = await execRows(tx, sql`UPDATE appt_waitlist SET notified_at = ${ts(now)} WHERE id = ${id}::uuid AND notified_at IS NULL RETURNING 1 AS x`);
  return r.length === 1;
}

// ---------- retention ----------

/** Removes personal data of bookings that ended before the cutoff; returns how many rows changed. */
export async function anonymiseEndedBefore(tx: DbOrTx, cutoff: Date): Promise<number> {
  const r = await execRows(
    tx,
    sql`UPDATE appt_bookings SET name = NULL, email = NULL, email_domain = NULL, phone = NULL, phone_key = NULL, ip_hash = NULL
        WHERE end_at < ${ts(cutoff)} AND (name IS NOT NULL OR email IS NOT NULL OR email_domain IS NOT NULL OR phone IS NOT NULL OR ip_hash IS NOT NULL)
        RETURNING 1 AS x`,
  );
  return r.length;
}

/** Deletes waitlist entries whose wished date or notification lies before the cutoff. */
export async function deleteWaitlistBefore(tx: DbOrTx, cutoff: Date): Promise<number> {
  const r = await execRows(tx, sql`DELETE FROM appt_waitlist WHERE before_at < ${ts(cutoff)} OR notified_at < ${ts(cutoff)} RETURNING 1 AS x`);
  return r.length;
}

// ---------- walk-in tickets ----------

export interface TicketRow {
  id: string;
  number: number;
  status: string;
  serviceId: string | null;
  workstationId: string | null;
  createdAt: Date;
  calledAt: Date | null;
}
export async function insertTicket(tx: DbOrTx, locationId: string, day: string, serviceId: string | null, now: Date): Promise<TicketRow> {
  // The unique index (location, day, number) settles a race; the caller retries.
  const [r] = await execRows<Record<string, unknown>>(
    tx,
    sql`INSERT INTO appt_tickets (location_id, day, number, service_id, created_at)
        SELECT ${locationId}, ${day}::date, coalesce(max(number), 0) + 1, ${serviceId}, ${ts(now)} FROM appt_tickets WHERE location_id = ${locationId} AND day = ${day}::date
        ON CONFLICT DO NOTHING RETURNING id, number, status, service_id, workstation_id, created_at, called_at`,
  );
  return r ? mapTicket(r) : (null as never);
}
function mapTicket(r: Record<string, unknown>): TicketRow {
  return {
    id: String(r.id),
    number: Number(r.number),
    status: String(r.status),
    serviceId: (r.service_id as string | null) ?? null,
    workstationId: (r.workstation_id as string | null) ?? null,
    createdAt: toDate(r.created_at),
    calledAt: toDateOrNull(r.called_at),
  };
}
export async function listTickets(db: DbOrTx, locationId: string, day: string): Promise<TicketRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`SELECT id, number, status, service_id, workstation_id, created_at, called_at FROM appt_tickets WHERE location_id = ${locationId} AND day = ${day}::date ORDER BY number`,
  );
  return rows.map(mapTicket);
}
export async function updateTicket(tx: DbOrTx, id: string, locationId: string, status: string, workstationId: string | null, now: Date): Promise<number> {
  const r = await execRows(
    tx,
    sql`UPDATE appt_tickets SET status = ${status}, workstation_id = coalesce(${workstationId}, workstation_id), called_at = ${status === 'called' ? ts(now) : sql`called_at`}
        WHERE id = ${id}::uuid AND location_id = ${locationId} RETURNING 1 AS x`,
  );
  return r.length;
}

// ---------- abuse protection ----------

/** Records a spent captcha signature; false when it was already used (replay). */
export async function spendCaptcha(db: DbOrTx, signature: string, expiresAt: Date): Promise<boolean> {
  const r = await execRows(db, sql`INSERT INTO appt_captcha_spent (signature, expires_at) VALUES (${signature}, ${ts(expiresAt)}) ON CONFLICT DO NOTHING RETURNING 1 AS x`);
  return r.length === 1;
}
export async function purgeCaptcha(db: DbOrTx, now: Date): Promise<void> {
  await db.execute(sql`DELETE FROM appt_captcha_spent WHERE expires_at < ${ts(now)}`);
}

// ---------- staff features (statistics, tickets, patterns, reschedule) ----------

/** True when another booking replacing the same one is already confirmed (a reschedule link used twice). */
export async function otherReplacementConfirmed(db: DbOrTx, replacesId: string, exceptId: string): Promise<boolean> {
  const r = await execRows(
    db,
    sql`SELECT 1 AS x FROM appt_bookings WHERE replaces_id = ${replacesId}::uuid AND id <> ${exceptId}::uuid AND status IN ('confirmed','arrived','done','noshow') LIMIT 1`,
  );
  return r.length > 0;
}

export interface StatBooking {
  serviceIds: string[];
  /** Local weekday, 0 = Sunday. */
  weekday: number;
  status: string;
  /** Hours between booking and appointment start. */
  leadHours: number;
}
/** One row per booking (not held/expired) starting in [from, to): the statistics aggregate these. */
export async function statBookings(db: DbOrTx, locationId: string, tz: string, from: Date, to: Date): Promise<StatBooking[]> {
  const rows = await execRows<{ service_ids: string[]; weekday: number; status: string; lead: number }>(
    db,
    sql`SELECT service_ids, extract(dow FROM start_at AT TIME ZONE ${tz})::int AS weekday, status, (extract(epoch FROM start_at - created_at) / 3600.0)::float8 AS lead
        FROM appt_bookings WHERE location_id = ${locationId} AND start_at >= ${ts(from)} AND start_at < ${ts(to)} AND status NOT IN ('held','expired')`,
  );
  return rows.map((r) => ({ serviceIds: r.service_ids ?? [], weekday: Number(r.weekday), status: String(r.status), leadHours: Number(r.lead) }));
}

/**
 * Serialises ticket draws of one location (row lock on the location; FOR NO KEY UPDATE does not
 * block bookings, whose foreign-key checks only take KEY SHARE). The unique index on
 * (location, day, number) stays the guarantee; the lock only spares the retries.
 */
export async function lockLocationForTickets(tx: DbOrTx, locationId: string): Promise<void> {
  await tx.execute(sql`SELECT 1 FROM appt_locations WHERE id = ${locationId} FOR NO KEY UPDATE`);
}

export interface PatternRow {
  kind: 'email' | 'phone' | 'domain' | 'ip' | 'network';
  key: string;
  n: number;
  first: Date;
  last: Date;
}
/**
 * Mass-booking patterns since a time (online bookings of every status, so cancel-and-rebook
 * cycles and expired holds count): one address, one phone number (normalised), one non-freemail domain, one IP (hash) or one
 * network (/24, /64; the part of `ip_hash` before the dot) with at least `threshold` bookings.
 */
export async function bookingPatternRows(db: DbOrTx, since: Date, threshold: number, freemail: readonly string[]): Promise<PatternRow[]> {
  const rows = await execRows<{ kind: PatternRow['kind']; key: string; n: number; first: unknown; last: unknown }>(
    db,
    sql`WITH b AS (SELECT lower(email) AS email, phone_key, email_domain, ip_hash, created_at FROM appt_bookings WHERE created_at >= ${ts(since)} AND source = 'online')
        SELECT 'email' AS kind, email AS key, count(*)::int AS n, min(created_at) AS first, max(created_at) AS last FROM b WHERE email IS NOT NULL GROUP BY email HAVING count(*) >= ${threshold}
        UNION ALL
        SELECT 'phone', phone_key, count(*)::int, min(created_at), max(created_at) FROM b WHERE phone_key IS NOT NULL GROUP BY phone_key HAVING count(*) >= ${threshold}
        UNION ALL
        SELECT 'domain', email_domain, count(*)::int, min(created_at), max(created_at) FROM b
          WHERE email_domain IS NOT NULL AND NOT (email_domain = ANY(${pgArrayLiteral(freemail)}::text[])) GROUP BY email_domain HAVING count(*) >= ${threshold}
        UNION ALL
        SELECT 'ip', ip_hash, count(*)::int, min(created_at), max(created_at) FROM b WHERE ip_hash IS NOT NULL GROUP BY ip_hash HAVING count(*) >= ${threshold}
        UNION ALL
        SELECT 'network', split_part(ip_hash, '.', 1), count(*)::int, min(created_at), max(created_at) FROM b
          WHERE ip_hash LIKE '%.%' GROUP BY split_part(ip_hash, '.', 1) HAVING count(*) >= ${threshold} AND count(DISTINCT ip_hash) > 1
        ORDER BY n DESC, kind LIMIT 50`,
  );
  return rows.map((r) => ({ kind: r.kind, key: String(r.key), n: Number(r.n), first: toDate(r.first), last: toDate(r.last) }));
}
