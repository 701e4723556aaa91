import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import type { AppContext } from '../context.ts';
import { execRows, openDatabase } from '../db/index.ts';
import { systemActor } from '../auth/actor.ts';
import { auditHead, listAudit, sealAudit, verifyAuditChain, writeAudit } from './index.ts';
import { AT_ISO_SQL, chainHash, contentHash, hashable, SELECTABLE_SQL, type StoredAuditRow } from './chain.ts';

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
  await ctx.database.query('TRUNCATE audit_log RESTART IDENTITY');
  await ctx.database.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate');
  for (let i = 0; i < n; i++) {
    await ctx.db.transaction((tx) =>
      writeAudit(tx, { actor, action: 'test.write', objectType: 'thing', objectId: String(i), summary: { i, nested: { b: 1, a: [1, 'x', null] }, when: new Date(0) } }),
    );
  }
  await sealAudit(ctx.db);
}

const row = async (chainPos: number) =>
  (await execRows<StoredAuditRow>(ctx.db, sql`SELECT ${sql.raw(SELECTABLE_SQL)} FROM audit_log WHERE chain_pos = ${chainPos}`))[0];

describe(`audit log (${testDbKind()})`, () => {
  beforeEach(() => fresh(6));

  it('an intact chain verifies; the hashed time string is reproduced exactly from the stored value', async () => {
    const r = await verifyAuditChain(ctx.db);
    expect(r).toMatchObject({ ok: true, checked: 6, pending: 0, head: { seq: 6, chainPos: 6 } });
    expect(r.head).toEqual(await auditHead(ctx.db));
    // writeAudit stores millisecond ISO time; SQL renders it back to the same instant on both databases.
    const [x] = await execRows<{ at: Date | string; iso: string }>(ctx.db, sql`SELECT at, ${sql.raw(AT_ISO_SQL)} AS iso FROM audit_log WHERE seq = 1`);
    expect(x!.iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}000Z$/);
    expect(new Date(x!.at).toISOString()).toBe(x!.iso.replace(/000Z$/, 'Z'));
  });

  it('entries are written without a lock and sealed afterwards, once', async () => {
    await writeAudit(ctx.db, { actor, action: 'test.unsealed', objectType: 'thing' });
    const [u] = await execRows<{ chain_pos: unknown; hash: unknown }>(ctx.db, sql`SELECT chain_pos, hash FROM audit_log WHERE action = 'test.unsealed'`);
    expect(u).toEqual({ chain_pos: null, hash: null });
    expect(await sealAudit(ctx.db)).toBe(1);
    expect(await sealAudit(ctx.db)).toBe(0);
    expect(await verifyAuditChain(ctx.db, { seal: false })).toMatchObject({ ok: true, checked: 7 });
  });

  it('an empty log is intact', async () => {
    await fresh(0);
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, checked: 0, head: { seq: 0 } });
  });

  it('the database itself refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(ctx.database.query(`UPDATE audit_log SET action = 'x' WHERE seq = 2`)).rejects.toThrow(/nur fortschreibbar/);
    await expect(ctx.database.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/nur fortschreibbar/);
    await expect(ctx.database.query('TRUNCATE audit_log')).rejects.toThrow(/nur fortschreibbar/);
    // The only UPDATE allowed is sealing an unsealed entry – not re-sealing, not changing content while sealing.
    await expect(ctx.database.query(`UPDATE audit_log SET chain_pos = 99 WHERE seq = 2`)).rejects.toThrow(/nur fortschreibbar/);
    await writeAudit(ctx.db, { actor, action: 'test.unsealed', objectType: 'thing' });
    await expect(
      ctx.database.query(`UPDATE audit_log SET chain_pos = 7, prev_hash = 'x', hash = 'y', action = 'anders' WHERE action = 'test.unsealed'`),
    ).rejects.toThrow(/nur fortschreibbar/);
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
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 5, chainPos: 4, reason: 'deleted' });
    await fresh(6);
    await tamper('DELETE FROM audit_log WHERE seq = 1');
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 2, chainPos: 1, reason: 'deleted' });
  });

  it('detects a deletion hidden by renumbering (hashes no longer fit)', async () => {
    await tamper('DELETE FROM audit_log WHERE seq = 2');
    await tamper('UPDATE audit_log SET chain_pos = chain_pos - 1 WHERE chain_pos > 2');
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: 3, chainPos: 2, reason: 'altered' });
  });

  it('detects a forged row inserted into the chain with a self-consistent hash', async () => {
    // The attacker knows the algorithm: shift positions 4..6 up by one and insert a forged, correctly hashed position 4.
    await tamper('UPDATE audit_log SET chain_pos = chain_pos + 100 WHERE chain_pos >= 4');
    await tamper('UPDATE audit_log SET chain_pos = chain_pos - 99 WHERE chain_pos >= 100');
    const prev = (await row(3))!;
    await tamper(`INSERT INTO audit_log (seq, at, actor_type, actor_id, action, object_type, object_id, summary) VALUES (1000, '2026-01-01T00:00:00Z', 'system', 'x', 'forged', 'thing', 'f', '{}')`);
    const forged = (await execRows<StoredAuditRow>(ctx.db, sql`SELECT ${sql.raw(SELECTABLE_SQL)} FROM audit_log WHERE seq = 1000`))[0]!;
    await tamper(`UPDATE audit_log SET chain_pos = 4, prev_hash = '${prev.hash}', hash = '${chainHash(prev.hash!, 4, contentHash(hashable(forged)))}' WHERE seq = 1000`);
    // The entry now at position 5 was hashed with position 4, so it is the first one that no longer fits.
    const r = await verifyAuditChain(ctx.db);
    expect(r.firstBroken).toMatchObject({ chainPos: 5, reason: 'altered' });
  });

  it('names an inserted row when the following row skips over it', async () => {
    // Row 5 re-linked to row 3 as if row 4 had been slipped in.
    const r3 = (await row(3))!;
    const r4 = (await row(4))!;
    const r5 = (await row(5))!;
    await tamper(`UPDATE audit_log SET prev_hash = '${r3.hash}', hash = '${chainHash(r3.hash!, 5, contentHash(hashable(r5)))}' WHERE chain_pos = 5`);
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ seq: Number(r4.seq), chainPos: 4, reason: 'inserted' });
  });

  it('reports a prev-hash mismatch', async () => {
    await tamper(`UPDATE audit_log SET prev_hash = repeat('a', 64) WHERE chain_pos = 2`);
    // prev_hash is part of the row's own hash, so rewriting it alone shows as altered …
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ chainPos: 2, reason: 'altered' });
    // … and with a recomputed hash as a broken link.
    await fresh(3);
    const r2 = (await row(2))!;
    const bogus = 'b'.repeat(64);
    await tamper(`UPDATE audit_log SET prev_hash = '${bogus}', hash = '${chainHash(bogus, 2, contentHash(hashable(r2)))}' WHERE chain_pos = 2`);
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ chainPos: 2, reason: 'prev-mismatch' });
  });

  it('un-sealing a row (to have it re-sealed later) leaves a gap', async () => {
    await tamper('UPDATE audit_log SET chain_pos = NULL, prev_hash = NULL, hash = NULL WHERE chain_pos = 3');
    expect((await verifyAuditChain(ctx.db)).firstBroken).toMatchObject({ chainPos: 3, reason: 'deleted' });
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
    expect(r).toMatchObject({ ok: true, checked: 36, head: { chainPos: 36 } });
  });

  it('two sealers on separate connection pools never fork the chain', async () => {
    await fresh(0);
    const url = ctx.database.kind === 'postgres' ? (ctx.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString : null;
    const other = url ? await openDatabase({ databaseUrl: url }) : null;
    try {
      for (let i = 0; i < 1200; i++) await writeAudit(ctx.db, { actor, action: 'test.rush', objectType: 'thing', objectId: String(i) });
      const sealed = await Promise.all([sealAudit(ctx.db), sealAudit((other ?? ctx.database).db), sealAudit(ctx.db)]);
      expect(sealed.reduce((a, b) => a + b, 0)).toBe(1200);
      expect(await verifyAuditChain(ctx.db, { seal: false })).toMatchObject({ ok: true, checked: 1200, pending: 0 });
    } finally {
      await other?.close();
    }
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
