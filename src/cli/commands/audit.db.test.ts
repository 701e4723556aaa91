import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/auth/actor.ts';
import { writeAudit } from '../../core/audit/index.ts';
import { openDatabase } from '../../core/db/index.ts';
import { testDbKind } from '../../../test/helpers/context.ts';

// The CLI against a PGlite data directory (PostgreSQL runs the same code path via DATABASE_URL).
describe.skipIf(testDbKind() === 'postgres')('lotse audit verify / list', () => {
  let dir: string;
  const lotse = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/lotse.mjs', ...args], { env: { ...process.env, LOTSE_DATA_DIR: dir, LOTSE_LOG_LEVEL: 'silent', DATABASE_URL: '' }, encoding: 'utf8' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-audit-cli-'));
    const db = await openDatabase({ dataDir: dir });
    await db.migrate();
    for (let i = 0; i < 5; i++) await writeAudit(db.db, { actor: systemActor('test'), action: 'test.cli', objectType: 'thing', objectId: String(i) });
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 0 and JSON for an intact chain; list prints JSON lines', () => {
    const r = lotse('audit', 'verify', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, checked: 5, head: { seq: 5 } });
    const l = lotse('audit', 'list', '--limit', '2', '--json');
    expect(l.status).toBe(0);
    expect(l.stdout.trim().split('\n').map((s) => JSON.parse(s).seq)).toEqual([5, 4]);
    expect(lotse('audit', 'list', '--limit', '0').status).toBe(2);
  }, 180_000); // three CLI processes; slow on a busy CI machine

  it('exit 1 naming the row when a row was altered', async () => {
    const db = await openDatabase({ dataDir: dir });
    await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await db.query(`UPDATE audit_log SET action = 'test.manipuliert' WHERE seq = 3`);
    await db.close();
    const r = lotse('audit', 'verify', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'altered' } });
    expect(r.stderr).toMatch(/Eintrag 3 wurde nachträglich verändert/);
  }, 120_000);
});
