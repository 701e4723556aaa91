import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, screenshots, startServer, type RunningServer } from './server.ts';

describe('citizen portal: services, search, life situations, Mein Northeim', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    page.on('console', (m) => {
      // The browser's automatic /favicon.ico request is not part of the page.
      if (m.type() === 'error' && !(m.text().includes('404') && m.location().url.endsWith('/favicon.ico'))) consoleErrors.push(`${m.text()} ${m.location().url}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists services A–Z with letter navigation', async () => {
    await page.goto(`${server.baseUrl}/leistungen`);
    await expect(page.locator('h1').innerText()).resolves.toMatch(/Leistungen A–Z/);
    await expect(page.getByRole('navigation', { name: 'Anfangsbuchstaben' }).getByRole('link', { name: 'P', exact: true }).count()).resolves.toBe(1);
    expect(await page.locator('.catalog-list a').count()).toBeGreaterThanOrEqual(40);
    await expect(page.getByText('Beispieldaten').first().isVisible()).resolves.toBe(true);
    await screenshots(page, 'portal-leistungen');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a service page with facts, buttons and GovernmentService JSON-LD without console errors', async () => {
    consoleErrors.length = 0;
    await page.goto(`${server.baseUrl}/leistungen/nom-personalausweis`);
    await expect(page.locator('h1').innerText()).resolves.toMatch(/Personalausweis beantragen/);
    await expect(page.getByText('46,00 €').first().isVisible()).resolves.toBe(true);
    await expect(page.locator('#inhalt').getByRole('link', { name: 'Termin buchen' }).getAttribute('href')).resolves.toBe('/termine?leistung=nom-personalausweis');
    await expect(page.locator('#inhalt').getByRole('link', { name: 'Frage stellen' }).getAttribute('href')).resolves.toBe('/assistent?leistung=nom-personalausweis');
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
    expect(ld['@type']).toBe('GovernmentService');
    expect(ld.name).toBe('Personalausweis beantragen');
    await screenshots(page, 'portal-leistung');
    expect(await axeViolations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('searches with colloquial words and offers suggestions while typing', async () => {
    await page.goto(`${server.baseUrl}/leistungen`);
    await page.getByLabel('Leistung suchen').fill('hundemarke');
    await page.locator('#vorschlaege a').first().waitFor();
    await expect(page.locator('#vorschlaege a').first().innerText()).resolves.toMatch(/Hund/);
    await page.getByLabel('Leistung suchen').fill('Perso verloren');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/q=Perso/);
    await expect(page.locator('.catalog-results a').first().innerText()).resolves.toMatch(/Verlust|Ausweis/);
    await screenshots(page, 'portal-suche');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows life situations and one of them with ordered services', async () => {
    await page.goto(`${server.baseUrl}/lebenslagen`);
    await expect(page.locator('h1').innerText()).resolves.toMatch(/Lebenslagen/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Umzug' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Umzug');
    await expect(page.locator('.catalog-steps a').count()).resolves.toBeGreaterThan(3);
    await screenshots(page, 'portal-lebenslage');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('Mein Northeim keeps choices only in the browser, with reminders, next steps, export and delete', async () => {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${server.baseUrl}/mein-northeim`);
    await page.getByRole('checkbox', { name: 'Umzug', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Hund', exact: true }).check();
    const soon = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
    await page.getByLabel('Mein Personalausweis läuft ab am').fill(soon);
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.locator('#mn-status').innerText()).resolves.toMatch(/nur in diesem Browser/);
    await expect(page.locator('#mn-reminders').innerText()).resolves.toMatch(/Personalausweis: läuft in 30 Tagen ab/);
    await expect(page.locator('.mn-next').first().innerText()).resolves.toMatch(/Als Nächstes/);
    const stored = await page.evaluate(() => localStorage.getItem('lotse.meinNortheim.v1'));
    expect(JSON.parse(stored!).situations).toEqual(['umzug', 'hund']);
    // No request carried the profile to any server.
    expect(requests.filter((u) => !u.startsWith(server.baseUrl))).toEqual([]);
    await page.reload();
    await expect(page.getByRole('checkbox', { name: 'Umzug', exact: true }).isChecked()).resolves.toBe(true);
    await screenshots(page, 'portal-mein-northeim');
    expect(await axeViolations(page)).toEqual([]);
    // Preferences apply on service pages, still without any server round trip.
    await page.getByRole('checkbox', { name: 'Größere Schrift' }).check();
    await page.getByRole('checkbox', { name: 'Texte in Einfacher Sprache bevorzugen (wo vorhanden)' }).check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.goto(`${server.baseUrl}/leistungen/nom-personalausweis`);
    await expect(page.locator('html').getAttribute('class')).resolves.toContain('mn-large-text');
    const order = await page.evaluate(() => {
      const easy = document.querySelector('.catalog-easy')!;
      const desc = document.getElementById('h-desc')!.parentElement!;
      return easy.compareDocumentPosition(desc) & Node.DOCUMENT_POSITION_FOLLOWING ? 'easy-first' : 'desc-first';
    });
    expect(order).toBe('easy-first');
    expect(await axeViolations(page)).toEqual([]);
    await screenshots(page, 'portal-leistung-grosse-schrift');
    await page.goto(`${server.baseUrl}/mein-northeim`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Meine Daten herunterladen (JSON)' }).click();
    expect((await download).suggestedFilename()).toBe('mein-northeim.json');
    await page.getByRole('button', { name: 'Alles löschen' }).click();
    expect(await page.evaluate(() => localStorage.getItem('lotse.meinNortheim.v1'))).toBeNull();
  });

  it('shows advice languages (own names marked with lang) and the Einfache-Sprache text', async () => {
    await page.goto(`${server.baseUrl}/leistungen/nom-wohnsitz-ummelden`);
    const langs = page.locator('.catalog-languages dd');
    await expect(langs.innerText()).resolves.toMatch(/Englisch \(English\), Türkisch \(Türkçe\)/);
    await expect(langs.locator('span[lang="tr"]').innerText()).resolves.toBe('Türkçe');
    await expect(page.getByRole('heading', { name: 'In Einfacher Sprache' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.catalog-easy').innerText()).resolves.toMatch(/Das Ummelden kostet nichts\./);
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
    expect(ld.availableChannel[0].availableLanguage).toEqual(['de', 'en', 'tr']);
    await screenshots(page, 'portal-leistung-sprachen');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the service page works in English with German content marked', async () => {
    await page.goto(`${server.baseUrl}/leistungen/nom-reisepass?lang=en`);
    await expect(page.getByText('Fees', { exact: true }).count()).resolves.toBe(1);
    await expect(page.locator('h1').getAttribute('lang')).resolves.toBe('de');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('staff edit a service (draft → publish, history) and add a synonym', async () => {
    const otp = /Einmal-Passwort:\s+(\S+)/.exec(server.stderr())?.[1];
    expect(otp).toBeTruthy();
    const staff = await (await browser.newContext()).newPage();
    await staff.goto(`${server.baseUrl}/verwaltung/katalog`);
    await staff.getByLabel('E-Mail-Adresse').fill('admin@northeim.example');
    await staff.getByLabel('Passwort').fill(otp!);
    await staff.getByRole('button', { name: 'Anmelden' }).click();
    const pw = 'Katalog-Test-Passwort-2026!';
    await staff.getByLabel('Neues Passwort', { exact: true }).fill(pw);
    await staff.getByLabel('Neues Passwort wiederholen').fill(pw);
    await staff.getByRole('button', { name: 'Passwort speichern' }).click();
    await staff.goto(`${server.baseUrl}/verwaltung/katalog`);
    await expect(staff.locator('h1').innerText()).resolves.toBe('Leistungskatalog');
    expect(await axeViolations(staff)).toEqual([]);
    await screenshots(staff, 'staff-katalog');
    await staff.getByRole('link', { name: 'Fundsache abgeben oder abholen (Fundbüro)' }).click();
    await staff.getByLabel('Titel', { exact: true }).fill('Fundbüro: Fundsache abgeben oder abholen');
    await staff.getByRole('button', { name: 'Als Entwurf speichern' }).click();
    await expect(staff.getByRole('status').first().innerText()).resolves.toMatch(/Entwurf gespeichert/);
    expect(await axeViolations(staff)).toEqual([]);
    await screenshots(staff, 'staff-katalog-bearbeiten');
    await staff.getByRole('button', { name: 'Veröffentlichen' }).click();
    await expect(staff.getByRole('status').first().innerText()).resolves.toMatch(/Veröffentlicht/);
    await expect(staff.locator('table').last().innerText()).resolves.toMatch(/Veröffentlicht/);
    await page.goto(`${server.baseUrl}/leistungen/nom-fundsachen`);
    await expect(page.locator('h1').innerText()).resolves.toMatch(/Fundbüro: Fundsache/);
    await staff.goto(`${server.baseUrl}/verwaltung/katalog/synonyme`);
    await staff.getByLabel('Begriff (wie Bürgerinnen und Bürger ihn schreiben)').fill('Portmonee');
    await staff.getByLabel('Gemeint ist (mehrere durch Komma getrennt)').fill('Fundsache');
    await staff.getByRole('button', { name: 'Synonym speichern' }).click();
    await expect(staff.getByRole('status').first().innerText()).resolves.toMatch(/gespeichert/);
    expect(await axeViolations(staff)).toEqual([]);
    await page.goto(`${server.baseUrl}/leistungen?q=Portmonee`);
    await expect(page.locator('.catalog-results a').first().innerText()).resolves.toMatch(/Fund/);
  });
});
