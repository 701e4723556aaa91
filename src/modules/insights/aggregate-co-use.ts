import { z } from 'zod';
import { writeAudit } from '../../core/audit/index.ts';
import { systemActor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { DbOrTx } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { berlinWallClock } from '../../core/jobs/schedule.ts';
import { addDays, berlinDate, monthOf, servicePairs } from './pairs.ts';
import { assistantServiceLists, bookingServiceLists, claimDay, incrementPairs, setDayPairs } from './repository.ts';

/** Version of the aggregation rules, stored in the audit summary of each aggregated day. */
export const AGGREGATION_VERSION = 'co-use-1';
/** Days the daily job looks back, so a few days without a worker are caught up. */
export const CATCH_UP_DAYS = 7;

export const SOURCES = ['appointments', 'assistant'] as const;
export type CoUseSource = (typeof SOURCES)[number];

const READERS: Record<CoUseSource, (tx: DbOrTx, from: Date, to: Date) => Promise<string[][]>> = {
  appointments: bookingServiceLists,
  assistant: assistantServiceLists,
};

/**
 * Adds the co-use pairs of one service list (e.g. one booking) to the month of `when`.
 * Only the pair counts are stored. Call it in the caller's transaction.
 */
export async function recordCoUse(tx: DbOrTx, serviceIds: string[], when: Date): Promise<number> {
  const pairs = servicePairs(serviceIds);
  await incrementPairs(tx, pairs, monthOf(when));
  return pairs.length;
}

const dayBounds = (day: string): [Date, Date] => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = addDays(day, 1).split('-').map(Number) as [number, number, number];
  return [berlinWallClock(y, m, d, 0, 0), berlinWallClock(next[0], next[1], next[2], 0, 0)];
};

const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Tag im Format JJJJ-MM-TT');

/**
 * Aggregates one Berlin calendar day from one source, exactly once (the day is claimed in
 * `insights_aggregated_days` in the same transaction). Resolves with the pairs added, or null
 * when the day was aggregated before.
 */
export async function aggregateDay(ctx: AppContext, source: CoUseSource, day: string): Promise<number | null> {
  const parsed = daySchema.safeParse(day);
  if (!parsed.success || !SOURCES.includes(source)) throw new AppError('validation', 'Ungültiger Tag oder ungültige Quelle für die Auswertung.', { day, source });
  if (day >= berlinDate(ctx.now())) throw new AppError('validation', 'Nur abgeschlossene Tage können ausgewertet werden.', { day });
  const [from, to] = dayBounds(day);
  return ctx.db.transaction(async (tx) => {
    if (!(await claimDay(tx, source, day))) return null;
    const lists = await READERS[source](tx, from, to);
    let pairs = 0;
    for (const ids of lists) pairs += await recordCoUse(tx, ids, from);
    await setDayPairs(tx, source, day, pairs);
    await writeAudit(tx, {
      actor: systemActor('insights'),
      action: 'insights.aggregate',
      objectType: 'insights_day',
      objectId: `${source}:${day}`,
      summary: { signals: lists.length, pairs, version: AGGREGATION_VERSION },
    });
    return pairs;
  });
}

/** The daily job: every source, yesterday and the CATCH_UP_DAYS before it (already done days are skipped). */
export async function aggregateRecentDays(ctx: AppContext): Promise<{ source: CoUseSource; day: string; pairs: number }[]> {
  const today = berlinDate(ctx.now());
  const done: { source: CoUseSource; day: string; pairs: number }[] = [];
  for (let i = CATCH_UP_DAYS; i >= 1; i--) {
    const day = addDays(today, -i);
    for (const source of SOURCES) {
      const pairs = await aggregateDay(ctx, source, day);
      if (pairs !== null) done.push({ source, day, pairs });
    }
  }
  return done;
}
