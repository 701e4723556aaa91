/** All SQL of the insights module. Reads of other modules' tables are read-only and listed here. */
import { sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../core/db/index.ts';

/** Adds `n` to each pair of the month. LEAST/GREATEST keep the order in the database's own collation. */
export async function incrementPairs(tx: DbOrTx, pairs: [string, string][], month: string, n = 1): Promise<void> {
  if (!pairs.length) return;
  // Merge duplicates first: one statement may not update the same row twice.
  const merged = new Map<string, { a: string; b: string; n: number }>();
  for (const [a, b] of pairs) {
    const key = `${a}\u0000${b}`;
    const e = merged.get(key);
    if (e) e.n += n;
    else merged.set(key, { a, b, n });
  }
  const values = sql.join(
    [...merged.values()].map((p) => sql`(LEAST(${p.a}::text, ${p.b}::text), GREATEST(${p.a}::text, ${p.b}::text), ${month}::date, ${p.n}::int)`),
    sql`, `,
  );
  await tx.execute(sql`
    INSERT INTO service_co_use (service_a, service_b, month, count) VALUES ${values}
    ON CONFLICT (service_a, service_b, month) DO UPDATE SET count = service_co_use.count + EXCLUDED.count`);
}

/** Claims a (source, day) for aggregation; false when it was aggregated before (idempotency). */
export async function claimDay(tx: DbOrTx, source: string, day: string): Promise<boolean> {
  const rows = await execRows(tx, sql`INSERT INTO insights_aggregated_days (source, day) VALUES (${source}, ${day}::date) ON CONFLICT DO NOTHING RETURNING day`);
  return rows.length > 0;
}

export async function setDayPairs(tx: DbOrTx, source: string, day: string, pairs: number): Promise<void> {
  await tx.execute(sql`UPDATE insights_aggregated_days SET pairs = ${pairs} WHERE source = ${source} AND day = ${day}::date`);
}

/**
 * Read-only: service lists of multi-service appointments confirmed on the Berlin day [from, to).
 * Only the service ids leave the query – no booking id, person or time. Reschedules (replaces_id)
 * and bookings that never got confirmed are left out.
 */
export async function bookingServiceLists(tx: DbOrTx, from: Date, to: Date): Promise<string[][]> {
  const rows = await execRows<{ ids: string[] }>(
    tx,
    sql`SELECT service_ids AS ids FROM appt_bookings
        WHERE confirmed_at >= ${from.toISOString()}::timestamptz AND confirmed_at < ${to.toISOString()}::timestamptz
          AND replaces_id IS NULL AND status NOT IN ('held', 'pending', 'expired')
          AND cardinality(service_ids) >= 2`,
  );
  return rows.map((r) => r.ids);
}

/**
 * Read-only: per assistant conversation of the day, the distinct services its answered (not refused)
 * questions were about. Only service ids leave the query.
 */
export async function assistantServiceLists(tx: DbOrTx, from: Date, to: Date): Promise<string[][]> {
  const rows = await execRows<{ ids: string[] }>(
    tx,
    sql`SELECT array_agg(DISTINCT top_service_id) AS ids FROM assistant_questions
        WHERE created_at >= ${from.toISOString()}::timestamptz AND created_at < ${to.toISOString()}::timestamptz
          AND conversation_id IS NOT NULL AND NOT refused AND top_service_id IS NOT NULL
        GROUP BY conversation_id HAVING count(DISTINCT top_service_id) >= 2`,
  );
  return rows.map((r) => r.ids);
}

/** Services used together with `serviceId` since `fromMonth`, summed, at least `minCount`. */
export async function partnersOf(db: DbOrTx, serviceId: string, fromMonth: string, minCount: number, limit: number): Promise<{ id: string; count: number }[]> {
  const rows = await execRows<{ id: string; count: string | number }>(
    db,
    sql`SELECT other AS id, sum(count) AS count FROM (
          SELECT service_b AS other, count FROM service_co_use WHERE service_a = ${serviceId} AND month >= ${fromMonth}::date
          UNION ALL
          SELECT service_a AS other, count FROM service_co_use WHERE service_b = ${serviceId} AND month >= ${fromMonth}::date
        ) x GROUP BY other HAVING sum(count) >= ${minCount} ORDER BY sum(count) DESC, other LIMIT ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, count: Number(r.count) }));
}

/** The most frequent pairs since `fromMonth`, at least `minCount`. */
export async function topPairRows(db: DbOrTx, fromMonth: string, minCount: number, limit: number): Promise<{ a: string; b: string; count: number }[]> {
  const rows = await execRows<{ a: string; b: string; count: string | number }>(
    db,
    sql`SELECT service_a AS a, service_b AS b, sum(count) AS count FROM service_co_use WHERE month >= ${fromMonth}::date
        GROUP BY service_a, service_b HAVING sum(count) >= ${minCount} ORDER BY sum(count) DESC, service_a, service_b LIMIT ${limit}`,
  );
  return rows.map((r) => ({ a: r.a, b: r.b, count: Number(r.count) }));
}

/** Days aggregated most recently (for the staff page). */
export async function lastAggregatedDays(db: DbOrTx): Promise<{ source: string; day: string }[]> {
  return execRows<{ source: string; day: string }>(db, sql`SELECT source, max(day)::text AS day FROM insights_aggregated_days GROUP BY source ORDER BY source`);
}
