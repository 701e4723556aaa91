import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, loginAsFirstAdmin, screenshots, startServer, type RunningServer } from './server.ts';

const DIR = resolve(import.meta.dirname, '../../shared/data/invoices');

describe.skipIf(!existsSync(DIR))('document inbox in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-inbox-'));
    const empty = join(dataDir, 'leer.pdf');
    writeFileSync(empty, '');
    const r = spawnSync(process.execPath, ['bin/lotse.mjs', 'documents', 'ingest', join(DIR, 'kosit-03.01a-ubl.xml'), join(DIR, 'zf-XRECHNUNG_Einfach.pdf'), empty], {
      env: { ...process.env, LOTSE_DATA_DIR: dataDir, LOTSE_LOG_LEVEL: 'silent', DATABASE_URL: '' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(2);
    server = await startServer({ LOTSE_DATA_DIR: dataDir });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await loginAsFirstAdmin(page, server);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('inbox list: statuses in words, reasons, accessible', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Posteingang');
    const body = await page.locator('body').innerText();
    expect(body).toContain('Zugeordnet');
    expect(body).toContain('Zur Prüfung');
    expect(body).toContain('Die Datei ist leer (0 Byte).');
    await screenshots(page, 'mailroom-posteingang');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('invoice detail: German invoice view with lines, totals and validation', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang`);
    await page.getByRole('link', { name: '1', exact: true }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Dokument 1');
    const body = await page.locator('body').innerText();
    expect(body).toContain('Rechnung 123456789 vom 28.02.2019');
    expect(body).toContain('Arbeitspreis Strom');
    expect(body).toContain('Prüfung bestanden');
    await screenshots(page, 'mailroom-rechnung');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/2`);
    expect(await page.locator('body').innerText()).toContain('Prüfziffer falsch (erwartet 03)');
    await screenshots(page, 'mailroom-rechnung-ungueltig');
    expect(await axeViolations(page)).toEqual([]);
  });
});
