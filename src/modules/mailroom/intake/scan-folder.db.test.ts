import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../../test/helpers/context.ts';
import type { AppContext } from '../../../core/context.ts';
import { execRows } from '../../../core/db/index.ts';
import { setSetting } from '../../../core/settings/index.ts';
import { applyRetention, RETENTION_SETTING } from './apply-retention.ts';
import { startWorker } from '../../../core/jobs/worker.ts';
import { intakeJobs, intakeRecurring } from './jobs.ts';
import { scanInboxFolder } from './scan-folder.ts';

const INVOICES = resolve(import.meta.dirname, '../../../../../shared/data/invoices');

describe.skipIf(!existsSync(INVOICES))('watched folder and retention', () => {
  let ctx: AppContext;
  let dataDir: string;
  let inbox: string;
  let clock = new Date('2026-11-25T09:00:00Z');
  const old = (p: string) => utimesSync(p, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-folder-data-'));
    inbox = mkdtempSync(join(tmpdir(), 'lotse-inbox-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir, LOTSE_INBOX_DIR: inbox }, () => clock);
  });
  afterAll(async () => {
    await ctx.database.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(inbox, { recursive: true, force: true });
  });

  it('takes stable files, leaves growing ones, moves originals to processed/ or rejected/ with a reason', async () => {
    writeFileSync(join(inbox, 'rechnung.xml'), readFileSync(join(INVOICES, 'kosit-01.01a-ubl.xml')));
    writeFileSync(join(inbox, 'leer.pdf'), Buffer.alloc(0));
    writeFileSync(join(inbox, 'noch-im-scan.pdf'), Buffer.from('%PDF-1.4\n'));
    writeFileSync(join(inbox, '.hidden'), 'x');
    old(join(inbox, 'rechnung.xml'));
    old(join(inbox, 'leer.pdf'));

    const r = await scanInboxFolder(ctx, inbox);
    expect(r.waiting).toBe(1);
    expect(r.taken.map((t) => [t.file, t.movedTo]).sort()).toEqual([
      ['leer.pdf', 'rejected'],
      ['rechnung.xml', 'processed'],
    ]);
    expect(r.taken.find((t) => t.file === 'rechnung.xml')!.status).toBe('routed');
    const left = readdirSync(inbox).sort();
    expect(left).toEqual(['.hidden', 'noch-im-scan.pdf', 'processed', 'rejected']);
    expect(readdirSync(join(inbox, 'processed'))[0]).toMatch(/_rechnung\.xml$/);
    const rejected = readdirSync(join(inbox, 'rejected')).sort();
    expect(rejected).toHaveLength(2);
    const reason = readFileSync(join(inbox, 'rejected', rejected.find((f) => f.endsWith('.reason.txt'))!), 'utf8');
    expect(reason.length).toBeGreaterThan(5);
    const docs = await execRows<{ source: string }>(ctx.db, sql`SELECT source FROM documents`);
    expect(docs.every((d) => d.source === 'folder')).toBe(true);
  });

  it('the same file again gives no second document', async () => {
    writeFileSync(join(inbox, 'nochmal.xml'), readFileSync(join(INVOICES, 'kosit-01.01a-ubl.xml')));
    old(join(inbox, 'nochmal.xml'));
    const before = await execRows(ctx.db, sql`SELECT id FROM documents`);
    const r = await scanInboxFolder(ctx, inbox);
    expect(r.taken[0]).toMatchObject({ file: 'nochmal.xml', status: 'duplicate', movedTo: 'processed' });
    expect((await execRows(ctx.db, sql`SELECT id FROM documents`)).length).toBe(before.length);
  });

  it('a rejected file put in again is rejected again: rejected/ with its reason, not processed/', async () => {
    writeFileSync(join(inbox, 'leer-2.pdf'), Buffer.alloc(0));
    old(join(inbox, 'leer-2.pdf'));
    const before = await execRows(ctx.db, sql`SELECT id FROM documents`);
    const r = await scanInboxFolder(ctx, inbox);
    expect(r.taken).toEqual([{ file: 'leer-2.pdf', documentId: expect.any(Number), status: 'rejected', movedTo: 'rejected' }]);
    expect((await execRows(ctx.db, sql`SELECT id FROM documents`)).length).toBe(before.length);
    expect(readdirSync(join(inbox, 'processed')).some((f) => f.includes('leer-2'))).toBe(false);
    const reasonFile = readdirSync(join(inbox, 'rejected')).find((f) => f.endsWith('_leer-2.pdf.reason.txt'))!;
    expect(readFileSync(join(inbox, 'rejected', reasonFile), 'utf8')).toMatch(/^Die Datei ist leer \(0 Byte\)\.\nDokument \d+\n$/);
  });

  it('is kept scheduled by the core worker (LotseModule.recurring), one pending run per queue', async () => {
    const w = startWorker(ctx, intakeJobs, { recurring: [], recurringSpecs: intakeRecurring, autostart: false });
    expect(await w.schedule()).toBe(3);
    expect(await w.schedule()).toBe(0);
    const pending = async () =>
      execRows<{ queue: string; singleton_key: string; run_at: Date | string }>(ctx.db, sql`SELECT queue, singleton_key, run_at FROM jobs WHERE status = 'queued' ORDER BY queue`);
    const first = await pending();
    expect(first.map((j) => j.singleton_key)).toEqual(['recurring:mailroom.imap-poll', 'recurring:mailroom.inbox-scan', 'recurring:mailroom.retention']);
    expect(new Date(first[1]!.run_at).getTime()).toBe(clock.getTime() + 15_000);
    expect(new Date(first[2]!.run_at).toISOString()).toBe('2026-11-26T02:30:00.000Z'); // 03:30 Berlin (CET)
    // A folder scan runs and queues the next one 15 s later.
    // (the test clock is behind the database clock: keep the other queues in the future)
    await ctx.db.execute(sql`UPDATE jobs SET run_at = CASE WHEN queue = 'mailroom.inbox-scan' THEN now() - interval '1 second' ELSE now() + interval '1 hour' END`);
    expect(await w.runOnce()).toBe(1);
    const after = await pending();
    expect(after.map((j) => j.queue)).toEqual(['mailroom.imap-poll', 'mailroom.inbox-scan', 'mailroom.retention']);
    const done = await execRows(ctx.db, sql`SELECT id FROM jobs WHERE queue = 'mailroom.inbox-scan' AND status = 'done'`);
    expect(done).toHaveLength(1);
    await w.stop();
    await ctx.db.execute(sql`DELETE FROM jobs`);
  });

  it('retention deletes expired documents and their files, audited with counts only', async () => {
    const docs = await execRows<{ id: string; category: string | null; storage_path: string; retention_until: string | null }>(ctx.db, sql`SELECT id, category, storage_path, retention_until FROM documents ORDER BY id`);
    expect(docs.length).toBe(2);
    // nothing expired yet
    expect(await applyRetention(ctx)).toEqual({ deleted: 0, filesDeleted: 0 });
    // the rejected empty file has no category and no retention_until: the "*" period applies
    await setSetting(ctx.db, RETENTION_SETTING, { '*': 30 }, null);
    clock = new Date('2027-01-10T09:00:00Z');
    const r = await applyRetention(ctx);
    expect(r.deleted).toBe(1);
    const left = await execRows<{ id: string }>(ctx.db, sql`SELECT id FROM documents`);
    expect(left).toHaveLength(1); // the invoice is kept 10 years
    // after 11 years the invoice goes too, with its file
    clock = new Date('2037-12-01T09:00:00Z');
    const inv = docs.find((d) => d.retention_until)!;
    expect(existsSync(join(dataDir, inv.storage_path))).toBe(true);
    expect((await applyRetention(ctx)).deleted).toBe(1);
    expect(existsSync(join(dataDir, inv.storage_path))).toBe(false);
    const audit = await execRows<{ summary: unknown }>(ctx.db, sql`SELECT summary FROM audit_log WHERE action = 'mailroom.retention' ORDER BY seq`);
    expect(audit.map((a) => a.summary)).toEqual([{ deleted: 0 }, { deleted: 1 }, { deleted: 1 }]);
  });
});
void mkdirSync;
