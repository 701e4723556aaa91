import { sql } from 'drizzle-orm';
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
  const summary = JSON.stringify(entry.summary ?? {});
  await tx.execute(sql`
    INSERT INTO audit_log (at, actor_type, actor_id, action, object_type, object_id, summary, request_id)
    VALUES (${new Date().toISOString()}::timestamptz, ${entry.actor.type}, ${'id' in entry.actor ? (entry.actor.id ?? null) : null},
      ${entry.action}, ${entry.objectType}, ${entry.objectId ?? null}, ${summary}::jsonb, ${entry.requestId ?? null})`);
}

/** The newest sealed entry's chain position and hash (an anchor to note down outside the database). */
export async function auditHead(db: DbOrTx): Promise<{ chainPos: number; seq: number; hash: string }> {
  const [r] = await execRows<{ chain_pos: string | number; seq: string | number; hash: string }>(
    db,
    sql`SELECT chain_pos, seq, hash FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1`,
  );
  return r ? { chainPos: Number(r.chain_pos), seq: Number(r.seq), hash: r.hash } : { chainPos: 0, seq: 0, hash: GENESIS_HASH };
}
