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

  it('missing BT-1: "invoiceNumber": "" (a string, as interfaces.md types it) with rule BR-02, exit 1', () => {
    const noNumber = join(dir, 'ohne-nummer.xml');
    writeFileSync(noNumber, readFileSync(join(DIR, 'kosit-01.01a-ubl.xml'), 'utf8').replace(/<cbc:ID>123456XX<\/cbc:ID>/, ''));
    const r = lotse('invoice', 'extract', noNumber, '--json');
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.invoiceNumber).toBe('');
    expect(json.validation.errors).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'BR-02' })]));
    // only the str|null fields of the contract may be null
    for (const [k, v] of Object.entries({ ...json, sellerName: json.seller.name, ...json.totals })) {
      if (v === null) expect(['buyerReference', 'iban']).toContain(k);
    }
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
    // exit 2 also with --json: a German message on stderr naming the file and the reason
    expect(r.stderr).toContain(`${empty}: abgelehnt – Die Datei ist leer (0 Byte).`);
  }, 120_000);

  it('documents ingest: missing, empty again and corrupt files are named on stderr (exit 2); a reply mail shows its Aktenzeichen', () => {
    const empty = join(dir, 'leer.pdf');
    const corrupt = join(dir, 'kaputt.pdf');
    writeFileSync(corrupt, '%PDF-1.7\n1 0 obj');
    const reply = join(dir, 'antwort.eml');
    writeFileSync(
      reply,
      'From: carla.probe@example.org\r\nTo: bauamt@northeim.de\r\nSubject: AW: Ihr Schreiben vom 10.11.2026, Az. 63-0457/2026\r\nMessage-ID: <reply-1@example.org>\r\nIn-Reply-To: <brief-1@northeim.de>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSehr geehrte Damen und Herren,\r\nanbei die fehlenden Unterlagen zum Carport.\r\n\r\n> Ihr Zeichen: 63-0457/2026\r\n',
    );
    const missing = join(dir, 'fehlt.pdf');
    const r = lotse('documents', 'ingest', '--json', empty, corrupt, missing, reply);
    expect(r.status).toBe(2);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.status)).toEqual(['rejected', 'rejected', 'rejected', 'routed']);
    expect(lines[3]).toMatchObject({ kind: 'email', fields: { aktenzeichen: ['63-0457/2026'] } });
    const err = r.stderr.trim().split('\n');
    expect(err).toEqual([
      `${empty}: abgelehnt – Die Datei ist leer (0 Byte).`,
      expect.stringMatching(new RegExp(`^${corrupt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: abgelehnt – PDF-Struktur beschädigt`)),
      `${missing}: Datei nicht lesbar (Datei nicht gefunden, ENOENT).`,
    ]);
    // without --json the same messages go to stderr, the routed mail to stdout
    const human = lotse('documents', 'ingest', empty, reply);
    expect(human.status).toBe(2);
    expect(human.stderr).toContain(`${empty}: abgelehnt – Die Datei ist leer (0 Byte).`);
    expect(human.stdout).toContain(`${reply}: duplicate`);
  }, 120_000);
});
