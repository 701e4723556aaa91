import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { applyRetention } from './apply-retention.ts';
import { bookAppointment, staffBook } from './book-appointment.ts';
import { findSlots } from './find-slots.ts';
import { appointmentJobs } from './jobs.ts';
import { module } from './index.ts';
import { recurringFromSpec } from '../../core/jobs/schedule.ts';
import { invalidateSetup } from './rules.ts';
import { seedAppointments } from './seed.ts';
import { statistics } from './staff.ts';
import { joinWaitlist } from './waitlist.ts';

const admin = { type: 'user' as const, id: '00000000-0000-0000-0000-000000000001', roles: ['admin'], department: null };
const MB = 'nom-meldebescheinigung';

let clock = new Date('2026-11-30T08:00:00Z');
let ctx: AppContext;

const personal = () =>
  execRows<{ id: string; name: string | null; email: string | null; phone: string | null; ip_hash: string | null; email_domain: string | null; status: string; service_ids: string[] }>(
    ctx.db,
    sql`SELECT id, name, email, phone, ip_hash, email_domain, status, service_ids FROM appt_bookings ORDER BY start_at`,
  );

beforeAll(async () => {
  ctx = await createTestContext({ LOTSE_CAPTCHA: 'off', LOTSE_RATE_LIMIT: 'off', LOTSE_APPT_RETENTION_DAYS: '30' }, () => clock);
  await seedAppointments(ctx);
});
afterAll(() => ctx.database.close());

describe('GDPR retention of past appointments', () => {
  it('removes personal data 30 days after the appointment, keeps counts for statistics, audits counts only', async () => {
    const dec3 = await findSlots(ctx, { serviceIds: [MB], from: '2026-12-03', to: '2026-12-03' });
    const jan20 = await findSlots(ctx, { serviceIds: [MB], from: '2027-01-20', to: '2027-01-20' });
    const early = await staffBook(ctx, admin, { slotId: dec3.slots[0]!.id, serviceIds: [MB], name: 'Erika Früh', email: 'erika@example.org', phone: '05551 123' });
    await bookAppointment(ctx, { slotId: dec3.slots[3]!.id, serviceIds: [MB], name: 'Paul Pending', email: 'paul@example.org' }, { ip: '203.0.113.7' });
    const late = await staffBook(ctx, admin, { slotId: jan20.slots[0]!.id, serviceIds: [MB], name: 'Lena Spät', email: 'lena@example.org' });
    await joinWaitlist(ctx, { serviceIds: [MB], email: 'warte@example.org', before: '2026-12-04' });
    const statsBefore = await statistics(ctx, admin, undefined, '2026-12-01', '2026-12-31');

    // 29 days after the December appointment: nothing is due yet.
    clock = new Date('2027-01-01T12:00:00Z');
    invalidateSetup(ctx);
    expect(await applyRetention(ctx)).toMatchObject({ anonymised: 0, waitlistDeleted: 0 });

    // 31 days after: the two December bookings lose their personal data, January stays.
    clock = new Date('2027-01-03T12:00:00Z');
    const r = await applyRetention(ctx);
    expect(r).toMatchObject({ anonymised: 2, waitlistDeleted: 1 });
    const rows = await personal();
    const e = rows.find((x) => x.id === early.id)!;
    expect(e).toMatchObject({ name: null, email: null, phone: null, ip_hash: null, email_domain: null, status: 'confirmed', service_ids: [MB] });
    expect(rows.filter((x) => x.name === null && x.email === null).length).toBe(2);
    expect(rows.find((x) => x.id === late.id)).toMatchObject({ name: 'Lena Spät', email: 'lena@example.org' });
    expect((await execRows(ctx.db, sql`SELECT 1 FROM appt_waitlist`)).length).toBe(0);
    // The rows (and thus anonymous counts) remain.
    const statsAfter = await statistics(ctx, admin, undefined, '2026-12-01', '2026-12-31');
    expect(statsAfter.services).toEqual(statsBefore.services);

    // Audit: counts only, no personal data.
    const audit = await execRows<{ actor_type: string; summary: unknown }>(ctx.db, sql`SELECT actor_type, summary FROM audit_log WHERE action = 'appointments.retention'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_type).toBe('system');
    const summary = JSON.stringify(audit[0]!.summary);
    expect(summary).toContain('"anonymised":2');
    expect(summary).not.toMatch(/example\.org|Erika|Paul|05551/);

    // Idempotent: a second run changes nothing and writes no audit entry.
    expect((await applyRetention(ctx)).anonymised).toBe(0);
    expect((await execRows(ctx.db, sql`SELECT 1 FROM audit_log WHERE action = 'appointments.retention'`)).length).toBe(1);
  });

  it('the daily job runs the retention; the core worker keeps it scheduled at 03:30 Europe/Berlin', async () => {
    clock = new Date('2027-03-01T12:00:00Z');
    await appointmentJobs['appointments.retention']!(ctx, {});
    expect((await personal()).every((x) => x.name === null)).toBe(true);
    const spec = module.recurring!.find((r) => r.queue === 'appointments.retention')!;
    expect(recurringFromSpec(spec).nextRunAt(clock).toISOString()).toBe('2027-03-02T02:30:00.000Z');
  });
});
