// Audit log throughput: how many hash-chained appends per second, alone and inside concurrent
// "booking" transactions, on PostgreSQL (and PGlite for reference); plus verify speed.
// Usage: npm run bench:audit   (LOTSE_BENCH_DATABASE_URL, default postgresql://lotse:lotse@127.0.0.1:5432/lotse_test)
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../src/core/db/index.ts';
import { sealAudit, verifyAuditChain, writeAudit } from '../src/core/audit/index.ts';
import { machineLine, writeSection } from './lib/report.mjs';

const BASE = process.env.LOTSE_BENCH_DATABASE_URL ?? process.env.LOTSE_TEST_DATABASE_URL ?? 'postgresql://lotse:lotse@127.0.0.1:5432/lotse_test';
const actor = { type: 'system', id: 'bench' };
const entry = (i) => ({ actor, action: 'appointment.book', objectType: 'appointment', objectId: `a-${i}`, summary: { after: { status: 'booked', slot: '2026-12-01T09:00' } } });

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Runs `total` transactions with `concurrency` in flight; returns writes/s and latency percentiles (ms). */
async function run(db, total, concurrency, body) {
  let next = 0;
  const lat = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const s = performance.now();
        await db.transaction((tx) => body(tx, i));
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  return { perSec: Math.round(total / secs), p50: pct(lat, 50).toFixed(1), p95: pct(lat, 95).toFixed(1) };
}

async function withPg(fn) {
  const name = `lotse_bench_audit_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(BASE);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString() });
  try {
    await database.migrate();
    await database.query('CREATE TABLE bench_booking (id serial PRIMARY KEY, slot text NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    return await fn(database);
  } finally {
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const booking = (tx, i) => tx.execute(sql`INSERT INTO bench_booking (slot) VALUES (${`slot-${i}`})`);
const otherWork = (tx) => tx.execute(sql`SELECT pg_sleep(0.002)`); // 2 ms of further statements in the same transaction

const rows = [];
let ratio = 0;

/** Seals once a second like the job worker does, recording the largest backlog it found. */
function backgroundSealer(db) {
  let running = true;
  let maxBacklog = 0;
  const done = (async () => {
    while (running) {
      maxBacklog = Math.max(maxBacklog, await sealAudit(db));
      await new Promise((r) => setTimeout(r, 1000));
    }
    await sealAudit(db);
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return maxBacklog;
    },
  };
}

const pgRes = await withPg(async (database) => {
  const db = database.db;
  await run(db, 200, 1, (tx, i) => writeAudit(tx, entry(i))); // warm-up
  rows.push(['PostgreSQL', 'writeAudit alone, 1 client', await run(db, 2000, 1, (tx, i) => writeAudit(tx, entry(i)))]);
  rows.push(['PostgreSQL', 'writeAudit alone, 10 clients', await run(db, 4000, 10, (tx, i) => writeAudit(tx, entry(i)))]);
  // Baseline and with-audit alternate three times (the machine is shared and noisy); the median is reported.
  const base = [];
  const withAudit = [];
  await sealAudit(db); // start the rush with an empty backlog
  const sealer = backgroundSealer(db);
  for (let round = 0; round < 3; round++) {
    base.push(
      await run(db, 1500, 10, async (tx, i) => {
        await booking(tx, i);
        await otherWork(tx);
      }),
    );
    withAudit.push(
      await run(db, 1500, 10, async (tx, i) => {
        await writeAudit(tx, entry(i));
        await booking(tx, i);
        await otherWork(tx);
      }),
    );
  }
  const median = (rs) => [...rs].sort((a, b) => a.perSec - b.perSec)[1];
  rows.push(['PostgreSQL', 'booking insert + 2 ms work, no audit (baseline), 10 clients, median of 3', median(base)]);
  rows.push(['PostgreSQL', 'booking insert + 2 ms work + writeAudit, 10 clients, sealer every 1 s, median of 3', median(withAudit)]);
  ratio = median(withAudit).perSec / median(base).perSec;
  const maxBacklog = await sealer.stop();
  // Sealing throughput on a backlog (e.g. after the worker was down).
  for (let i = 0; i < 20000; i += 500) {
    await db.transaction(async (tx) => {
      for (let j = 0; j < 500; j++) await writeAudit(tx, entry(i + j));
    });
  }
  const s0 = performance.now();
  const sealed = await sealAudit(db);
  const sealPerSec = Math.round(sealed / ((performance.now() - s0) / 1000));
  const t0 = performance.now();
  const v = await verifyAuditChain(db);
  const secs = (performance.now() - t0) / 1000;
  return { verified: v.checked, ok: v.ok, verifyPerSec: Math.round(v.checked / secs), sealed, sealPerSec, maxBacklog };
});

const lite = await openDatabase({ memory: true });
await lite.migrate();
rows.push(['PGlite (in memory)', 'writeAudit alone, 1 client', await run(lite.db, 2000, 1, (tx, i) => writeAudit(tx, entry(i)))]);
const t1 = performance.now();
const lv = await verifyAuditChain(lite.db); // includes sealing the 2000 entries
const liteVerify = Math.round(lv.checked / ((performance.now() - t1) / 1000));
await lite.close();

const table = [
  '| Database | Scenario | Transactions/s | p50 ms | p95 ms |',
  '|---|---|---:|---:|---:|',
  ...rows.map(([d, s, r]) => `| ${d} | ${s} | ${r.perSec} | ${r.p50} | ${r.p95} |`),
].join('\n');

const md = `## Audit log (\`npm run bench:audit\`)

Machine: ${machineLine()}. Local PostgreSQL ${BASE.replace(/\/\/[^@]*@/, '//…@')} (fresh database per run), default \`synchronous_commit\`.
Each transaction appends one entry (\`appointment.book\`, small summary). "2 ms work" is \`pg_sleep(0.002)\` standing in for the other statements of a booking.
Other engineers' processes shared the two cores while this ran; treat the figures as a lower bound.

${table}

\`writeAudit\` is a plain INSERT in the caller's transaction (no lock): bookings with audit ran at ${Math.round(ratio * 100)} % of the
rate without audit (one more row per transaction, plus the sealer sharing the two cores); nothing serialises them. Chaining happens after commit: the sealer (job worker, once a second) took at most ${pgRes.maxBacklog} entries per round during
the rush above, and sealed a backlog of ${pgRes.sealed} entries at ${pgRes.sealPerSec} entries/s (batches of 500, one advisory-locked
transaction each).

Verify (\`lotse audit verify\`) recomputed the chain of ${pgRes.verified} entries at ${pgRes.verifyPerSec} entries/s on PostgreSQL (${pgRes.ok ? 'intact' : 'BROKEN'}),
${liteVerify} entries/s on PGlite (including sealing).

Earlier design, for comparison (same machine, same day): appending inline under an advisory lock held until COMMIT gave
123 appends/s with 1 client and 108/s with 10 clients, and capped "booking + audit" at 117 transactions/s against 678/s without audit –
the audit log was the bottleneck, which is why it was changed.
`;
writeSection('audit', md);
console.log(md);
