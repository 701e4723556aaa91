import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Town settings staff edit in the admin UI (imprint, privacy text, …). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});
