import type { OpeningWindow } from './schema.ts';
import { addDays, daysBetween, localDate, weekdayOf, zonedToUtc } from './time.ts';

/** Everything the pure slot generator needs about one location. */
export interface SlotRules {
  locationId: string;
  timeZone: string;
  openingHours: OpeningWindow[];
  slotMinutes: number;
  /** True when the location is closed all day (holiday or closure). */
  isClosed: (date: string) => boolean;
  workstations: { id: string; serviceIds: readonly string[] }[];
}

export interface SlotQuery {
  serviceIds: readonly string[];
  /** Slot units the visit needs (sum over services). */
  units: number;
  fromDate: string;
  toDate: string;
  /** No slot may start before this instant (now + lead time, window start). */
  earliest: Date;
  /** Taken slot units as `${workstationId}|${epochMs}`. */
  taken?: ReadonlySet<string>;
  /** Same, faster: epoch ms of taken units per workstation. */
  takenBy?: ReadonlyMap<string, ReadonlySet<number>>;
}

export interface GeneratedSlot {
  start: Date;
  end: Date;
  /** Workstations that can take the whole visit at this start, in configured order. */
  workstationIds: string[];
}

export const claimKey = (workstationId: string, start: Date | number): string =>
  `${workstationId}|${typeof start === 'number' ? start : start.getTime()}`;

/** Workstations that serve every requested service. */
export function eligibleWorkstations(rules: SlotRules, serviceIds: readonly string[]) {
  return rules.workstations.filter((w) => serviceIds.every((s) => w.serviceIds.includes(s)));
}

/**
 * Free visit start times between two local dates (inclusive), sorted by start.
 * A visit of `units` slot units fits when all its units lie in one opening window of the
 * day and none of them is taken on that workstation. Pure: no clock, no database.
 */
export function generateSlots(rules: SlotRules, q: SlotQuery): GeneratedSlot[] {
  const out: GeneratedSlot[] = [];
  const ws = eligibleWorkstations(rules, q.serviceIds);
  if (!ws.length || q.units < 1) return out;
  const step = rules.slotMinutes * 60_000;
  const span = daysBetween(q.fromDate, q.toDate);
  const earliest = q.earliest.getTime();
  for (let i = 0; i <= span; i++) {
    const date = addDays(q.fromDate, i);
    if (rules.isClosed(date)) continue;
    const wd = weekdayOf(date);
    const windows = rules.openingHours
      .filter((w) => w.day === wd && w.from < w.to)
      .map((w) => ({ from: zonedToUtc(date, w.from, rules.timeZone).getTime(), to: zonedToUtc(date, w.to, rules.timeZone).getTime() }))
      .sort((a, b) => a.from - b.from);
    for (const win of windows) {
      for (let t = win.from; t + q.units * step <= win.to; t += step) {
        if (t < earliest) continue;
        const free: string[] = [];
        for (const w of ws) {
          let ok = true;
          const set = q.takenBy?.get(w.id);
          for (let u = 0; u < q.units && ok; u++) {
            const at = t + u * step;
            if ((set && set.has(at)) || (q.taken && q.taken.has(claimKey(w.id, at)))) ok = false;
          }
          if (ok) free.push(w.id);
        }
        if (free.length) out.push({ start: new Date(t), end: new Date(t + q.units * step), workstationIds: free });
      }
    }
  }
  // Windows of one day are sorted and days ascend, but overlapping configured windows
  // could repeat a start: dedupe and sort to keep the contract (ordered, unique).
  out.sort((a, b) => a.start.getTime() - b.start.getTime());
  return out.filter((s, i) => i === 0 || s.start.getTime() !== out[i - 1]!.start.getTime());
}

/** The slot unit starts a visit occupies. */
export function unitStarts(start: Date, units: number, slotMinutes: number): Date[] {
  return Array.from({ length: units }, (_, u) => new Date(start.getTime() + u * slotMinutes * 60_000));
}

/** Slot id: `<locationId>.<yyyymmddThhmm>Z.<units>` – enough to book; validated server-side. */
export function encodeSlotId(locationId: string, start: Date, units: number): string {
  const iso = start.toISOString();
  return `${locationId}.${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z.${units}`;
}

export function decodeSlotId(id: string): { locationId: string; start: Date; units: number } | null {
  const m = /^([a-z0-9-]{1,64})\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z\.(\d{1,2})$/.exec(id);
  if (!m) return null;
  const start = new Date(Date.UTC(+m[2]!, +m[3]! - 1, +m[4]!, +m[5]!, +m[6]!));
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 16) !== `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}`) return null;
  const units = Number(m[7]);
  if (units < 1) return null;
  return { locationId: m[1]!, start, units };
}

/** Local date of a slot start (for window checks). */
export const slotDate = (start: Date, tz: string) => localDate(start, tz);
