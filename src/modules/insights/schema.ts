import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Anonymous co-use of two catalog services, counted per calendar month. Only pair counts:
 * no person, no booking or conversation id, nothing finer than a month. `service_a < service_b`.
 * Shown only where the count over the last 12 months is at least 5 (k-threshold).
 */
export const serviceCoUse = pgTable(
  'service_co_use',
  {
    serviceA: text('service_a').notNull(),
    serviceB: text('service_b').notNull(),
    /** First day of the month (Europe/Berlin calendar). */
    month: date('month', { mode: 'string' }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.serviceA, t.serviceB, t.month] }),
    index('service_co_use_b_idx').on(t.serviceB, t.month),
    check('service_co_use_order_ck', sql`${t.serviceA} < ${t.serviceB}`),
  ],
);

/** Which day (Europe/Berlin) was already aggregated from which source: makes the daily job idempotent. */
export const insightsAggregatedDays = pgTable(
  'insights_aggregated_days',
  {
    /** 'appointments' | 'assistant' */
    source: text('source').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    pairs: integer('pairs').notNull().default(0),
    aggregatedAt: timestamp('aggregated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.day] })],
);
