import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import type { AppContext } from '../../src/core/context.ts';
import { openDatabase, type Database } from '../../src/core/db/index.ts';
import { createLogger } from '../../src/core/logger.ts';
import { loadTown } from '../../src/core/town.ts';

export const testDbKind = (): 'pglite' | 'postgres' => (process.env.LOTSE_TEST_DB === 'postgres' ? 'postgres' : 'pglite');

/** A fresh, migrated database for one test file (PGlite in memory or a PostgreSQL copy). */
export async function createTestDatabase(): Promise<Database> {
  if (testDbKind() === 'postgres') {
    const base = process.env.LOTSE_TEST_DATABASE_URL!;
    const name = `lotse_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    const db = await openDatabase({ databaseUrl: u.toString() });
    const close = db.close.bind(db);
    return Object.assign(db, {
      async close() {
        await close();
        const a = new pg.Client({ connectionString: base });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
        await a.end();
      },
    });
  }
  const tar = readFileSync(inject('pgliteTemplate'));
  return openDatabase({ memory: true, loadDataDir: new Blob([tar]) });
}

/**
 * A full AppContext on a fresh test database. `env` overrides configuration.
 * @example const ctx = await createTestContext(); afterAll(() => ctx.database.close());
 */
export async function createTestContext(env: Record<string, string> = {}, now?: () => Date): Promise<AppContext> {
  const config = loadConfig({ LOTSE_LOG_LEVEL: 'silent', LOTSE_DATA_DIR: '/nonexistent-test-dir', LOTSE_DEMO: 'off', ...env });
  const database = await createTestDatabase();
  return {
    config,
    town: loadTown(config.LOTSE_TOWN),
    database,
    db: database.db,
    log: createLogger('silent'),
    now: now ?? (() => new Date()),
  };
}
