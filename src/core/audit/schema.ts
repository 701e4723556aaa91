import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained audit log.
 * `writeAudit` inserts an entry in the caller's transaction (no lock, so audit never serialises
 * business transactions); the sealer (`sealAudit`, run by the job worker every second and by
 * `lotse audit verify`) then assigns the gapless `chain_pos` and the chain hash
 * `hash = sha256(prevHash | chainPos | sha256(canonical(entry)))`, once.
 * A trigger forbids every other UPDATE, and all DELETE/TRUNCATE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** user | system | citizen | cli */
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    /** Before/after summary without personal data. */
    summary: jsonb('summary').notNull().default({}),
    requestId: text('request_id'),
    /** Position in the hash chain (1, 2, 3 … without gaps); NULL until sealed. */
    chainPos: bigint('chain_pos', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    index('audit_object_idx').on(t.objectType, t.objectId),
    uniqueIndex('audit_chain_pos_idx').on(t.chainPos),
    index('audit_unsealed_idx').on(t.seq).where(sql`chain_pos IS NULL`),
  ],
);
