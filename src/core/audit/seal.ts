import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { execRows, type DbOrTx, type Tx } from '../db/index.ts';
import { chainHash, contentHash, GENESIS_HASH, hashable, SELECTABLE_SQL, type StoredAuditRow } from './chain.ts';

/** Advisory lock key that serialises sealing so the chain has one order. */
export const AUDIT_LOCK = 7405311;

const BATCH = 500;

async function sealBatch(tx: Tx): Promise<number> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
  // New statement after the lock: sees what the previous sealer committed (READ COMMITTED).
  const [last] = await execRows<{ chain_pos: string | number; hash: string }>(
    tx,
    sql`SELECT chain_pos, hash FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1`,
  );
  const rows = await execRows<StoredAuditRow>(tx, sql`SELECT ${sql.raw(SELECTABLE_SQL)} FROM audit_log WHERE chain_pos IS NULL ORDER BY seq LIMIT ${BATCH}`);
  if (!rows.length) return 0;
  let pos = last ? Number(last.chain_pos) : 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const values = rows.map((r) => {
    pos += 1;
    const hash = chainHash(prev, pos, contentHash(hashable(r)));
    const v = sql`(${Number(r.seq)}::bigint, ${pos}::bigint, ${prev}::text, ${hash}::text)`;
    prev = hash;
    return v;
  });
  await tx.execute(sql`
    UPDATE audit_log SET chain_pos = v.pos, prev_hash = v.prev, hash = v.hash
    FROM (VALUES ${sql.join(values, sql`, `)}) AS v(seq, pos, prev, hash)
    WHERE audit_log.seq = v.seq AND audit_log.chain_pos IS NULL`);
  return rows.length;
}

/**
 * Seals every committed, not yet sealed entry: gives it the next chain position and its chain
 * hash. Runs in the job worker's loop (about once a second) and before `verifyAuditChain`; safe
 * on several instances at once (advisory lock). Resolves with the number of entries sealed.
 */
export async function sealAudit(db: DbOrTx): Promise<number> {
  const [pending] = await execRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM audit_log WHERE chain_pos IS NULL LIMIT 1) p`);
  if (!pending?.n) return 0;
  if (db instanceof PgTransaction) return sealAllIn(db as Tx);
  let total = 0;
  for (;;) {
    const n = await db.transaction((tx) => sealBatch(tx as Tx));
    total += n;
    if (n < BATCH) return total;
  }
}

async function sealAllIn(tx: Tx): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealBatch(tx);
    total += n;
    if (n < BATCH) return total;
  }
}
