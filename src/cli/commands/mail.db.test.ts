import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../../../test/helpers/context.ts';

const MAIL_DIR = join(process.cwd(), '..', 'shared', 'data', 'mail');

// `lotse mail triage FILE.eml... --json` on the shared dev mails: one JSON line per message,
// exactly the keys of interfaces.md; unreadable files are reported and the rest still run.
describe.skipIf(testDbKind() === 'postgres' || !existsSync(MAIL_DIR))('lotse mail triage', () => {
  let dir: string;
  const lotse = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/lotse.mjs', ...args], {
      env: { ...process.env, LOTSE_DATA_DIR: join(dir, 'data'), LOTSE_LOG_LEVEL: 'silent', DATABASE_URL: '' },
      encoding: 'utf8',
    });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-mail-cli-'));
    writeFileSync(join(dir, 'leer.eml'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the documented JSON Lines matching the expected labels', () => {
    const files = readdirSync(MAIL_DIR).filter((f) => f.endsWith('.eml')).sort();
    const r = lotse('mail', 'triage', ...files.map((f) => join(MAIL_DIR, f)), '--json');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(files.length);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(
        ['abstained', 'category', 'confidence', 'department', 'file', 'from', 'isAutoReply', 'isBounce', 'isReply', 'messageId', 'references', 'subject'].sort(),
      );
      expect(Object.keys(l.references).sort()).toEqual(['aktenzeichen', 'kassenzeichen', 'ticket']);
      const exp = JSON.parse(readFileSync(join(MAIL_DIR, l.file.replace('.eml', '.expected.json')), 'utf8'));
      expect([l.category, l.isReply, l.isBounce, l.subject]).toEqual([exp.category, exp.isReply, exp.isBounce, exp.subject]);
    }
    expect(lines.find((l) => l.file === '06.eml')).toMatchObject({ category: 'Rechnungseingang', department: 'finanzen' });
  }, 300_000);

  it('asks only the mail model by default; --model mail,default adds the intake fallback to the general model', () => {
    // A general model trained on other categories (as after `lotse triage train` on letters or reports).
    const vocab: Record<string, string[]> = { abfall: ['Sperrmüll an der Ecke', 'Matratze abgestellt'], parken: ['Falschparker auf dem Gehweg', 'Einfahrt zugeparkt'], laerm: ['laute Musik nachts', 'Lärm aus der Gaststätte'] };
    const rows = Array.from({ length: 60 }, (_, i) => {
      const c = Object.keys(vocab)[i % 3]!;
      return JSON.stringify({ id: `s${i}`, subject: null, text: `${vocab[c]![i % 2]}, seit ${(i % 6) + 1} Tagen`, category: c });
    });
    writeFileSync(join(dir, 'allgemein.jsonl'), rows.join('\n') + '\n');
    expect(lotse('triage', 'train', join(dir, 'allgemein.jsonl'), '--model', 'default').status).toBe(0);
    const mail = join(MAIL_DIR, '01.eml');
    const plain = lotse('mail', 'triage', mail, '--json');
    expect(plain.status, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout).category).toBe('Bürgerbüro'); // keywords, `default` not asked
    const intake = lotse('mail', 'triage', mail, '--json', '--model', 'mail,default');
    expect(intake.status, intake.stderr).toBe(0);
    expect(['abfall', 'parken', 'laerm', null]).toContain(JSON.parse(intake.stdout).category);
    const bad = lotse('mail', 'triage', mail, '--model', 'Mail;drop');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--model: ungültiger Modellname');
  }, 300_000);

  it('reports an unreadable file, still handles the others and exits 2', () => {
    const r = lotse('mail', 'triage', '--offline', join(dir, 'leer.eml'), join(dir, 'fehlt.eml'), join(MAIL_DIR, '08.eml'), '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('leer.eml: Die Datei ist leer.');
    expect(r.stderr).toContain('fehlt.eml');
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ file: '08.eml', category: 'Steuern/Kasse', references: { kassenzeichen: ['2026.0815.4711'] } });
  }, 300_000);
});
