import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.ts';
import { execRows, type DbOrTx } from '../db/index.ts';
import { auditLog } from './schema.ts';

export { auditLog };

export const GENESIS_HASH = '0'.repeat(64);

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

/** Stable JSON: keys sorted at every depth, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

export interface HashableRow {
  seq: number;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  summary: unknown;
  requestId: string | null;
}

/** hash = sha256(prevHash + canonical(row)). */
export function chainHash(prevHash: string, row: HashableRow): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(row)).digest('hex');
}

/** Advisory lock key that serialises appends so the chain has one order. */
const AUDIT_LOCK = 7405311;

/**
 * Appends one entry to the hash-chained audit log. Call it inside the use case's
 * transaction so the entry commits (or rolls back) together with the change.
 */
export async function writeAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await execRows<{ seq: string | number; hash: string }>(tx, sql`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  const prev = last ?? { seq: 0, hash: GENESIS_HASH };
  const seq = Number(prev.seq) + 1;
  const at = new Date().toISOString();
  const actorId = 'id' in entry.actor ? (entry.actor.id ?? null) : null;
  const row: HashableRow = {
    seq,
    at,
    actorType: entry.actor.type,
    actorId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId ?? null,
    summary: entry.summary ?? {},
    requestId: entry.requestId ?? null,
  };
  await tx.insert(auditLog).values({
    ...row,
    at: new Date(at),
    prevHash: prev.hash,
    hash: chainHash(prev.hash, row),
  });
}
