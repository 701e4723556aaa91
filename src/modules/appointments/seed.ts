import { writeAudit } from '../../core/audit/index.ts';
import { systemActor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import * as repo from './repository.ts';
import { invalidateSetup } from './rules.ts';
import { DEMO_LOCATION_ID, SEED_SERVICES } from './seed-data.ts';
import { localDate } from './time.ts';

/**
 * Loads the Bürgerbüro of the town config (Beispieldaten): 5 workstations (Schalter 5 kept
 * for walk-ins → 80 % online share), opening hours, services, closures on 24./31.12.
 * Idempotent: an existing location is left as the admin configured it.
 */
export async function seedAppointments(ctx: AppContext): Promise<void> {
  const existing = await repo.listLocations(ctx.db);
  const serviceIds = SEED_SERVICES.map((s) => s.serviceId);
  await ctx.db.transaction(async (tx) => {
    for (const s of SEED_SERVICES) await repo.upsertServiceSetting(tx, s, true);
    if (existing.some((l) => l.id === DEMO_LOCATION_ID)) return;
    const bb = ctx.town.buergerbuero;
    await repo.upsertLocation(tx, {
      id: DEMO_LOCATION_ID,
      name: bb.name,
      address: bb.address,
      timeZone: ctx.town.timeZone,
      openingHours: bb.openingHours,
      holidayCountry: ctx.town.holidayRegion.country,
      holidayState: ctx.town.holidayRegion.state,
      slotMinutes: 10,
      windowMinDays: 1,
      windowMaxDays: 60,
      leadMinutes: 120,
      holdMinutes: 10,
      pendingMinutes: 60,
      maxOpenPerEmail: 3,
      reminderHours: 24,
      demo: bb.demo ?? true,
    });
    for (let i = 1; i <= bb.workstations; i++) {
      await repo.upsertWorkstation(tx, {
        id: `schalter-${i}`,
        locationId: DEMO_LOCATION_ID,
        name: `Schalter ${i}`,
        serviceIds,
        online: i < bb.workstations || bb.workstations === 1,
        active: true,
        sort: i,
      });
    }
    const year = Number(localDate(ctx.now(), ctx.town.timeZone).slice(0, 4));
    for (const y of [year, year + 1]) {
      for (const [d, reason] of [
        [`${y}-12-24`, 'Heiligabend (Beispieldaten)'],
        [`${y}-12-31`, 'Silvester (Beispieldaten)'],
      ] as const) {
        if (!(await repo.closureExists(tx, DEMO_LOCATION_ID, d, d))) await repo.insertClosure(tx, { locationId: DEMO_LOCATION_ID, fromDate: d, toDate: d, reason });
      }
    }
    await writeAudit(tx, { actor: systemActor('seed'), action: 'appointments.seed', objectType: 'appt_location', objectId: DEMO_LOCATION_ID, summary: { workstations: bb.workstations } });
  });
  invalidateSetup(ctx);
}
