import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import * as repo from './repository.ts';
import { closedReason, getSetup, onInvalidate, slotRules, type Setup } from './rules.ts';
import { encodeSlotId, generateSlots } from './slots.ts';
import { addDays, daysBetween, isIsoDate, isoWithOffset, localDate, zonedToUtc } from './time.ts';

export const MAX_SEARCH_DAYS = 62;

const isoDate = z.string().refine(isIsoDate, 'Bitte ein Datum im Format JJJJ-MM-TT angeben.');

export const findSlotsSchema = z.object({
  serviceIds: z.array(z.string().min(1).max(100)).min(1, 'Bitte mindestens eine Leistung wählen.').max(5, 'Höchstens fünf Leistungen pro Termin.'),
  from: isoDate.optional(),
  to: isoDate.optional(),
  locationId: z.string().optional(),
});
export type FindSlotsInput = z.input<typeof findSlotsSchema>;

export interface PublicSlot {
  id: string;
  start: string;
  end: string;
  locationId: string;
}

/** Validates the services of a visit and returns the slot units they need together. */
export function unitsFor(setup: Setup, serviceIds: readonly string[], staff = false): number {
  const unique = [...new Set(serviceIds)];
  const fields: { field: string; message: string }[] = [];
  let units = 0;
  unique.forEach((id) => {
    const s = setup.services.find((x) => x.serviceId === id);
    if (!s) fields.push({ field: 'service', message: `Unbekannte Leistung „${id.slice(0, 60)}“.` });
    else if (!s.bookable && !staff) fields.push({ field: 'service', message: `Für „${s.title}“ kann kein Termin online gebucht werden.` });
    else units += s.slots;
  });
  if (fields.length) throw new AppError('validation', fields[0]!.message, { fields });
  return units;
}

type SlotResult = Awaited<ReturnType<typeof computeSlots>>;

/** A bookable start of a day's opening-hour grid; shared and immutable (cached), never mutate. */
export interface GridSlot extends PublicSlot {
  startAt: Date;
  date: string;
  /** The slot as compact JSON (API contract fields only), built once. */
  json: string;
}

/**
 * Opening-hour grid per location, day and visit length: every start where the whole visit fits
 * into one opening window (holidays/closures give an empty day). Cached per configuration
 * fingerprint (location row + its closures), so the grid survives the 3-s setup refresh and is
 * rebuilt only when the configuration changes.
 */
const gridCache = new Map<string, Map<string, readonly GridSlot[]>>();
const fingerprints = new WeakMap<Setup, Map<string, string>>();
function fingerprint(setup: Setup, loc: repo.LocationRow): string {
  let m = fingerprints.get(setup);
  if (!m) fingerprints.set(setup, (m = new Map()));
  let f = m.get(loc.id);
  if (f === undefined) {
    f = JSON.stringify([loc, setup.closures.filter((c) => c.locationId === loc.id)]);
    m.set(loc.id, f);
  }
  return f;
}
export function dayGrid(setup: Setup, loc: repo.LocationRow, date: string, units: number): readonly GridSlot[] {
  const fp = fingerprint(setup, loc);
  let m = gridCache.get(fp);
  if (!m) {
    if (gridCache.size > 20) gridCache.clear();
    gridCache.set(fp, (m = new Map()));
  }
  const key = `${date}|${units}`;
  let g = m.get(key);
  if (!g) {
    if (m.size > 20_000) m.clear();
    const rules = { ...slotRules(setup, loc, false), workstations: [{ id: '*', serviceIds: [] }] };
    g = generateSlots(rules, { serviceIds: [], units, fromDate: date, toDate: date, earliest: new Date(0) }).map((s) => {
      const slot = { id: encodeSlotId(loc.id, s.start, units), start: isoWithOffset(s.start, loc.timeZone), end: isoWithOffset(s.end, loc.timeZone), locationId: loc.id };
      return { ...slot, startAt: s.start, date, json: JSON.stringify(slot) };
    });
    m.set(key, g);
  }
  return g;
}

/**
 * Micro-cache for public searches (release rush: thousands of identical queries per second).
 * An entry lives 1 s and is dropped on every booking/cancel in this instance; other instances
 * may show a slot up to 1 s longer – booking it then answers a clean 409.
 */
const SEARCH_TTL_MS = 1000;
const searchCache = new WeakMap<object, Map<string, { at: number; result: Promise<SlotResult> }>>();

/** Drops cached searches (called after bookings and cancellations). */
export function invalidateSearches(ctx: AppContext): void {
  searchCache.delete(ctx.db);
}
onInvalidate.push(invalidateSearches);

/**
 * Free appointment times for one or more services (durations add up), earliest first.
 * Respects opening hours, holidays, closures, lead time and booking window (online).
 */
export async function findSlots(ctx: AppContext, input: FindSlotsInput, opts: { staff?: boolean; limit?: number } = {}) {
  const parsed = findSlotsSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  if (opts.staff) return computeSlots(ctx, parsed.data, opts);
  const key = JSON.stringify([[...parsed.data.serviceIds].sort(), parsed.data.from, parsed.data.to, parsed.data.locationId, opts.limit, Math.floor(ctx.now().getTime() / 60_000)]);
  let m = searchCache.get(ctx.db);
  if (!m) searchCache.set(ctx.db, (m = new Map()));
  const now = Date.now();
  const hit = m.get(key);
  if (hit && now - hit.at < SEARCH_TTL_MS) return hit.result;
  if (m.size > 500) m.clear();
  const result = computeSlots(ctx, parsed.data, opts);
  m.set(key, { at: now, result });
  result.catch(() => m.delete(key));
  return result;
}

async function computeSlots(ctx: AppContext, q: z.output<typeof findSlotsSchema>, opts: { staff?: boolean; limit?: number }) {
  const setup = await getSetup(ctx);
  const staff = opts.staff ?? false;
  const serviceIds = [...new Set(q.serviceIds)];
  const units = unitsFor(setup, serviceIds, staff);
  const now = ctx.now();
  const locations = setup.locations.filter((l) => !q.locationId || l.id === q.locationId);
  if (!locations.length) throw new AppError('validation', 'Unbekannter Standort.', { fields: [{ field: 'locationId', message: 'Unbekannter Standort.' }] });
  const tz = locations[0]!.timeZone;
  const today = localDate(now, tz);
  const from = q.from ?? today;
  if (from < today) throw new AppError('validation', 'Das Startdatum liegt in der Vergangenheit.', { fields: [{ field: 'from', message: 'Das Datum liegt in der Vergangenheit.' }] });
  const to = q.to ?? addDays(from, 27);
  if (to < from) throw new AppError('validation', 'Das Enddatum liegt vor dem Startdatum.', { fields: [{ field: 'to', message: 'Das Enddatum liegt vor dem Startdatum.' }] });
  if (daysBetween(from, to) > MAX_SEARCH_DAYS) {
    throw new AppError('validation', `Bitte höchstens ${MAX_SEARCH_DAYS} Tage auf einmal abfragen.`, { fields: [{ field: 'to', message: `Zeitraum zu lang (höchstens ${MAX_SEARCH_DAYS} Tage).` }] });
  }
  const slots: GridSlot[] = [];
  let servable = false;
  for (const loc of locations) {
    const rules = slotRules(setup, loc, !staff);
    const ws = rules.workstations.filter((w) => serviceIds.every((s) => w.serviceIds.includes(s)));
    if (!ws.length) continue;
    servable = true;
    const windowFrom = staff ? from : [from, addDays(today, loc.windowMinDays)].sort()[1]!;
    const windowTo = staff ? to : [to, addDays(today, loc.windowMaxDays)].sort()[0]!;
    if (windowTo < windowFrom) continue;
    const earliest = (staff ? now : new Date(now.getTime() + loc.leadMinutes * 60_000)).getTime();
    // One indexed range query on the claims; taken units become one bitmap per workstation.
    const rangeStart = zonedToUtc(windowFrom, '00:00', loc.timeZone).getTime();
    const rangeEnd = zonedToUtc(addDays(windowTo, 1), '00:00', loc.timeZone).getTime();
    const taken = await repo.takenEpochs(ctx.db, ws.map((w) => w.id), new Date(rangeStart), new Date(rangeEnd));
    // Index = minutes since the range start (claims and grid starts are whole minutes).
    const size = Math.ceil((rangeEnd - rangeStart) / 60_000) + 1;
    const wsIndex = new Map(ws.map((w, i) => [w.id, i]));
    const bitmaps: (Uint8Array | null)[] = ws.map(() => null);
    for (const t of taken) {
      const i = wsIndex.get(t.w);
      const u = Math.floor((t.t - rangeStart) / 60_000);
      if (i === undefined || u < 0 || u >= size) continue;
      (bitmaps[i] ??= new Uint8Array(size))[u] = 1;
    }
    const free = bitmaps.some((b) => b === null); // a workstation without any claim takes every slot
    for (let d = windowFrom; d <= windowTo; d = addDays(d, 1)) {
      for (const g of dayGrid(setup, loc, d, units)) {
        if (g.startAt.getTime() < earliest) continue;
        if (!free) {
          const u0 = Math.round((g.startAt.getTime() - rangeStart) / 60_000);
          let fits = false;
          for (let i = 0; i < bitmaps.length && !fits; i++) {
            const b = bitmaps[i]!;
            fits = true;
            for (let u = 0; u < units; u++) {
              if (b[u0 + u * loc.slotMinutes]) {
                fits = false;
                break;
              }
            }
          }
          if (!fits) continue;
        }
        slots.push(g);
      }
    }
  }
  if (!servable) {
    throw new AppError('validation', 'Diese Leistungen können nicht zusammen in einem Termin gebucht werden. Bitte buchen Sie getrennte Termine.', {
      fields: [{ field: 'service', message: 'Keine Stelle bietet alle gewählten Leistungen an.' }],
    });
  }
  if (locations.length > 1) slots.sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  return { slots: opts.limit ? slots.slice(0, opts.limit) : slots, units, from, to, setup, serviceIds };
}

const bodies = new WeakMap<object, string>();
/** The API body `{"slots":[…]}` of a search result, built from the cached per-slot JSON (memoised per result). */
export function slotsJson(r: SlotResult): string {
  let b = bodies.get(r);
  if (b === undefined) {
    b = `{"slots":[${r.slots.map((s) => s.json).join(',')}]}`;
    bodies.set(r, b);
  }
  return b;
}

/** Days in a range with the reason they are closed (holiday/closure), for the calendar view. */
export function closedDays(setup: Setup, locationId: string, from: string, to: string): Map<string, string> {
  const loc = setup.locations.find((l) => l.id === locationId);
  const out = new Map<string, string>();
  if (!loc) return out;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const r = closedReason(setup, loc, d);
    if (r) out.set(d, r);
  }
  return out;
}
