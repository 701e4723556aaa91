import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, screenshots, startServer, type RunningServer } from './server.ts';

const PAGES = [
  { path: '/', name: 'start', heading: /Willkommen/ },
  { path: '/ki', name: 'ki', heading: /Über die KI/ },
  { path: '/impressum', name: 'impressum', heading: /Impressum/ },
  { path: '/datenschutz', name: 'datenschutz', heading: /Datenschutz/ },
  { path: '/barrierefreiheit', name: 'barrierefreiheit', heading: /Barrierefreiheit/ },
  { path: '/gibt-es-nicht', name: 'fehler-404', heading: /Seite nicht gefunden/ },
];

describe('core pages in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const p of PAGES) {
    it(`${p.path} renders with a heading and has no WCAG 2.1 AA violations`, async () => {
      await page.goto(server.baseUrl + p.path);
      await expect(page.locator('h1').first().innerText()).resolves.toMatch(p.heading);
      await screenshots(page, p.name);
      expect(await axeViolations(page)).toEqual([]);
    });
  }

  it('/datenschutz lists the processings in Lotse with the rights, in German and English (axe clean)', async () => {
    await page.goto(server.baseUrl + '/datenschutz');
    await expect(page.getByRole('heading', { level: 2, name: 'Verarbeitungen in Lotse' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { level: 3, name: 'Online-Terminbuchung und Warteliste' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { level: 2, name: 'Ihre Rechte' }).isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: '„Mein Northeim“ auf dem Server (Bürgerkonto)' }).click();
    await expect(page.evaluate(() => location.hash)).resolves.toBe('#v-profile.account');
    await page.goto(server.baseUrl + '/datenschutz?lang=en');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('h1').innerText()).resolves.toBe('Privacy policy');
    await expect(page.getByRole('heading', { level: 2, name: 'Processing of personal data in Lotse' }).isVisible()).resolves.toBe(true);
    await screenshots(page, 'datenschutz-en');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(server.baseUrl + '/sprache/de?zurueck=/');
  });

  it('labels the header sign-in link for staff and it leads to the staff login', async () => {
    await page.goto(server.baseUrl + '/');
    const link = page.getByRole('link', { name: 'Anmeldung für Mitarbeitende' });
    await expect(link.isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Anmelden', exact: true }).count()).resolves.toBe(0);
    await link.click();
    await page.waitForURL(/\/anmelden$/);
    await expect(page.locator('h1').innerText()).resolves.toBe('Anmelden');
  });

  it('collapses the main navigation behind a keyboard-usable menu button on phones', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.baseUrl + '/');
    const toggle = page.getByRole('button', { name: 'Menü' });
    const home = page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Über die KI' });
    await expect(home.isVisible()).resolves.toBe(false);
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(home.isVisible()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(toggle.isVisible()).resolves.toBe(false);
    await expect(home.isVisible()).resolves.toBe(true);
  });

  it('switches to English and back', async () => {
    await page.goto(server.baseUrl + '/');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('h1').innerText()).resolves.toMatch(/Welcome/);
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
  });
});
