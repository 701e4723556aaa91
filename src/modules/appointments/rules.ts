import type { AppContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { holidayName } from './holidays.ts';
import * as repo from './repository.ts';
import type { SlotRules } from './slots.ts';
import { SEED_SERVICES } from './seed-data.ts';

/** The whole booking configuration, read at once and cached briefly per database handle. */
export interface Setup {
  locations: repo.LocationRow[];
  workstations: repo.WorkstationRow[];
  closures: repo.ClosureRow[];
  services: (repo.ServiceSettingRow & { title: string })[];
}

const TTL_MS = 3000;
const cache = new WeakMap<Db, { at: number; setup: Promise<Setup> }>();

/** Title lookup from the catalog, installed by `index.ts` when the catalog module is present. */
export const catalogTitles: { lookup: ((ctx: AppContext) => Promise<Map<string, string>>) | null } = { lookup: null };

async function readSetup(ctx: AppContext): Promise<Setup> {
  const [locations, workstations, closures, services] = await Promise.all([
    repo.listLocations(ctx.db),
    repo.listWorkstations(ctx.db),
    repo.listClosures(ctx.db),
    repo.listServiceSettings(ctx.db),
  ]);
  let titles = new Map<string, string>();
  try {
    if (catalogTitles.lookup) titles = await catalogTitles.lookup(ctx);
  } catch {
    /* catalog not ready: keep our own titles */
  }
  return { locations, workstations, closures, services: services.map((s) => ({ ...s, title: titles.get(s.serviceId) ?? s.title })) };
}

/** Cached setup (3 s; other instances see changes after at most that long). */
export function getSetup(ctx: AppContext): Promise<Setup> {
  const hit = cache.get(ctx.db);
  const now = Date.now();
  if (hit && now - hit.at < TTL_MS) return hit.setup;
  const setup = readSetup(ctx);
  cache.set(ctx.db, { at: now, setup });
  setup.catch(() => cache.delete(ctx.db));
  return setup;
}

export function invalidateSetup(ctx: AppContext): void {
  cache.delete(ctx.db);
  for (const f of onInvalidate) f(ctx);
}
/** Hooks run on setup changes (the search cache registers itself). */
export const onInvalidate: ((ctx: AppContext) => void)[] = [];

export function closedReason(setup: Setup, loc: repo.LocationRow, date: string): string | null {
  const h = holidayName(loc.holidayCountry, loc.holidayState, date);
  if (h) return `Feiertag: ${h}`;
  const c = setup.closures.find((x) => x.locationId === loc.id && x.fromDate <= date && date <= x.toDate);
  return c ? `Geschlossen: ${c.reason}` : null;
}

/** Slot rules for a location; `online` limits to workstations bookable online. */
export function slotRules(setup: Setup, loc: repo.LocationRow, online: boolean): SlotRules {
  return {
    locationId: loc.id,
    timeZone: loc.timeZone,
    openingHours: loc.openingHours,
    slotMinutes: loc.slotMinutes,
    isClosed: (d) => closedReason(setup, loc, d) !== null,
    workstations: setup.workstations.filter((w) => w.locationId === loc.id && w.active && (!online || w.online)),
  };
}

export function serviceTitle(setup: Setup, id: string): string {
  return setup.services.find((s) => s.serviceId === id)?.title ?? SEED_SERVICES.find((s) => s.serviceId === id)?.title ?? id;
}
