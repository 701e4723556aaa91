import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import type { AppContext } from '../context.ts';
import { execRows, openDatabase, type Database } from '../db/index.ts';
import { systemActor } from '../auth/actor.ts';
import { verifyAuditChain } from '../audit/index.ts';
import { enqueue, jobCounts, listJobs, PermanentJobError, retryJob } from './index.ts';
import { startWorker, type JobRunInfo } from './worker.ts';
import { scheduleRecurring, DEFAULT_RECURRING, recurringFromSpec, runRecurringSoon } from './schedule.ts';

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.database.close());
beforeEach(async () => {
  await ctx.database.query('DELETE FROM jobs');
});

const admin = systemActor('test');
const job = async (id: number) => (await execRows<Record<string, unknown>>(ctx.db, sql`SELECT * FROM jobs WHERE id = ${id}`))[0]!;
/** Makes every queued job due now (instead of waiting for the backoff). */
const makeDue = () => ctx.database.query(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE status = 'queued'`);

describe(`jobs (${testDbKind()})`, () => {
  it('runs a job once and marks it done; the handler sees attempt info', async () => {
    const seen: JobRunInfo[] = [];
    const id = (await enqueue(ctx.db, 'test.ok', { n: 1 }))!;
    const w = startWorker(ctx, { 'test.ok': async (_c: unknown, _p: unknown, info?: JobRunInfo) => void seen.push(info!) } as never, { autostart: false });
    expect(await w.runOnce()).toBe(1);
    expect(await w.runOnce()).toBe(0);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1, last_error: null });
    expect(seen[0]).toMatchObject({ id, attempt: 1, maxAttempts: 5, lastAttempt: false });
  });

  it('does not run a job before run_at', async () => {
    await enqueue(ctx.db, 'test.ok', {}, { runAt: new Date(Date.now() + 60_000) });
    const w = startWorker(ctx, { 'test.ok': async () => undefined }, { autostart: false });
    expect(await w.runOnce()).toBe(0);
  });

  it('retries with exponential backoff and becomes a dead letter after max attempts', async () => {
    const id = (await enqueue(ctx.db, 'test.fail', {}, { maxAttempts: 3 }))!;
    const w = startWorker(ctx, { 'test.fail': async () => Promise.reject(new Error('kaputt')) }, { autostart: false });
    const delays: number[] = [];
    for (let i = 1; i <= 3; i++) {
      expect(await w.runOnce()).toBe(1);
      const [r] = await execRows<{ status: string; attempts: number; delay: number; last_error: string }>(
        ctx.db,
        sql`SELECT status, attempts, extract(epoch FROM run_at - now())::float AS delay, last_error FROM jobs WHERE id = ${id}`,
      );
      expect(r).toMatchObject({ attempts: i, last_error: 'kaputt', status: i < 3 ? 'queued' : 'dead' });
      delays.push(r!.delay);
      expect(await w.runOnce()).toBe(0); // not due yet (backoff) or dead
      await makeDue();
    }
    expect(delays[0]).toBeGreaterThan(3);
    expect(delays[0]).toBeLessThan(6);
    expect(delays[1]).toBeGreaterThan(23);
    expect(delays[1]).toBeLessThan(26);
    expect((await job(id)).finished_at).not.toBeNull();
    expect(await jobCounts(ctx.db, admin)).toEqual({ queued: 0, running: 0, done: 0, dead: 1 });
  });

  it('a PermanentJobError makes the job dead at once', async () => {
    const id = (await enqueue(ctx.db, 'test.perm', {}))!;
    const w = startWorker(ctx, { 'test.perm': async () => Promise.reject(new PermanentJobError('550 gibt es nicht')) }, { autostart: false });
    await w.runOnce();
    expect(await job(id)).toMatchObject({ status: 'dead', attempts: 1, last_error: '550 gibt es nicht' });
  });

  it('re-claims a stale running job, and buries one without attempts left', async () => {
    const a = (await enqueue(ctx.db, 'test.ok', {}))!;
    const b = (await enqueue(ctx.db, 'test.ok', {}, { maxAttempts: 1 }))!;
    await ctx.database.query(`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'crashed', locked_at = now() - interval '2 hours'`);
    const ran: number[] = [];
    const w = startWorker(ctx, { 'test.ok': async (_c: unknown, _p: unknown, info?: JobRunInfo) => void ran.push(info!.id) } as never, { autostart: false, staleAfterMs: 60_000 });
    expect(await w.runOnce()).toBe(1);
    expect(ran).toEqual([a]);
    expect(await job(a)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await job(b)).toMatchObject({ status: 'dead' });
    expect(String((await job(b)).last_error)).toMatch(/Worker nicht mehr erreichbar/);
  });

  it('a running job with a fresh lock is left alone', async () => {
    await enqueue(ctx.db, 'test.ok', {});
    await ctx.database.query(`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'other', locked_at = now()`);
    const w = startWorker(ctx, { 'test.ok': async () => undefined }, { autostart: false, staleAfterMs: 60_000 });
    expect(await w.runOnce()).toBe(0);
  });

  it('singleton key: one pending job per key; a new one after it finished', async () => {
    const first = await enqueue(ctx.db, 'test.ok', {}, { singletonKey: 'k1' });
    expect(first).not.toBeNull();
    expect(await enqueue(ctx.db, 'test.ok', {}, { singletonKey: 'k1' })).toBeNull();
    expect(await enqueue(ctx.db, 'test.ok', {}, { singletonKey: 'k2' })).not.toBeNull();
    await startWorker(ctx, { 'test.ok': async () => undefined }, { autostart: false, concurrency: 5 }).runOnce();
    expect(await enqueue(ctx.db, 'test.ok', {}, { singletonKey: 'k1' })).not.toBeNull();
  });

  it('retrying a dead job is audited; only dead jobs, only with admin.jobs', async () => {
    const id = (await enqueue(ctx.db, 'test.perm', {}))!;
    const w = startWorker(ctx, { 'test.perm': async () => Promise.reject(new PermanentJobError('nein')) }, { autostart: false });
    await w.runOnce();
    await expect(retryJob(ctx.db, { type: 'user', id: 'u1', roles: ['clerk'], department: null }, id)).rejects.toMatchObject({ code: 'forbidden' });
    await retryJob(ctx.db, admin, id, 'req-1');
    expect(await job(id)).toMatchObject({ status: 'queued', attempts: 0 });
    await expect(retryJob(ctx.db, admin, id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(retryJob(ctx.db, admin, 999999)).rejects.toMatchObject({ code: 'not_found' });
    const [a] = await execRows<{ action: string; object_id: string; request_id: string }>(ctx.db, sql`SELECT action, object_id, request_id FROM audit_log ORDER BY seq DESC LIMIT 1`);
    expect(a).toEqual({ action: 'job.retry', object_id: String(id), request_id: 'req-1' });
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
    const list = await listJobs(ctx.db, admin, { status: 'queued' });
    expect(list.items.map((j) => j.id)).toEqual([id]);
  });

  it('the running worker seals new audit entries within a tick', async () => {
    const { writeAudit } = await import('../audit/index.ts');
    const w = startWorker(ctx, {}, { idleMs: 50 });
    try {
      await writeAudit(ctx.db, { actor: admin, action: 'test.worker-seal', objectType: 'thing' });
      const sealed = async () =>
        (await execRows<{ chain_pos: unknown }>(ctx.db, sql`SELECT chain_pos FROM audit_log WHERE action = 'test.worker-seal'`))[0]!.chain_pos !== null;
      const deadline = Date.now() + 5000;
      while (!(await sealed()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await sealed()).toBe(true);
    } finally {
      await w.stop();
    }
  });

  it('the loop never runs more jobs at once than its concurrency, and fills a freed slot without waiting for the batch', async () => {
    let active = 0;
    let maxActive = 0;
    const started: number[] = [];
    const handler = async (_c: unknown, p: Record<string, unknown>) => {
      active++;
      maxActive = Math.max(maxActive, active);
      started.push(Date.now());
      await new Promise((r) => setTimeout(r, Number(p.ms)));
      active--;
    };
    // one long job and many short ones: the short ones must keep flowing through the other slots
    await enqueue(ctx.db, 'test.sleep', { ms: 1500 });
    for (let i = 0; i < 9; i++) await enqueue(ctx.db, 'test.sleep', { ms: 150 });
    const w = startWorker(ctx, { 'test.sleep': handler as never }, { idleMs: 100, concurrency: 3 });
    try {
      const deadline = Date.now() + 15_000;
      while ((await jobCounts(ctx.db, admin)).done < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect((await jobCounts(ctx.db, admin)).done).toBe(10);
      expect(maxActive).toBe(3);
      // batch-wise (wait for the whole batch) the long job would hold back the rest for 1.5 s
      expect(started.filter((t) => t - started[0]! < 1400).length).toBeGreaterThanOrEqual(6);
    } finally {
      await w.stop();
    }
    expect(w.active).toBe(0);
  });

  it('stop() waits for the jobs the loop is running', async () => {
    let finished = false;
    await enqueue(ctx.db, 'test.slow', {});
    const w = startWorker(ctx, { 'test.slow': async () => void (await new Promise((r) => setTimeout(r, 400)), (finished = true)) }, { idleMs: 20, concurrency: 2 });
    const deadline = Date.now() + 5000;
    while (w.active === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(w.active).toBe(1);
    await w.stop();
    expect(finished).toBe(true);
    expect((await jobCounts(ctx.db, admin)).done).toBe(1);
  });

  it('keeps the daily maintenance scheduled once, at 03:00 Europe/Berlin', async () => {
    const now = new Date('2026-03-28T12:00:00Z'); // the next 03:00 is after the switch to summer time
    expect(await scheduleRecurring(ctx.db, DEFAULT_RECURRING, ['maintenance.daily'], now)).toBe(1);
    expect(await scheduleRecurring(ctx.db, DEFAULT_RECURRING, ['maintenance.daily'], now)).toBe(0);
    expect(await scheduleRecurring(ctx.db, DEFAULT_RECURRING, ['other'], now)).toBe(0);
    const [r] = await execRows<{ run_at: Date | string; singleton_key: string }>(ctx.db, sql`SELECT run_at, singleton_key FROM jobs`);
    expect(new Date(r!.run_at).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });
});

/** Opens a second, independent connection pool on the same database (PostgreSQL) or reuses PGlite. */
async function secondConnection(): Promise<{ ctx2: AppContext; db2?: Database }> {
  if (ctx.database.kind !== 'postgres') return { ctx2: ctx };
  const url = (ctx.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
  const db2 = await openDatabase({ databaseUrl: url });
  return { ctx2: { ...ctx, database: db2, db: db2.db }, db2 };
}

describe(`jobs with two workers (${testDbKind()})`, () => {
  it('never runs a job twice when two workers on separate pools compete', async () => {
    const { ctx2, db2 } = await secondConnection();
    try {
      for (let i = 0; i < 60; i++) await enqueue(ctx.db, 'test.race', { i });
      const runs = new Map<number, string[]>();
      const handler = (who: string) => async (_c: AppContext, p: Record<string, unknown>) => {
        const i = p.i as number;
        runs.set(i, [...(runs.get(i) ?? []), who]);
        await new Promise((r) => setTimeout(r, 2));
      };
      const w1 = startWorker(ctx, { 'test.race': handler('w1') }, { autostart: false, concurrency: 4, id: 'w1' });
      const w2 = startWorker(ctx2, { 'test.race': handler('w2') }, { autostart: false, concurrency: 4, id: 'w2' });
      const drain = async (w: typeof w1) => {
        let total = 0;
        for (let n = await w.runOnce(); n > 0; n = await w.runOnce()) total += n;
        return total;
      };
      const [n1, n2] = await Promise.all([drain(w1), drain(w2)]);
      expect(n1 + n2).toBe(60);
      expect(runs.size).toBe(60);
      expect([...runs.values()].every((v) => v.length === 1)).toBe(true);
      if (ctx.database.kind === 'postgres') expect(Math.min(n1, n2)).toBeGreaterThan(0);
      expect((await jobCounts(ctx.db, admin)).done).toBe(60);
    } finally {
      await db2?.close();
    }
  });

  it('concurrent enqueues with one singleton key create one job', async () => {
    const { ctx2, db2 } = await secondConnection();
    try {
      const ids = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? ctx2 : ctx).db.transaction((tx) => enqueue(tx, 'test.ok', {}, { singletonKey: 'same' }))),
      );
      expect(ids.filter((x) => x !== null)).toHaveLength(1);
    } finally {
      await db2?.close();
    }
  });
});

describe(`recurring jobs of modules (${testDbKind()})`, () => {
  const pending = () =>
    execRows<{ queue: string; singleton_key: string; run_at: Date | string; max_attempts: number }>(
      ctx.db,
      sql`SELECT queue, singleton_key, run_at, max_attempts FROM jobs WHERE status IN ('queued', 'running') ORDER BY queue`,
    );

  it('validates the spec: exactly one of everySeconds / dailyAt, HH:MM', () => {
    expect(() => recurringFromSpec({ queue: 'x.y' })).toThrow(/genau eines/);
    expect(() => recurringFromSpec({ queue: 'x.y', everySeconds: 5, dailyAt: '03:00' })).toThrow(/genau eines/);
    expect(() => recurringFromSpec({ queue: 'x.y', everySeconds: 0 })).toThrow(/≥ 1/);
    expect(() => recurringFromSpec({ queue: 'x.y', dailyAt: '24:00' })).toThrow(/HH:MM/);
    const d = recurringFromSpec({ queue: 'x.y', dailyAt: '03:30' });
    expect(d.singletonKey).toBe('recurring:x.y');
    // summer time: 03:30 CEST = 01:30 UTC
    expect(d.nextRunAt(new Date('2026-07-01T12:00:00Z')).toISOString()).toBe('2026-07-02T01:30:00.000Z');
  });

  it('schedules module jobs beside maintenance.daily, runs them and queues the next run after each run (also after a failure)', async () => {
    let runs = 0;
    const handlers = {
      'maintenance.daily': async () => undefined,
      'test.tick': async () => {
        runs++;
        if (runs === 2) throw new Error('kaputt');
      },
      'test.nightly': async () => undefined,
    };
    const w = startWorker(ctx, handlers, { autostart: false, recurringSpecs: [{ queue: 'test.tick', everySeconds: 30 }, { queue: 'test.nightly', dailyAt: '02:15' }, { queue: 'test.nohandler', everySeconds: 5 }] });
    const t0 = Date.now();
    expect(await w.schedule()).toBe(3);
    expect(await w.schedule()).toBe(0);
    const first = await pending();
    expect(first.map((j) => [j.queue, j.singleton_key, j.max_attempts])).toEqual([
      ['maintenance.daily', 'recurring:maintenance.daily', 3],
      ['test.nightly', 'recurring:test.nightly', 3],
      ['test.tick', 'recurring:test.tick', 1],
    ]);
    const tick = () => first.find((j) => j.queue === 'test.tick')!;
    expect(new Date(tick().run_at).getTime() - t0).toBeGreaterThanOrEqual(29_000);
    for (let i = 1; i <= 3; i++) {
      await ctx.database.query(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE queue = 'test.tick' AND status = 'queued'`);
      expect(await w.runOnce()).toBe(1);
      const p = (await pending()).filter((j) => j.queue === 'test.tick');
      expect(p).toHaveLength(1);
      expect(new Date(p[0]!.run_at).getTime()).toBeGreaterThan(Date.now() + 25_000);
    }
    expect(runs).toBe(3);
    const ended = await execRows<{ status: string }>(ctx.db, sql`SELECT status FROM jobs WHERE queue = 'test.tick' AND status IN ('done', 'dead') ORDER BY id`);
    expect(ended.map((e) => e.status)).toEqual(['done', 'dead', 'done']);
    await w.stop();
  });

  it('several instances scheduling at once keep one pending run per queue', async () => {
    const { ctx2, db2 } = await secondConnection();
    try {
      const specs = [{ queue: 'test.tick', everySeconds: 10 }];
      const workers = Array.from({ length: 4 }, (_, i) => startWorker(i % 2 ? ctx2 : ctx, { 'test.tick': async () => undefined }, { autostart: false, recurring: [], recurringSpecs: specs, id: `w${i}` }));
      const made = await Promise.all(workers.map((w) => w.schedule()));
      expect(made.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await pending()).toHaveLength(1);
      await Promise.all(workers.map((w) => w.stop()));
    } finally {
      await db2?.close();
    }
  });

  it('runRecurringSoon moves the pending run to now instead of queueing a second one', async () => {
    const w = startWorker(ctx, { 'test.tick': async () => undefined }, { autostart: false, recurring: [], recurringSpecs: [{ queue: 'test.tick', everySeconds: 3600 }] });
    await w.schedule();
    await runRecurringSoon(ctx.db, 'test.tick');
    const p = await pending();
    expect(p).toHaveLength(1);
    expect(new Date(p[0]!.run_at).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await w.runOnce()).toBe(1);
    await ctx.database.query('DELETE FROM jobs');
    await runRecurringSoon(ctx.db, 'test.tick');
    expect(await pending()).toHaveLength(1);
    await w.stop();
  });
});
