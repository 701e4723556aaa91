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

/** The hashed content of one entry, exactly as read back from the database. */
export interface HashableRow {
  seq: number;
  /** `at` formatted by SQL as ISO 8601 UTC with microseconds (`AT_ISO_SQL`), so it is reproducible on every driver. */
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  summary: unknown;
  requestId: string | null;
}

/** SQL expression that renders `at` the way it is hashed. */
export const AT_ISO_SQL = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** sha256 of the canonical content. */
export function contentHash(row: HashableRow): string {
  return sha256(canonicalJson(row));
}

/** The chain link: `hash = sha256(prevHash | chainPos | contentHash)`. */
export function chainHash(prevHash: string, chainPos: number, content: string): string {
  return sha256(`${prevHash}|${chainPos}|${content}`);
}

/** A stored row (snake_case, as selected with `SELECTABLE_SQL`) → the hashed content. */
export interface StoredAuditRow {
  seq: string | number;
  at_iso: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  summary: unknown;
  request_id: string | null;
  chain_pos: string | number | null;
  prev_hash: string | null;
  hash: string | null;
}

export const SELECTABLE_SQL = `seq, ${AT_ISO_SQL} AS at_iso, actor_type, actor_id, action, object_type, object_id, summary, request_id, chain_pos, prev_hash, hash`;

export function hashable(r: StoredAuditRow): HashableRow {
  return {
    seq: Number(r.seq),
    at: r.at_iso,
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    summary: typeof r.summary === 'string' ? (JSON.parse(r.summary) as unknown) : r.summary,
    requestId: r.request_id,
  };
}
