import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { ConfigError } from '../config.ts';
import { execRows, migrationTags, type Database, type DbOrTx, type Tx } from './index.ts';

/**
 * The one portable backup format of Lotse (docs/decisions/0003-backup-format.md):
 * gzip'd JSON lines, the same for PGlite and PostgreSQL.
 *
 *   line 1            header {format:'lotse-backup', version:1, createdAt, source, migrations, tables, sequences}
 *   per table         {"table": name, "rows": N} followed by N lines, each `row_to_json` of one row
 *   per file          {"file": relative path, "size": bytes, "data": base64} – files Lotse keeps in
 *                     LOTSE_DATA_DIR besides the embedded database (e.g. originals of incoming documents)
 *   last line         {"sha256": hex} over every byte before it
 *
 * Tables are discovered at run time (every table in schema `public`), never listed by hand.
 */
export const BACKUP_FORMAT = 'lotse-backup';
export const BACKUP_VERSION = 1;

export interface BackupTable {
  name: string;
  rows: number;
  columns: string[];
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  source: 'pglite' | 'postgres';
  /** Migration level of the database the backup was taken from. */
  migrations: { count: number; last: string | null };
  /** In foreign-key order: parents before children. */
  tables: BackupTable[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  /** Files from LOTSE_DATA_DIR (paths relative to it, `/`-separated). */
  files?: { path: string; size: number }[];
}

export interface BackupSummary {
  file: string;
  tables: number;
  rows: number;
  files: number;
  bytes: number;
  migrations: BackupHeader['migrations'];
}

/** A backup file that cannot be used; the CLI exits with code 2 and nothing is touched. */
export class BackupFileError extends ConfigError {
  constructor(file: string, reason: string) {
    super(`Die Sicherungsdatei ${file} ist unbrauchbar: ${reason}. Nichts wurde verändert; verwenden Sie eine andere Sicherung.`);
    this.name = 'BackupFileError';
  }
}

/** Files under the data dir that belong in a backup: everything but the embedded database, its lock and backup files (`*.jsonl.gz`). */
export function dataDirFiles(dataDir: string | undefined, exclude: string[] = []): { path: string; size: number }[] {
  if (!dataDir || !existsSync(dataDir)) return [];
  const skip = new Set(['pglite', 'lotse.lock', 'backups']);
  const out: { path: string; size: number }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = join(dir, e.name);
      const rel = relative(dataDir, abs).split(sep).join('/');
      // Earlier backups kept in the data dir must not be copied into every new one.
      if (skip.has(rel) || exclude.includes(abs) || e.name.endsWith('.part') || e.name.endsWith('.jsonl.gz')) continue;
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push({ path: rel, size: statSync(abs).size });
    }
  };
  walk(dataDir);
  return out;
}

/** A path from a backup may only point inside the data dir. */
function safeRelative(path: string): boolean {
  const n = normalize(path);
  return !isAbsolute(n) && !n.startsWith('..') && !n.split(/[\\/]/).includes('..') && n !== 'pglite' && !n.startsWith(`pglite${sep}`) && n !== 'lotse.lock';
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every table in schema `public` (partitions are read through their parent). */
async function listTables(db: DbOrTx): Promise<string[]> {
  const rows = await execRows<{ name: string }>(
    db,
    sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

/** Stored (non-generated) columns of a table, in column order. */
async function storedColumns(db: DbOrTx, table: string): Promise<string[]> {
  const rows = await execRows<{ name: string }>(
    db,
    sql`SELECT a.attname AS name FROM pg_attribute a
        WHERE a.attrelid = ${`public.${ident(table)}`}::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY a.attnum`,
  );
  return rows.map((r) => r.name);
}

/**
 * Sorts tables so that every table comes after the tables its foreign keys point to
 * (Kahn's algorithm, alphabetical among equals). Tables in a cycle keep alphabetical order at the end.
 */
export async function foreignKeyOrder(db: DbOrTx, tables: string[]): Promise<string[]> {
  const edges = await execRows<{ child: string; parent: string }>(
    db,
    sql`SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint c
        JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid
        JOIN pg_namespace n ON n.oid = ch.relnamespace
        WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const known = new Set(tables);
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges) if (e.child !== e.parent && known.has(e.child) && known.has(e.parent)) parents.get(e.child)!.add(e.parent);
  const order: string[] = [];
  const done = new Set<string>();
  const rest = [...tables].sort();
  while (rest.length) {
    const i = rest.findIndex((t) => [...parents.get(t)!].every((p) => done.has(p)));
    const [t] = rest.splice(i >= 0 ? i : 0, 1);
    order.push(t!);
    done.add(t!);
  }
  return order;
}

/** Tables with a foreign key to themselves must be inserted in one statement (checks run at statement end). */
async function selfReferencing(db: DbOrTx): Promise<Set<string>> {
  const rows = await execRows<{ name: string }>(
    db,
    sql`SELECT DISTINCT ch.relname AS name FROM pg_constraint c JOIN pg_class ch ON ch.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = ch.relnamespace
        WHERE c.contype = 'f' AND c.conrelid = c.confrelid AND n.nspname = 'public'`,
  );
  return new Set(rows.map((r) => r.name));
}

async function listSequences(db: DbOrTx): Promise<string[]> {
  const rows = await execRows<{ name: string }>(
    db,
    sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

async function migrationLevel(database: Database): Promise<BackupHeader['migrations']> {
  const count = await database.appliedMigrations();
  return { count, last: count > 0 ? (migrationTags()[count - 1] ?? null) : null };
}

/**
 * Writes a consistent backup of every table in schema `public` (one REPEATABLE READ snapshot,
 * so a running PostgreSQL instance may keep working). The file appears only when complete.
 * @example await createBackup(ctx.database, 'lotse-2026-11-25.jsonl.gz')
 */
export async function createBackup(
  database: Database,
  file: string,
  now: Date = new Date(),
  opts: { dataDir?: string | undefined } = {},
): Promise<BackupSummary> {
  const migrations = await migrationLevel(database);
  const files = dataDirFiles(opts.dataDir, [file, `${file}.part`]);
  const tmp = `${file}.part`;
  const gzip = createGzip();
  const out = createWriteStream(tmp);
  gzip.pipe(out);
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (line: string) => {
    const data = `${line}\n`;
    hash.update(data);
    bytes += Buffer.byteLength(data);
    if (!gzip.write(data)) await once(gzip, 'drain');
  };
  let totalRows = 0;
  let header: BackupHeader | undefined;
  try {
    await database.db.transaction(
      async (tx) => {
        const tables = await foreignKeyOrder(tx, await listTables(tx));
        const infos: BackupTable[] = [];
        for (const name of tables) {
          const [c] = await execRows<{ n: number }>(tx, sql.raw(`SELECT count(*)::int AS n FROM public.${ident(name)}`));
          infos.push({ name, rows: Number(c?.n ?? 0), columns: await storedColumns(tx, name) });
        }
        const sequences: BackupHeader['sequences'] = [];
        for (const s of await listSequences(tx)) {
          const [v] = await execRows<{ last_value: string; is_called: boolean }>(
            tx,
            sql.raw(`SELECT last_value::text AS last_value, is_called FROM public.${ident(s)}`),
          );
          sequences.push({ name: s, lastValue: v!.last_value, isCalled: v!.is_called });
        }
        header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: now.toISOString(), source: database.kind, migrations, tables: infos, sequences, files };
        await write(JSON.stringify(header));
        for (const t of infos) {
          await write(JSON.stringify({ table: t.name, rows: t.rows }));
          // Keyset pagination over ctid: stable inside the snapshot, no ordering column needed.
          let after = '(0,0)';
          let written = 0;
          for (;;) {
            const rows = await execRows<{ ctid: string; j: string }>(
              tx,
              sql`SELECT t.ctid::text AS ctid, row_to_json(t)::text AS j FROM ${sql.raw(`public.${ident(t.name)}`)} t
                  WHERE t.ctid > ${after}::tid ORDER BY t.ctid LIMIT 2000`,
            );
            for (const r of rows) await write(r.j);
            written += rows.length;
            if (rows.length < 2000) break;
            after = rows[rows.length - 1]!.ctid;
          }
          if (written !== t.rows) throw new Error(`Tabelle ${t.name}: ${written} statt ${t.rows} Zeilen gelesen`);
          totalRows += written;
        }
      },
      database.kind === 'postgres' ? { isolationLevel: 'repeatable read', accessMode: 'read only' } : undefined,
    );
    for (const f of files) {
      const data = readFileSync(join(opts.dataDir!, f.path));
      await write(JSON.stringify({ file: f.path, size: data.length, data: data.toString('base64') }));
    }
    const digest = hash.digest('hex');
    gzip.end(`${JSON.stringify({ sha256: digest })}\n`);
    await once(out, 'finish');
    renameSync(tmp, file);
  } catch (e) {
    gzip.destroy();
    out.destroy();
    rmSync(tmp, { force: true });
    throw e;
  }
  return { file, tables: header!.tables.length, rows: totalRows, files: files.length, bytes, migrations };
}

type Section = { table: BackupTable; rows: AsyncGenerator<string> };

/**
 * Reads a backup file line by line. `onTable` is called for each table section with an
 * iterator over its raw JSON row lines; the checksum is checked at the end.
 * @throws BackupFileError for every kind of damage (not gzip, truncated, wrong format, bad checksum).
 */
async function readBackup(
  file: string,
  onHeader: (h: BackupHeader) => Promise<void> | void,
  onTable: (s: Section) => Promise<void>,
  onFile: (path: string, data: Buffer) => void = () => undefined,
): Promise<BackupHeader> {
  const bad = (reason: string) => new BackupFileError(file, reason);
  const input = createReadStream(file);
  const gunzip = createGunzip();
  let streamError: Error | undefined;
  input.on('error', (e) => {
    streamError = e;
    gunzip.destroy(e);
  });
  gunzip.on('error', (e) => (streamError ??= e));
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const hash = createHash('sha256');
  let lineNo = 0;
  const next = async (): Promise<string | undefined> => {
    let r: IteratorResult<string>;
    try {
      r = await lines.next();
    } catch (e) {
      streamError ??= e as Error;
      r = { done: true, value: undefined };
    }
    if (streamError) {
      const code = (streamError as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ConfigError(`Die Sicherungsdatei ${file} gibt es nicht. Geben Sie den Pfad einer vorhandenen Sicherung an.`);
      if (code === 'EACCES') throw new ConfigError(`Die Sicherungsdatei ${file} darf nicht gelesen werden. Prüfen Sie die Dateirechte.`);
      throw bad(code === 'Z_BUF_ERROR' ? 'die Datei ist abgeschnitten' : `keine gültige gzip-Datei (${streamError.message})`);
    }
    if (r.done) return undefined;
    lineNo += 1;
    return r.value;
  };
  const parse = (line: string | undefined, what: string): Record<string, unknown> => {
    if (line === undefined) throw bad(`die Datei endet vor ${what} (abgeschnitten)`);
    try {
      const v = JSON.parse(line) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* reported below */
    }
    throw bad(`Zeile ${lineNo} ist kein JSON-Objekt (${what} erwartet)`);
  };
  try {
    const first = await next();
    const header = parse(first, 'dem Kopf') as unknown as BackupHeader;
    if (header.format !== BACKUP_FORMAT) throw bad(`Zeile 1 ist kein Lotse-Sicherungskopf (format "${String(header.format)}")`);
    if (header.version !== BACKUP_VERSION) throw bad(`Formatversion ${String(header.version)} wird nicht unterstützt (erwartet ${BACKUP_VERSION})`);
    if (!Array.isArray(header.tables) || !Array.isArray(header.sequences) || typeof header.migrations?.count !== 'number')
      throw bad('der Kopf ist unvollständig (tables, sequences, migrations)');
    header.files ??= [];
    const unsafe = header.files.find((f) => !safeRelative(f.path));
    if (unsafe) throw bad(`der Dateipfad ${JSON.stringify(unsafe.path)} zeigt aus dem Datenverzeichnis heraus`);
    hash.update(`${first}\n`);
    await onHeader(header);
    for (const table of header.tables) {
      const markerLine = await next();
      const marker = parse(markerLine, `dem Abschnitt der Tabelle ${table.name}`);
      if (marker.table !== table.name || marker.rows !== table.rows) throw bad(`Zeile ${lineNo}: Abschnitt für Tabelle ${table.name} erwartet`);
      hash.update(`${markerLine}\n`);
      let consumed = 0;
      async function* rows(): AsyncGenerator<string> {
        while (consumed < table.rows) {
          const line = await next();
          if (line === undefined) throw bad(`die Datei endet mitten in Tabelle ${table.name} (abgeschnitten)`);
          if (!line.startsWith('{')) throw bad(`Zeile ${lineNo} ist keine Tabellenzeile`);
          hash.update(`${line}\n`);
          consumed += 1;
          yield line;
        }
      }
      await onTable({ table, rows: rows() });
      // Drain what the consumer did not read, so the checksum covers everything.
      for await (const _ of rows()) void _;
    }
    for (const f of header.files) {
      const line = await next();
      const entry = parse(line, `der Datei ${f.path}`);
      if (entry.file !== f.path || typeof entry.data !== 'string') throw bad(`Zeile ${lineNo}: Datei ${f.path} erwartet`);
      const data = Buffer.from(entry.data, 'base64');
      if (data.length !== f.size) throw bad(`Datei ${f.path} hat ${data.length} statt ${f.size} Bytes`);
      hash.update(`${line}\n`);
      onFile(f.path, data);
    }
    const endLine = await next();
    const end = parse(endLine, 'der Prüfsumme');
    const digest = hash.digest('hex');
    if (end.sha256 !== digest) throw bad(`die Prüfsumme stimmt nicht (Datei beschädigt oder verändert)`);
    if ((await next()) !== undefined) throw bad(`nach der Prüfsumme in Zeile ${lineNo - 1} folgen weitere Daten`);
    return header;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

/**
 * Reads the whole file and checks format, structure and checksum without touching any database.
 * @throws BackupFileError
 */
export async function verifyBackup(file: string): Promise<BackupHeader> {
  return readBackup(
    file,
    () => undefined,
    async (s) => {
      for await (const line of s.rows) {
        try {
          JSON.parse(line);
        } catch {
          throw new BackupFileError(file, `eine Zeile der Tabelle ${s.table.name} ist kein gültiges JSON`);
        }
      }
    },
  );
}

export interface RestoreOptions {
  /** Where the backup's files go (LOTSE_DATA_DIR); without it files in the backup are ignored. */
  dataDir?: string | undefined;
  /** Runs inside the restore transaction after the data is in (e.g. an audit entry). */
  afterRestore?: (tx: Tx, header: BackupHeader) => Promise<void>;
}

export interface RestoreSummary {
  file: string;
  tables: number;
  rows: number;
  files: number;
  migrations: BackupHeader['migrations'];
  /** Migrations applied after the data went in (backup from an older Lotse into an empty database). */
  migratedForward: number;
}

/**
 * Replaces the content of every table in schema `public` with the backup, in ONE transaction:
 * the file is verified completely first (format, checksum, migration level), so a damaged file
 * or an unsuitable database stops with a `ConfigError` before anything is changed. The drizzle
 * migrations table is left as it is; sequences get the values of the backup; the audit log is
 * restored row by row, so its hash chain stays intact.
 */
export async function restoreBackup(database: Database, file: string, opts: RestoreOptions = {}): Promise<RestoreSummary> {
  const header = await verifyBackup(file);
  const tags = migrationTags();
  const level = header.migrations.count;
  if (level > tags.length) {
    throw new ConfigError(
      `Die Sicherung ${file} stammt von einer neueren Lotse-Version (Migrationsstand ${level}, ${header.migrations.last ?? '?'}; diese Version kennt ${tags.length}). ` +
        'Aktualisieren Sie Lotse, bevor Sie diese Sicherung zurückspielen.',
    );
  }
  if (level > 0 && header.migrations.last !== tags[level - 1]) {
    throw new ConfigError(
      `Die Sicherung ${file} passt nicht zu den Migrationen dieser Lotse-Version (Migration ${level} heißt dort "${header.migrations.last}", hier "${tags[level - 1]}"). ` +
        'Spielen Sie die Sicherung mit der Lotse-Version zurück, mit der sie erstellt wurde.',
    );
  }
  const applied = await database.appliedMigrations();
  if (applied === 0) {
    // Empty database: bring it exactly to the backup's level, later migrate forward.
    await database.migrate({ upTo: level });
  } else if (applied !== level) {
    throw new ConfigError(
      `Die Datenbank hat Migrationsstand ${applied}, die Sicherung ${file} aber ${level}. ` +
        'Spielen Sie die Sicherung in eine leere Datenbank zurück (neues LOTSE_DATA_DIR oder leere PostgreSQL-Datenbank); Lotse migriert sie danach selbst.',
    );
  }

  let rows = 0;
  await database.db.transaction(async (tx) => {
    const targetTables = await listTables(tx);
    const target = new Set(targetTables);
    const columns = new Map<string, string[]>();
    for (const t of header.tables) {
      if (!target.has(t.name)) throw new ConfigError(`Die Sicherung ${file} enthält die Tabelle ${t.name}, die es in der Datenbank nicht gibt. Nichts wurde verändert.`);
      const have = new Set(await storedColumns(tx, t.name));
      const missing = t.columns.filter((c) => !have.has(c));
      if (missing.length)
        throw new ConfigError(`Die Tabelle ${t.name} der Sicherung ${file} hat Spalten, die der Datenbank fehlen (${missing.join(', ')}). Nichts wurde verändert.`);
      columns.set(t.name, t.columns);
    }
    const selfRef = await selfReferencing(tx);
    const all = targetTables.map((t) => `public.${ident(t)}`).join(', ');
    // User triggers (e.g. the append-only guard of audit_log) must not block a full restore;
    // foreign-key checks stay on. ALTER TABLE is transactional: a failed restore leaves them enabled.
    for (const t of targetTables) await tx.execute(sql.raw(`ALTER TABLE public.${ident(t)} DISABLE TRIGGER USER`));
    if (targetTables.length) await tx.execute(sql.raw(`TRUNCATE ${all} RESTART IDENTITY`));

    const insert = async (table: string, lines: string[]) => {
      if (!lines.length) return;
      const cols = columns.get(table)!.map(ident).join(', ');
      await tx.execute(
        sql`INSERT INTO ${sql.raw(`public.${ident(table)}`)} (${sql.raw(cols)}) OVERRIDING SYSTEM VALUE
            SELECT ${sql.raw(cols)} FROM json_populate_recordset(null::${sql.raw(`public.${ident(table)}`)}, ${`[${lines.join(',')}]`}::json)`,
      );
      rows += lines.length;
    };
    await readBackup(
      file,
      () => undefined,
      async ({ table, rows: lines }) => {
        let chunk: string[] = [];
        let size = 0;
        for await (const line of lines) {
          chunk.push(line);
          size += line.length;
          if (!selfRef.has(table.name) && (chunk.length >= 5000 || size > 4_000_000)) {
            await insert(table.name, chunk);
            chunk = [];
            size = 0;
          }
        }
        await insert(table.name, chunk);
      },
    );
    const sequences = new Set(await listSequences(tx));
    for (const s of header.sequences) {
      if (!sequences.has(s.name)) continue;
      await tx.execute(sql`SELECT setval(${`public.${ident(s.name)}`}::regclass, ${s.lastValue}::bigint, ${s.isCalled})`);
    }
    for (const t of targetTables) await tx.execute(sql.raw(`ALTER TABLE public.${ident(t)} ENABLE TRIGGER USER`));
    await opts.afterRestore?.(tx, header);
  });

  // Files after the commit: each is written to a temporary name and renamed, so none is half written.
  let files = 0;
  if (opts.dataDir && header.files?.length) {
    const dataDir = opts.dataDir;
    await readBackup(
      file,
      () => undefined,
      async () => undefined,
      (path, data) => {
        const target = join(dataDir, path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(`${target}.part`, data);
        renameSync(`${target}.part`, target);
        files += 1;
      },
    );
  }

  let migratedForward = 0;
  if (level < tags.length) {
    await database.migrate();
    migratedForward = tags.length - level;
  }
  return { file, tables: header.tables.length, rows, files, migrations: header.migrations, migratedForward };
}
