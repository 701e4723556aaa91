import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { bookAppointment } from './book-appointment.ts';
import { addClosure, formatOpeningHours, removeClosure, saveServiceSetting, saveWorkstation, updateLocation } from './configure.ts';
import { findSlots } from './find-slots.ts';
import { getSetup, invalidateSetup } from './rules.ts';
import { seedAppointments } from './seed.ts';

const admin = { type: 'user' as const, id: '00000000-0000-0000-0000-000000000001', roles: ['admin'], department: null };
const clerk = { type: 'user' as const, id: '00000000-0000-0000-0000-000000000002', roles: ['clerk'], department: null };
const MB = 'nom-meldebescheinigung';
const LOC = 'buergerbuero';

let clock = new Date('2026-11-30T08:00:00Z'); // Monday 09:00 Berlin
let ctx: AppContext;

async function location() {
  invalidateSetup(ctx);
  return (await getSetup(ctx)).locations.find((l) => l.id === LOC)!;
}
/** The location form as the setup page sends it (all strings, opening hours as German text). */
async function form(over: Record<string, string> = {}) {
  const l = await location();
  return {
    name: l.name,
    address: l.address,
    openingHours: formatOpeningHours(l.openingHours),
    slotMinutes: String(l.slotMinutes),
    windowMinDays: String(l.windowMinDays),
    windowMaxDays: String(l.windowMaxDays),
    leadMinutes: String(l.leadMinutes),
    holdMinutes: String(l.holdMinutes),
    pendingMinutes: String(l.pendingMinutes),
    maxOpenPerEmail: String(l.maxOpenPerEmail),
    maxOpenPerPhone: String(l.maxOpenPerPhone),
    reminderHours: String(l.reminderHours),
    ...over,
  } as Parameters<typeof updateLocation>[3];
}
const times = async (serviceIds: string[], date: string) => (await findSlots(ctx, { serviceIds, from: date, to: date })).slots.map((s) => s.start.slice(11, 16));
const audits = async (action: string, objectId?: string) =>
  execRows<{ actor_id: string; summary: Record<string, unknown> }>(
    ctx.db,
    sql`SELECT actor_id, summary FROM audit_log WHERE action = ${action} ${objectId ? sql`AND object_id = ${objectId}` : sql``} ORDER BY seq`,
  );

beforeAll(async () => {
  ctx = await createTestContext({ LOTSE_CAPTCHA: 'off', LOTSE_RATE_LIMIT: 'off' }, () => clock);
  await seedAppointments(ctx);
});
afterAll(() => ctx.database.close());
beforeEach(() => {
  clock = new Date('2026-11-30T08:00:00Z');
  invalidateSetup(ctx);
});

describe('saving the location (opening hours)', () => {
  it('shows the seeded hours in German and accepts them back unchanged', async () => {
    const f = await form();
    expect(f.openingHours).toBe('Mo, Mi 08:00–12:30\nDi 08:00–12:30, 14:00–16:00\nDo 08:00–12:30, 14:00–18:00\nFr 08:00–12:00');
    const before = (await location()).openingHours;
    await updateLocation(ctx, admin, LOC, f);
    expect((await location()).openingHours).toEqual(before);
  });

  it('a new split day on Friday: the slot search follows at once', async () => {
    const fri = '2026-12-04';
    expect((await times([MB], fri)).includes('10:30')).toBe(true);
    const f = await form();
    await updateLocation(ctx, admin, LOC, { ...f, openingHours: f.openingHours.replace('Fr 08:00–12:00', 'Freitag 08:00–10:00, 14:00–15:00') });
    const t = await times([MB], fri);
    expect(t[0]).toBe('08:00');
    expect(t).not.toContain('10:00');
    expect(t).not.toContain('12:00');
    expect(t.filter((x) => x >= '14:00')).toEqual(['14:00', '14:10', '14:20', '14:30', '14:40', '14:50']);
    expect(t.length).toBe(12 + 6);
    const [a] = (await audits('appointments.location.update', LOC)).slice(-1);
    expect(a).toMatchObject({ actor_id: admin.id, summary: { changed: ['openingHours'] } });
    // English codes still work; the stored value is then shown in German again
    await updateLocation(ctx, admin, LOC, { ...f, openingHours: 'mon 08:00-12:30\ntue 08:00-12:30\ntue 14:00-16:00\nwed 08:00-12:30\nthu 08:00-12:30\nthu 14:00-18:00\nfri 08:00-12:00' });
    expect((await form()).openingHours).toBe(f.openingHours);
    expect((await times([MB], fri)).at(-1)).toBe('11:50');
  });

  it('overlapping, malformed or empty hours → 422 with a German message naming line and day; nothing saved', async () => {
    const before = (await location()).openingHours;
    const n = (await audits('appointments.location.update')).length;
    const f = await form();
    await expect(updateLocation(ctx, admin, LOC, { ...f, openingHours: 'Mo–Fr 08:00–12:30\nDi 12:00–16:00' })).rejects.toMatchObject({
      code: 'validation',
      message: 'Zeile 1 und Zeile 2: Die Zeiten am Dienstag überschneiden sich (08:00–12:30 und 12:00–16:00).',
      details: { fields: [{ field: 'openingHours', message: expect.stringContaining('Dienstag') }] },
    });
    await expect(updateLocation(ctx, admin, LOC, { ...f, openingHours: 'Mo 08:00–12:00\nMitwoch 08:00–12:00' })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/^Zeile 2: .*Wochentag „Mitwoch“ nicht erkannt/),
    });
    await expect(updateLocation(ctx, admin, LOC, { ...f, openingHours: 'Do 16:00–09:00' })).rejects.toMatchObject({ message: expect.stringMatching(/^Zeile 1: .*Beginn 16:00 liegt nicht vor dem Ende 09:00/) });
    await expect(updateLocation(ctx, admin, LOC, { ...f, openingHours: '  \n' })).rejects.toMatchObject({ message: expect.stringContaining('mindestens ein Zeitfenster') });
    await expect(updateLocation(ctx, admin, LOC, { ...f, windowMinDays: '10', windowMaxDays: '5' })).rejects.toMatchObject({ code: 'validation', details: { fields: [{ field: 'windowMaxDays' }] } });
    await expect(updateLocation(ctx, admin, LOC, { ...f, slotMinutes: '7' })).rejects.toMatchObject({ code: 'validation', details: { fields: [{ field: 'slotMinutes' }] } });
    await expect(updateLocation(ctx, admin, 'gibt-es-nicht', f)).rejects.toMatchObject({ code: 'not_found' });
    expect((await location()).openingHours).toEqual(before);
    expect((await audits('appointments.location.update')).length).toBe(n);
  });
});

describe('saving the location (open bookings per phone number)', () => {
  it('the limit is saved (audit names the field), enforced at once; invalid values → 422 in German, nothing saved', async () => {
    expect((await form()).maxOpenPerPhone).toBe('3');
    const n = (await audits('appointments.location.update')).length;
    for (const bad of ['0', '51', '2.5', 'drei', '']) {
      await expect(updateLocation(ctx, admin, LOC, await form({ maxOpenPerPhone: bad }))).rejects.toMatchObject({
        code: 'validation',
        details: { fields: [{ field: 'maxOpenPerPhone', message: 'Offene Termine je Telefonnummer: bitte eine ganze Zahl von 1 bis 50 angeben.' }] },
      });
    }
    expect((await audits('appointments.location.update')).length).toBe(n);
    expect((await location()).maxOpenPerPhone).toBe(3);

    await updateLocation(ctx, admin, LOC, await form({ maxOpenPerPhone: '1' }));
    expect((await location()).maxOpenPerPhone).toBe(1);
    const [a] = (await audits('appointments.location.update', LOC)).slice(-1);
    expect(a).toMatchObject({ actor_id: admin.id, summary: { changed: ['maxOpenPerPhone'] } });
    // a caller that leaves the field out keeps the stored value
    const { maxOpenPerPhone: _omit, ...rest } = await form();
    await updateLocation(ctx, admin, LOC, rest);
    expect((await location()).maxOpenPerPhone).toBe(1);

    const date = '2026-12-15';
    const slots = (await findSlots(ctx, { serviceIds: [MB], from: date, to: date })).slots;
    await bookAppointment(ctx, { slotId: slots[0]!.id, serviceIds: [MB], name: 'Tele Fon', email: 'limit1@example.org', phone: '05551 777 888' });
    await expect(bookAppointment(ctx, { slotId: slots[3]!.id, serviceIds: [MB], name: 'Tele Fon', email: 'limit2@example.org', phone: '+49 5551 777888' })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Telefonnummer'),
      details: { fields: [{ field: 'phone' }] },
    });
    await updateLocation(ctx, admin, LOC, await form({ maxOpenPerPhone: '3' }));
    await bookAppointment(ctx, { slotId: slots[3]!.id, serviceIds: [MB], name: 'Tele Fon', email: 'limit2@example.org', phone: '+49 5551 777888' });
  });
});

describe('workstations and services', () => {
  const ws = async (id: string) => {
    invalidateSetup(ctx);
    const w = (await getSetup(ctx)).workstations.find((x) => x.id === id)!;
    return { id: w.id, locationId: w.locationId, name: w.name, serviceIds: w.serviceIds, online: w.online, active: w.active, sort: w.sort };
  };

  it('switching workstations offline lowers the online capacity of a slot', async () => {
    const date = '2026-12-07';
    const first = (await findSlots(ctx, { serviceIds: [MB], from: date, to: date })).slots[0]!;
    for (const id of ['schalter-2', 'schalter-3', 'schalter-4']) await saveWorkstation(ctx, admin, { ...(await ws(id)), online: false });
    const a = await audits('appointments.workstation.save', 'schalter-3');
    expect(a.at(-1)).toMatchObject({ actor_id: admin.id, summary: { online: false, active: true } });
    // only Schalter 1 is bookable online now: one booking fills the slot
    await bookAppointment(ctx, { slotId: first.id, serviceIds: [MB], name: 'Erste Person', email: 'erste@example.org' });
    const after = await findSlots(ctx, { serviceIds: [MB], from: date, to: date });
    expect(after.slots.some((s) => s.start === first.start)).toBe(false);
    await expect(bookAppointment(ctx, { slotId: first.id, serviceIds: [MB], name: 'Zweite Person', email: 'zweite@example.org' })).rejects.toMatchObject({ code: 'conflict' });
    // back online: the same time is offered again (three workstations free)
    for (const id of ['schalter-2', 'schalter-3', 'schalter-4']) await saveWorkstation(ctx, admin, { ...(await ws(id)), online: true });
    const again = await findSlots(ctx, { serviceIds: [MB], from: date, to: date });
    expect(again.slots.some((s) => s.start === first.start)).toBe(true);
  });

  it('a workstation that no longer serves a service is not offered for it', async () => {
    const date = '2026-12-08';
    const slot = (await findSlots(ctx, { serviceIds: [MB], from: date, to: date })).slots[0]!;
    for (const id of ['schalter-1', 'schalter-2', 'schalter-3']) {
      const w = await ws(id);
      await saveWorkstation(ctx, admin, { ...w, serviceIds: w.serviceIds.filter((s) => s !== MB) });
    }
    const b = await bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], name: 'Nur Vier', email: 'vier@example.org' });
    expect(b.booking.workstationId).toBe('schalter-4');
    expect((await findSlots(ctx, { serviceIds: [MB], from: date, to: date })).slots.some((s) => s.start === slot.start)).toBe(false);
    for (const id of ['schalter-1', 'schalter-2', 'schalter-3']) {
      const w = await ws(id);
      await saveWorkstation(ctx, admin, { ...w, serviceIds: [...w.serviceIds, MB] });
    }
  });

  it('a workstation with open bookings cannot be taken out of service (they would vanish from the calendar)', async () => {
    const date = '2026-12-09';
    const slot = (await findSlots(ctx, { serviceIds: [MB], from: date, to: date })).slots[0]!;
    const b = await bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], name: 'Offen Termin', email: 'offen@example.org' });
    const w = await ws(b.booking.workstationId);
    await expect(saveWorkstation(ctx, admin, { ...w, active: false })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(new RegExp(`^${w.name} hat noch (einen offenen Termin|\\d+ offene Termine) \\(erster am 0[79]\\.12\\.2026\\)\\. Bitte zuerst absagen`)),
      details: { fields: [{ field: 'active' }] },
    });
    expect((await ws(w.id)).active).toBe(true);
    await saveWorkstation(ctx, admin, { ...w, online: false }); // offline is fine: the booking stays
    await saveWorkstation(ctx, admin, { ...w, online: true });
    const idle = await ws('schalter-5');
    await saveWorkstation(ctx, admin, { ...idle, active: false }); // no bookings: allowed
    expect((await ws('schalter-5')).active).toBe(false);
    await saveWorkstation(ctx, admin, { ...idle, active: true });
    await expect(saveWorkstation(ctx, admin, { ...idle, locationId: 'standesamt' })).rejects.toMatchObject({ code: 'validation' });
  });

  it('rejects unknown locations, services and malformed ids with 422', async () => {
    const w = await ws('schalter-1');
    await expect(saveWorkstation(ctx, admin, { ...w, locationId: 'nirgendwo' })).rejects.toMatchObject({ code: 'validation', message: 'Unbekannter Standort.' });
    await expect(saveWorkstation(ctx, admin, { ...w, serviceIds: ['gibt-es-nicht'] })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('Unbekannte Leistung') });
    await expect(saveWorkstation(ctx, admin, { ...w, id: 'Schalter 1!' })).rejects.toMatchObject({ code: 'validation', details: { fields: [{ field: 'id' }] } });
  });

  it('changing the duration units of a service changes the slots; audit written', async () => {
    const fri = '2026-12-11';
    const s = (await getSetup(ctx)).services.find((x) => x.serviceId === MB)!;
    expect((await times([MB], fri)).at(-1)).toBe('11:50');
    const n1 = (await times([MB], fri)).length;
    await saveServiceSetting(ctx, admin, { serviceId: MB, title: s.title, slots: 3, bookable: true, bring: s.bring, sort: s.sort });
    const r = await findSlots(ctx, { serviceIds: [MB], from: fri, to: fri });
    expect(r.units).toBe(3);
    expect(r.slots.at(-1)!.start.slice(11, 16)).toBe('11:30');
    expect(r.slots.at(-1)!.end.slice(11, 16)).toBe('12:00');
    expect(r.slots.length).toBe(n1 - 2);
    expect((await audits('appointments.service.save', MB)).at(-1)).toMatchObject({ actor_id: admin.id, summary: { slots: 3, bookable: true } });
    await expect(saveServiceSetting(ctx, admin, { serviceId: MB, title: s.title, slots: 0, bookable: true })).rejects.toMatchObject({
      code: 'validation',
      details: { fields: [{ field: 'slots', message: 'Mindestens eine Zeiteinheit.' }] },
    });
    // not bookable online any more → 422 for citizens
    await saveServiceSetting(ctx, admin, { serviceId: MB, title: s.title, slots: 1, bookable: false, bring: s.bring, sort: s.sort });
    await expect(findSlots(ctx, { serviceIds: [MB], from: fri, to: fri })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('kann kein Termin online gebucht werden') });
    await saveServiceSetting(ctx, admin, { serviceId: MB, title: s.title, slots: 1, bookable: true, bring: s.bring, sort: s.sort });
    expect((await times([MB], fri)).at(-1)).toBe('11:50');
  });
});

describe('closures', () => {
  it('adding closes the day, removing opens it again; each writes audit; unknown id → 404', async () => {
    const wed = '2026-12-16';
    expect((await times([MB], wed)).length).toBeGreaterThan(0);
    const { id, affected } = await addClosure(ctx, admin, { locationId: LOC, fromDate: wed, toDate: wed, reason: 'Schulung' });
    expect(affected).toBe(0);
    expect(await times([MB], wed)).toEqual([]);
    await removeClosure(ctx, admin, id);
    expect((await times([MB], wed)).length).toBeGreaterThan(0);
    expect(await audits('appointments.closure.add', id)).toHaveLength(1);
    expect(await audits('appointments.closure.remove', id)).toHaveLength(1);
    await expect(removeClosure(ctx, admin, id)).rejects.toMatchObject({ code: 'not_found', message: 'Die Schließung wurde nicht gefunden.' });
    await expect(removeClosure(ctx, admin, 'kaputt')).rejects.toMatchObject({ code: 'not_found' });
    // a closure over a booked day reports the bookings (they stay until the staff cancel them)
    const fri = '2026-12-18';
    const slot = (await findSlots(ctx, { serviceIds: [MB], from: fri, to: fri })).slots[0]!;
    await bookAppointment(ctx, { slotId: slot.id, serviceIds: [MB], name: 'Trotz Zu', email: 'trotz@example.org' });
    const c2 = await addClosure(ctx, admin, { locationId: LOC, fromDate: '2026-12-17', toDate: fri, reason: 'Umzug' });
    expect(c2.affected).toBe(1);
    expect((await audits('appointments.closure.add', c2.id))[0]!.summary).toEqual({ from: '2026-12-17', to: fri, affected: 1 });
    await removeClosure(ctx, admin, c2.id);
    await expect(addClosure(ctx, admin, { locationId: 'nirgendwo', fromDate: fri, toDate: fri, reason: 'Nirgends' })).rejects.toMatchObject({ code: 'validation', message: 'Unbekannter Standort.' });
    await expect(addClosure(ctx, admin, { locationId: LOC, fromDate: '2026-12-20', toDate: '2026-12-19', reason: 'Rückwärts' })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('Ende liegt vor dem Beginn') });
  });
});

describe('permissions', () => {
  it('a clerk (no appointments.configure) may change nothing; nothing is written', async () => {
    const f = await form();
    const w = (await getSetup(ctx)).workstations[0]!;
    const closure = (await getSetup(ctx)).closures[0]!;
    const n = Number((await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n);
    const forbidden = { code: 'forbidden', message: 'Dafür fehlt Ihnen die Berechtigung.' };
    await expect(updateLocation(ctx, clerk, LOC, { ...f, openingHours: 'Mo 08:00–09:00' })).rejects.toMatchObject(forbidden);
    await expect(saveWorkstation(ctx, clerk, { id: w.id, locationId: w.locationId, name: w.name, serviceIds: [], online: false, active: false })).rejects.toMatchObject(forbidden);
    await expect(saveServiceSetting(ctx, clerk, { serviceId: MB, title: 'X X', slots: 9, bookable: false })).rejects.toMatchObject(forbidden);
    await expect(addClosure(ctx, clerk, { locationId: LOC, fromDate: '2026-12-21', toDate: '2026-12-21', reason: 'Nein' })).rejects.toMatchObject(forbidden);
    await expect(removeClosure(ctx, clerk, closure.id)).rejects.toMatchObject(forbidden);
    await expect(saveWorkstation(ctx, { type: 'citizen' } as never, { id: w.id, locationId: w.locationId, name: w.name, serviceIds: [], online: false, active: false })).rejects.toMatchObject(forbidden);
    expect(Number((await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log`))[0]!.n)).toBe(n);
    expect((await form()).openingHours).toBe(f.openingHours);
  });
});
