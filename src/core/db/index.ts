import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, parse as pgliteParse, protocol as pgliteProtocol } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import pg from 'pg';
import { ConfigError } from '../config.ts';
import { acquireDataDirLock, ensureWritableDir, type DataDirLock } from './data-dir.ts';

/** Drizzle handle that works the same on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
/** A transaction handle; repositories accept `Db | Tx`. */
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
export type DbOrTx = Db | Tx;

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /**
   * Runs raw SQL with positional parameters ($1…) and returns the rows. `name` (PostgreSQL):
   * a named prepared statement, parsed and planned once per connection – the same name must
   * always carry the same text. PGlite: the same, on its one connection (`pgliteNamedQuery`).
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], opts?: { name?: string }): Promise<T[]>;
  /**
   * Applies pending migrations (advisory-locked on PostgreSQL, so several instances may start at once).
   * `upTo` stops after that many migrations (restore of an older backup into an empty database).
   */
  migrate(opts?: { upTo?: number }): Promise<void>;
  /** True when every migration in the folder is applied. */
  migrationsApplied(): Promise<boolean>;
  /** How many migrations the database has applied (0 for an empty database). */
  appliedMigrations(): Promise<number>;
  /** Flushes and closes; for PGlite also releases the data-dir lock. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Data directory for PGlite (a `pglite/` folder and a lock file are created inside). */
  dataDir?: string;
  /** In-memory PGlite (tests). */
  memory?: boolean;
  /** PGlite data to start from (a `dumpDataDir()` tarball), tests only. */
  loadDataDir?: Blob;
  /** PostgreSQL pool size (LOTSE_DB_POOL_MAX), default 10. */
  poolMax?: number;
}

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

let journal: Journal | undefined;

/**
 * The migration journal as it was when this process first read it: the code that runs is
 * the code that was loaded, even if the folder changes underneath (e.g. during an upgrade).
 */
function readJournal(): Journal {
  if (journal) return journal;
  const file = join(MIGRATIONS_DIR, 'meta/_journal.json');
  journal = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Journal) : { entries: [] };
  return journal;
}

/** The migration tags the code knows, in order (`0000_core`, …). */
export function migrationTags(): string[] {
  return readJournal().entries.map((e) => e.tag);
}

function journalEntries(): number {
  return readJournal().entries.length;
}

/**
 * The migrations folder, or a temporary copy holding only the first `upTo` migrations
 * (drizzle's migrator always applies everything in the folder it is given).
 */
function migrationsFolder(upTo: number | undefined): { folder: string; cleanup(): void } {
  const journal = readJournal();
  if (upTo === undefined) upTo = journal.entries.length;
  const onDisk = (JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as Journal).entries.length;
  if (upTo >= onDisk) return { folder: MIGRATIONS_DIR, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'lotse-migrations-'));
  mkdirSync(join(dir, 'meta'));
  const entries = journal.entries.slice(0, upTo);
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const e of entries) copyFileSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  return { folder: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function countApplied(query: Database['query']): Promise<number> {
  const rows = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'`,
  );
  if (!rows[0]?.n) return 0;
  const applied = await query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
  return applied[0]?.n ?? 0;
}

/**
 * Opens the database named by the options: PostgreSQL when a URL is given, else PGlite.
 * @throws ConfigError with one sentence naming cause and fix (unreachable server, locked
 *   or unwritable data dir).
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolMax ?? 10);
  return openPglite(opts);
}

/**
 * Named prepared statements on PGlite (its `query` parses, describes and plans every statement anew,
 * in six protocol round trips): the first call parses `text` as statement `name` and learns its
 * parameter types; every call then binds, describes, executes and syncs in ONE round trip. Runs under
 * PGlite's transaction and query locks like `query`, so it never lands inside another caller's
 * transaction. Prepared statements survive rollbacks; PostgreSQL re-plans them after schema changes.
 */
function pgliteNamedQuery(client: PGlite) {
  const types = new Map<string, number[]>();
  const { serialize } = pgliteProtocol;
  const concat = (parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  return async (name: string, text: string, params: unknown[]): Promise<unknown[]> => {
    await client._checkReady();
    return client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(async () => {
        let ptypes = types.get(name);
        if (!ptypes) {
          const r = await client.execProtocol(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]), { syncToFs: false });
          ptypes = pgliteParse.parseDescribeStatementResults(r.messages);
          types.set(name, ptypes);
        }
        const values = params.map((v, i) => {
          if (v === null || v === undefined) return null;
          const ser = client.serializers[ptypes[i]!];
          return ser ? ser(v) : String(v as string);
        });
        const r = await client.execProtocol(
          concat([serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
          { syncToFs: false },
        );
        await client.syncToFs();
        return pgliteParse.parseResults(r.messages, client.parsers)[0]?.rows ?? [];
      }),
    );
  };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  let lock: DataDirLock | undefined;
  let client: PGlite;
  if (opts.memory || !opts.dataDir) {
    client = await PGlite.create(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  } else {
    ensureWritableDir(opts.dataDir);
    lock = acquireDataDirLock(opts.dataDir);
    try {
      client = await PGlite.create(join(opts.dataDir, 'pglite'));
    } catch (e) {
      lock.release();
      throw new ConfigError(
        `Die eingebettete Datenbank in ${join(opts.dataDir, 'pglite')} lässt sich nicht öffnen (${(e as Error).message}). ` +
          'Stellen Sie eine Sicherung mit "lotse restore DATEI" in ein leeres LOTSE_DATA_DIR zurück.',
      );
    }
  }
  const db = drizzlePglite({ client }) as unknown as Db;
  const named = pgliteNamedQuery(client);
  const query: Database['query'] = async (text, params, qopts) =>
    (qopts?.name ? await named(qopts.name, text, params ?? []) : (await client.query(text, params)).rows) as never;
  return {
    kind: 'pglite',
    db,
    query,
    async migrate(mopts) {
      const m = migrationsFolder(mopts?.upTo);
      try {
        await migratePglite(db as never, { migrationsFolder: m.folder });
      } finally {
        m.cleanup();
      }
    },
    migrationsApplied: async () => (await countApplied(query)) >= journalEntries(),
    appliedMigrations: () => countApplied(query),
    async close() {
      try {
        if (!client.closed) {
          await client.query('CHECKPOINT');
          await client.close();
        }
      } finally {
        lock?.release();
      }
    },
  };
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unlesbare URL)';
  }
}

async function openPostgres(url: string, poolMax: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {
    /* idle client errors are reported by the next query */
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new ConfigError(
      `Die Datenbank unter DATABASE_URL (${describeUrl(url)}) ist nicht erreichbar: ${(e as Error).message}. ` +
        'Prüfen Sie, ob PostgreSQL läuft und Adresse, Benutzer und Passwort stimmen, oder entfernen Sie DATABASE_URL für die eingebettete Datenbank.',
    );
  }
  const db = drizzlePg({ client: pool }) as unknown as Db;
  const query: Database['query'] = async (text, params, qopts) =>
    (qopts?.name ? await pool.query({ name: qopts.name, text, values: params as unknown[] }) : await pool.query(text, params as unknown[])).rows as never;
  return {
    kind: 'postgres',
    db,
    query,
    async migrate(mopts) {
      // Session-level advisory lock on a dedicated connection: a second instance waits here.
      const c = await pool.connect();
      const m = migrationsFolder(mopts?.upTo);
      try {
        await c.query('SELECT pg_advisory_lock(7405310)');
        await migratePg(db as never, { migrationsFolder: m.folder });
      } finally {
        m.cleanup();
        await c.query('SELECT pg_advisory_unlock(7405310)').catch(() => undefined);
        c.release();
      }
    },
    migrationsApplied: async () => (await countApplied(query)) >= journalEntries(),
    appliedMigrations: () => countApplied(query),
    close: () => pool.end(),
  };
}

/**
 * Runs a drizzle `sql` query and returns its rows (PGlite and node-postgres both answer `{ rows }`).
 * @example const rows = await execRows<{ n: number }>(db, sql`SELECT 1 AS n`)
 */
export async function execRows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
