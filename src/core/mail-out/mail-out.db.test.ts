import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import { rawHeader, startSmtpPeer } from '../../../test/helpers/smtp.ts';
import type { AppContext } from '../context.ts';
import { execRows } from '../db/index.ts';
import { systemActor } from '../auth/actor.ts';
import { verifyAuditChain } from '../audit/index.ts';
import { coreJobs, runDailyMaintenance } from '../core-jobs.ts';
import { startWorker } from '../jobs/worker.ts';
import { listOutbox, MAIL_MAX_ATTEMPTS, outboxCounts, queueMail, retryMail } from './index.ts';

let base: AppContext;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lotse-mail-'));
  base = await createTestContext({ LOTSE_DATA_DIR: dataDir, LOTSE_MAIL_FROM: 'Stadt Northeim <no-reply@northeim.example>' });
  smtp = await startSmtpPeer();
});
afterAll(async () => {
  await smtp?.close();
  await base?.database.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await base.database.query('DELETE FROM outbox');
  await base.database.query('DELETE FROM jobs');
  smtp.reset();
});

const withSmtp = (url: string | undefined): AppContext => ({ ...base, config: { ...base.config, LOTSE_SMTP_URL: url } });
const worker = (ctx: AppContext) => startWorker(ctx, coreJobs, { autostart: false });
const outboxRow = async (id: string) => (await execRows<Record<string, unknown>>(base.db, sql`SELECT * FROM outbox WHERE id = ${id}`))[0]!;
const makeDue = () => base.database.query(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE status = 'queued'`);
const admin = systemActor('test');

const pdf = Buffer.from('%PDF-1.4 Terminbestätigung');
const mail = {
  to: 'maria.muster@example.org',
  subject: 'Ihr Termin im Bürgerbüro',
  text: 'Guten Tag,\nIhr Termin ist am 2. Dezember um 10:00 Uhr.',
  html: '<p>Guten Tag,</p><p>Ihr Termin ist am <b>2. Dezember</b>.</p>',
  attachments: [{ filename: 'termin.pdf', contentType: 'application/pdf', contentBase64: pdf.toString('base64') }],
  kind: 'appointment-confirmation',
};

describe(`e-mail outbox (${testDbKind()})`, () => {
  it('delivers over SMTP with subject, body and attachment', async () => {
    const id = await base.db.transaction((tx) => queueMail(tx, mail));
    const ctx = withSmtp(smtp.url);
    expect(await worker(ctx).runOnce()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.subject).toBe(mail.subject);
    expect(m.text?.trim()).toBe(mail.text);
    expect(m.html).toContain('<b>2. Dezember</b>');
    expect(m.from?.text).toContain('no-reply@northeim.example');
    expect((m.to as { text: string }).text).toBe('maria.muster@example.org');
    expect(m.messageId).toBe(`<outbox-${id}@northeim.example>`);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]!.filename).toBe('termin.pdf');
    expect(m.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(await outboxRow(id)).toMatchObject({ status: 'sent', attempts: 1, transport: 'smtp', last_error: null });
    // Running the job again (e.g. after a crash) does not send twice.
    await base.database.query(`UPDATE jobs SET status = 'queued', run_at = now() - interval '1 second'`);
    await worker(ctx).runOnce();
    expect(smtp.received).toHaveLength(1);
  });

  it('a reply carries In-Reply-To and References; a forged Message-ID never reaches a header', async () => {
    const id = await base.db.transaction((tx) =>
      queueMail(tx, {
        to: 'maria.muster@example.org',
        subject: 'AW: Frage',
        text: 'Antwort',
        kind: 'mailroom-reply',
        inReplyTo: '<frage-2@example.org>',
        references: ['<root@example.org>', 'frage-2@example.org', 'evil@x\r\nBcc: dieb@example.com', 'frage-2@example.org'],
      }),
    );
    expect(await outboxRow(id)).toMatchObject({ in_reply_to: 'frage-2@example.org', reference_ids: ['root@example.org', 'frage-2@example.org'] });
    const plain = await base.db.transaction((tx) => queueMail(tx, { to: 'maria.muster@example.org', subject: 'Ohne Bezug', text: 'Text' }));
    const ctx = withSmtp(smtp.url);
    expect(await worker(ctx).runOnce()).toBe(2);
    const raw = smtp.raw.find((r) => rawHeader(r, 'Subject') === 'AW: Frage')!;
    expect(rawHeader(raw, 'In-Reply-To')).toBe('<frage-2@example.org>');
    expect(rawHeader(raw, 'References')).toBe('<root@example.org> <frage-2@example.org>');
    expect(raw).not.toMatch(/^Bcc:/im);
    const other = smtp.raw.find((r) => rawHeader(r, 'Subject') === 'Ohne Bezug')!;
    expect(rawHeader(other, 'In-Reply-To')).toBeNull();
    expect(rawHeader(other, 'References')).toBeNull();
    expect(await outboxRow(plain)).toMatchObject({ in_reply_to: null, reference_ids: [] });
  });

  it('a temporary rejection (451) is retried with backoff and ends as a dead letter', async () => {
    smtp.state.reject = 451;
    const id = await base.db.transaction((tx) => queueMail(tx, mail));
    const ctx = withSmtp(smtp.url);
    const w = worker(ctx);
    expect(await w.runOnce()).toBe(1);
    const first = await outboxRow(id);
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(String(first.last_error)).toMatch(/SMTP 451/);
    expect(String(first.last_error)).toContain('m***@example.org');
    expect(String(first.last_error)).not.toContain('maria.muster');
    const [j] = await execRows<{ status: string; last_error: string }>(base.db, sql`SELECT status, last_error FROM jobs`);
    expect(j!.status).toBe('queued');
    expect(j!.last_error).not.toContain('maria.muster');
    expect(await w.runOnce()).toBe(0); // backoff: not due yet
    for (let i = 2; i <= MAIL_MAX_ATTEMPTS; i++) {
      await makeDue();
      expect(await w.runOnce()).toBe(1);
    }
    expect(await outboxRow(id)).toMatchObject({ status: 'dead', attempts: MAIL_MAX_ATTEMPTS });
    const [dead] = await execRows<{ status: string }>(base.db, sql`SELECT status FROM jobs`);
    expect(dead!.status).toBe('dead');
    expect(smtp.received).toHaveLength(0);
    expect(await outboxCounts(base.db, admin)).toEqual({ queued: 0, sent: 0, dead: 1 });
  });

  it('a permanent rejection (550) is a dead letter at once', async () => {
    smtp.state.reject = 550;
    const id = await base.db.transaction((tx) => queueMail(tx, mail));
    await worker(withSmtp(smtp.url)).runOnce();
    expect(await outboxRow(id)).toMatchObject({ status: 'dead', attempts: 1 });
    // After the cause is fixed, staff send it again (audited); it goes out.
    smtp.state.reject = 0;
    await expect(retryMail(base.db, { type: 'user', id: 'x', roles: ['clerk'], department: null }, id)).rejects.toMatchObject({ code: 'forbidden' });
    await retryMail(base.db, admin, id, 'req-9');
    expect(await outboxRow(id)).toMatchObject({ status: 'queued' });
    await expect(retryMail(base.db, admin, id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(retryMail(base.db, admin, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
    expect(await worker(withSmtp(smtp.url)).runOnce()).toBe(1);
    expect(await outboxRow(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.received).toHaveLength(1);
  });

  it('an unreachable SMTP server is retried', async () => {
    const id = await base.db.transaction((tx) => queueMail(tx, mail));
    await worker(withSmtp('smtp://127.0.0.1:1')).runOnce();
    expect(await outboxRow(id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(String((await outboxRow(id)).last_error)).toMatch(/ECONNREFUSED/);
  });

  it('without LOTSE_SMTP_URL the message is written as .eml into LOTSE_DATA_DIR/outbox', async () => {
    const id = await base.db.transaction((tx) => queueMail(tx, mail));
    await worker(withSmtp(undefined)).runOnce();
    expect(await outboxRow(id)).toMatchObject({ status: 'sent', transport: 'file' });
    const files = readdirSync(join(dataDir, 'outbox')).filter((f) => f.includes(id));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const parsed = await simpleParser(readFileSync(join(dataDir, 'outbox', files[0]!)));
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.attachments[0]!.content.equals(pdf)).toBe(true);
  });

  it('staff see subject and kind, never the full recipient address', async () => {
    await base.db.transaction((tx) => queueMail(tx, mail));
    const list = await listOutbox(base.db, admin);
    expect(list.items[0]).toMatchObject({ recipient: 'm***@example.org', subject: mail.subject, kind: 'appointment-confirmation', status: 'queued', attachmentCount: 1 });
    expect(JSON.stringify(list)).not.toContain('maria.muster');
    await expect(listOutbox(base.db, { type: 'user', id: 'x', roles: ['clerk'], department: null })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('daily maintenance deletes sent mails after 30 days and old finished jobs, and is audited', async () => {
    const old = await base.db.transaction((tx) => queueMail(tx, mail));
    const recent = await base.db.transaction((tx) => queueMail(tx, mail));
    const pending = await base.db.transaction((tx) => queueMail(tx, mail));
    await base.database.query(`UPDATE outbox SET status = 'sent', sent_at = now() - interval '31 days' WHERE id = $1`, [old]);
    await base.database.query(`UPDATE outbox SET status = 'sent', sent_at = now() - interval '29 days' WHERE id = $1`, [recent]);
    await base.database.query(`UPDATE jobs SET status = 'done', finished_at = now() - interval '31 days'`);
    const r = await runDailyMaintenance(base);
    expect(r).toMatchObject({ mailsSent: 1, mailsDead: 0, jobsDone: 3 });
    const ids = (await execRows<{ id: string }>(base.db, sql`SELECT id FROM outbox`)).map((x) => x.id).sort();
    expect(ids).toEqual([recent, pending].sort());
    const [a] = await execRows<{ action: string; summary: unknown }>(base.db, sql`SELECT action, summary FROM audit_log ORDER BY seq DESC LIMIT 1`);
    expect(a!.action).toBe('maintenance.daily');
    expect((await verifyAuditChain(base.db)).ok).toBe(true);
  });

  it('the maintenance job runs through the worker', async () => {
    await base.database.query(`INSERT INTO jobs (queue, singleton_key) VALUES ('maintenance.daily', 'recurring:maintenance.daily')`);
    expect(await worker(base).runOnce()).toBe(1);
    const [j] = await execRows<{ status: string }>(base.db, sql`SELECT status FROM jobs`);
    expect(j!.status).toBe('done');
  });
});
