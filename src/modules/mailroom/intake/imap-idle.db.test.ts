import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, execSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../../test/helpers/context.ts';
import { startDovecot, type Dovecot } from '../../../../test/helpers/dovecot.ts';
import type { AppContext } from '../../../core/context.ts';
import { execRows } from '../../../core/db/index.ts';
import { cliActor } from '../../../core/auth/index.ts';
import { configureMailbox, listMailboxSummaries } from './configure-mailbox.ts';
import { DEFAULT_IDLE_OPTIONS, ImapIdleService, imapIdleService, imapIdleServices } from './imap-idle.ts';
import { pollAllMailboxes } from './imap-poll.ts';
import { startServices } from '../../../boot.ts';
import { module as mailroom } from '../index.ts';

const haveDovecot = (() => {
  try {
    execSync('command -v dovecot', { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

const plain = (id: string, subject: string, body: string) =>
  Buffer.from(`From: Erika Muster <erika@example.org>\r\nTo: poststelle@northeim.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}@example.org>\r\nDate: Tue, 24 Nov 2026 09:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);

const until = async (what: () => Promise<boolean> | boolean, ms: number): Promise<number> => {
  const t0 = Date.now();
  while (!(await what())) {
    if (Date.now() - t0 > ms) throw new Error(`timeout after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
};

const FAST = { ...DEFAULT_IDLE_OPTIONS, leaseRetryMs: 300, backoffMs: 200, maxBackoffMs: 1000 };

describe.skipIf(!haveDovecot)('IMAP IDLE against a real Dovecot', () => {
  let ctx: AppContext;
  let dataDir: string;
  let imap: Dovecot;
  let client: ImapFlow;
  let first: ImapIdleService;
  let second: ImapIdleService;

  const imapDocs = async () => (await execRows<{ id: string }>(ctx.db, sql`SELECT id FROM documents WHERE source = 'imap'`)).length;
  const lease = async () => (await execRows<{ lease_owner: string | null; idle_supported: boolean | null }>(ctx.db, sql`SELECT lease_owner, idle_supported FROM mailroom_mailboxes WHERE name = 'poststelle'`))[0]!;
  const inboxCount = async () => {
    const c = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.pass }, logger: false });
    await c.connect();
    try {
      const lock = await c.getMailboxLock('INBOX');
      try {
        return ((await c.search({ all: true }, { uid: true })) || []).length;
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-idle-data-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir });
    imap = await startDovecot();
    client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.pass }, logger: false });
    await client.connect();
    process.env.LOTSE_TEST_IMAP_IDLE_PASS = imap.pass;
    await configureMailbox(ctx, cliActor, { name: 'poststelle', host: imap.host, port: imap.port, secure: false, username: imap.user, passwordEnv: 'LOTSE_TEST_IMAP_IDLE_PASS' });
  }, 30_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await client?.logout().catch(() => undefined);
    await imap?.stop();
    await ctx?.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads mail waiting at connect, then a mail appended while idling within seconds, without a poll', async () => {
    await client.append('INBOX', plain('i0', 'Vorher', 'Diese Nachricht lag schon im Postfach.'));
    first = new ImapIdleService(ctx, FAST, 'idle:test-a');
    await first.sync();
    await until(async () => (await imapDocs()) === 1, 15_000);
    await until(() => first.status()[0]?.state === 'idle', 15_000);
    expect(await lease()).toMatchObject({ lease_owner: 'idle:test-a', idle_supported: true });
    expect((await listMailboxSummaries(ctx, cliActor))[0]).toMatchObject({ name: 'poststelle', readBy: 'idle', idleSupported: true });

    await client.append('INBOX', plain('i1', 'Sperrmüll', 'Wann wird in der Mühlenstraße Sperrmüll abgeholt?'));
    const ms = await until(async () => (await imapDocs()) === 2, 20_000);
    // well under a second on a quiet machine (bench:imap-idle); generous here because the suite runs OCR in parallel
    expect(ms).toBeLessThan(10_000);
    await until(async () => (await inboxCount()) === 0, 20_000); // flagged and moved after the commit
  }, 60_000);

  it('only the lease holder reads: the poll job and a second instance keep off', async () => {
    const [r] = await pollAllMailboxes(ctx);
    expect(r!.skipped).toBeTruthy();
    expect(r!.fetched).toBe(0);
    second = new ImapIdleService(ctx, FAST, 'idle:test-b');
    await second.sync();
    await until(() => second.status()[0]?.state === 'waiting-lease', 15_000);

    // The first instance shuts down: it gives its lease back, the second takes over and reads.
    await first.stop();
    expect(first.status()).toEqual([]);
    await until(async () => (await lease()).lease_owner === 'idle:test-b', 15_000);
    await until(() => second.status()[0]?.state === 'idle', 15_000);
    await client.append('INBOX', plain('i2', 'Hundesteuer', 'Ich möchte meinen Hund abmelden.'));
    await until(async () => (await imapDocs()) === 3, 20_000);
  }, 60_000);

  it('reconnects after the server drops the connection', async () => {
    expect(second.status()[0]!.connections).toBe(1);
    execFileSync('doveadm', ['-c', join(imap.dir, 'dovecot.conf'), 'kick', imap.user], { stdio: 'ignore' });
    await until(() => second.status()[0]!.connections === 2 && second.status()[0]?.state === 'idle', 10_000);
    const c = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.pass }, logger: false });
    await c.connect();
    await c.append('INBOX', plain('i3', 'Nach Neuverbindung', 'Diese Nachricht kam nach dem Abbruch.'));
    await c.logout();
    await until(async () => (await imapDocs()) === 4, 20_000);
    const done = async () => Number((await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM mailroom_imap_messages WHERE state = 'done'`))[0]!.n);
    try {
      await until(async () => (await done()) === 4, 20_000);
    } catch (e) {
      const rows = await execRows(ctx.db, sql`SELECT message_key, state FROM mailroom_imap_messages ORDER BY id`);
      const mb = await execRows(ctx.db, sql`SELECT last_error, lease_owner FROM mailroom_mailboxes`);
      console.error('DEBUG', JSON.stringify({ rows, mb, status: second.status() }));
      throw e;
    }
  }, 60_000);

  it('a server without IDLE: the watcher gives up, records it, and the poll reads the mailbox', async () => {
    // A minimal IMAP server that logs in but offers no IDLE (only what imapflow's connect needs).
    const server = createServer((sock) => {
      sock.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ohne IDLE\r\n');
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        let i: number;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const [tag, cmd] = line.split(' ');
          const c = (cmd ?? '').toUpperCase();
          if (c === 'CAPABILITY') sock.write('* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n');
          if (c === 'LOGOUT') {
            sock.write(`* BYE\r\n${tag} OK LOGOUT completed\r\n`);
            sock.end();
            continue;
          }
          if (c === 'LOGIN') sock.write(`${tag} OK [CAPABILITY IMAP4rev1] eingeloggt\r\n`);
          else sock.write(`${tag} OK ${c} completed\r\n`);
        }
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const dir3 = mkdtempSync(join(tmpdir(), 'lotse-idle-data3-'));
    const ctx3 = await createTestContext({ LOTSE_DATA_DIR: dir3 });
    try {
      await configureMailbox(ctx3, cliActor, { name: 'alt', host: '127.0.0.1', port: (server.address() as AddressInfo).port, secure: false, username: 'x', passwordEnv: 'LOTSE_TEST_IMAP_IDLE_PASS' });
      const service = new ImapIdleService(ctx3, FAST, 'idle:test-c');
      await service.sync();
      await until(() => service.status()[0]?.state === 'unsupported', 10_000);
      const [row] = await execRows<{ idle_supported: boolean | null; lease_owner: string | null }>(ctx3.db, sql`SELECT idle_supported, lease_owner FROM mailroom_mailboxes`);
      expect(row).toEqual({ idle_supported: false, lease_owner: null });
      // the poll is not kept off: it takes the mailbox (and fails here only because the fake server cannot list folders)
      const [r] = await pollAllMailboxes(ctx3);
      expect(r!.skipped).toBeUndefined();
      await service.stop();
    } finally {
      await ctx3.database.close();
      server.close();
      rmSync(dir3, { recursive: true, force: true });
    }
  }, 60_000);

  it('the module service (LotseModule.services) starts the watchers and stops them, giving the lease back', async () => {
    await second.stop();
    const dir2 = mkdtempSync(join(tmpdir(), 'lotse-idle-data2-'));
    const ctx2 = await createTestContext({ LOTSE_DATA_DIR: dir2 });
    try {
      await configureMailbox(ctx2, cliActor, { name: 'poststelle', host: imap.host, port: imap.port, secure: false, username: imap.user, passwordEnv: 'LOTSE_TEST_IMAP_IDLE_PASS' });
      expect(ctx2.config.LOTSE_IMAP_IDLE).toBe('on');
      expect(imapIdleServices({ ...ctx2, config: { ...ctx2.config, LOTSE_IMAP_IDLE: 'off' } })).toEqual([]);
      const running = await startServices(ctx2, [mailroom]); // what `lotse serve` does after starting the worker
      expect(running.names).toEqual(['mailroom.imap-idle']);
      const service = imapIdleService(ctx2);
      await until(() => service.status()[0]?.state === 'idle', 10_000);
      const owner = async () => (await execRows<{ lease_owner: string | null }>(ctx2.db, sql`SELECT lease_owner FROM mailroom_mailboxes`))[0]!.lease_owner;
      expect(await owner()).toBe(service.owner);
      await running.stop(); // what `lotse serve` does on SIGTERM, before closing the database
      expect(service.status()).toEqual([]);
      expect(await owner()).toBeNull();
    } finally {
      await ctx2.database.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  }, 60_000);
});
