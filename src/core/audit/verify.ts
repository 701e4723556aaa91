import { sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../db/index.ts';
import { chainHash, contentHash, GENESIS_HASH, hashable, SELECTABLE_SQL, type StoredAuditRow } from './chain.ts';
import { sealAudit } from './seal.ts';

export type AuditBreakReason = 'altered' | 'deleted' | 'inserted' | 'prev-mismatch';

export interface AuditVerifyResult {
  ok: boolean;
  /** Sealed entries read. */
  checked: number;
  /** Entries not sealed yet (transactions committing right now); normally 0. */
  pending: number;
  /** Last intact sealed entry: note it down to detect cut-off tails later. */
  head: { chainPos: number; seq: number; hash: string };
  /** `seq` names the entry; for `deleted` it is the entry right after the gap, `chainPos` the missing position. */
  firstBroken?: { seq: number; chainPos: number; reason: AuditBreakReason; message: string };
}

const MESSAGES: Record<AuditBreakReason, (seq: number, pos: number) => string> = {
  altered: (s) => `Eintrag ${s} wurde nachträglich verändert (Prüfsumme stimmt nicht).`,
  deleted: (s, p) => `Vor Eintrag ${s} fehlt ein Eintrag (Kettenposition ${p} gelöscht).`,
  inserted: (s) => `Eintrag ${s} wurde nachträglich eingefügt.`,
  'prev-mismatch': (s) => `Eintrag ${s} verweist nicht auf den vorigen Eintrag (Kette unterbrochen).`,
};

const BATCH = 5000;

/**
 * Seals pending entries (unless `seal: false`), then recomputes the whole hash chain in chain
 * order and names the first broken entry:
 * - `deleted`: a chain position is missing (gap),
 * - `altered`: a row's content, seq, time, position or hash does not match its chain hash,
 * - `inserted`: the row after it points past it to the entry before it,
 * - `prev-mismatch`: a row's prev_hash is not the previous row's hash.
 *
 * `at` is hashed as the microsecond ISO string formatted by SQL, so the check does not depend
 * on how a driver parses timestamps (PGlite and node-postgres give identical strings).
 * Limits: rows cut off at the end leave no trace in the chain itself (compare `head` with a
 * value noted earlier; the daily maintenance logs it), and an entry changed in the second
 * between its commit and its sealing is sealed as changed.
 */
export async function verifyAuditChain(db: DbOrTx, opts: { seal?: boolean } = {}): Promise<AuditVerifyResult> {
  if (opts.seal !== false) await sealAudit(db);
  let expectedPos = 1;
  let prevHash = GENESIS_HASH;
  let prevPrevHash: string | null = null;
  let head = { chainPos: 0, seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  const [pendingRow] = await execRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE chain_pos IS NULL`);
  const pending = pendingRow?.n ?? 0;
  const fail = (seq: number, chainPos: number, reason: AuditBreakReason): AuditVerifyResult => ({
    ok: false,
    checked,
    pending,
    head,
    firstBroken: { seq, chainPos, reason, message: MESSAGES[reason](seq, chainPos) },
  });
  for (;;) {
    const rows = await execRows<StoredAuditRow>(
      db,
      sql`SELECT ${sql.raw(SELECTABLE_SQL)} FROM audit_log WHERE chain_pos >= ${expectedPos} ORDER BY chain_pos LIMIT ${BATCH}`,
    );
    for (const r of rows) {
      const seq = Number(r.seq);
      const pos = Number(r.chain_pos);
      checked++;
      if (pos !== expectedPos) return fail(seq, expectedPos, 'deleted');
      const selfOk = r.hash !== null && r.prev_hash !== null && chainHash(r.prev_hash, pos, contentHash(hashable(r))) === r.hash;
      if (!selfOk) return fail(seq, pos, 'altered');
      if (r.prev_hash !== prevHash) {
        if (prevPrevHash !== null && r.prev_hash === prevPrevHash) return fail(head.seq, head.chainPos, 'inserted');
        return fail(seq, pos, 'prev-mismatch');
      }
      prevPrevHash = prevHash;
      prevHash = r.hash!;
      head = { chainPos: pos, seq, hash: r.hash! };
      expectedPos = pos + 1;
    }
    if (rows.length < BATCH) break;
  }
  return { ok: true, checked, pending, head };
}
