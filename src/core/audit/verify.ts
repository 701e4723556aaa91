import { sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../db/index.ts';
import { chainHash, contentHash, GENESIS_HASH, type HashableRow } from './chain.ts';

export type AuditBreakReason = 'altered' | 'deleted' | 'inserted' | 'prev-mismatch';

export interface AuditVerifyResult {
  ok: boolean;
  /** Rows read. */
  checked: number;
  /** Newest entry (seq 0 and the genesis hash for an empty log): note it down to detect cut-off tails later. */
  head: { seq: number; hash: string };
  firstBroken?: { seq: number; reason: AuditBreakReason; message: string };
}

interface StoredRow {
  seq: string | number;
  at_iso: string;
  at_us: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  summary: unknown;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

const MESSAGES: Record<AuditBreakReason, (seq: number) => string> = {
  altered: (s) => `Eintrag ${s} wurde nachträglich verändert (Prüfsumme stimmt nicht).`,
  deleted: (s) => `Eintrag ${s} fehlt (gelöscht).`,
  inserted: (s) => `Eintrag ${s} wurde nachträglich eingefügt.`,
  'prev-mismatch': (s) => `Eintrag ${s} verweist nicht auf den vorigen Eintrag (Kette unterbrochen).`,
};

const BATCH = 5000;

/**
 * Recomputes the whole hash chain and names the first broken entry:
 * - `deleted`: a seq is missing (gap),
 * - `altered`: a row's content, seq or hash does not match its own chain hash,
 * - `inserted`: the row after it points past it to the entry before it,
 * - `prev-mismatch`: a row's prev_hash is not the previous row's hash.
 *
 * `at` is read as the exact millisecond ISO string that `writeAudit` hashed (formatted in SQL,
 * so it does not depend on the driver's date parsing); a stored time with sub-millisecond
 * digits cannot have come from `writeAudit` and counts as altered.
 * Limit: rows cut off at the end leave no trace in the chain itself; compare `head` with a
 * value noted earlier (the daily maintenance job logs it).
 */
export async function verifyAuditChain(db: DbOrTx): Promise<AuditVerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let prevPrevHash: string | null = null;
  let prevSeq = 0;
  let checked = 0;
  const fail = (seq: number, reason: AuditBreakReason, head: { seq: number; hash: string }): AuditVerifyResult => ({
    ok: false,
    checked,
    head,
    firstBroken: { seq, reason, message: MESSAGES[reason](seq) },
  });
  for (;;) {
    const rows = await execRows<StoredRow>(
      db,
      sql`SELECT seq,
            to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at_iso,
            to_char(at AT TIME ZONE 'UTC', 'US') AS at_us,
            actor_type, actor_id, action, object_type, object_id, summary, request_id, prev_hash, hash
          FROM audit_log WHERE seq >= ${expectedSeq} ORDER BY seq LIMIT ${BATCH}`,
    );
    for (const r of rows) {
      const seq = Number(r.seq);
      checked++;
      const headNow = { seq: prevSeq, hash: prevHash };
      if (seq !== expectedSeq) return fail(expectedSeq, 'deleted', headNow);
      const row: HashableRow = {
        at: r.at_iso,
        actorType: r.actor_type,
        actorId: r.actor_id,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        summary: typeof r.summary === 'string' ? (JSON.parse(r.summary) as unknown) : r.summary,
        requestId: r.request_id,
      };
      const selfOk = !r.at_us.endsWith('000') ? false : chainHash(r.prev_hash, seq, contentHash(row)) === r.hash;
      if (!selfOk) return fail(seq, 'altered', headNow);
      if (r.prev_hash !== prevHash) {
        if (prevPrevHash !== null && r.prev_hash === prevPrevHash) return fail(seq - 1, 'inserted', headNow);
        return fail(seq, 'prev-mismatch', headNow);
      }
      prevPrevHash = prevHash;
      prevHash = r.hash;
      prevSeq = seq;
      expectedSeq = seq + 1;
    }
    if (rows.length < BATCH) break;
  }
  return { ok: true, checked, head: { seq: prevSeq, hash: prevHash } };
}
