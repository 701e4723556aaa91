import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { csrfHeaders } from '../../../test/helpers/auth.ts';
import { assertReschedulable, bookAppointment, completeHold, holdSlot, staffBook } from './book-appointment.ts';
import { findSlots } from './find-slots.ts';
import { allowedStatusChanges, cancelByStaff, cancelByToken, confirmAppointment, setAppointmentStatus } from './manage-appointment.ts';
import * as repo from './repository.ts';
import { getSetup, invalidateSetup } from './rules.ts';
import { seedAppointments } from './seed.ts';
import { getSecret, signToken } from './security.ts';
import { bookingPatterns, drawTicket, statistics, ticketsToday, updateTicketStatus, waitingRoom } from './staff.ts';

const admin = { type: 'user' as const, id: '00000000-0000-0000-0000-000000000001', roles: ['admin'], department: null };
const clerk = { type: 'user' as const, id: '00000000-0000-0000-0000-000000000002', roles: ['clerk'], department: null };
const council = { type: 'user' as const, id: '00000000-0000-0000-0000-000000000003', roles: ['council'], department: null };
const PA = 'nom-personalausweis'; // 2 units
const MB = 'nom-meldebescheinigung'; // 1 unit
const LOC = 'buergerbuero';
const T0 = new Date('2026-12-01T08:00:00Z'); // Tuesday 09:00 Berlin

let clock = T0;
let ctx: AppContext;
/** Slot id for a UTC start like '20261207T0700Z'. */
const slot = (utc: string, units: number) => `${LOC}.${utc}.${units}`;
const claims = async (bookingId: string) => Number((await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM appt_slot_claims WHERE booking_id = ${bookingId}::uuid`))[0]!.n);
const status = async (id: string) => (await repo.getBooking(ctx.db, id))!.status;
const audits = async (objectId: string, action: string) =>
  execRows<{ summary: Record<string, unknown>; actor_id: string | null }>(ctx.db, sql`SELECT summary, actor_id FROM audit_log WHERE object_id = ${objectId} AND action = ${action} ORDER BY seq`);
const book = (utc: string, serviceIds: string[], name: string, email?: string) =>
  staffBook(ctx, admin, { slotId: slot(utc, serviceIds.includes(PA) ? 2 + (serviceIds.length - 1) : serviceIds.length), serviceIds, name, email: email ?? '' });

beforeAll(async () => {
  ctx = await createTestContext({ LOTSE_CAPTCHA: 'off', LOTSE_RATE_LIMIT: 'off' }, () => clock);
  await seedAppointments(ctx);
});
afterAll(() => ctx.database.close());
beforeEach(() => {
  clock = T0;
  invalidateSetup(ctx);
});

describe('arrived / no-show / done', () => {
  it('follows the allowed transitions, writes audit once per change and refuses the rest with 409', async () => {
    const b = await book('20261214T0700Z', [MB], 'Anna Status'); // Monday 08:00
    expect(allowedStatusChanges(b, clock)).toEqual(['arrived', 'done']); // no-show only once the time has begun
    await expect(setAppointmentStatus(ctx, clerk, b.id, 'noshow')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('erst ab seiner Anfangszeit') });
    clock = new Date('2026-12-14T07:05:00Z');
    expect(allowedStatusChanges(b, clock)).toEqual(['arrived', 'noshow', 'done']);
    expect((await setAppointmentStatus(ctx, clerk, b.id, 'arrived')).status).toBe('arrived');
    await setAppointmentStatus(ctx, clerk, b.id, 'arrived'); // double click: no change, no second entry
    await setAppointmentStatus(ctx, clerk, b.id, 'done');
    await expect(setAppointmentStatus(ctx, clerk, b.id, 'noshow')).rejects.toMatchObject({ code: 'conflict', message: 'Ein Termin mit dem Status „erledigt“ kann nicht auf „nicht erschienen“ gesetzt werden.' });
    await setAppointmentStatus(ctx, clerk, b.id, 'confirmed'); // undo
    await setAppointmentStatus(ctx, clerk, b.id, 'noshow');
    await setAppointmentStatus(ctx, clerk, b.id, 'arrived'); // came late after all
    expect(await status(b.id)).toBe('arrived');
    expect(await claims(b.id)).toBe(1); // the slot stays occupied throughout
    const a = await audits(b.id, 'appointment.status');
    expect(a.map((x) => x.summary)).toEqual([
      { from: 'confirmed', to: 'arrived' },
      { from: 'arrived', to: 'done' },
      { from: 'done', to: 'confirmed' },
      { from: 'confirmed', to: 'noshow' },
      { from: 'noshow', to: 'arrived' },
    ]);
    expect(a.every((x) => x.actor_id === clerk.id)).toBe(true);
  });

  it('only confirmed visits can be marked; unknown status 422, unknown id 404, no permission 403', async () => {
    const r = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-15', to: '2026-12-15' });
    const { booking: pending } = await bookAppointment(ctx, { slotId: r.slots[0]!.id, serviceIds: [MB], name: 'Noch Offen', email: 'offen@example.org' });
    await expect(setAppointmentStatus(ctx, clerk, pending.id, 'arrived')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('noch nicht per E-Mail bestätigt') });
    const b = await book('20261215T0710Z', [MB], 'Bald Abgesagt');
    await cancelByStaff(ctx, clerk, b.id);
    await expect(setAppointmentStatus(ctx, clerk, b.id, 'done')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('abgesagt') });
    await expect(setAppointmentStatus(ctx, clerk, b.id, 'cancelled')).rejects.toMatchObject({ code: 'validation', message: 'Unbekannter Status.' });
    await expect(setAppointmentStatus(ctx, clerk, '00000000-0000-0000-0000-000000000000', 'done')).rejects.toMatchObject({ code: 'not_found' });
    await expect(setAppointmentStatus(ctx, clerk, 'kaputt', 'done')).rejects.toMatchObject({ code: 'not_found' });
    await expect(setAppointmentStatus(ctx, council, b.id, 'done')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await audits(b.id, 'appointment.status')).toEqual([]);
  });
});

describe('statistics on a constructed week', () => {
  it('counts bookings, lead times, no-show rates per service and weekday, and utilisation exactly', async () => {
    // All booked at T0 (Tue 01.12. 08:00 UTC). Week 07.–11.12.2026: Mon, Tue, Wed.
    const monPa = await book('20261207T0700Z', [PA], 'Eins A'); // lead 143 h
    const monMb = await book('20261207T0700Z', [MB], 'Zwei B'); // 143 h
    const tueDone = await book('20261208T0700Z', [MB], 'Drei C'); // 167 h
    const tueNo = await book('20261208T0710Z', [MB], 'Vier D'); // 167 h 10 min
    const tueCancel = await book('20261208T0720Z', [MB], 'Fünf E'); // 167 h 20 min
    const wedBoth = await book('20261209T0700Z', [PA, MB], 'Sechs F'); // 191 h, 3 units
    await cancelByStaff(ctx, admin, tueCancel.id);
    clock = new Date('2026-12-10T12:00:00Z');
    await setAppointmentStatus(ctx, admin, monPa.id, 'done');
    await setAppointmentStatus(ctx, admin, monMb.id, 'noshow');
    await setAppointmentStatus(ctx, admin, tueDone.id, 'done');
    await setAppointmentStatus(ctx, admin, tueNo.id, 'noshow');
    await setAppointmentStatus(ctx, admin, wedBoth.id, 'arrived');

    const s = await statistics(ctx, admin, LOC, '2026-12-07', '2026-12-11');
    const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);
    expect(s.totals).toMatchObject({ total: 6, cancelled: 1, noshow: 2, done: 2, arrived: 1 });
    close(s.totals.noshowRate, 2 / 5);
    const pa = s.services.find((x) => x.id === PA)!;
    const mb = s.services.find((x) => x.id === MB)!;
    expect(s.services.map((x) => x.id)).toEqual([MB, PA]); // most bookings first
    expect(pa).toMatchObject({ total: 2, cancelled: 0, noshow: 0, done: 1, arrived: 1, noshowRate: 0 });
    close(pa.avgLeadDays, (143 + 191) / 2 / 24);
    expect(mb).toMatchObject({ total: 5, cancelled: 1, noshow: 2, done: 1, arrived: 1 });
    close(mb.noshowRate, 0.5);
    close(mb.avgLeadDays, (143 + 167 + 167 + 10 / 60 + 167 + 20 / 60 + 191) / 5 / 24);
    // weekdays: each visit once (Monday = 1)
    expect(s.weekdays.map((w) => [w.weekday, w.total, w.noshow, w.cancelled])).toEqual([
      [1, 2, 1, 0],
      [2, 3, 1, 1],
      [3, 1, 0, 0],
    ]);
    close(s.weekdays[0]!.noshowRate, 0.5);
    close(s.weekdays[1]!.noshowRate, 0.5);
    // capacity: 5 active workstations × (Mon 27 + Tue 39 + Wed 27 + Thu 51 + Fri 24 ten-minute units)
    expect(s.capacityUnits).toBe(5 * 168);
    expect(s.usedUnits).toBe(2 + 1 + 1 + 1 + 3); // the cancelled visit freed its unit
    close(s.utilisation, 8 / 840);

    // a closure removes its day from the capacity; an empty period gives zeros, not NaN
    const { addClosure } = await import('./configure.ts');
    await addClosure(ctx, admin, { locationId: LOC, fromDate: '2026-12-11', toDate: '2026-12-11', reason: 'Inventur' });
    expect((await statistics(ctx, admin, LOC, '2026-12-07', '2026-12-11')).capacityUnits).toBe(5 * 144);
    const none = await statistics(ctx, admin, LOC, '2027-03-01', '2027-03-05');
    expect(none).toMatchObject({ services: [], weekdays: [], usedUnits: 0, totals: { total: 0, noshowRate: 0, avgLeadDays: 0 } });
    await expect(statistics(ctx, admin, LOC, '2026-12-11', '2026-12-07')).rejects.toMatchObject({ code: 'validation' });
    await expect(statistics(ctx, council, LOC, '2026-12-07', '2026-12-11')).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('walk-in tickets and the waiting-room display', () => {
  it('numbers per day and location from 1; parallel draws never share a number', async () => {
    clock = new Date('2026-12-02T08:00:00Z');
    const first = await drawTicket(ctx, clerk, LOC, null);
    expect(first.number).toBe(1);
    const many = await Promise.all(Array.from({ length: 20 }, () => drawTicket(ctx, clerk, LOC, null)));
    expect(many.map((t) => t.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect((await execRows(ctx.db, sql`SELECT 1 FROM audit_log WHERE action = 'ticket.draw'`)).length).toBe(21);
    // the database itself refuses a duplicate number
    await expect(ctx.db.execute(sql`INSERT INTO appt_tickets (location_id, day, number, created_at) VALUES (${LOC}, '2026-12-02', 5, now())`)).rejects.toThrow();
    // a second location counts on its own
    const l = (await getSetup(ctx)).locations[0]!;
    await repo.upsertLocation(ctx.db, { ...l, id: 'standesamt', name: 'Standesamt' });
    invalidateSetup(ctx);
    expect((await drawTicket(ctx, clerk, 'standesamt', null)).number).toBe(1);
    // next day (Berlin midnight, 23:00 UTC) starts again at 1
    clock = new Date('2026-12-02T23:00:00Z');
    expect((await drawTicket(ctx, clerk, LOC, null)).number).toBe(1);
    clock = new Date('2026-12-02T22:59:00Z');
    expect((await drawTicket(ctx, clerk, LOC, null)).number).toBe(22);
    await expect(drawTicket(ctx, clerk, 'nirgendwo', null)).rejects.toMatchObject({ code: 'not_found' });
    await expect(drawTicket(ctx, council, LOC, null)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('the display shows called numbers (latest first) with the counter and the waiting numbers, nothing personal', async () => {
    clock = new Date('2026-12-04T08:00:00Z');
    const [t1, t2, t3] = [await drawTicket(ctx, clerk, LOC, MB), await drawTicket(ctx, clerk, LOC, null), await drawTicket(ctx, clerk, LOC, null)];
    expect((await waitingRoom(ctx, LOC)).waiting).toEqual([1, 2, 3]);
    await updateTicketStatus(ctx, clerk, LOC, t1!.id, { status: 'called', workstationId: 'schalter-5' });
    clock = new Date('2026-12-04T08:03:00Z');
    await updateTicketStatus(ctx, clerk, LOC, t2!.id, { status: 'called', workstationId: 'schalter-4' });
    let d = await waitingRoom(ctx, LOC);
    expect(d.called).toEqual([
      { number: 2, counter: 'Schalter 4' },
      { number: 1, counter: 'Schalter 5' },
    ]);
    expect(d.waiting).toEqual([3]);
    await updateTicketStatus(ctx, clerk, LOC, t1!.id, { status: 'done' });
    await updateTicketStatus(ctx, clerk, LOC, t3!.id, { status: 'gone' });
    d = await waitingRoom(ctx, LOC);
    expect(d.called).toEqual([{ number: 2, counter: 'Schalter 4' }]);
    expect(d.waiting).toEqual([]);
    expect(JSON.stringify({ called: d.called, waiting: d.waiting })).not.toMatch(/@|nom-/);
    expect((await ticketsToday(ctx, clerk, LOC)).map((t) => [t.number, t.status])).toEqual([
      [1, 'done'],
      [2, 'called'],
      [3, 'gone'],
    ]);
    expect((await audits(t1!.id, 'ticket.status')).map((a) => a.summary)).toEqual([{ status: 'called' }, { status: 'done' }]);
    // bad input: unknown ticket 404, counter of another location 422, calling without a counter 422
    await expect(updateTicketStatus(ctx, clerk, LOC, 'kaputt', { status: 'done' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateTicketStatus(ctx, clerk, LOC, '00000000-0000-0000-0000-000000000000', { status: 'done' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateTicketStatus(ctx, clerk, LOC, t3!.id, { status: 'called', workstationId: 'schalter-99' })).rejects.toMatchObject({ code: 'validation' });
    await expect(updateTicketStatus(ctx, clerk, LOC, t3!.id, { status: 'called' })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('Schalter') });
    await expect(updateTicketStatus(ctx, clerk, LOC, t3!.id, { status: 'weg' as 'done' })).rejects.toMatchObject({ code: 'validation' });
    await expect(waitingRoom(ctx, 'nirgendwo')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('rescheduling by the manage link', () => {
  const flow = async (slotId: string, serviceIds: string[], manage: string, email: string) => {
    const h = await holdSlot(ctx, { slotId, serviceIds, replaces: manage });
    expect(h.booking.replacesId).not.toBeNull();
    await completeHold(ctx, h.booking.id, h.holdToken, { name: 'Um Bucher', email, consent: true });
    const confirm = signToken(await getSecret(ctx), 'confirm', h.booking.id, new Date(clock.getTime() + 3600_000));
    return { id: h.booking.id, confirm };
  };

  it('frees the old slot and takes the new one in one step; the old link is then dead; a second use of the link is refused', async () => {
    const old = await book('20261216T0800Z', [MB], 'Um Bucher', 'um@example.org'); // Wed 09:00
    const secret = await getSecret(ctx);
    const manage = signToken(secret, 'manage', old.id, new Date('2026-12-17T00:00:00Z'));
    const day = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-17', to: '2026-12-17' });
    const next = await flow(day.slots[0]!.id, [MB], manage, 'um@example.org');
    // a second move started with the same link before the first is confirmed (two tabs)
    const again = await flow(day.slots[5]!.id, [MB], manage, 'um@example.org');
    // until the new time is confirmed both are held
    expect(await status(old.id)).toBe('confirmed');
    expect(await claims(old.id)).toBe(1);
    expect((await assertReschedulable(ctx, manage)).id).toBe(old.id);
    const done = await confirmAppointment(ctx, next.confirm);
    expect(done.booking.status).toBe('confirmed');
    expect(await status(old.id)).toBe('cancelled');
    expect(await claims(old.id)).toBe(0);
    expect(await claims(next.id)).toBe(1);
    expect((await audits(old.id, 'appointment.cancel'))[0]!.summary).toMatchObject({ reason: 'rescheduled' });
    const cancelMails = await execRows(ctx.db, sql`SELECT 1 FROM outbox WHERE kind = 'appointment-cancelled' AND to_address = 'um@example.org'`);
    expect(cancelMails).toEqual([]); // moved, not cancelled: no cancellation mail
    // the old time is free again for others
    const wed = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-16', to: '2026-12-16' });
    expect(wed.slots.some((s) => s.start === '2026-12-16T09:00:00+01:00')).toBe(true);
    // the old manage link cannot cancel any more
    await expect(cancelByToken(ctx, old.id, manage)).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('bereits abgesagt') });
    // the reschedule page refuses the used link at once (410) …
    await expect(assertReschedulable(ctx, manage)).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('bereits verlegt') });
    const app = buildApp(ctx);
    const page = await app.request(`/termine?leistung=${MB}&umbuchen=${encodeURIComponent(manage)}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('bereits verlegt');
    // … so does holding a new time with it (the use case checks, not only the page) …
    await expect(holdSlot(ctx, { slotId: day.slots[8]!.id, serviceIds: [MB], replaces: manage })).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('bereits verlegt') });
    // … and the second move started before is refused at confirmation with 409 and that time freed again
    await expect(confirmAppointment(ctx, again.confirm)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('bereits verlegt') });
    expect(await status(again.id)).toBe('cancelled');
    expect(await claims(again.id)).toBe(0);
    expect(await status(next.id)).toBe('confirmed');
  });

  it('refuses forged and expired manage links before holding anything', async () => {
    const old = await book('20261216T0810Z', [MB], 'Falsch Link', 'falsch@example.org');
    const secret = await getSecret(ctx);
    const day = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-18', to: '2026-12-18' });
    const before = Number((await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM appt_slot_claims`))[0]!.n);
    const forged = signToken('nicht-das-geheimnis', 'manage', old.id, new Date('2026-12-17T00:00:00Z'));
    await expect(holdSlot(ctx, { slotId: day.slots[0]!.id, serviceIds: [MB], replaces: forged })).rejects.toMatchObject({ code: 'gone' });
    const expired = signToken(secret, 'manage', old.id, new Date(clock.getTime() - 1000));
    await expect(holdSlot(ctx, { slotId: day.slots[0]!.id, serviceIds: [MB], replaces: expired })).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('abgelaufen') });
    await expect(assertReschedulable(ctx, forged)).rejects.toMatchObject({ code: 'gone' });
    await expect(assertReschedulable(ctx, undefined)).rejects.toMatchObject({ code: 'validation' });
    await cancelByStaff(ctx, admin, old.id);
    await expect(assertReschedulable(ctx, signToken(secret, 'manage', old.id, new Date('2026-12-17T00:00:00Z')))).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('abgesagt') });
    const confirmToken = signToken(secret, 'confirm', old.id, new Date('2026-12-17T00:00:00Z'));
    await expect(holdSlot(ctx, { slotId: day.slots[0]!.id, serviceIds: [MB], replaces: confirmToken })).rejects.toMatchObject({ code: 'gone' });
    expect(Number((await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM appt_slot_claims`))[0]!.n)).toBe(before - 1); // only the cancelled visit's unit went
  });
});

describe('holding a new time with a dead manage link (use case, without the page check)', () => {
  it('cancelled, past or finished appointment → 410 in German; malformed link → 422; nothing is held', async () => {
    const secret = await getSecret(ctx);
    const day = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-18', to: '2026-12-18' });
    const hold = (manage: string) => holdSlot(ctx, { slotId: day.slots[3]!.id, serviceIds: [MB], replaces: manage });
    const held = async () => Number((await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM appt_bookings WHERE status = 'held'`))[0]!.n);
    const before = await held();

    const cancelled = await book('20261216T0830Z', [MB], 'Ab Gesagt', 'abgesagt@example.org');
    const cancelledLink = signToken(secret, 'manage', cancelled.id, new Date('2026-12-17T00:00:00Z'));
    await cancelByToken(ctx, cancelled.id, cancelledLink);
    await expect(hold(cancelledLink)).rejects.toMatchObject({ code: 'gone', message: 'Dieser Termin wurde abgesagt und kann nicht mehr verlegt werden. Bitte buchen Sie neu.' });

    const past = await book('20261216T0840Z', [MB], 'Ver Gangen', 'vergangen@example.org');
    const pastLink = signToken(secret, 'manage', past.id, new Date('2026-12-20T00:00:00Z'));
    const saved = clock;
    clock = new Date('2026-12-16T09:00:00Z'); // after the visit began (link itself still valid)
    try {
      await expect(hold(pastLink)).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('in der Vergangenheit') });
    } finally {
      clock = saved;
    }
    const finished = await book('20261216T0850Z', [MB], 'Er Ledigt', 'erledigt@example.org');
    await setAppointmentStatus(ctx, admin, finished.id, 'done');
    await expect(hold(signToken(secret, 'manage', finished.id, new Date('2026-12-20T00:00:00Z')))).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('abgeschlossen') });

    await expect(hold('kaputt')).rejects.toMatchObject({ code: 'validation', details: { fields: [{ field: 'token', message: expect.stringContaining('unvollständig') }] } });
    expect(await held()).toBe(before);
    // the page answers the same through the use case (POST without a prior GET)
    const app = buildApp(ctx);
    const { headers, csrf } = await csrfHeaders(app, '/termine');
    const res = await app.request('/termine/halten', { method: 'POST', headers, body: new URLSearchParams({ _csrf: csrf, slotId: day.slots[3]!.id, leistung: MB, umbuchen: cancelledLink }) });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('abgesagt und kann nicht mehr verlegt werden');
    expect(await held()).toBe(before);
  });
});

describe('cancel link input: 422 for missing or malformed, 410 for forged, expired, replayed', () => {
  it('use case and HTTP route', async () => {
    const b = await book('20261216T0820Z', [MB], 'Link Test', 'link@example.org');
    const secret = await getSecret(ctx);
    const manage = signToken(secret, 'manage', b.id, new Date('2026-12-17T00:00:00Z'));
    await expect(cancelByToken(ctx, b.id, undefined)).rejects.toMatchObject({ code: 'validation', details: { fields: [{ field: 'token' }] } });
    await expect(cancelByToken(ctx, b.id, '')).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('fehlt') });
    await expect(cancelByToken(ctx, b.id, manage.split('.').slice(0, 3).join('.'))).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('unvollständig') });
    await expect(cancelByToken(ctx, 'kein-termin', manage)).rejects.toMatchObject({ code: 'validation', details: { fields: [{ field: 'id' }] } });
    await expect(cancelByToken(ctx, b.id, manage.slice(0, -2) + 'xx')).rejects.toMatchObject({ code: 'gone' }); // forged
    await expect(cancelByToken(ctx, '00000000-0000-0000-0000-000000000000', manage)).rejects.toMatchObject({ code: 'gone' }); // foreign id
    await expect(cancelByToken(ctx, b.id, signToken(secret, 'manage', b.id, new Date(clock.getTime() - 1)))).rejects.toMatchObject({ code: 'gone', message: 'Der Link ist abgelaufen.' });
    expect(await claims(b.id)).toBe(1);

    const app = buildApp(ctx);
    const del = (q: string) => app.request(`/api/v1/appointments/${q}`, { method: 'DELETE' });
    const missing = await del(b.id);
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { fields: { field: string; message: string }[] }).fields[0]).toMatchObject({ field: 'token', message: expect.stringContaining('fehlt') });
    expect((await del(`${b.id}?token=abc`)).status).toBe(422);
    expect((await del(`${b.id}?token=${encodeURIComponent(manage.slice(0, -2) + 'xx')}`)).status).toBe(410);
    expect((await del(`${b.id}?token=${encodeURIComponent(manage)}`)).status).toBe(200);
    const replay = await del(`${b.id}?token=${encodeURIComponent(manage)}`);
    expect(replay.status).toBe(410);
    expect(((await replay.json()) as { title: string }).title).toContain('bereits abgesagt');
    expect(await claims(b.id)).toBe(0);
  });
});

describe('mass-booking patterns', () => {
  it('by address (cancel-and-rebook cycles), domain, IP and network; freemail domains alone are normal', async () => {
    clock = new Date('2026-12-04T08:00:00Z');
    const day = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-21', to: '2026-12-22' });
    let i = 0;
    const next = () => day.slots[i++]!.id;
    // one address: 3 open (the limit), cancel two, book two more → 5 bookings in 24 h
    const mine = [];
    for (let k = 0; k < 3; k++) mine.push((await bookAppointment(ctx, { slotId: next(), serviceIds: [MB], name: 'Zyklus Bot', email: 'Zyklus@Example.net' })).booking);
    await cancelByStaff(ctx, admin, mine[0]!.id);
    await cancelByStaff(ctx, admin, mine[1]!.id);
    for (let k = 0; k < 2; k++) await bookAppointment(ctx, { slotId: next(), serviceIds: [MB], name: 'Zyklus Bot', email: 'zyklus@example.net' });
    // five different people at one freemail domain: normal
    for (let k = 0; k < 5; k++) await bookAppointment(ctx, { slotId: next(), serviceIds: [MB], name: `Frei Mail ${k}`, email: `frei${k}@web.de` });
    // one IP with five addresses; one /24 network with five IPs
    for (let k = 0; k < 5; k++) await bookAppointment(ctx, { slotId: next(), serviceIds: [MB], name: `Ein Rechner ${k}`, email: `r${k}@web.de` }, { ip: '198.51.100.7' });
    for (let k = 0; k < 5; k++) await bookAppointment(ctx, { slotId: next(), serviceIds: [MB], name: `Netz Bot ${k}`, email: `n${k}@gmx.de` }, { ip: `203.0.113.${10 + k}` });
    // IPv6: five addresses in one /64
    for (let k = 0; k < 5; k++) await bookAppointment(ctx, { slotId: next(), serviceIds: [MB], name: `Sechs Bot ${k}`, email: `s${k}@gmx.de` }, { ip: `2001:db8:1:2::${k + 1}` });
    // staff bookings never count
    for (let k = 0; k < 5; k++) await staffBook(ctx, admin, { slotId: next(), serviceIds: [MB], name: `Telefon ${k}`, email: `tel${k}@amt.example` });

    const p = await bookingPatterns(ctx, clerk);
    const kinds = p.map((x) => `${x.kind}:${x.kind === 'email' || x.kind === 'domain' ? x.key : ''}:${x.n}`).sort();
    expect(kinds).toEqual(['domain:example.net:5', 'email:zyklus@example.net:5', 'ip::5', 'network::5', 'network::5'].sort());
    // networks: 203.0.113.0/24 and 2001:db8:1:2::/64; 198.51.100.0/24 holds one IP only, so it is reported as that IP, not twice
    expect(p.every((x) => !x.key.includes('203.0.113') && !x.key.includes('198.51'))).toBe(true); // only hashes, no addresses
    // 24 hours later the window has passed
    clock = new Date('2026-12-05T08:01:00Z');
    expect(await bookingPatterns(ctx, clerk)).toEqual([]);
    await expect(bookingPatterns(ctx, council)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
