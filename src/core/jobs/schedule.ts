import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { enqueue } from './index.ts';

/** A job the worker keeps scheduled: at most one pending at a time (by `singletonKey`). */
export interface RecurringJob {
  queue: string;
  singletonKey: string;
  /** When the next run is due, given the current time. */
  nextRunAt(now: Date): Date;
  maxAttempts?: number;
}

const berlinParts = (d: Date) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute) };
};

/** The instant of the given wall-clock time in Europe/Berlin on the given calendar day (CET or CEST). */
export function berlinWallClock(y: number, m: number, d: number, h: number, min: number): Date {
  for (const offset of [1, 2]) {
    const t = new Date(Date.UTC(y, m - 1, d, h - offset, min));
    const p = berlinParts(t);
    if (p.h === h && p.min === min && p.d === new Date(Date.UTC(y, m - 1, d)).getUTCDate()) return t;
  }
  return new Date(Date.UTC(y, m - 1, d, h - 1, min));
}

/** Next occurrence of hh:mm Europe/Berlin strictly after `now`. */
export function nextDailyAt(now: Date, h: number, min = 0): Date {
  const p = berlinParts(now);
  const today = berlinWallClock(p.y, p.m, p.d, h, min);
  if (today > now) return today;
  const tomorrow = new Date(Date.UTC(p.y, p.m - 1, p.d + 1));
  return berlinWallClock(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), h, min);
}

/** Core recurring jobs: the daily maintenance at 03:00 Europe/Berlin. */
export const DEFAULT_RECURRING: RecurringJob[] = [{ queue: 'maintenance.daily', singletonKey: 'recurring:maintenance.daily', nextRunAt: (now) => nextDailyAt(now, 3), maxAttempts: 3 }];

/** A module's recurring job (`LotseModule.recurring`): every n seconds, or daily at HH:MM Europe/Berlin. */
export interface RecurringSpec {
  queue: string;
  everySeconds?: number;
  /** `HH:MM`, wall-clock time in Europe/Berlin (summer/winter time handled). */
  dailyAt?: string;
}

/** The singleton key of a recurring queue (one pending run per queue across all instances). */
export const recurringKey = (queue: string): string => `recurring:${queue}`;

/**
 * Turns a module's spec into a schedule. Interval jobs get one attempt (the next run is the retry);
 * daily jobs three.
 * @throws Error for a spec with neither or both of `everySeconds`/`dailyAt`, or a bad value.
 */
export function recurringFromSpec(spec: RecurringSpec): RecurringJob {
  const { queue, everySeconds, dailyAt } = spec;
  if ((everySeconds === undefined) === (dailyAt === undefined)) throw new Error(`Wiederkehrender Job ${queue}: genau eines von everySeconds oder dailyAt angeben.`);
  if (everySeconds !== undefined) {
    if (!Number.isFinite(everySeconds) || everySeconds < 1) throw new Error(`Wiederkehrender Job ${queue}: everySeconds muss ≥ 1 sein.`);
    return { queue, singletonKey: recurringKey(queue), nextRunAt: (now) => new Date(now.getTime() + everySeconds * 1000), maxAttempts: 1 };
  }
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(dailyAt!);
  if (!m) throw new Error(`Wiederkehrender Job ${queue}: dailyAt „${dailyAt}“ ist keine Uhrzeit HH:MM.`);
  const [h, min] = [Number(m[1]), Number(m[2])];
  return { queue, singletonKey: recurringKey(queue), nextRunAt: (now) => nextDailyAt(now, h, min), maxAttempts: 3 };
}

/**
 * Runs a recurring queue as soon as possible (e.g. the first poll of a newly configured mailbox):
 * moves its pending run to `now`, or queues one under its singleton key. Never makes a second pending run.
 */
export async function runRecurringSoon(db: DbOrTx, queue: string, now: Date = new Date()): Promise<void> {
  const id = await enqueue(db, queue, {}, { singletonKey: recurringKey(queue), runAt: now, maxAttempts: 1 });
  if (id !== null) return;
  await db.execute(sql`UPDATE jobs SET run_at = LEAST(run_at, ${now.toISOString()}::timestamptz) WHERE singleton_key = ${recurringKey(queue)} AND status = 'queued'`);
}

/**
 * Makes sure each recurring job whose queue has a handler is scheduled once. Safe to call from
 * every instance at any time (the singleton index keeps one pending job per key).
 * Resolves with the number of jobs newly queued.
 */
export async function scheduleRecurring(db: DbOrTx, recurring: RecurringJob[], queues: string[], now: Date = new Date()): Promise<number> {
  let n = 0;
  for (const r of recurring) {
    if (!queues.includes(r.queue)) continue;
    const id = await enqueue(db, r.queue, {}, { singletonKey: r.singletonKey, runAt: r.nextRunAt(now), maxAttempts: r.maxAttempts ?? 3 });
    if (id !== null) n++;
  }
  return n;
}
