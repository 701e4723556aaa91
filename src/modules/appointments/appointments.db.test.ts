import { sql } from 'drizzle-orm';
import { solveChallenge } from 'altcha-lib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { openDatabase, type Database } from '../../core/db/index.ts';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import { bookAppointment, completeHold, holdSlot, staffBook } from './book-appointment.ts';
import { findSlots } from './find-slots.ts';
import { expireHolds, notifyWaitlist, sendReminders } from './jobs.ts';
import { cancelByToken, confirmAppointment } from './manage-appointment.ts';
import { invalidateSetup } from './rules.ts';
import { seedAppointments } from './seed.ts';
import { bookingPatternRows, phoneKey } from './repository.ts';
import { getSecret, signToken } from './security.ts';
import { joinWaitlist } from './waitlist.ts';
import { exportDayCsv, exportDayPdf, statistics } from './staff.ts';
import { addClosure } from './configure.ts';

const admin = { type: 'user' as const, id: '00000000-0000-0000-0000-000000000001', roles: ['admin'], department: null };
const PA = 'nom-personalausweis';
const MB = 'nom-meldebescheinigung';

let clock = new Date('2026-11-30T08:00:00Z'); // Monday 09:00 Berlin
let ctx: AppContext;

async function outbox(kind?: string) {
  return execRows<{ to_address: string; subject: string; text_body: string; attachments: unknown; kind: string }>(
    ctx.db,
    kind ? sql`SELECT * FROM outbox WHERE kind = ${kind} ORDER BY created_at` : sql`SELECT * FROM outbox ORDER BY created_at`,
  );
}
/** Holds expire by the database clock: let `minutes` pass for them by moving their expiry back. */
async function ageHolds(ids: string[], minutes: number) {
  for (const id of ids) {
    await ctx.db.execute(
      sql`UPDATE appt_slot_claims SET expires_at = expires_at - make_interval(mins => ${minutes}::int) WHERE booking_id = ${id}::uuid`,
    );
    await ctx.db.execute(
      sql`UPDATE appt_bookings SET expires_at = expires_at - make_interval(mins => ${minutes}::int) WHERE id = ${id}::uuid`,
    );
  }
}
const claimCount = async (bookingId?: string) =>
  Number(
    (
      await execRows<{ n: number }>(
        ctx.db,
        bookingId
          ? sql`SELECT count(*)::int AS n FROM appt_slot_claims WHERE booking_id = ${bookingId}::uuid`
          : sql`SELECT count(*)::int AS n FROM appt_slot_claims`,
      )
    )[0]!.n,
  );

beforeAll(async () => {
  ctx = await createTestContext({ LOTSE_CAPTCHA: 'off', LOTSE_RATE_LIMIT: 'off' }, () => clock);
  await seedAppointments(ctx);
  await seedAppointments(ctx); // idempotent
});
afterAll(() => ctx.database.close());
beforeEach(() => {
  clock = new Date('2026-11-30T08:00:00Z');
  invalidateSetup(ctx);
});

describe('setup and slot search', () => {
  it('seeds the Bürgerbüro with 5 workstations (4 online) once', async () => {
    const ws = await execRows<{ n: number; online: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE online)::int AS online FROM appt_workstations`,
    );
    expect(ws[0]).toEqual({ n: 5, online: 4 });
    expect((await execRows(ctx.db, sql`SELECT 1 FROM appt_locations`)).length).toBe(1);
  });

  it('respects the booking window (from tomorrow, at most 60 days) and lead time', async () => {
    const r = await findSlots(ctx, { serviceIds: [PA], from: '2026-11-30', to: '2027-01-31' });
    expect(r.slots[0]!.start).toBe('2026-12-01T08:00:00+01:00');
    const last = r.slots.at(-1)!;
    expect(last.start.slice(0, 10) <= '2027-01-29').toBe(true); // 60 days after 2026-11-30
    expect(
      r.slots.some((s) => s.start.startsWith('2026-12-24') || s.start.startsWith('2026-12-25') || s.start.startsWith('2027-01-01')),
    ).toBe(false);
    expect(r.slots.every((s) => s.locationId === 'buergerbuero')).toBe(true);
  });

  it('rejects bad input with German 422 messages', async () => {
    await expect(findSlots(ctx, { serviceIds: ['gibt-es-nicht'] })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Unbekannte Leistung'),
    });
    await expect(findSlots(ctx, { serviceIds: [PA], from: '2026-11-01' })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Vergangenheit'),
    });
    await expect(findSlots(ctx, { serviceIds: [PA], from: '2026-12-01', to: '2027-03-01' })).rejects.toMatchObject({ code: 'validation' });
    await expect(findSlots(ctx, { serviceIds: [PA], from: '2026-13-01' })).rejects.toMatchObject({ code: 'validation' });
  });
});

describe('booking', () => {
  const person = (i: number) => ({ name: `Test Person ${i}`, email: `p${i}@example.org` });

  it('lets exactly one of many parallel attempts win a slot (database constraint)', async () => {
    const r = await findSlots(ctx, { serviceIds: [PA], from: '2026-12-03', to: '2026-12-03' });
    const slot = r.slots[0]!;
    // 4 online workstations → 4 winners for the same start; 30 attempts race for them.
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => bookAppointment(ctx, { slotId: slot.id, serviceIds: [PA], ...person(100 + i) })),
    );
    const ok = results.filter((x) => x.status === 'fulfilled');
    const conflicts = results.filter((x) => x.status === 'rejected' && (x.reason as { code: string }).code === 'conflict');
    expect(ok.length).toBe(4);
    expect(conflicts.length).toBe(26);
    const dup = await execRows(ctx.db, sql`SELECT workstation_id, slot_start FROM appt_slot_claims GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dup).toEqual([]);
    const after = await findSlots(ctx, { serviceIds: [PA], from: '2026-12-03', to: '2026-12-03' });
    expect(after.slots.some((s) => s.id === slot.id)).toBe(false);
  });

  it('the one-statement booking (database function) settles races itself: next workstation, stale holds, 409', async () => {
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-21', to: '2026-12-21' });
    const slot = r.slots[0]!;
    const hold = await holdSlot(ctx, { slotId: slot.id, serviceIds: [MB] }); // takes the first workstation
    const second = await bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], ...person(300) });
    expect(second.booking.workstationId).not.toBe(hold.booking.workstationId);
    expect(await claimCount(second.booking.id)).toBe(second.booking.units);
    const parallel = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], ...person(310 + i) })),
    );
    expect(parallel.filter((x) => x.status === 'fulfilled').length).toBe(2); // 4 online, 2 already taken
    await expect(bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], ...person(320) })).rejects.toMatchObject({ code: 'conflict' });
    // The hold expires (database clock): its unit is free again (the function clears the expired claim).
    await ageHolds([hold.booking.id], 11);
    const late = await bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], ...person(321) });
    expect(late.booking.workstationId).toBe(hold.booking.workstationId);
    const dup = await execRows(ctx.db, sql`SELECT workstation_id, slot_start FROM appt_slot_claims GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dup).toEqual([]);
  });

  it('one statement writes booking, claims, confirm mail + its job and the audit entry together; a lost race leaves nothing', async () => {
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-22', to: '2026-12-22' });
    const slot = r.slots[0]!;
    const count = async () =>
      (
        await execRows<{ b: number; o: number; j: number; a: number }>(
          ctx.db,
          sql`SELECT (SELECT count(*) FROM appt_bookings)::int AS b, (SELECT count(*) FROM outbox)::int AS o, (SELECT count(*) FROM jobs WHERE queue = 'mail.send')::int AS j,
          (SELECT count(*) FROM audit_log WHERE action = 'appointment.book')::int AS a`,
        )
      )[0]!;
    const before = await count();
    const won = await Promise.all(
      [0, 1, 2, 3].map((i) => bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], ...person(400 + i) }, { requestId: `rq-${i}` })),
    );
    expect(new Set(won.map((w) => w.booking.workstationId)).size).toBe(4);
    const mid = await count();
    expect(mid).toEqual({ b: before.b + 4, o: before.o + 4, j: before.j + 4, a: before.a + 4 });
    const b = won[2]!.booking;
    const [audit] = await execRows<{ summary: { workstation: string; status: string; units: number }; request_id: string }>(
      ctx.db,
      sql`SELECT summary, request_id FROM audit_log WHERE object_id = ${b.id} AND action = 'appointment.book'`,
    );
    expect(audit).toMatchObject({ request_id: 'rq-2', summary: { workstation: b.workstationId, status: 'pending', units: b.units } });
    const [row] = await execRows<{ workstation_id: string; email_domain: string }>(
      ctx.db,
      sql`SELECT workstation_id, email_domain FROM appt_bookings WHERE id = ${b.id}::uuid`,
    );
    expect(row).toEqual({ workstation_id: b.workstationId, email_domain: 'example.org' });
    const mails = await execRows<{ id: string; text_body: string }>(
      ctx.db,
      sql`SELECT id, text_body FROM outbox WHERE to_address = ${b.email}`,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text_body).toContain('/termine/bestaetigen?t=');
    const jobs = await execRows(ctx.db, sql`SELECT 1 FROM jobs WHERE queue = 'mail.send' AND payload->>'outboxId' = ${mails[0]!.id}`);
    expect(jobs).toHaveLength(1);
    await expect(bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], ...person(404) })).rejects.toMatchObject({ code: 'conflict' });
    expect(await count()).toEqual(mid);
  });

  it('multi-service visits add up and occupy consecutive units', async () => {
    const r = await findSlots(ctx, { serviceIds: [PA, MB], from: '2026-12-04', to: '2026-12-04' });
    expect(r.units).toBe(3);
    const slot = r.slots.at(-1)!; // Friday window ends 12:00 → last start 11:30
    expect(slot.start).toBe('2026-12-04T11:30:00+01:00');
    expect(slot.end).toBe('2026-12-04T12:00:00+01:00');
    const { booking } = await bookAppointment(ctx, { slotId: slot.id, serviceIds: [PA, MB], ...person(1) });
    expect(await claimCount(booking.id)).toBe(3);
    await expect(bookAppointment(ctx, { slotId: slot.id, serviceIds: [PA], ...person(2) })).rejects.toMatchObject({ code: 'validation' }); // duration mismatch
  });

  it('rejects slots outside opening hours, on holidays, in the past and forged ids', async () => {
    const p = person(3);
    await expect(bookAppointment(ctx, { slotId: 'buergerbuero.20261201T1200Z.2', serviceIds: [PA], ...p })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Öffnungszeiten'),
    });
    await expect(bookAppointment(ctx, { slotId: 'buergerbuero.20261225T0800Z.2', serviceIds: [PA], ...p })).rejects.toMatchObject({
      message: expect.stringContaining('Weihnachtstag'),
    });
    await expect(bookAppointment(ctx, { slotId: 'buergerbuero.20261124T0800Z.2', serviceIds: [PA], ...p })).rejects.toMatchObject({
      message: expect.stringContaining('Vergangenheit'),
    });
    await expect(bookAppointment(ctx, { slotId: 'buergerbuero.20261130T0900Z.2', serviceIds: [PA], ...p })).rejects.toMatchObject({
      code: 'conflict',
    }); // today: window starts tomorrow
    await expect(bookAppointment(ctx, { slotId: 'buergerbuero.20270301T0800Z.2', serviceIds: [PA], ...p })).rejects.toMatchObject({
      message: expect.stringContaining('60 Tage'),
    });
    await expect(bookAppointment(ctx, { slotId: 'nonsense', serviceIds: [PA], ...p })).rejects.toMatchObject({ code: 'validation' });
    await expect(
      bookAppointment(ctx, { slotId: 'buergerbuero.20261201T0700Z.2', serviceIds: [PA], name: 'X Y', email: 'kaputt@' }),
    ).rejects.toMatchObject({
      code: 'validation',
      details: { fields: [expect.objectContaining({ field: 'email', message: expect.stringContaining('E-Mail') })] },
    });
  });

  it('limits open bookings per e-mail', async () => {
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-08', to: '2026-12-08' });
    const mail = { name: 'Viel Bucher', email: 'viel@example.org' };
    for (let i = 0; i < 3; i++) await bookAppointment(ctx, { slotId: r.slots[i * 5]!.id, serviceIds: [MB], ...mail });
    await expect(bookAppointment(ctx, { slotId: r.slots[20]!.id, serviceIds: [MB], ...mail })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('offene Termine'),
    });
  });

  it('limits open bookings per phone number (normalised: +49 / 0049 / (0) / separators), on the API and the web flow; patterns count phones', async () => {
    expect(phoneKey('+49 (0)5551 12345')).toBe('0555112345');
    expect(phoneKey('0049 5551/12345')).toBe('0555112345');
    expect(phoneKey('05551-123 45')).toBe('0555112345');
    expect(phoneKey('+43 1 234567')).toBe('00431234567');
    expect(phoneKey('12')).toBeNull();
    expect(phoneKey(null)).toBeNull();
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-15', to: '2026-12-15' });
    const phones = ['+49 5551 12345', '0049 (0)5551/12345', '05551-123 45'];
    for (let i = 0; i < 3; i++)
      await bookAppointment(ctx, {
        slotId: r.slots[i * 5]!.id,
        serviceIds: [MB],
        name: 'Tele Fon',
        email: `tel${i}@example.org`,
        phone: phones[i],
      });
    const err = await bookAppointment(ctx, {
      slotId: r.slots[20]!.id,
      serviceIds: [MB],
      name: 'Tele Fon',
      email: 'tel9@example.org',
      phone: '(05551) 12345',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Telefonnummer sind bereits 3 offene Termine'),
      details: { fields: [{ field: 'phone' }] },
    });
    // another number and no number are not affected
    await bookAppointment(ctx, {
      slotId: r.slots[20]!.id,
      serviceIds: [MB],
      name: 'Tele Fon',
      email: 'tel10@example.org',
      phone: '05551 99999',
    });
    await bookAppointment(ctx, { slotId: r.slots[25]!.id, serviceIds: [MB], name: 'Tele Fon', email: 'tel11@example.org' });
    // web flow: the hold gets the same number → 422 on the phone field
    const h = await holdSlot(ctx, { slotId: r.slots[30]!.id, serviceIds: [MB] });
    await expect(
      completeHold(ctx, h.booking.id, h.holdToken, { name: 'Tele Fon', email: 'tel12@example.org', phone: '+4955511 2345', consent: true }),
    ).rejects.toMatchObject({
      code: 'validation',
      details: { fields: [{ field: 'phone' }] },
    });
    // the limit is a setting per location; mass-booking patterns count the number
    await ctx.db.execute(sql`UPDATE appt_locations SET max_open_per_phone = 10`);
    invalidateSetup(ctx);
    for (let i = 0; i < 2; i++)
      await bookAppointment(ctx, {
        slotId: r.slots[1 + i]!.id,
        serviceIds: [MB],
        name: 'Tele Fon',
        email: `tel2${i}@example.org`,
        phone: '05551 12345',
      });
    const patterns = await bookingPatternRows(ctx.db, new Date(clock.getTime() - 24 * 3600_000), 5, []);
    expect(patterns).toContainEqual(expect.objectContaining({ kind: 'phone', key: '0555112345', n: 5 }));
    await ctx.db.execute(sql`UPDATE appt_locations SET max_open_per_phone = 3`);
  });

  it('clock skew: holds expire by the database clock, so an instance whose clock runs 11 minutes ahead frees no valid hold', async () => {
    const ahead: AppContext = { ...ctx, now: () => new Date(clock.getTime() + 11 * 60_000) };
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-16', to: '2026-12-16' });
    const slot = r.slots[0]!;
    const hold = await holdSlot(ctx, { slotId: slot.id, serviceIds: [MB] }); // instance A, 10-minute hold
    expect(hold.booking.expiresAt!.getTime() - Date.now()).toBeGreaterThan(9 * 60_000); // stamped by the database, not by A's (test) clock
    for (let i = 0; i < 3; i++) await bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], ...person(400 + i) }); // the other 3 online counters
    // instance B (clock ahead): the slot is not offered, booking it is a clean 409, its expiry job leaves the hold alone
    expect((await findSlots(ahead, { serviceIds: [MB], from: '2026-12-16', to: '2026-12-16' })).slots.some((s) => s.id === slot.id)).toBe(
      false,
    );
    await expect(bookAppointment(ahead, { slotId: slot.id, serviceIds: [MB], ...person(410) })).rejects.toMatchObject({ code: 'conflict' });
    await expect(holdSlot(ahead, { slotId: slot.id, serviceIds: [MB] })).rejects.toMatchObject({ code: 'conflict' });
    await expireHolds(ahead);
    expect(await claimCount(hold.booking.id)).toBe(1);
    // the citizen on A completes the hold in time
    const done = await completeHold(ahead, hold.booking.id, hold.holdToken, {
      name: 'Pünktlich Person',
      email: 'puenktlich@example.org',
      consent: true,
    });
    expect(done.booking.status).toBe('pending');
    // a second hold really expires (database clock) → B may take it
    const r2 = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-17', to: '2026-12-17' });
    const h2 = await holdSlot(ctx, { slotId: r2.slots[0]!.id, serviceIds: [MB] });
    for (let i = 0; i < 3; i++) await bookAppointment(ctx, { slotId: r2.slots[0]!.id, serviceIds: [MB], ...person(420 + i) });
    await expect(bookAppointment(ahead, { slotId: r2.slots[0]!.id, serviceIds: [MB], ...person(430) })).rejects.toMatchObject({
      code: 'conflict',
    });
    await ageHolds([h2.booking.id], 10);
    const late = await bookAppointment(ahead, { slotId: r2.slots[0]!.id, serviceIds: [MB], ...person(431) });
    expect(late.booking.workstationId).toBe(h2.booking.workstationId);
  });

  it('holds expire; a stale hold never blocks (lazy) and the job frees it', async () => {
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-09', to: '2026-12-09' });
    const slot = r.slots[0]!;
    const holds = [];
    for (let i = 0; i < 4; i++) holds.push(await holdSlot(ctx, { slotId: slot.id, serviceIds: [MB] }));
    await expect(holdSlot(ctx, { slotId: slot.id, serviceIds: [MB] })).rejects.toMatchObject({ code: 'conflict' });
    await ageHolds(
      holds.map((h) => h.booking.id),
      11,
    );
    // lazy: the expired claim is removed at claim time
    const again = await holdSlot(ctx, { slotId: slot.id, serviceIds: [MB] });
    expect(again.booking.status).toBe('held');
    await expect(
      completeHold(ctx, holds[0]!.booking.id, holds[0]!.holdToken, { name: 'Spät Dran', email: 'spaet@example.org', consent: true }),
    ).rejects.toMatchObject({ code: 'gone' });
    expect(await expireHolds(ctx)).toBeGreaterThanOrEqual(3);
    const st = await execRows<{ status: string }>(ctx.db, sql`SELECT status FROM appt_bookings WHERE id = ${holds[1]!.booking.id}::uuid`);
    expect(st[0]!.status).toBe('expired');
    expect(await claimCount(holds[1]!.booking.id)).toBe(0);
  });

  it('web flow: hold → details → pending mail → confirm (idempotent) → mail with .ics; cancel tokens', async () => {
    const r = await findSlots(ctx, { serviceIds: [PA], from: '2026-12-10', to: '2026-12-10' });
    const { booking, holdToken } = await holdSlot(ctx, { slotId: r.slots[2]!.id, serviceIds: [PA] });
    await expect(
      completeHold(ctx, booking.id, holdToken, { name: 'Erika Muster', email: 'erika@example.org', consent: false as true }),
    ).rejects.toMatchObject({ code: 'validation' });
    await expect(
      completeHold(ctx, booking.id, holdToken + 'x', { name: 'Erika Muster', email: 'erika@example.org', consent: true }),
    ).rejects.toMatchObject({ code: 'gone' });
    const done = await completeHold(ctx, booking.id, holdToken, { name: 'Erika Muster', email: 'erika@example.org', consent: true });
    expect(done.booking.status).toBe('pending');
    const req = (await outbox('appointment-confirm-request')).find((m) => m.to_address === 'erika@example.org')!;
    const link = /\/termine\/bestaetigen\?t=(\S+)/.exec(req.text_body)![1]!;
    const token = decodeURIComponent(link);
    const first = await confirmAppointment(ctx, token);
    expect(first.booking.status).toBe('confirmed');
    expect(first.already).toBe(false);
    const second = await confirmAppointment(ctx, token);
    expect(second.already).toBe(true);
    const confirmed = (await outbox('appointment-confirmed')).filter((m) => m.to_address === 'erika@example.org');
    expect(confirmed.length).toBe(1);
    const att = (typeof confirmed[0]!.attachments === 'string' ? JSON.parse(confirmed[0]!.attachments) : confirmed[0]!.attachments) as {
      filename: string;
      contentBase64: string;
    }[];
    const ics = Buffer.from(att[0]!.contentBase64, 'base64').toString();
    expect(att[0]!.filename).toBe('termin.ics');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain('DTSTART:20261210T072000Z');
    expect(ics).toContain('Am Münster');
    expect(confirmed[0]!.text_body).toContain('Bitte mitbringen');
    const manage = decodeURIComponent(/\/termine\/verwalten\?t=(\S+)/.exec(confirmed[0]!.text_body)![1]!);

    // forged and foreign tokens → 410, calendar unchanged
    await expect(cancelByToken(ctx, booking.id, manage.slice(0, -3) + 'abc')).rejects.toMatchObject({ code: 'gone' });
    await expect(cancelByToken(ctx, booking.id, token)).rejects.toMatchObject({ code: 'gone' }); // confirm token is not a cancel token
    expect(await claimCount(booking.id)).toBe(2);
    await cancelByToken(ctx, booking.id, manage);
    expect(await claimCount(booking.id)).toBe(0);
    await expect(cancelByToken(ctx, booking.id, manage)).rejects.toMatchObject({
      code: 'gone',
      message: expect.stringContaining('bereits abgesagt'),
    }); // replay
    await expect(confirmAppointment(ctx, token)).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('abgesagt') });
  });

  it('confirm link after the confirmation deadline answers 410 and frees the slot', async () => {
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-11', to: '2026-12-11' });
    const { booking } = await bookAppointment(ctx, {
      slotId: r.slots[0]!.id,
      serviceIds: [MB],
      name: 'Zu Spät',
      email: 'zuspaet@example.org',
    });
    const token = signToken(await getSecret(ctx), 'confirm', booking.id, new Date(clock.getTime() + 2 * 3600_000));
    clock = new Date(clock.getTime() + 61 * 60_000);
    await expect(confirmAppointment(ctx, token)).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('abgelaufen') });
    expect(await claimCount(booking.id)).toBe(0);
  });

  it('reminders go out once, 24 h ahead, and ask to cancel when not coming', async () => {
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-02', to: '2026-12-02' });
    const b = await staffBook(ctx, admin, { slotId: r.slots[0]!.id, serviceIds: [MB], name: 'Anruf Erin', email: 'anruf@example.org' });
    expect(b.status).toBe('confirmed');
    clock = new Date(b.startAt.getTime() - 25 * 3600_000);
    await sendReminders(ctx);
    expect((await outbox('appointment-reminder')).filter((m) => m.to_address === 'anruf@example.org').length).toBe(0);
    clock = new Date(b.startAt.getTime() - 23 * 3600_000);
    await sendReminders(ctx);
    await sendReminders(ctx);
    const rem = (await outbox('appointment-reminder')).filter((m) => m.to_address === 'anruf@example.org');
    expect(rem.length).toBe(1);
    expect(rem[0]!.text_body).toContain('Sie können nicht kommen?');
  });

  it('waitlist: the first in line is told when an earlier slot frees up', async () => {
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-14', to: '2026-12-14' });
    const b = await staffBook(ctx, admin, { slotId: r.slots[0]!.id, serviceIds: [MB], name: 'Platz Halter', email: 'platz@example.org' });
    await joinWaitlist(ctx, { serviceIds: [MB], email: 'warte1@example.org', before: '2026-12-20' });
    await joinWaitlist(ctx, { serviceIds: [MB], email: 'warte2@example.org', before: '2026-12-20' });
    const { cancelByStaff } = await import('./manage-appointment.ts');
    await cancelByStaff(ctx, admin, b.id);
    expect(await notifyWaitlist(ctx, { locationId: 'buergerbuero', start: b.startAt.toISOString() })).toBe(true);
    const mails = await outbox('appointment-waitlist');
    expect(mails.map((m) => m.to_address)).toEqual(['warte1@example.org']);
    const q = await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM jobs WHERE queue = 'appointments.waitlist'`);
    expect(q[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('closures remove slots; exports and statistics work', async () => {
    await addClosure(ctx, admin, { locationId: 'buergerbuero', fromDate: '2026-12-15', toDate: '2026-12-15', reason: 'Betriebsausflug' });
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-15', to: '2026-12-15' });
    expect(r.slots).toEqual([]);
    const csv = await exportDayCsv(ctx, admin, undefined, '2026-12-03');
    expect(csv.split('\r\n').length).toBeGreaterThan(4);
    expect(csv).toContain('Beginn;Ende;Schalter');
    const pdf = await exportDayPdf(ctx, admin, undefined, '2026-12-03');
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const page = await (await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 }).promise).getPage(1);
    const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    expect(text).toMatch(/Tagesliste .* – 03\.12\.2026/);
    expect(text).toMatch(/erstellt \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} Uhr/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const s = await statistics(ctx, admin, undefined, '2026-12-01', '2026-12-31');
    expect(s.services.length).toBeGreaterThan(0);
    expect(s.capacityUnits).toBeGreaterThan(0);
  });
});

describe('edges, feeds and patterns', () => {
  it('booking window edge: day +60 is bookable, day +61 is not; lead time 2 h', async () => {
    clock = new Date('2026-12-01T05:00:00Z'); // Tuesday 06:00 Berlin
    const in60 = await findSlots(ctx, { serviceIds: [MB], from: '2027-01-29', to: '2027-01-29' }); // Friday, +59
    expect(in60.slots.length).toBeGreaterThan(0);
    const edge = await findSlots(ctx, { serviceIds: [MB], from: '2027-01-30', to: '2027-02-01' }); // Sat, Sun, Mon(+62)
    expect(edge.slots).toEqual([]);
    await expect(
      bookAppointment(ctx, { slotId: 'buergerbuero.20270201T0700Z.1', serviceIds: [MB], name: 'Zu Früh', email: 'frueh@example.org' }),
    ).rejects.toMatchObject({ message: expect.stringContaining('60 Tage') });
    const ok = await bookAppointment(ctx, {
      slotId: 'buergerbuero.20270129T0700Z.1',
      serviceIds: [MB],
      name: 'Gerade Noch',
      email: 'grenze@example.org',
    });
    expect(ok.booking.status).toBe('pending');
    // windowMinDays=1: nothing today even after the lead time
    const todays = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-01', to: '2026-12-01' });
    expect(todays.slots).toEqual([]);
  });

  it('serves a per-workstation iCalendar feed only with the current token', async () => {
    const { rotateFeedToken } = await import('./configure.ts');
    const { feedIcs } = await import('./feed.ts');
    const token = await rotateFeedToken(ctx, admin, 'schalter-1');
    invalidateSetup(ctx);
    const ics = await feedIcs(ctx, 'schalter-1', token);
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).not.toContain('example.org');
    await expect(feedIcs(ctx, 'schalter-1', 'falsch')).rejects.toMatchObject({ code: 'gone' });
    await expect(feedIcs(ctx, 'schalter-2', token)).rejects.toMatchObject({ code: 'gone' });
  });

  it('flags mass booking from one e-mail domain for the staff view', async () => {
    const { bookingPatterns } = await import('./staff.ts');
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-17', to: '2026-12-17' });
    for (let i = 0; i < 5; i++)
      await bookAppointment(ctx, { slotId: r.slots[i]!.id, serviceIds: [MB], name: 'Bot Bucher', email: `b${i}@massen-bot.example` });
    const p = await bookingPatterns(ctx, admin);
    expect(p.some((x) => x.kind === 'domain' && x.key === 'massen-bot.example' && x.n === 5)).toBe(true);
  });
});

describe('HTTP API contract', () => {
  it('GET slots, POST 201/409/422, DELETE 410, 429 when rate limited', async () => {
    const limited = await createTestContext({ LOTSE_CAPTCHA: 'off' }, () => clock);
    try {
      await seedAppointments(limited);
      const app = buildApp(limited);
      const res = await app.request(`/api/v1/appointments/slots?service=${PA}&service=${MB}&from=2026-12-01&to=2026-12-02`);
      expect(res.status).toBe(200);
      const { slots } = (await res.json()) as { slots: { id: string; start: string; end: string; locationId: string }[] };
      expect(slots[0]).toMatchObject({ start: '2026-12-01T08:00:00+01:00', end: '2026-12-01T08:30:00+01:00', locationId: 'buergerbuero' });
      const post = (body: unknown) =>
        app.request('/api/v1/appointments', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const ok = await post({ slotId: slots[0]!.id, serviceIds: [PA, MB], name: 'Api Nutzer', email: 'api@example.org' });
      expect(ok.status).toBe(201);
      const created = (await ok.json()) as { id: string; status: string };
      expect(created.status).toBe('pending');
      for (let i = 0; i < 3; i++)
        await post({ slotId: slots[0]!.id, serviceIds: [PA, MB], name: 'Api Nutzer', email: `api${i}@example.org` });
      const gone = await post({ slotId: slots[0]!.id, serviceIds: [PA, MB], name: 'Api Nutzer', email: 'api9@example.org' });
      expect(gone.status).toBe(409);
      expect(((await gone.json()) as { title: string }).title).toMatch(/vergeben/);
      const bad = await post({ slotId: slots[1]!.id, serviceIds: [PA, MB], name: '', email: 'x' });
      expect(bad.status).toBe(422);
      const badBody = (await bad.json()) as { fields: { field: string }[] };
      expect(badBody.fields.map((f) => f.field).sort()).toEqual(['email', 'name']);
      const del = await app.request(`/api/v1/appointments/${created.id}?token=forged.m.1.abc`, { method: 'DELETE' });
      expect(del.status).toBe(410);
      const past = await app.request(`/api/v1/appointments/slots?service=${PA}&from=2020-01-01`);
      expect(past.status).toBe(422);
      let last = 0;
      for (let i = 0; i < 25 && last !== 429; i++)
        last = (await post({ slotId: slots[2]!.id, serviceIds: [PA, MB], name: 'Bot', email: `bot${i}@example.org` })).status;
      expect(last).toBe(429);
      const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/appointments/slots', '/appointments', '/appointments/{id}']));
    } finally {
      await limited.database.close();
    }
  });

  it('requires the proof-of-work captcha when on, and refuses a replayed solution', async () => {
    const c2 = await createTestContext({ LOTSE_RATE_LIMIT: 'off' }, () => clock);
    try {
      await seedAppointments(c2);
      const app = buildApp(c2);
      const { slots } = (await (await app.request(`/api/v1/appointments/slots?service=${MB}&from=2026-12-01&to=2026-12-01`)).json()) as {
        slots: { id: string }[];
      };
      const post = (body: unknown) =>
        app.request('/api/v1/appointments', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const body = { slotId: slots[0]!.id, serviceIds: [MB], name: 'Mensch Echt', email: 'echt@example.org' };
      expect((await post(body)).status).toBe(422);
      const ch = (await (await app.request('/api/v1/appointments/captcha')).json()) as {
        algorithm: string;
        challenge: string;
        salt: string;
        signature: string;
        maxnumber: number;
      };
      const sol = await solveChallenge(ch.challenge, ch.salt, ch.algorithm, ch.maxnumber).promise;
      const payload = Buffer.from(
        JSON.stringify({ algorithm: ch.algorithm, challenge: ch.challenge, number: sol!.number, salt: ch.salt, signature: ch.signature }),
      ).toString('base64');
      expect((await post({ ...body, captcha: payload })).status).toBe(201);
      const replay = await post({ ...body, slotId: slots[1]!.id, email: 'echt2@example.org', captcha: payload });
      expect(replay.status).toBe(422);
      expect(((await replay.json()) as { title: string }).title).toMatch(/schon verwendet/);
    } finally {
      await c2.database.close();
    }
  });
});

describe.runIf(testDbKind() === 'postgres')('two app instances (separate pools) on PostgreSQL', () => {
  let other: Database;
  beforeAll(async () => {
    const db = (await execRows<{ db: string }>(ctx.db, sql`SELECT current_database() AS db`))[0]!.db;
    const u = new URL(process.env.LOTSE_TEST_DATABASE_URL!);
    u.pathname = `/${db}`;
    other = await openDatabase({ databaseUrl: u.toString() });
  });
  afterAll(() => other?.close());

  it('exactly one booking per workstation slot across both pools', async () => {
    const ctx2: AppContext = { ...ctx, database: other, db: other.db };
    const r = await findSlots(ctx, { serviceIds: [PA], from: '2026-12-16', to: '2026-12-16' });
    const slot = r.slots[3]!;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        bookAppointment(i % 2 ? ctx2 : ctx, { slotId: slot.id, serviceIds: [PA], name: 'Zwei Pools', email: `pool${i}@example.org` }),
      ),
    );
    expect(results.filter((x) => x.status === 'fulfilled').length).toBe(4);
    expect(results.filter((x) => x.status === 'rejected' && (x.reason as { code: string }).code !== 'conflict')).toEqual([]);
  });
});
