import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { syntheticRows } from '../src/modules/mailroom/triage/fixtures.ts';
import { axeViolations, launchBrowser, loginAsFirstAdmin, screenshots, startServer, type RunningServer } from './server.ts';

describe('triage "Warum?" on the document page', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-why-'));
    const train = join(dataDir, 'train.jsonl');
    writeFileSync(
      train,
      syntheticRows()
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    // The general model "default" classifies uploaded letters and texts.
    execFileSync(process.execPath, ['bin/lotse.mjs', 'triage', 'train', train, '--model', 'default'], {
      env: { ...process.env, LOTSE_DATA_DIR: dataDir, LOTSE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server = await startServer({ LOTSE_DATA_DIR: dataDir });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await loginAsFirstAdmin(page, server);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an uploaded text shows the top categories and why the model prefers the first', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/hochladen`);
    await page
      .getByLabel('Dateien auswählen oder hierher ziehen')
      .setInputFiles([
        {
          name: 'meldung.txt',
          mimeType: 'text/plain',
          buffer: Buffer.from('Seit drei Tagen parkt ein Falschparker auf dem Gehweg und die Einfahrt ist zugeparkt.\n'),
        },
      ]);
    await page.getByRole('button', { name: 'Hochladen' }).click();
    await page.waitForSelector('#mr-results-h');
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/1`);
    const summary = page.locator('details.lotse-mr-why summary');
    await expect(summary.innerText()).resolves.toContain('Warum „parken“?');
    await summary.click();
    const table = await page.locator('details.lotse-mr-why table').innerText();
    expect(table).toMatch(/„(falschpark|zugepar|gehweg|einfahrt)/);
    expect(table).toContain('dafür');
    await screenshots(page, 'triage-warum');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
  }, 120_000);
});
