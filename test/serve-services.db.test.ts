import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { serve } from '../src/boot.ts';
import { loadConfig } from '../src/core/config.ts';
import { execRows } from '../src/core/db/index.ts';
import { sql } from 'drizzle-orm';
import type { LotseModule, ModuleService } from '../src/core/module.ts';
import { modules } from '../src/modules/index.ts';
import { createTestDatabase, testDbKind } from './helpers/context.ts';
import { freePort } from './process/helpers.ts';

// `lotse serve` runs module services (LotseModule.services) only with the worker, and stops them on
// shutdown before the database is closed, waiting a bounded time for each.

const tmp = mkdtempSync(join(tmpdir(), 'lotse-services-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Serves with a test module added to the registry; records what happened in which order. */
async function serveWith(services: (events: string[]) => ModuleService[], env: Record<string, string> = {}, serviceStopTimeoutMs?: number) {
  const events: string[] = [];
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, cb) => void (lines.push(String(chunk)), cb()) }));
  const database = await createTestDatabase();
  const close = database.close.bind(database);
  database.close = async () => {
    events.push('database.close');
    await close();
  };
  const config = loadConfig({ PORT: String(await freePort()), HOST: '127.0.0.1', LOTSE_DATA_DIR: join(tmp, String(Math.random())), LOTSE_DEMO: 'off', LOTSE_IMAP_IDLE: 'off', ...env });
  const testModule: LotseModule = { name: 'lifecycle-test', services: () => services(events) };
  modules.unshift(testModule);
  try {
    const running = await serve({ config, database, log, serviceStopTimeoutMs });
    return { ...running, events, lines };
  } finally {
    modules.splice(modules.indexOf(testModule), 1);
  }
}

describe(`module services under lotse serve (${testDbKind()})`, () => {
  it('are started once the worker runs and stopped before the database is closed (stop may still use it)', async () => {
    const s = await serveWith((events) => [
      {
        name: 'test.svc',
        start: () => void events.push('start'),
        async stop() {
          await new Promise((r) => setTimeout(r, 100));
          // the database is still open while services stop
          const [row] = await execRows<{ one: number }>(s.ctx.db, sql`SELECT 1 AS one`);
          events.push(`stop:${row!.one}`);
        },
      },
    ]);
    expect(s.events).toEqual(['start']);
    expect((await fetch(`${s.ctx.config.baseUrl}/ready`)).status).toBe(200);
    await s.close();
    expect(s.events).toEqual(['start', 'stop:1', 'database.close']);
    await s.close(); // idempotent
    expect(s.events).toHaveLength(3);
  }, 60_000);

  it('a service that does not stop in time is logged by name; shutdown goes on and closes the database', async () => {
    const s = await serveWith(
      (events) => [
        { name: 'test.stuck', start: () => void events.push('start:stuck'), stop: () => new Promise<void>(() => undefined) },
        { name: 'test.ok', start: () => void events.push('start:ok'), stop: async () => void events.push('stop:ok') },
        { name: 'test.broken', start: () => Promise.reject(new Error('kaputt')), stop: async () => void events.push('stop:broken') },
      ],
      {},
      300,
    );
    expect(s.events).toEqual(['start:stuck', 'start:ok']);
    expect(s.lines.join('')).toContain('"service":"test.broken"');
    const t0 = Date.now();
    await s.close();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.events.slice(2).sort()).toEqual(['database.close', 'stop:broken', 'stop:ok'].sort());
    expect(s.events.at(-1)).toBe('database.close');
    const stuck = s.lines.map((l) => JSON.parse(l) as { service?: string; msg: string }).find((l) => l.msg === 'module service did not stop in time');
    expect(stuck?.service).toBe('test.stuck');
  }, 60_000);

  it('are not started on an instance without worker (LOTSE_WORKER=off)', async () => {
    const s = await serveWith((events) => [{ name: 'test.svc', start: () => void events.push('start'), stop: async () => void events.push('stop') }], { LOTSE_WORKER: 'off' });
    await s.close();
    expect(s.events).toEqual(['database.close']);
  }, 60_000);
});
