import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Actor } from '../auth/actor.ts';
import { execRows, type DbOrTx } from '../db/index.ts';
import { auditLog } from './schema.ts';
import { canonicalJson, chainHash, contentHash, GENESIS_HASH, type HashableRow } from './chain.ts';

export { auditLog };
export { canonicalJson, chainHash, contentHash, GENESIS_HASH, type HashableRow };
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

/** Advisory lock key that serialises appends so the chain has one order. */
export const AUDIT_LOCK = 7405311;

/** JSON round trip, so what is hashed is what jsonb gives back (Dates become strings, undefined disappears). */
const normalise = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? {})) as unknown;

/**
 * Appends one entry to the hash-chained audit log. Call it inside the use case's
 * transaction so the entry commits (or rolls back) together with the change.
 *
 * Appends are serialised with a transaction-scoped advisory lock, which is held until the
 * caller's transaction ends: call `writeAudit` as the LAST statement of the transaction so
 * the serialised part is only this insert plus the commit. Everything but the chain link is
 * computed before taking the lock; under the lock there are exactly two statements.
 */
export async function writeAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  // Outside a transaction the lock would end with its own statement: open one.
  if (!(tx instanceof PgTransaction)) return tx.transaction((t) => writeAudit(t, entry));
  const row: HashableRow = {
    at: new Date().toISOString(),
    actorType: entry.actor.type,
    actorId: 'id' in entry.actor ? (entry.actor.id ?? null) : null,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId ?? null,
    summary: normalise(entry.summary),
    requestId: entry.requestId ?? null,
  };
  const content = contentHash(row);
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
  // A fresh statement (new snapshot in READ COMMITTED) sees the row the previous lock holder committed.
  // Under REPEATABLE READ a stale snapshot would reuse a seq and fail on the primary key instead of forking the chain.
  await tx.execute(sql`
    INSERT INTO audit_log (seq, at, actor_type, actor_id, action, object_type, object_id, summary, request_id, prev_hash, hash)
    SELECT l.seq + 1, ${row.at}::timestamptz, ${row.actorType}, ${row.actorId}, ${row.action}, ${row.objectType}, ${row.objectId},
      ${JSON.stringify(row.summary)}::jsonb, ${row.requestId}, l.hash,
      encode(sha256(convert_to(l.hash || '|' || (l.seq + 1)::text || '|' || ${content}, 'UTF8')), 'hex')
    FROM (SELECT coalesce(max(seq), 0) AS seq,
                 coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${GENESIS_HASH}) AS hash
          FROM audit_log) l`);
}

/** The newest entry's seq and hash (an anchor to note down outside the database). */
export async function auditHead(db: DbOrTx): Promise<{ seq: number; hash: string }> {
  const [r] = await execRows<{ seq: string | number; hash: string }>(db, sql`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  return r ? { seq: Number(r.seq), hash: r.hash } : { seq: 0, hash: GENESIS_HASH };
}
