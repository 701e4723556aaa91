// IMAP intake benchmark against a throwaway Dovecot (needs `dovecot` from dovecot-imapd and root).
//   npm run bench:imap-idle      (= node --import tsx bench/imap-idle.mjs)
// 1. IDLE latency: one IDLE watcher on the mailbox; 20 mails are appended one after another and the
//    time from APPEND to the committed document is measured (PGlite in memory).
// 2. Poll throughput: IDLE stopped, 40 mails appended, one pollAllMailboxes() stores, flags and moves them.
// Synthetic plain-text mails (no personal data); no figures from trained models.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { createContext, prepare } from '../src/boot.ts';
import { loadConfig } from '../src/core/config.ts';
import { openDatabase, execRows } from '../src/core/db/index.ts';
import { cliActor } from '../src/core/auth/index.ts';
import { configureMailbox, imapIdleService, pollAllMailboxes, stopImapIdle } from '../src/modules/mailroom/intake/index.ts';
import { startDovecot } from '../test/helpers/dovecot.ts';
import { machineLine, writeSection } from './lib/report.mjs';

try {
  execSync('command -v dovecot', { stdio: 'ignore' });
  if (process.getuid?.() !== 0) throw new Error('root needed');
} catch {
  process.stderr.write('bench:imap-idle übersprungen: dovecot (dovecot-imapd) und root nötig.\n');
  process.exit(0);
}

const N_IDLE = 20;
const N_POLL = 40;
const load0 = loadavg()[0];
const dataDir = mkdtempSync(join(tmpdir(), 'lotse-bench-imap-'));
const imap = await startDovecot();
process.env.LOTSE_BENCH_IMAP_PASS = imap.pass;
const config = loadConfig({ ...process.env, LOTSE_DATA_DIR: dataDir, LOTSE_DEMO: 'off', LOTSE_LOG_LEVEL: 'silent' });
const ctx = await createContext({ config, database: await openDatabase({ memory: true }) });
await prepare(ctx);
await configureMailbox(ctx, cliActor, { name: 'poststelle', host: imap.host, port: imap.port, secure: false, username: imap.user, passwordEnv: 'LOTSE_BENCH_IMAP_PASS' });

const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.pass }, logger: false });
await client.connect();
const mail = (i, topic) =>
  Buffer.from(
    `From: Bench <bench${i}@example.org>\r\nTo: poststelle@northeim.example\r\nSubject: ${topic} ${i}\r\nMessage-ID: <bench-${topic}-${i}@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGuten Tag, eine Frage zu ${topic} (Nachricht ${i}).\r\n`,
  );
const count = async () => Number((await execRows(ctx.db, sql`SELECT count(*)::int AS n FROM documents WHERE source = 'imap'`))[0].n);
const waitFor = async (n, ms = 30_000) => {
  const t0 = Date.now();
  while ((await count()) < n) {
    if (Date.now() - t0 > ms) throw new Error(`timeout waiting for ${n} documents`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

// 1. IDLE latency
const idle = imapIdleService(ctx);
await idle.sync();
for (let t0 = Date.now(); idle.status()[0]?.state !== 'idle'; ) {
  if (Date.now() - t0 > 15_000) throw new Error('IDLE watcher did not start');
  await new Promise((r) => setTimeout(r, 20));
}
const latencies = [];
for (let i = 0; i < N_IDLE; i++) {
  const before = await count();
  const t0 = performance.now();
  await client.append('INBOX', mail(i, 'Sperrmüll'));
  await waitFor(before + 1);
  latencies.push(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 200));
}
await stopImapIdle(ctx);
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];

// 2. Poll throughput
for (let i = 0; i < N_POLL; i++) await client.append('INBOX', mail(i, 'Hundesteuer'));
const p0 = performance.now();
const [r] = await pollAllMailboxes(ctx);
const pollMs = performance.now() - p0;
await client.logout();
const load1 = loadavg()[0];
await ctx.database.close();
await imap.stop();
rmSync(dataDir, { recursive: true, force: true });

const md = `## IMAP intake (IDLE latency, poll throughput)

${machineLine()}; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} (shared machine). Dovecot ${execSync('dovecot --version').toString().trim()} on 127.0.0.1, PGlite in memory, synthetic plain-text mails.

| measure | value |
| --- | --- |
| IDLE: APPEND → committed document, median (${N_IDLE} mails, one at a time) | ${Math.round(q(0.5))} ms |
| IDLE: p95 / max | ${Math.round(q(0.95))} ms / ${Math.round(latencies[latencies.length - 1])} ms |
| Poll (IDLE off): ${r.fetched} waiting mails stored, flagged, moved in one poll | ${(pollMs / 1000).toFixed(2)} s (${(r.fetched / (pollMs / 1000)).toFixed(1)} mails/s) |

Without IDLE a new mail waits for the next poll (every 60 s, on average 30 s).
`;
writeSection('imap-idle', md);
process.stdout.write(md);
