import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor.ts';
import { execRows, type DbOrTx } from '../db/index.ts';
import { auditLog } from './schema.ts';
import { canonicalJson, chainHash, contentHash, GENESIS_HASH, type HashableRow } from './chain.ts';

export { auditLog };
export { canonicalJson, chainHash, contentHash, GENESIS_HASH, type HashableRow };
export { sealAudit, AUDIT_LOCK } from './seal.ts';
export { verifyAuditChain, type AuditVerifyResult, type AuditBreakReason } from './verify.ts';
export { listAudit, type AuditListItem, type AuditPage } from './list.ts';

export interface AuditEntry {
  actor: Actor;
  /** verb.noun, e.g. `appointment.book`, `user.create`. */
  action: string;
  objectType: string;
  objectId?: string | null;
  /** Before/after summary. Never put names, e-mails, addresses or free text here. */
  summary?: Record<string, unknown>;
  requestId?: string | null;
}

/**
 * Appends one entry to the audit log. Call it inside the use case's transaction so the entry
 * commits (or rolls back) together with the change.
 *
 * It is a single INSERT without any lock, so audit never serialises business transactions
 * (a booking rush runs at the speed of the bookings). The entry is chained shortly after
 * commit by `sealAudit` (job worker, about once a second; `lotse audit verify` seals first):
 * it gets the next gapless chain position and `hash = sha256(prevHash | chainPos | content)`.
 */
export async function writeAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx.execute(auditInsertSql(entry));
}

/**
 * The INSERT of `writeAudit` as a SQL fragment (one source of truth for the row shape), for a use
 * case that folds its whole change into ONE statement (data-modifying CTEs, e.g. a booking):
 * `WITH p AS (…), a AS (${auditInsertSql(entry, { from: sql`p`, extraSummary: sql`jsonb_build_object('x', p.x)` })}) SELECT …`.
 * `from` is added as `FROM …` (the row is inserted once per row of it); `extraSummary` is a jsonb
 * expression merged into the summary (values only known inside the statement).
 */
export function auditInsertSql(entry: AuditEntry, opts: { from?: SQL; extraSummary?: SQL } = {}): SQL {
  const summary = sql`${JSON.stringify(entry.summary ?? {})}::jsonb`;
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, action, object_type, object_id, summary, request_id)
    SELECT ${new Date().toISOString()}::timestamptz, ${entry.actor.type}::text, ${'id' in entry.actor ? (entry.actor.id ?? null) : null}::text,
      ${entry.action}::text, ${entry.objectType}::text, ${entry.objectId ?? null}::text, ${opts.extraSummary ? sql`${summary} || ${opts.extraSummary}` : summary}, ${entry.requestId ?? null}::text${opts.from ? sql` FROM ${opts.from}` : sql``}`;
}

/** The newest sealed entry's chain position and hash (an anchor to note down outside the database). */
export async function auditHead(db: DbOrTx): Promise<{ chainPos: number; seq: number; hash: string }> {
  const [r] = await execRows<{ chain_pos: string | number; seq: string | number; hash: string }>(
    db,
    sql`SELECT chain_pos, seq, hash FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1`,
  );
  return r ? { chainPos: Number(r.chain_pos), seq: Number(r.seq), hash: r.hash } : { chainPos: 0, seq: 0, hash: GENESIS_HASH };
}
