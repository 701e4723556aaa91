import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../src/core/db/index.ts';
import { axeViolations, launchBrowser, loginAsFirstAdmin, screenshots, startServer, type RunningServer } from './server.ts';

/** Aggregated co-use figures as the daily job would have written them (demo catalog ids). */
async function seed(dir: string) {
  const db = await openDatabase({ dataDir: dir });
  await db.migrate();
  const month = `${new Date().toISOString().slice(0, 7)}-01`;
  const rows: [string, string, number][] = [
    ['nom-kfz-zulassung', 'nom-wohnsitz-ummelden', 23],
    ['nom-hundesteuer-anmelden', 'nom-wohnsitz-anmelden', 9],
    ['nom-personalausweis', 'nom-wohnsitz-ummelden', 6],
    ['nom-reisepass', 'nom-wohnsitz-ummelden', 4], // below 5: never shown
  ];
  for (const [a, b, n] of rows) await db.query('INSERT INTO service_co_use (service_a, service_b, month, count) VALUES ($1, $2, $3, $4)', [a, b, month, n]);
  await db.close();
}

describe('insights pages in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-insights-'));
    await seed(dataDir);
    server = await startServer({ LOTSE_DATA_DIR: dataDir, LOTSE_DEMO: 'on' });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await loginAsFirstAdmin(page, server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('staff evaluation page: frequent pairs (≥ 5 only) and the privacy note', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/auswertung`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Auswertung: gemeinsam genutzte Leistungen');
    const text = await page.locator('main').innerText();
    expect(text).toContain('23');
    expect(text).toContain('k ≥ 5');
    expect(text).not.toContain('Reisepass beantragen');
    expect(await page.locator('tbody tr').count()).toBe(3);
    await screenshots(page, 'insights-auswertung');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('service page: "Andere erledigten auch" under the next steps', async () => {
    await page.goto(`${server.baseUrl}/leistungen/nom-wohnsitz-ummelden`);
    const section = page.locator('section[aria-labelledby="h-co-use"]');
    await expect(section.locator('h2').innerText()).resolves.toBe('Andere erledigten auch');
    await expect(section.locator('li').count()).resolves.toBe(2);
    await expect(section.innerText()).resolves.toContain('Anonyme Statistik');
    await section.scrollIntoViewIfNeeded();
    await screenshots(page, 'insights-leistung');
    expect(await axeViolations(page)).toEqual([]);
  });
});
