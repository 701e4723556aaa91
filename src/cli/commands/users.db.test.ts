import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testDbKind } from '../../../test/helpers/context.ts';

// `lotse users …` as a real process, against a PGlite data dir or a fresh PostgreSQL database.
describe(`lotse users (${testDbKind()})`, () => {
  let dir: string;
  let databaseUrl = '';
  let dropDb: (() => Promise<void>) | undefined;

  const lotse = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, ['bin/lotse.mjs', ...args], {
        env: { ...process.env, LOTSE_DATA_DIR: dir, LOTSE_LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-users-cli-'));
    if (testDbKind() === 'postgres') {
      const base = process.env.LOTSE_TEST_DATABASE_URL!;
      const name = `lotse_t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
      await admin.end();
      const u = new URL(base);
      u.pathname = `/${name}`;
      databaseUrl = u.toString();
      dropDb = async () => {
        const a = new pg.Client({ connectionString: base });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      };
    }
  });
  afterAll(async () => {
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an account and prints the one-time password as JSON; list shows it', async () => {
    const r = await lotse(
      'users',
      'create',
      '--email',
      'Kim.Kraus@northeim.example',
      '--name',
      'Kim Kraus',
      '--role',
      'clerk',
      '--role',
      'council',
      '--department',
      'finanzen',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ email: 'kim.kraus@northeim.example', roles: ['clerk', 'council'], department: 'finanzen' });
    expect(out.oneTimePassword).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    const l = await lotse('users', 'list', '--json');
    expect(l.status).toBe(0);
    const list = JSON.parse(l.stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: out.id, displayName: 'Kim Kraus', active: true, mustChangePassword: true });
    expect(l.stdout).not.toContain('argon2');
  }, 90_000);

  it('exit 2 with a clear message for a bad role, department, e-mail or a taken e-mail', async () => {
    // Role checks happen before the database is opened, so these two may run side by side.
    const [badRole, noRole] = await Promise.all([
      lotse('users', 'create', '--email', 'a@northeim.example', '--name', 'A', '--role', 'kaiser'),
      lotse('users', 'create', '--email', 'a@northeim.example', '--name', 'A'),
    ]);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain(
      'Unbekannte Rolle "kaiser" bei --role. Erlaubt sind: admin, department_lead, clerk, working_group, council.',
    );
    expect(noRole.status).toBe(2);
    const badDept = await lotse(
      'users',
      'create',
      '--email',
      'a@northeim.example',
      '--name',
      'A',
      '--role',
      'clerk',
      '--department',
      'mond',
    );
    expect(badDept.status).toBe(2);
    expect(badDept.stderr).toContain('Unbekannter Fachbereich "mond"');
    const badMail = await lotse('users', 'create', '--email', 'kein-mail', '--name', 'A', '--role', 'clerk');
    expect(badMail.status).toBe(2);
    expect(badMail.stderr).toContain('email: Bitte eine gültige E-Mail-Adresse angeben.');
    const taken = await lotse('users', 'create', '--email', 'kim.kraus@northeim.example', '--name', 'A', '--role', 'clerk');
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('bereits ein Konto');
    expect(taken.stdout).toBe('');
  }, 120_000);
});
