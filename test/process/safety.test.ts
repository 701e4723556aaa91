import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/index.ts';
import { freePort, lotse, message, start, waitReady, type Child } from './helpers.ts';

// Process-level tests: real `lotse` processes on a temporary LOTSE_DATA_DIR.
// Every "bad input" case must stop with exit code 2, one clear sentence, and touch no data.

const tmp = mkdtempSync(join(tmpdir(), 'lotse-proc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** File names and sizes under a directory (to prove nothing was written). */
function listing(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const p = join(e.parentPath, e.name);
      return `${p}:${statSync(p).size}:${statSync(p).mtimeMs}`;
    })
    .sort();
}

describe('bad input stops with exit code 2 before anything is touched', () => {
  it.each([
    [{ PORT: 'abc' }, /PORT hat den ungültigen Wert "abc".*entfernen Sie die Variable/],
    [{ LOTSE_CAPTCHA: 'maybe' }, /LOTSE_CAPTCHA hat den ungültigen Wert "maybe", erwartet ist einer der Werte on, off/],
    [{ LOTSE_DEMOO: 'off' }, /LOTSE_DEMOO kennt Lotse nicht \(meinten Sie LOTSE_DEMO\?\)/],
  ])('malformed environment %o', async (env, expected) => {
    const dir = join(tmp, 'env-case');
    const r = await lotse(['serve'], { LOTSE_DATA_DIR: dir, ...env });
    expect(r.code, r.stderr).toBe(2);
    expect(message(r)).toMatch(expected);
    expect(message(r).split('\n')).toHaveLength(1);
    expect(existsSync(dir)).toBe(false);
  });

  it('unwritable data directory', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'not a directory');
    const r = await lotse(['serve'], { LOTSE_DATA_DIR: join(file, 'data') });
    expect(r.code, r.stderr).toBe(2);
    expect(message(r)).toMatch(/Datenverzeichnis .* ist nicht beschreibbar .*Setzen Sie LOTSE_DATA_DIR/);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('unreachable DATABASE_URL, quickly', async () => {
    const r = await lotse(['serve'], { DATABASE_URL: 'postgresql://lotse:geheim@127.0.0.1:1/lotse', PORT: String(await freePort()) });
    expect(r.code, r.stderr).toBe(2);
    expect(message(r)).toMatch(/DATABASE_URL \(127\.0\.0\.1:1\/lotse\) ist nicht erreichbar.*Prüfen Sie, ob PostgreSQL läuft/);
    expect(message(r)).not.toContain('geheim');
    expect(r.ms).toBeLessThan(15_000);
  });
});

describe('one embedded database, one process', () => {
  const dataDir = join(tmp, 'data');
  let port: number;
  let server: Child;

  beforeAll(async () => {
    port = await freePort();
    server = start(['serve'], { LOTSE_DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(server, port);
  }, 120_000);
  afterAll(() => {
    if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
  });

  it('a second process on the same data dir stops with exit 2 and leaves the data alone', async () => {
    const lock = readFileSync(join(dataDir, 'lotse.lock'), 'utf8');
    expect(lock).toBe(String(server.proc.pid));
    const pgFiles = listing(join(dataDir, 'pglite')).length;
    for (const args of [['serve'], ['migrate'], ['backup', join(tmp, 'b.gz')]]) {
      const r = await lotse(args, { LOTSE_DATA_DIR: dataDir, PORT: String(await freePort()) });
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(message(r)).toMatch(
        new RegExp(`Das Datenverzeichnis .* wird bereits von einem anderen Lotse-Prozess \\(PID ${server.proc.pid}\\) benutzt\\. Beenden Sie diesen Prozess`),
      );
    }
    expect(readFileSync(join(dataDir, 'lotse.lock'), 'utf8')).toBe(lock);
    expect(listing(join(dataDir, 'pglite')).length).toBe(pgFiles);
    expect(existsSync(join(tmp, 'b.gz'))).toBe(false);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
  }, 60_000);

  it('a taken port stops with exit 2 before a database is created', async () => {
    const other = join(tmp, 'other-data');
    const r = await lotse(['serve'], { LOTSE_DATA_DIR: other, PORT: String(port) });
    expect(r.code, r.stderr).toBe(2);
    expect(message(r)).toBe(`Fehler: Port ${port} ist bereits belegt. Beenden Sie das andere Programm oder wählen Sie mit PORT einen anderen Port.`);
    expect(existsSync(other)).toBe(false);
  });

  it('SIGTERM shuts down cleanly: exit 0, lock file gone, data reopens', async () => {
    server.proc.kill('SIGTERM');
    const r = await server.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('SIGTERM empfangen');
    expect(existsSync(join(dataDir, 'lotse.lock'))).toBe(false);
    // Warm restart on the same directory, then SIGINT (Ctrl+C) behaves the same.
    server = start(['serve'], { LOTSE_DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(server, port);
    server.proc.kill('SIGINT');
    expect((await server.done).code).toBe(0);
    expect(existsSync(join(dataDir, 'lotse.lock'))).toBe(false);
  }, 120_000);
});

describe('crash safety', () => {
  it('a process killed with SIGKILL during writes keeps every committed row', async () => {
    const dir = join(tmp, 'crash');
    const writer = start([dir], {}, 'test/process/fixtures/writer.ts', ['--import', 'tsx']);
    const deadline = Date.now() + 60_000;
    while (writer.out().split('\n').filter((l) => /^\d+$/.test(l)).length < 150) {
      if (writer.proc.exitCode !== null || Date.now() > deadline) throw new Error(`writer stopped: ${writer.err()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    writer.proc.kill('SIGKILL');
    const run = await writer.done;
    expect(run.signal).toBe('SIGKILL');
    const committed = run.stdout.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
    // The stale lock of the killed process is taken over on restart.
    expect(readFileSync(join(dir, 'lotse.lock'), 'utf8')).toBe(String(writer.proc.pid));
    const db = await openDatabase({ dataDir: dir });
    try {
      const rows = await db.query<{ id: number }>('SELECT id FROM crash_probe ORDER BY id');
      const have = new Set(rows.map((r) => r.id));
      expect(committed.filter((id) => !have.has(id))).toEqual([]);
      expect(rows.length).toBeGreaterThanOrEqual(committed.length);
      expect(readFileSync(join(dir, 'lotse.lock'), 'utf8')).toBe(String(process.pid));
    } finally {
      await db.close();
    }
    expect(existsSync(join(dir, 'lotse.lock'))).toBe(false);
  }, 120_000);
});
