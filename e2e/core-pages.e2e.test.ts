import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, screenshots, startServer, type RunningServer } from './server.ts';

const PAGES = [
  { path: '/', name: 'start', heading: /Willkommen/ },
  { path: '/ki', name: 'ki', heading: /Über die KI/ },
  { path: '/impressum', name: 'impressum', heading: /Impressum/ },
  { path: '/datenschutz', name: 'datenschutz', heading: /Datenschutz/ },
  { path: '/barrierefreiheit', name: 'barrierefreiheit', heading: /Barrierefreiheit/ },
  { path: '/gibt-es-nicht', name: 'fehler-404', heading: /Fehler/ },
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

  it('switches to English and back', async () => {
    await page.goto(server.baseUrl + '/');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('h1').innerText()).resolves.toMatch(/Welcome/);
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
  });
});
