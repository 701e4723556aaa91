import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { assertCan } from '../auth/guard.ts';
import type { Actor } from '../auth/actor.ts';
import { execRows, type DbOrTx } from '../db/index.ts';
import { validationError } from '../errors.ts';

export interface AuditListItem {
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  summary: unknown;
  requestId: string | null;
  /** Null until the entry is sealed into the chain (about a second after commit). */
  hash: string | null;
  chainPos: number | null;
}

export interface AuditPage {
  items: AuditListItem[];
  total: number;
  page: number;
  pageSize: number;
}

const input = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  action: z.string().max(100).optional(),
});

/** Newest first, paged. Needs `audit.read`. */
export async function listAudit(db: DbOrTx, actor: Actor, opts: { page?: number | string; pageSize?: number | string; action?: string } = {}): Promise<AuditPage> {
  assertCan(actor, 'audit.read');
  const parsed = input.safeParse(opts);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { page, pageSize, action } = parsed.data;
  const where = action ? sql`WHERE action = ${action}` : sql``;
  const [count] = await execRows<{ n: string | number }>(db, sql`SELECT count(*) AS n FROM audit_log ${where}`);
  const rows = await execRows<{
    seq: string | number;
    at: Date | string;
    actor_type: string;
    actor_id: string | null;
    action: string;
    object_type: string;
    object_id: string | null;
    summary: unknown;
    request_id: string | null;
    hash: string | null;
    chain_pos: string | number | null;
  }>(db, sql`SELECT seq, at, actor_type, actor_id, action, object_type, object_id, summary, request_id, hash, chain_pos FROM audit_log ${where} ORDER BY seq DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return {
    items: rows.map((r) => ({
      seq: Number(r.seq),
      at: new Date(r.at),
      actorType: r.actor_type,
      actorId: r.actor_id,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      summary: typeof r.summary === 'string' ? (JSON.parse(r.summary) as unknown) : r.summary,
      requestId: r.request_id,
      hash: r.hash,
      chainPos: r.chain_pos === null ? null : Number(r.chain_pos),
    })),
    total: Number(count?.n ?? 0),
    page,
    pageSize,
  };
}
