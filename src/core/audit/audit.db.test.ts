import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import type { AppContext } from '../context.ts';
import { execRows } from '../db/index.ts';
import { systemActor } from '../auth/actor.ts';
import { auditHead, listAudit, verifyAuditChain, writeAudit } from './index.ts';

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.database.close());

const actor = systemActor('test');

/** Runs SQL as an "attacker" with owner rights: the append-only trigger is switched off for it. */
async function tamper(statement: string) {
  await ctx.database.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
  try {
    await ctx.database.query(statement);
  } finally {
    await ctx.database.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  }
}

async function fresh(n: number) {
  await ctx.database.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate');
  await ctx.database.query('TRUNCATE audit_log');
  await ctx.database.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate');
  for (let i = 0; i < n; i++) {
    await ctx.db.transaction((tx) =>
      writeAudit(tx, { actor, action: 'test.write', objectType: 'thing', objectId: String(i), summary: { i, nested: { b: 1, a: [1, 'x', null] }, when: new Date(0) } }),
    );
  }
}

describe(`audit log (${testDbKind()})`, () => {
  beforeEach(() => fresh(6));

  it('an intact chain verifies, and the hashed time is exactly the stored one', async () => {
    const r = await verifyAuditChain(ctx.db);
    expect(r).toMatchObject({ ok: true, checked: 6, head: { seq: 6 } });
    expect(r.head).toEqual(await auditHead(ctx.db));
    // The stored time has millisecond precision and reads back unchanged.
    const [row] = await execRows<{ at: Date | string; us: string }>(ctx.db, sql`SELECT at, to_char(at, 'US') AS us FROM audit_log WHERE seq = 1`);
    expect(row!.us.endsWith('000')).toBe(true);
  });

  it('an empty log is intact', async () => {
    await fresh(0);
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, checked: 0, head: { seq: 0 } });
  });

  it('the database itself refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(ctx.database.query(`UPDATE audit_log SET action = 'x' WHERE seq = 2`)).rejects.toThrow(/nur fortschreibbar/);
    await expect(ctx.database.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/nur fortschreibbar/);
    await expect(ctx.database.query('TRUNCATE audit_log')).rejects.toThrow(/nur fortschreibbar/);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });

  it('detects an altered field and names the row', async () => {
    await tamper(`UPDATE audit_log SET object_id = 'manipuliert' WHERE seq = 3`);
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 3, reason: 'altered' } });
  });

  it('detects an altered summary and an altered time (also by one microsecond)', async () => {
    await tamper(`UPDATE audit_log SET summary = summary || '{"i": 99}'::jsonb WHERE seq = 4`);
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 4, reason: 'altered' });
    await fresh(6);
    await tamper(`UPDATE audit_log SET at = at + interval '1 microsecond' WHERE seq = 5`);
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 5, reason: 'altered' });
  });

  it('detects a deleted row in the middle and at the start', async () => {
    await tamper('DELETE FROM audit_log WHERE seq = 4');
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 4, reason: 'deleted' });
    await fresh(6);
    await tamper('DELETE FROM audit_log WHERE seq = 1');
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 1, reason: 'deleted' });
  });

  it('detects a deletion hidden by renumbering (hashes no longer fit)', async () => {
    await tamper('DELETE FROM audit_log WHERE seq = 2');
    await tamper('UPDATE audit_log SET seq = seq - 1 WHERE seq > 2');
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 2, reason: 'altered' });
  });

  it('detects a forged row inserted into the chain with a self-consistent hash', async () => {
    // The attacker knows the algorithm: renumber 4..6 up by one and insert a forged, correctly hashed seq 4.
    await tamper('UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4');
    await tamper('UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100');
    const { chainHash, contentHash } = await import('./chain.ts');
    const [prev] = await execRows<{ hash: string }>(ctx.db, sql`SELECT hash FROM audit_log WHERE seq = 3`);
    const at = new Date().toISOString();
    const forged = { at, actorType: 'system', actorId: 'x', action: 'forged', objectType: 'thing', objectId: 'f', summary: {}, requestId: null };
    const h = chainHash(prev!.hash, 4, contentHash(forged));
    await tamper(
      `INSERT INTO audit_log (seq, at, actor_type, actor_id, action, object_type, object_id, summary, request_id, prev_hash, hash)
       VALUES (4, '${at}', 'system', 'x', 'forged', 'thing', 'f', '{}', NULL, '${prev!.hash}', '${h}')`,
    );
    // Seq 5 (the old 4) still carries its old seq in its hash, so it is the first one that no longer fits.
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 5, reason: 'altered' });
  });

  it('names an inserted row when the following row skips over it', async () => {
    // Replace the link: row 5 points to row 3 as if row 4 were not there (a forged row 4 was slipped in).
    const [r3] = await execRows<{ hash: string }>(ctx.db, sql`SELECT hash FROM audit_log WHERE seq = 3`);
    const [r5] = await execRows<Record<string, unknown>>(
      ctx.db,
      sql`SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor_type, actor_id, action, object_type, object_id, summary, request_id FROM audit_log WHERE seq = 5`,
    );
    const { chainHash, contentHash } = await import('./chain.ts');
    const content = contentHash({
      at: r5!.at as string,
      actorType: r5!.actor_type as string,
      actorId: r5!.actor_id as string,
      action: r5!.action as string,
      objectType: r5!.object_type as string,
      objectId: r5!.object_id as string,
      summary: r5!.summary,
      requestId: null,
    });
    await tamper(`UPDATE audit_log SET prev_hash = '${r3!.hash}', hash = '${chainHash(r3!.hash, 5, content)}' WHERE seq = 5`);
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 4, reason: 'inserted' });
  });

  it('reports a prev-hash mismatch', async () => {
    await tamper(`UPDATE audit_log SET prev_hash = repeat('a', 64) WHERE seq = 2`);
    // prev_hash is part of the row's own hash, so rewriting it alone shows as altered …
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 2, reason: 'altered' });
    // … and with a recomputed hash as a broken link.
    await fresh(3);
    const [r2] = await execRows<Record<string, unknown>>(
      ctx.db,
      sql`SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor_type, actor_id, action, object_type, object_id, summary, request_id FROM audit_log WHERE seq = 2`,
    );
    const { chainHash, contentHash } = await import('./chain.ts');
    const content = contentHash({
      at: r2!.at as string,
      actorType: r2!.actor_type as string,
      actorId: r2!.actor_id as string,
      action: r2!.action as string,
      objectType: r2!.object_type as string,
      objectId: r2!.object_id as string,
      summary: r2!.summary,
      requestId: null,
    });
    const bogus = 'b'.repeat(64);
    await tamper(`UPDATE audit_log SET prev_hash = '${bogus}', hash = '${chainHash(bogus, 2, content)}' WHERE seq = 2`);
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 2, reason: 'prev-mismatch' });
  });

  it('keeps one valid chain under concurrent writers, and rolled-back entries leave no gap', async () => {
    await fresh(0);
    const writes = Array.from({ length: 40 }, (_, i) =>
      ctx.db.transaction(async (tx) => {
        await writeAudit(tx, { actor, action: 'test.concurrent', objectType: 'thing', objectId: String(i) });
        if (i % 10 === 9) tx.rollback();
      }).catch(() => 'rolled back'),
    );
    await Promise.all(writes);
    const r = await verifyAuditChain(ctx.db);
    expect(r).toMatchObject({ ok: true, checked: 36 });
  });

  it('writeAudit outside a transaction still chains correctly', async () => {
    await Promise.all([0, 1, 2, 3].map((i) => writeAudit(ctx.db, { actor, action: 'test.direct', objectType: 'thing', objectId: String(i) })));
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, checked: 10 });
  });

  it('lists entries newest first, paged, for users with audit.read', async () => {
    const page = await listAudit(ctx.db, actor, { page: 1, pageSize: 4 });
    expect(page.total).toBe(6);
    expect(page.items.map((i) => i.seq)).toEqual([6, 5, 4, 3]);
    expect(page.items[0]!.at).toBeInstanceOf(Date);
    expect((await listAudit(ctx.db, actor, { page: 2, pageSize: 4 })).items.map((i) => i.seq)).toEqual([2, 1]);
    await expect(listAudit(ctx.db, { type: 'user', id: 'u', roles: ['clerk'], department: null })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listAudit(ctx.db, actor, { page: 0 })).rejects.toMatchObject({ code: 'validation' });
  });
});
