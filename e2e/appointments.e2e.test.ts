import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, screenshots, startServer, type RunningServer } from './server.ts';

async function findMail(dataDir: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const dir = join(dataDir, 'outbox');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(dir)) {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.eml'))) {
        const parsed = await simpleParser(readFileSync(join(dir, f)));
        const m = pattern.exec(parsed.text ?? '');
        if (m) return m[1]!;
      }
    }
    if (Date.now() > deadline) throw new Error(`no mail matching ${pattern}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function checkPage(page: Page, name: string) {
  await screenshots(page, name);
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('appointments in a real browser (captcha on)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let bookedDate = '';
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('citizen picks a service (preselected from ?leistung=), sees the earliest times and a day list', async () => {
    await page.goto(`${server.baseUrl}/termine?leistung=nom-personalausweis`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Termin buchen');
    expect(await page.locator('#l-nom-personalausweis').isChecked()).toBe(true);
    await expect(page.locator('#frueheste').innerText()).resolves.toContain('Früheste freie Termine');
    expect(await page.locator('.appt-earliest button').count()).toBe(6);
    expect(await page.locator('.appt-slots button').count()).toBeGreaterThan(20);
    await checkPage(page, 'termine-auswahl');
  });

  it('holds the slot, runs the proof-of-work in the browser and sends the confirmation mail', async () => {
    const first = page.locator('.appt-earliest button').first();
    const slotId = (await first.getAttribute('value'))!;
    const m = /\.(\d{4})(\d{2})(\d{2})T/.exec(slotId)!;
    bookedDate = `${m[1]}-${m[2]}-${m[3]}`;
    await first.click();
    await page.waitForURL(/\/termine\/daten\//);
    await expect(page.locator('h1').innerText()).resolves.toBe('Ihre Daten');
    await expect(page.locator('body').innerText()).resolves.toMatch(/reserviert bis \d\d:\d\d Uhr/);
    await page.getByLabel('Vor- und Nachname').fill('Erika Beispiel');
    await page.getByLabel('E-Mail-Adresse').fill('erika.beispiel@example.org');
    await page.getByLabel(/einverstanden/).check();
    await page.locator('[data-pow-done]').waitFor({ timeout: 30_000 });
    expect((await page.locator('input[name="captcha"]').inputValue()).length).toBeGreaterThan(50);
    await checkPage(page, 'termine-daten');
    await page.getByRole('button', { name: 'Termin verbindlich anfragen' }).click();
    await page.waitForURL(/\/termine\/gesendet/);
    await expect(page.locator('h1').innerText()).resolves.toBe('Bitte bestätigen Sie Ihren Termin');
    await checkPage(page, 'termine-gesendet');
  });

  it('confirms by the e-mail link (twice: idempotent) and offers cancel/reschedule', async () => {
    const link = await findMail(server.dataDir, /(http\S+\/termine\/bestaetigen\?t=\S+)/);
    const path = new URL(link).pathname + new URL(link).search;
    await page.goto(server.baseUrl + path);
    await expect(page.locator('h1').innerText()).resolves.toBe('Ihr Termin ist bestätigt');
    await checkPage(page, 'termine-bestaetigt');
    await page.goto(server.baseUrl + path);
    await expect(page.locator('h1').innerText()).resolves.toBe('Ihr Termin ist bestätigt');
    await page.getByRole('link', { name: /absagen/ }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Ihr Termin');
    await checkPage(page, 'termine-verwalten');
    const forged = await page.request.delete(`${server.baseUrl}/api/v1/appointments/00000000-0000-0000-0000-000000000000?token=x.m.1.y`);
    expect(forged.status()).toBe(410);
  });

  it('works in English', async () => {
    await page.goto(`${server.baseUrl}/termine?leistung=nom-meldebescheinigung&lang=en`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Book an appointment');
    await checkPage(page, 'termine-englisch');
    // German service names inside the English page are marked as German.
    expect(await page.locator('label[for="l-nom-meldebescheinigung"] [lang="de"]').count()).toBe(1);
    await page.goto(`${server.baseUrl}/termine?lang=de`);
  });

  it('staff: day view shows the booking; week view, exports, queue, display, statistics, settings', async () => {
    const otp = /Einmal-Passwort:\s+(\S+)/.exec(server.stderr())?.[1];
    expect(otp, 'one-time password on stderr').toBeTruthy();
    await page.goto(`${server.baseUrl}/anmelden`);
    await page.getByLabel('E-Mail-Adresse').fill('admin@northeim.example');
    await page.getByLabel('Passwort', { exact: true }).fill(otp!);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(/\/verwaltung\/passwort/);
    await page.getByLabel('Neues Passwort', { exact: true }).fill('Ein langes neues Passwort 2026');
    await page.getByLabel('Neues Passwort wiederholen').fill('Ein langes neues Passwort 2026');
    await page.getByRole('button', { name: 'Passwort speichern' }).click();
    await page.waitForURL(/\/verwaltung(\?|$)/);

    await page.goto(`${server.baseUrl}/verwaltung/termine?datum=${bookedDate}`);
    await expect(page.locator('h1').innerText()).resolves.toContain('Termine Bürgerbüro');
    const body = await page.locator('main').innerText();
    expect(body).toContain('Erika Beispiel');
    expect(body).toContain('bestätigt');
    await checkPage(page, 'termine-staff-tag');
    await page.getByRole('button', { name: 'Anwesend' }).first().click();
    await page.waitForURL(/\/verwaltung\/termine/);
    expect(await page.locator('main').innerText()).toContain('anwesend');

    await page.goto(`${server.baseUrl}/verwaltung/termine?datum=2027-06-06`);
    await expect(page.locator('main').innerText()).resolves.toContain('Für diesen Tag sind keine Termine gebucht.');
    expect(await page.locator('main table').count()).toBe(0);
    await checkPage(page, 'termine-staff-tag-leer');

    await page.goto(`${server.baseUrl}/verwaltung/termine?datum=${bookedDate}&ansicht=woche`);
    await checkPage(page, 'termine-staff-woche');

    const pdf = await page.request.get(`${server.baseUrl}/verwaltung/termine/export.pdf?datum=${bookedDate}`);
    expect(pdf.status()).toBe(200);
    const pdfPath = join(process.cwd(), '.test-artifacts', 'screenshots', 'termine-tagesliste.pdf');
    writeFileSync(pdfPath, await pdf.body());
    execFileSync('pdftoppm', ['-r', '70', '-png', '-singlefile', pdfPath, pdfPath.replace(/\.pdf$/, '')]);
    const csv = await page.request.get(`${server.baseUrl}/verwaltung/termine/export.csv?datum=${bookedDate}`);
    expect(await csv.text()).toContain('Erika Beispiel');

    await page.goto(`${server.baseUrl}/verwaltung/termine/warteschlange`);
    await expect(page.locator('main').innerText()).resolves.toContain('Heute wurden noch keine Wartenummern gezogen.');
    expect(await page.locator('main p form').count()).toBe(0);
    await checkPage(page, 'termine-staff-warteschlange-leer');
    await page.getByRole('button', { name: 'Neue Wartenummer ziehen' }).click();
    await page.getByRole('button', { name: 'Neue Wartenummer ziehen' }).click();
    await page.getByRole('button', { name: 'Aufrufen' }).first().click();
    await checkPage(page, 'termine-staff-warteschlange');

    await page.goto(`${server.baseUrl}/termine/aufruf/buergerbuero`);
    const display = await page.locator('main').innerText();
    expect(display).toContain('Nr. 1');
    expect(display).not.toContain('Erika');
    await checkPage(page, 'termine-aufruf');

    await page.goto(`${server.baseUrl}/verwaltung/termine/statistik`);
    await checkPage(page, 'termine-staff-statistik');
    await page.goto(`${server.baseUrl}/verwaltung/termine/buchen?leistung=nom-meldebescheinigung`);
    await checkPage(page, 'termine-staff-buchen');
    await page.getByLabel('Name').fill('Anrufer Test');
    await page.getByRole('button', { name: 'Termin buchen' }).click();
    await expect(page.locator('main').innerText()).resolves.toContain('Gebucht:');
    await page.goto(`${server.baseUrl}/verwaltung/termine/einstellungen`);
    await checkPage(page, 'termine-staff-einstellungen');
    expect(await page.locator('main').innerText()).not.toMatch(/Titel \(nom-/);
    expect(await page.getByRole('button', { name: 'Personalausweis beantragen speichern', exact: true }).count()).toBe(1);
  }, 120_000);
});
