import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../src/core/db/index.ts';
import { systemActor } from '../src/core/auth/actor.ts';
import { writeAudit } from '../src/core/audit/index.ts';
import { queueMail } from '../src/core/mail-out/index.ts';
import { axeViolations, launchBrowser, loginAsFirstAdmin, screenshots, startServer, type RunningServer } from './server.ts';

/** Data an operator would find after a while: a dead mail job, a sent mail, some audit entries. */
async function seed(dir: string) {
  const db = await openDatabase({ dataDir: dir });
  await db.migrate();
  await db.db.transaction(async (tx) => {
    await queueMail(tx, { to: 'erika.beispiel@example.org', subject: 'Terminbestätigung Bürgerbüro', text: 'Ihr Termin …', kind: 'appointment-confirmation' });
    for (const subject of ['Erinnerung an Ihren Termin', 'Ihre Wartenummer']) {
      const dead = await queueMail(tx, { to: 'max.muster@example.net', subject, text: '…', kind: 'appointment-reminder' });
      await tx.execute(sql`UPDATE outbox SET status = 'dead', attempts = 6, last_error = 'SMTP 451: <m***@example.net>: Mailbox vorübergehend nicht verfügbar' WHERE id = ${dead}`);
    }
  });
  await db.query(
    `UPDATE jobs SET status = 'dead', attempts = 6, finished_at = now(), last_error = 'SMTP 451: <m***@example.net>: Mailbox vorübergehend nicht verfügbar'
     WHERE payload->>'outboxId' IN (SELECT id::text FROM outbox WHERE status = 'dead')`,
  );
  for (const action of ['settings.update', 'catalog.publish', 'appointment.book']) {
    await writeAudit(db.db, { actor: systemActor('e2e'), action, objectType: action.split('.')[0]!, objectId: 'demo-1', summary: { after: { status: 'ok' } } });
  }
  await db.close();
}

describe('operations pages in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-ops-'));
    await seed(dataDir);
    server = await startServer({ LOTSE_DATA_DIR: dataDir });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await loginAsFirstAdmin(page, server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('jobs page: counts, dead letter with last error, retry button works', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/auftraege`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Hintergrundaufträge');
    await expect(page.locator('body').innerText()).resolves.toContain('Mailbox vorübergehend nicht verfügbar');
    await screenshots(page, 'ops-auftraege');
    expect(await axeViolations(page)).toEqual([]);
    // The wide table scrolls on a phone: the scroll region must be keyboard-reachable.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: /erneut versuchen/ }).first().click();
    await page.waitForURL(/hinweis=erneut/);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('erneut eingeplant');
    expect(await axeViolations(page)).toEqual([]);
    // Automatic refresh is opt-in.
    await page.getByRole('link', { name: /automatisch aktualisieren/ }).click();
    await expect(page.locator('#auftraege-liste').getAttribute('hx-trigger')).resolves.toBe('every 15s');
  });

  it('outbox page: subject and kind, masked recipients', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/postausgang`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Postausgang');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Terminbestätigung Bürgerbüro');
    expect(text).toContain('e***@example.org');
    expect(text).not.toContain('erika.beispiel');
    expect(text).not.toContain('max.muster');
    await screenshots(page, 'ops-postausgang');
    expect(await axeViolations(page)).toEqual([]);
    // One mail is still dead: send it again from here.
    await page.getByRole('button', { name: /erneut senden/ }).click();
    await page.waitForURL(/hinweis=erneut/);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('erneut versendet');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('audit page: entries in Berlin time and a passing chain check', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/protokoll`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Prüfprotokoll');
    await expect(page.locator('main').innerText()).resolves.toContain('catalog.publish');
    await page.getByRole('button', { name: 'Kette prüfen' }).click();
    await page.waitForURL(/pruefen=1/);
    await expect(page.locator('#pruefergebnis').innerText()).resolves.toMatch(/Die Kette ist unverändert: \d+ Einträge geprüft/);
    await screenshots(page, 'ops-protokoll');
    expect(await axeViolations(page)).toEqual([]);
  });
});
