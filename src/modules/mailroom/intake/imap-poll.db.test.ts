import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../../test/helpers/context.ts';
import { startDovecot, type Dovecot } from '../../../../test/helpers/dovecot.ts';
import type { AppContext } from '../../../core/context.ts';
import { execRows } from '../../../core/db/index.ts';
import { pollAllMailboxes, pollMailbox } from './imap-poll.ts';
import { upsertMailbox } from './repository.ts';
import { configureMailbox, listMailboxSummaries } from './configure-mailbox.ts';
import { cliActor } from '../../../core/auth/index.ts';

const MAIL = resolve(import.meta.dirname, '../../../../../shared/data/mail');
const haveDovecot = (() => {
  try {
    execSync('command -v dovecot', { stdio: 'ignore' });
    return existsSync(MAIL) && process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

/** Dovecot with Maildir uses "." as hierarchy separator. */
const PROCESSED = 'Lotse.Verarbeitet';

const plain = (id: string, subject: string, body: string) =>
  Buffer.from(`From: Erika Muster <erika@example.org>\r\nTo: poststelle@northeim.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}@example.org>\r\nDate: Tue, 24 Nov 2026 09:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);

describe.skipIf(!haveDovecot)('IMAP intake against a real Dovecot', () => {
  let ctx: AppContext;
  let dataDir: string;
  let imap: Dovecot;
  let client: ImapFlow;

  const docs = () => execRows<{ id: string; source: string; kind: string; status: string }>(ctx.db, sql`SELECT id, source, kind, status FROM documents ORDER BY id`);
  /** Counts with a fresh connection (a long-lived session may not have seen another session's moves yet). */
  const folderCount = async (path: string, seen?: boolean) => {
    const c = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.pass }, logger: false });
    await c.connect();
    try {
      const lock = await c.getMailboxLock(path);
      try {
        return ((await c.search(seen === undefined ? { all: true } : { seen }, { uid: true })) || []).length;
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-imap-data-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir });
    imap = await startDovecot();
    client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.pass }, logger: false });
    await client.connect();
    process.env.LOTSE_TEST_IMAP_PASS = imap.pass;
    const mb = await configureMailbox(ctx, cliActor, { name: 'poststelle', host: imap.host, port: imap.port, secure: false, username: imap.user, passwordEnv: 'LOTSE_TEST_IMAP_PASS' });
    expect(mb).toMatchObject({ name: 'poststelle', passwordSource: 'env', folder: 'INBOX', processedFolder: 'Lotse/Verarbeitet' });
    expect(JSON.stringify(await listMailboxSummaries(ctx, cliActor))).not.toContain(imap.pass);
  }, 30_000);
  afterAll(async () => {
    await client?.logout().catch(() => undefined);
    await imap?.stop();
    await ctx?.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores three mails (one with a ZUGFeRD invoice) as documents, then flags and moves them', async () => {
    await client.append('INBOX', plain('q1', 'Frage zum Personalausweis', 'Guten Tag, wie lange dauert ein neuer Personalausweis?'));
    await client.append('INBOX', plain('q2', 'Sperrmüll', 'Wann wird in der Mühlenstraße Sperrmüll abgeholt?'));
    await client.append('INBOX', readFileSync(join(MAIL, '06.eml')));

    const [r] = await pollAllMailboxes(ctx);
    expect(r).toMatchObject({ mailbox: 'poststelle', fetched: 3, stored: 3, alreadyKnown: 0, moved: 3 });
    expect(r!.error).toBeUndefined();

    const rows = await docs();
    expect(rows.filter((d) => d.source === 'imap')).toHaveLength(3);
    const attachments = rows.filter((d) => d.source === 'email-attachment');
    expect(attachments).toHaveLength(1);
    expect(attachments[0]!.kind).toBe('zugferd');

    expect(await folderCount('INBOX')).toBe(0);
    expect(await folderCount(PROCESSED)).toBe(3);
    expect(await folderCount(PROCESSED, false)).toBe(0);
    const taken = await execRows<{ state: string }>(ctx.db, sql`SELECT state FROM mailroom_imap_messages`);
    expect(taken.map((t) => t.state)).toEqual(['done', 'done', 'done']);
  }, 60_000);

  it('a crash after the commit but before flagging does not duplicate the message', async () => {
    await client.append('INBOX', plain('q3', 'Hundesteuer', 'Ich möchte meinen Hund abmelden.'));
    const before = (await docs()).length;
    const [mb] = await execRows<{ id: number }>(ctx.db, sql`SELECT id FROM mailroom_mailboxes WHERE name = 'poststelle'`);
    const { findMailbox } = await import('./repository.ts');
    const row = (await findMailbox(ctx.db, Number(mb!.id)))!;
    await expect(
      pollMailbox(ctx, row, {
        afterCommit: () => {
          throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect((await docs()).length).toBe(before + 1);
    expect(await folderCount('INBOX', false)).toBe(1); // still unseen, not moved

    const [again] = await pollAllMailboxes(ctx);
    expect(again).toMatchObject({ fetched: 1, stored: 0, alreadyKnown: 1, moved: 1 });
    expect((await docs()).length).toBe(before + 1);
    expect(await folderCount('INBOX')).toBe(0);
    expect(await folderCount(PROCESSED)).toBe(4);
  }, 60_000);

  it('a message flagged \\Seen but not moved (connection lost in between) is still moved by the next read', async () => {
    await client.append('INBOX', plain('q4', 'Parkausweis', 'Wie bekomme ich einen Bewohnerparkausweis?'));
    const before = (await docs()).length;
    const [mb] = await execRows<{ id: number }>(ctx.db, sql`SELECT id FROM mailroom_mailboxes WHERE name = 'poststelle'`);
    const { findMailbox } = await import('./repository.ts');
    const row = (await findMailbox(ctx.db, Number(mb!.id)))!;
    await expect(
      pollMailbox(ctx, row, {
        afterCommit: async (uid) => {
          // what the read did before the connection dropped: the flag is set, the move never happened
          const lock = await client.getMailboxLock('INBOX');
          try {
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          } finally {
            lock.release();
          }
          throw new Error('connection lost');
        },
      }),
    ).rejects.toThrow('connection lost');
    expect(await folderCount('INBOX', true)).toBe(1); // seen, still in the inbox
    expect(await folderCount('INBOX', false)).toBe(0); // so an "unseen" search alone would never find it again

    const [again] = await pollAllMailboxes(ctx);
    expect(again).toMatchObject({ fetched: 1, stored: 0, alreadyKnown: 1, moved: 1 });
    expect((await docs()).length).toBe(before + 1);
    expect(await folderCount('INBOX')).toBe(0);
    const states = await execRows<{ state: string }>(ctx.db, sql`SELECT state FROM mailroom_imap_messages WHERE message_key = '<q4@example.org>'`);
    expect(states.map((r) => r.state)).toEqual(['done']);
  }, 60_000);

  it('records a connection error on the mailbox without throwing', async () => {
    await upsertMailbox(ctx.db, { name: 'kaputt', host: '127.0.0.1', port: 1, secure: false, username: 'x', password: 'y' });
    const res = await pollAllMailboxes(ctx);
    expect(res.find((r) => r.mailbox === 'kaputt')?.error).toBeTruthy();
    const [mb] = await execRows<{ last_error: string | null }>(ctx.db, sql`SELECT last_error FROM mailroom_mailboxes WHERE name = 'kaputt'`);
    expect(mb!.last_error).toBeTruthy();
  }, 60_000);
});
