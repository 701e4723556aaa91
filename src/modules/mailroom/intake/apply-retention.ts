import { rm } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, systemActor, type Actor } from '../../../core/auth/index.ts';
import { validationError } from '../../../core/errors.ts';
import { z } from 'zod';
import { execRows } from '../../../core/db/index.ts';
import { getSetting, setSetting } from '../../../core/settings/index.ts';

/** Settings key: `{ "<category>": <days> }`; `"*"` applies to every category without its own entry. */
export const RETENTION_SETTING = 'mailroom.retentionDays';

/** Defaults (days). Invoices carry their own `retention_until` (10 years) from the reading step. */
export const DEFAULT_RETENTION_DAYS: Record<string, number> = {
  Sonstiges: 365,
  '*': 3 * 365,
};

/**
 * Deletes expired documents, rows and original files: a document expires at its `retention_until`,
 * or, without one, `days` after receipt by the retention period of its category (setting
 * {@link RETENTION_SETTING}, else the defaults). Audited with counts only. Runs as the daily job
 * `mailroom.retention`.
 */
export async function applyRetention(ctx: AppContext): Promise<{ deleted: number; filesDeleted: number }> {
  const periods = { ...DEFAULT_RETENTION_DAYS, ...(await getSetting<Record<string, number>>(ctx.db, RETENTION_SETTING, {})) };
  const fallback = periods['*'] ?? DEFAULT_RETENTION_DAYS['*']!;
  const perCategory = JSON.stringify(Object.fromEntries(Object.entries(periods).filter(([k, v]) => k !== '*' && Number.isFinite(v) && v > 0)));
  const now = ctx.now().toISOString();
  const deleted = await ctx.db.transaction(async (tx) => {
    const rows = await execRows<{ id: string | number; storage_path: string }>(
      tx,
      sql`DELETE FROM documents d
          WHERE (d.retention_until IS NOT NULL AND d.retention_until < ${now}::timestamptz)
             OR (d.retention_until IS NULL AND d.created_at + make_interval(days => COALESCE((${perCategory}::jsonb ->> d.category)::int, ${fallback}::int)) < ${now}::timestamptz)
          RETURNING d.id, d.storage_path`,
    );
    if (rows.length) {
      const ids = rows.map((r) => Number(r.id));
      await execRows(tx, sql`UPDATE mailroom_imap_messages SET document_id = NULL WHERE document_id = ANY(${`{${ids.join(',')}}`}::bigint[])`);
    }
    await writeAudit(tx, { actor: systemActor('mailroom-retention'), action: 'mailroom.retention', objectType: 'system', summary: { deleted: rows.length } });
    return rows;
  });
  let filesDeleted = 0;
  const base = normalize(ctx.config.dataDir);
  for (const r of deleted) {
    const abs = normalize(join(base, r.storage_path));
    if (!abs.startsWith(base)) continue;
    try {
      await rm(abs);
      filesDeleted++;
    } catch {
      /* already gone */
    }
  }
  if (deleted.length) ctx.log.info({ deleted: deleted.length, filesDeleted }, 'mailroom retention');
  return { deleted: deleted.length, filesDeleted };
}

const retentionSchema = z.record(z.string().trim().min(1).max(100), z.number().int().min(1).max(36_500));

/** Sets the retention periods per category (days; `"*"` = every other category). Permission `mailroom.configure`; audited. */
export async function setRetentionDays(ctx: AppContext, actor: Actor, periods: Record<string, number>): Promise<Record<string, number>> {
  assertCan(actor, 'mailroom.configure');
  const parsed = retentionSchema.safeParse(periods);
  if (!parsed.success) throw validationError(parsed.error.issues);
  await ctx.db.transaction(async (tx) => {
    await setSetting(tx, RETENTION_SETTING, parsed.data, actor.type === 'user' ? actor.id : null);
    await writeAudit(tx, { actor, action: 'settings.update', objectType: 'setting', objectId: RETENTION_SETTING, summary: { after: parsed.data } });
  });
  return { ...DEFAULT_RETENTION_DAYS, ...parsed.data };
}
