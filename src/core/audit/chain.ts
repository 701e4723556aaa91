import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

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

/** The hashed content of one entry (everything except seq and the chain hashes). */
export interface HashableRow {
  /** ISO 8601 UTC with milliseconds, exactly `Date#toISOString()`. */
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  summary: unknown;
  requestId: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** sha256 of the canonical content. */
export function contentHash(row: HashableRow): string {
  return sha256(canonicalJson(row));
}

/**
 * The chain link: `hash = sha256(prevHash | seq | contentHash)`. The same formula runs in SQL
 * inside `writeAudit` (so the append is one statement) and in JS in `verifyAuditChain`.
 */
export function chainHash(prevHash: string, seq: number, content: string): string {
  return sha256(`${prevHash}|${seq}|${content}`);
}
