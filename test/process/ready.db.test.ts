import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/boot.ts';
import { loadConfig } from '../../src/core/config.ts';
import type { AppContext } from '../../src/core/context.ts';
import { openDatabase, type Database } from '../../src/core/db/index.ts';
import { createLogger } from '../../src/core/logger.ts';
import { loadTown } from '../../src/core/town.ts';
import { testDbKind } from '../helpers/context.ts';

// /ready is what load balancers and the e2e harness wait for: 503 until every migration is applied.
describe.runIf(testDbKind() === 'pglite')('/ready on an unmigrated database', () => {
  let database: Database;
  let ctx: AppContext;
  beforeAll(async () => {
    database = await openDatabase({ memory: true });
    const config = loadConfig({ LOTSE_LOG_LEVEL: 'silent', LOTSE_DEMO: 'off' });
    ctx = { config, town: loadTown(config.LOTSE_TOWN), database, db: database.db, log: createLogger('silent'), now: () => new Date() };
  }, 60_000);
  afterAll(() => database.close());

  it('answers 503 before and 200 after the migrations', async () => {
    const before = await buildApp(ctx).request('/ready');
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ status: 'migrations-pending' });
    await database.migrate();
    const after = await buildApp(ctx).request('/ready');
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ready', database: 'pglite' });
  }, 60_000);
});
