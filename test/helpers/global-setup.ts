import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/core/db/index.ts';

/**
 * Prepares one migrated database template per test run, so each test file starts from a
 * fresh copy quickly: a PGlite data-dir tarball, or a PostgreSQL template database.
 */
export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  if (process.env.LOTSE_TEST_DB === 'postgres') {
    const url = process.env.LOTSE_TEST_DATABASE_URL;
    if (!url) throw new Error('LOTSE_TEST_DB=postgres needs LOTSE_TEST_DATABASE_URL');
    const template = `lotse_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const u = new URL(url);
    u.pathname = `/${template}`;
    const db = await openDatabase({ databaseUrl: u.toString() });
    await db.migrate();
    await db.close();
    provide('pgTemplate', template);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template}`).catch(() => undefined);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'lotse-tpl-'));
  const db = await openDatabase({ memory: true });
  await db.migrate();
  // dumpDataDir is PGlite-specific; reach it through a raw query handle.
  const client = (db as unknown as { db: { $client: { dumpDataDir(c?: string): Promise<Blob> } } }).db.$client;
  const blob = await client.dumpDataDir('none');
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await db.close();
  provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteTemplate: string;
  }
}
