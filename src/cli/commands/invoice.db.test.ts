import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../../../test/helpers/context.ts';

const DIR = resolve(import.meta.dirname, '../../../../shared/data/invoices');
const haveSamples = existsSync(DIR);

// Spawns the real CLI. `invoice extract` needs no database; `documents ingest` uses a PGlite data dir.
describe.skipIf(!haveSamples || testDbKind() === 'postgres')('lotse invoice extract / documents ingest', () => {
  let dir: string;
  const lotse = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/lotse.mjs', ...args], { env: { ...process.env, LOTSE_DATA_DIR: dir, LOTSE_LOG_LEVEL: 'silent', DATABASE_URL: '' }, encoding: 'utf8' });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-invoice-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 0 and the exact JSON for a valid XRechnung', () => {
    const r = lotse('invoice', 'extract', join(DIR, 'kosit-01.02a-cii.xml'), '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(DIR, 'kosit-01.02a-cii.xml.expected.json'), 'utf8')));
  });

  it('exit 1 with the JSON still printed for an invalid invoice (wrong total)', () => {
    const bad = join(dir, 'falsch.xml');
    writeFileSync(bad, readFileSync(join(DIR, 'kosit-01.01a-ubl.xml'), 'utf8').replace('<cbc:PayableAmount currencyID="EUR">336.9<', '<cbc:PayableAmount currencyID="EUR">363.9<'));
    const r = lotse('invoice', 'extract', bad, '--json');
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ format: 'ubl', invoiceNumber: '123456XX', validation: { valid: false } });
    expect(json.validation.errors).toEqual([{ rule: 'BR-CO-16', message: expect.stringContaining('BT-115') }]);
    const human = lotse('invoice', 'extract', bad);
    expect(human.status).toBe(1);
    expect(human.stdout).toContain('[BR-CO-16]');
  }, 60_000);

  it('exit 2 naming the file for unreadable input', () => {
    const notInvoice = join(dir, 'notiz.pdf');
    writeFileSync(notInvoice, 'kein PDF');
    for (const [file, pattern] of [
      [notInvoice, /notiz\.pdf: keine Rechnung im Format XML, PDF oder Bild/],
      [join(dir, 'fehlt.xml'), /fehlt\.xml: Datei nicht lesbar/],
    ] as const) {
      const r = lotse('invoice', 'extract', file, '--json');
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(pattern);
    }
  }, 60_000);

  it('documents ingest: one JSON line per file, bad files do not stop the batch, exit 2', () => {
    const empty = join(dir, 'leer.pdf');
    writeFileSync(empty, '');
    const r = lotse('documents', 'ingest', '--json', join(DIR, 'kosit-02.01a-ubl.xml'), empty, join(DIR, 'zf-EN16931_Einfach.pdf'), join(DIR, 'kosit-02.01a-ubl.xml'));
    expect(r.status).toBe(2);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(['file', 'kind', 'category', 'confidence', 'abstained', 'pages', 'ocr', 'fields']));
    expect(lines[0]).toMatchObject({ kind: 'xrechnung-ubl', category: 'Rechnungseingang', abstained: false, status: 'routed', fields: { invoiceNumber: '1234567' } });
    expect(lines[1]).toMatchObject({ status: 'rejected', error: 'leer.pdf: Die Datei ist leer (0 Byte).' });
    expect(lines[2]).toMatchObject({ kind: 'zugferd', pages: 2, ocr: false, status: 'routed' });
    expect(lines[3]).toMatchObject({ status: 'duplicate', duplicateOf: lines[0].documentId });
  }, 120_000);
});
