import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationTags } from '../../src/core/db/index.ts';
import { testDbKind } from '../helpers/context.ts';
import { freePort, start, waitReady, type Child } from './helpers.ts';

// Several instances against one PostgreSQL: the app is stateless, migrations are
// advisory-locked, so two instances starting at once on an empty database both come up.
describe.runIf(testDbKind() === 'postgres')('two lotse serve on one fresh PostgreSQL database', () => {
  const base = process.env.LOTSE_TEST_DATABASE_URL!;
  const name = `lotse_mi_${randomBytes(5).toString('hex')}`;
  let url: string;
  const children: Child[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('both migrate (once), seed and become ready; both stop cleanly', async () => {
    const ports = [await freePort(), await freePort()];
    for (const port of ports) children.push(start(['serve'], { DATABASE_URL: url, PORT: String(port) }));
    await Promise.all(children.map((c, i) => waitReady(c, ports[i]!)));
    for (const port of ports) {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(await res.json()).toMatchObject({ status: 'ready', database: 'postgres' });
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    await db.end();
    expect(rows[0]!.n).toBe(migrationTags().length);
    for (const c of children) c.proc.kill('SIGTERM');
    const runs = await Promise.all(children.map((c) => c.done));
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
  }, 180_000);
});
