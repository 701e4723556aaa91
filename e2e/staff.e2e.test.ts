import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, screenshots, startServer, type RunningServer } from './server.ts';

const NEW_PASSWORD = 'Am Entenmarkt wohnt die Ente 7';

describe('staff area in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let otp: string;
  beforeAll(async () => {
    server = await startServer();
    // The first-start admin password is printed once to the server's stderr.
    const m = /Einmal-Passwort:\s+(\S+)/.exec(server.stderr());
    if (!m) throw new Error(`no one-time password on stderr:\n${server.stderr()}`);
    otp = m[1]!;
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the login page is accessible and announces a failed login', async () => {
    await page.goto(`${server.baseUrl}/anmelden`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Anmelden');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'staff-anmelden');
    await page.getByLabel('E-Mail-Adresse').fill('admin@northeim.example');
    await page.getByLabel('Passwort').fill('falsch');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('E-Mail-Adresse oder Passwort ist nicht richtig.');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'staff-anmelden-fehler');
  });

  it('logs in with the one-time password and must set a new password first', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/benutzer`);
    expect(new URL(page.url()).pathname).toBe('/anmelden');
    await page.getByLabel('E-Mail-Adresse').fill('admin@northeim.example');
    await page.getByLabel('Passwort').fill(otp);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    expect(new URL(page.url()).pathname).toBe('/verwaltung/passwort');
    await expect(page.locator('h1').innerText()).resolves.toBe('Neues Passwort festlegen');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Neues Passwort', { exact: true }).fill('zu kurz');
    await page.getByLabel('Neues Passwort wiederholen').fill('zu kurz');
    await page.getByRole('button', { name: 'Passwort speichern' }).click();
    await expect(page.getByRole('alert').first().innerText()).resolves.toContain('mindestens 12 Zeichen');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'staff-passwort-fehler');
    await page.getByLabel('Neues Passwort', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Neues Passwort wiederholen').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Passwort speichern' }).click();
    expect(new URL(page.url()).pathname).toBe('/verwaltung');
    await expect(page.locator('h1').innerText()).resolves.toBe('Guten Tag, Administration');
    await expect(page.getByRole('status').innerText()).resolves.toContain('Ihr Passwort wurde geändert.');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'staff-uebersicht');
  });

  it('creates an account on /verwaltung/benutzer and shows its one-time password', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/benutzer`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Konten und Rollen');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Name').fill('Erika Beispiel');
    await page.getByLabel('Dienstliche E-Mail-Adresse').fill('erika.beispiel@northeim.example');
    await page.getByLabel('Sachbearbeitung').check();
    await page.getByLabel('Fachbereich (optional)').selectOption('buergerdienste');
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Das Konto wurde angelegt.');
    await expect(page.locator('.lotse-otp').innerText()).resolves.toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    await expect(page.getByRole('table').innerText()).resolves.toContain('Erika Beispiel');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'staff-benutzer');
    await page.getByRole('link', { name: 'Erika Beispiel bearbeiten' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Konto: Erika Beispiel');
    await page.getByLabel('Fachbereichsleitung').check();
    await page.getByRole('button', { name: 'Rollen speichern' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('gespeichert');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'staff-benutzer-detail');
  });

  it('edits the imprint on /verwaltung/einstellungen and the public page shows it', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/einstellungen`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Einstellungen');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'staff-einstellungen');
    await page.getByLabel('Impressum').fill('Stadt Northeim\n\nScharnhorstplatz 1, 37154 Northeim\n\nVertreten durch den Bürgermeister.');
    await page.getByRole('button', { name: 'Texte speichern' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('gespeichert');
    await page.goto(`${server.baseUrl}/impressum`);
    await expect(page.locator('main').innerText()).resolves.toContain('Vertreten durch den Bürgermeister.');
  });

  it('changes the own password and logs out', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/passwort`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Passwort ändern');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'staff-passwort');
    await page.getByRole('button', { name: 'Abmelden' }).click();
    expect(new URL(page.url()).pathname).toBe('/anmelden');
    await expect(page.getByRole('status').innerText()).resolves.toContain('Sie wurden abgemeldet.');
    await page.goto(`${server.baseUrl}/verwaltung`);
    expect(new URL(page.url()).pathname).toBe('/anmelden');
  });

  it('the one-time password was printed once and never reached the JSON logs', () => {
    expect(server.stderr().split(otp).length - 1).toBe(1);
  });
});
