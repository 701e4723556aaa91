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
  const slots: (PublicSlot & { startAt: Date; date: string })[] = [];
  let servable = false;
  for (const loc of locations) {
    const rules = slotRules(setup, loc, !staff);
    const ws = rules.workstations.filter((w) => serviceIds.every((s) => w.serviceIds.includes(s)));
    if (!ws.length) continue;
    servable = true;
    const windowFrom = staff ? from : [from, addDays(today, loc.windowMinDays)].sort()[1]!;
    const windowTo = staff ? to : [to, addDays(today, loc.windowMaxDays)].sort()[0]!;
    if (windowTo < windowFrom) continue;
    const earliest = staff ? now : new Date(now.getTime() + loc.leadMinutes * 60_000);
    const taken = await repo.takenUnits(ctx.db, ws.map((w) => w.id), zonedToUtc(windowFrom, '00:00', loc.timeZone), zonedToUtc(addDays(windowTo, 1), '00:00', loc.timeZone), now);
    const takenBy = new Map<string, Set<number>>();
    for (const t of taken) {
      let set = takenBy.get(t.workstationId);
      if (!set) takenBy.set(t.workstationId, (set = new Set()));
      set.add(t.slotStart.getTime());
    }
    for (const s of generateSlots(rules, { serviceIds, units, fromDate: windowFrom, toDate: windowTo, earliest, takenBy })) {
      slots.push({
        id: encodeSlotId(loc.id, s.start, units),
        start: isoWithOffset(s.start, loc.timeZone),
        end: isoWithOffset(s.end, loc.timeZone),
        locationId: loc.id,
        startAt: s.start,
        date: localDate(s.start, loc.timeZone),
      });
    }
  }
  if (!servable) {
    throw new AppError('validation', 'Diese Leistungen können nicht zusammen in einem Termin gebucht werden. Bitte buchen Sie getrennte Termine.', {
      fields: [{ field: 'service', message: 'Keine Stelle bietet alle gewählten Leistungen an.' }],
    });
  }
  slots.sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  return { slots: opts.limit ? slots.slice(0, opts.limit) : slots, units, from, to, setup, serviceIds };
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
