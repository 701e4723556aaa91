import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDbKind } from '../../../test/helpers/context.ts';
import { systemActor } from '../auth/actor.ts';
import { verifyAuditChain, writeAudit } from '../audit/index.ts';
import { enqueue } from '../jobs/index.ts';
import { BackupFileError, createBackup, restoreBackup, verifyBackup } from './backup.ts';
import { execRows, migrationTags, openDatabase, type Database } from './index.ts';

// Extra tables only these tests create: they exercise what app tables may use later
// (self-reference, identity ALWAYS, generated column, bytea, numeric, arrays, a free sequence).
const EXTRA = `
  CREATE TABLE bk_parent (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
    amount numeric(12,2), data bytea, tags text[], at timestamptz, doc jsonb, ratio double precision,
    big bigint, name_len integer GENERATED ALWAYS AS (length(name)) STORED);
  CREATE TABLE bk_child (id serial PRIMARY KEY, parent_id integer NOT NULL REFERENCES bk_parent(id),
    up_id integer REFERENCES bk_child(id), note text);
  CREATE SEQUENCE bk_counter START 100;`;

/** Runs several `;`-separated statements (PGlite's query takes one at a time). */
async function run(db: Database, statements: string): Promise<void> {
  for (const s of statements.split(';').map((x) => x.trim()).filter(Boolean)) await db.query(s);
}

async function fill(db: Database): Promise<void> {
  await run(db, EXTRA);
  await db.query(`INSERT INTO bk_parent (name, amount, data, tags, at, doc, ratio, big)
    SELECT 'Straße ' || i || ' "quoted" \\ back', i * 1.25, decode('00ff10' || lpad(to_hex(i), 4, '0'), 'hex'),
      ARRAY['a,b', 'ü', NULL], '2026-03-29 00:59:59.123456+00'::timestamptz + i * interval '1 hour',
      jsonb_build_object('i', i, 'nested', jsonb_build_array(1, 'x', null)), i / 3.0, 9007199254740993 + i
    FROM generate_series(1, 2600) i`);
  // Children point at later rows of their own table, so the insert order within the table matters.
  await db.query(`INSERT INTO bk_child (parent_id, note) SELECT 1 + i % 50, 'n' || i FROM generate_series(1, 30) i`);
  await db.query(`UPDATE bk_child SET up_id = id + 1 WHERE id < 30`);
  await db.query(`SELECT nextval('bk_counter'), nextval('bk_counter')`);
  await db.db.transaction(async (tx) => {
    await enqueue(tx, 'test.queue', { n: 1 });
    await writeAudit(tx, { actor: systemActor('test'), action: 'test.fill', objectType: 'test', summary: { n: 1 } });
  });
  for (let i = 0; i < 3; i++) await writeAudit(db.db, { actor: systemActor('test'), action: 'test.more', objectType: 'test', objectId: String(i) });
}

/** Every table's rows as sorted JSON text plus every sequence's state. */
async function snapshot(db: Database): Promise<Record<string, string[]>> {
  const tables = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r','S') ORDER BY 1`,
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const kind = await db.query<{ k: string }>(`SELECT relkind::text AS k FROM pg_class WHERE oid = 'public."${name}"'::regclass`);
    out[name] =
      kind[0]!.k === 'S'
        ? (await db.query<{ v: string }>(`SELECT last_value::text || '/' || is_called::text AS v FROM public."${name}"`)).map((r) => r.v)
        : (await db.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM public."${name}" t`)).map((r) => r.j).sort();
  }
  return out;
}

/** Rewrites a backup's lines and recomputes its checksum (to forge a well-formed file). */
function rewrite(file: string, out: string, edit: (lines: string[]) => string[]): void {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n').slice(0, -1);
  const body = edit(lines).map((l) => `${l}\n`).join('');
  const sha256 = createHash('sha256').update(body).digest('hex');
  writeFileSync(out, gzipSync(`${body}${JSON.stringify({ sha256 })}\n`));
}

describe(`backup and restore (${testDbKind()})`, () => {
  let source: Database;
  let dir: string;
  let file: string;
  let before: Record<string, string[]>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-backup-'));
    file = join(dir, 'backup.jsonl.gz');
    source = await createTestDatabase();
    await fill(source);
    before = await snapshot(source);
  });
  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a gzip JSON-lines file with header, all public tables and a checksum', async () => {
    const summary = await createBackup(source, file, new Date('2026-11-25T10:00:00Z'));
    expect(summary.migrations.count).toBe(migrationTags().length);
    const header = await verifyBackup(file);
    expect(header).toMatchObject({ format: 'lotse-backup', version: 1, createdAt: '2026-11-25T10:00:00.000Z', source: source.kind });
    const names = header.tables.map((t) => t.name);
    for (const t of ['audit_log', 'users', 'jobs', 'bk_parent', 'bk_child']) expect(names).toContain(t);
    expect(names.indexOf('bk_parent')).toBeLessThan(names.indexOf('bk_child'));
    expect(header.tables.find((t) => t.name === 'bk_parent')).toMatchObject({ rows: 2600 });
    expect(header.tables.find((t) => t.name === 'bk_parent')!.columns).not.toContain('name_len');
    expect(header.sequences.find((s) => s.name === 'bk_counter')).toMatchObject({ lastValue: '101', isCalled: true });
    expect(summary.rows).toBe(header.tables.reduce((n, t) => n + t.rows, 0));
  });

  it('restores into a fresh database: every table, sequence and the audit chain are equal', async () => {
    const target = await createTestDatabase();
    try {
      await run(target, EXTRA);
      await target.query(`INSERT INTO bk_parent (name) VALUES ('wird ersetzt')`);
      const result = await restoreBackup(target, file);
      expect(result.rows).toBe(Object.values((await verifyBackup(file)).tables).reduce((n, t) => n + t.rows, 0));
      expect(await snapshot(target)).toEqual(before);
      expect((await verifyAuditChain(target.db)).ok).toBe(true);
      // Sequences continue after the restored ids, and the append-only guard is active again.
      const [p] = await target.query<{ id: number }>(`INSERT INTO bk_parent (name) VALUES ('neu') RETURNING id`);
      expect(p!.id).toBe(2601);
      await writeAudit(target.db, { actor: systemActor('test'), action: 'test.after', objectType: 'test' });
      expect((await verifyAuditChain(target.db)).ok).toBe(true);
      await expect(target.query(`DELETE FROM audit_log`)).rejects.toThrow();
    } finally {
      await target.close();
    }
  });

  it('restores over changed data in the same database and runs the afterRestore hook in the transaction', async () => {
    await run(source, `DELETE FROM bk_child; DELETE FROM bk_parent WHERE id > 10; UPDATE bk_parent SET name = 'geändert'`);
    await writeAudit(source.db, { actor: systemActor('test'), action: 'test.change', objectType: 'test' });
    let hookSaw = -1;
    await restoreBackup(source, file, {
      afterRestore: async (tx) => {
        hookSaw = Number((await execRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM bk_parent`))[0]!.n);
      },
    });
    expect(hookSaw).toBe(2600);
    expect(await snapshot(source)).toEqual(before);
  });

  it('rejects damaged files before touching anything', async () => {
    const raw = readFileSync(file);
    const cases: Record<string, Buffer | string> = {
      truncated: raw.subarray(0, Math.floor(raw.length / 2)),
      'not gzip': 'hello',
      'flipped byte': Buffer.from(raw.map((b, i) => (i === Math.floor(raw.length / 2) ? b ^ 0xff : b))),
      empty: Buffer.alloc(0),
    };
    const lines = gunzipSync(raw).toString('utf8').split('\n');
    const row = lines.findIndex((l) => l.includes('Straße 7 '));
    lines[row] = lines[row]!.replace('Straße 7 ', 'Strasse 7 ');
    cases['edited row, old checksum'] = gzipSync(lines.join('\n'));
    cases['missing checksum line'] = gzipSync(lines.slice(0, -2).join('\n') + '\n');
    await source.query(`UPDATE bk_parent SET name = 'unverändert' WHERE id = 1`);
    const state = await snapshot(source);
    for (const [name, content] of Object.entries(cases)) {
      const bad = join(dir, `bad-${name.replace(/\W/g, '-')}.gz`);
      writeFileSync(bad, content);
      const err = await restoreBackup(source, bad).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(BackupFileError);
      expect((err as Error).message, name).toMatch(/unbrauchbar: .+\. Nichts wurde verändert/);
    }
    expect(await snapshot(source)).toEqual(state);
  });

  it('refuses a backup from a newer or a different migration level, data unchanged', async () => {
    const state = await snapshot(source);
    const newer = join(dir, 'newer.gz');
    rewrite(file, newer, ([h, ...rest]) => [JSON.stringify({ ...JSON.parse(h!), migrations: { count: 999, last: '0999_future' } }), ...rest]);
    await expect(restoreBackup(source, newer)).rejects.toThrow(/neueren Lotse-Version/);
    const older = join(dir, 'older.gz');
    rewrite(file, older, ([h, ...rest]) => [JSON.stringify({ ...JSON.parse(h!), migrations: { count: 1, last: migrationTags()[0] } }), ...rest]);
    await expect(restoreBackup(source, older)).rejects.toThrow(/leere Datenbank/);
    expect(await snapshot(source)).toEqual(state);
  });

  it('rolls back completely when a row does not fit (nothing half restored)', async () => {
    const state = await snapshot(source);
    const broken = join(dir, 'broken-row.gz');
    // A child pointing at a parent that does not exist: the foreign key fails late in the restore.
    let edited = 0;
    rewrite(file, broken, (lines) =>
      lines.map((l) => (l.startsWith('{"id":30,"parent_id"') && ++edited ? l.replace(/"parent_id":\d+/, '"parent_id":99999') : l)),
    );
    expect(edited).toBe(1);
    await expect(restoreBackup(source, broken)).rejects.toThrow();
    expect(await snapshot(source)).toEqual(state);
    await expect(source.query(`DELETE FROM audit_log`)).rejects.toThrow();
  });

  it('carries the files of the data dir (not the embedded database or its lock) and refuses paths outside it', async () => {
    const from = join(dir, 'files-from');
    mkdirSync(join(from, 'documents', '2026', '11'), { recursive: true });
    mkdirSync(join(from, 'pglite'), { recursive: true });
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]);
    writeFileSync(join(from, 'documents', '2026', '11', 'brief.pdf'), pdf);
    writeFileSync(join(from, 'pglite', 'PG_VERSION'), '18');
    writeFileSync(join(from, 'lotse.lock'), '1');
    writeFileSync(join(from, 'older-backup.jsonl.gz'), 'old');
    const withFiles = join(dir, 'with-files.gz');
    const summary = await createBackup(source, withFiles, new Date(), { dataDir: from });
    expect(summary.files).toBe(1);
    expect((await verifyBackup(withFiles)).files).toEqual([{ path: 'documents/2026/11/brief.pdf', size: pdf.length }]);
    const to = join(dir, 'files-to');
    const r = await restoreBackup(source, withFiles, { dataDir: to });
    expect(r.files).toBe(1);
    expect(readFileSync(join(to, 'documents', '2026', '11', 'brief.pdf'))).toEqual(pdf);
    expect(existsSync(join(to, 'pglite'))).toBe(false);

    const evil = join(dir, 'evil.gz');
    rewrite(withFiles, evil, (lines) =>
      lines.map((l, i) => (i === 0 ? l.replace('documents/2026/11/brief.pdf', '../../evil.pdf') : l.replace('"file":"documents/2026/11/brief.pdf"', '"file":"../../evil.pdf"'))),
    );
    await expect(restoreBackup(source, evil, { dataDir: to })).rejects.toThrow(/zeigt aus dem Datenverzeichnis heraus/);
    expect(existsSync(join(dir, '..', 'evil.pdf'))).toBe(false);
  });

  it.runIf(testDbKind() === 'postgres')('moves data between PGlite and PostgreSQL in both directions', async () => {
    const lite = await openDatabase({ memory: true });
    const pgDb = await createTestDatabase();
    try {
      await lite.migrate();
      await fill(lite);
      const fromLite = join(dir, 'from-pglite.gz');
      await createBackup(lite, fromLite);
      await run(pgDb, EXTRA);
      await restoreBackup(pgDb, fromLite);
      const liteState = await snapshot(lite);
      expect(await snapshot(pgDb)).toEqual(liteState);
      expect((await verifyAuditChain(pgDb.db)).ok).toBe(true);

      const fromPg = join(dir, 'from-pg.gz');
      await pgDb.query(`UPDATE bk_parent SET name = 'aus PostgreSQL' WHERE id = 5`);
      await createBackup(pgDb, fromPg);
      const lite2 = await openDatabase({ memory: true });
      try {
        await lite2.migrate();
        await run(lite2, EXTRA);
        await restoreBackup(lite2, fromPg);
        expect(await snapshot(lite2)).toEqual(await snapshot(pgDb));
        expect((await verifyAuditChain(lite2.db)).ok).toBe(true);
      } finally {
        await lite2.close();
      }
    } finally {
      await lite.close();
      await pgDb.close();
    }
  }, 120_000);
});
