import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, screenshots, startServer, type RunningServer } from './server.ts';

async function findLink(dataDir: string, to: string, timeoutMs = 20_000): Promise<string> {
  const dir = join(dataDir, 'outbox');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(dir)) {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.eml'))) {
        const parsed = await simpleParser(readFileSync(join(dir, f)));
        const m = /(http\S+\/mein-northeim\/konto\/link\?t=\S+)/.exec(parsed.text ?? '');
        if (m && parsed.to && JSON.stringify(parsed.to).includes(to)) return m[1]!;
      }
    }
    if (Date.now() > deadline) throw new Error(`no sign-in mail for ${to}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Screenshots (desktop + mobile) and axe on both widths. */
async function checkPage(page: Page, name: string) {
  await screenshots(page, name);
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('Mein Northeim: optional server profile in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps browser-only as the default and explains the server option', async () => {
    await page.goto(`${server.baseUrl}/mein-northeim`);
    await page.getByRole('checkbox', { name: 'Umzug', exact: true }).check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.locator('#mn-status').innerText()).resolves.toMatch(/nur in diesem Browser/);
    await expect(page.getByRole('heading', { name: 'Profil auf dem Server speichern (freiwillig)' }).isVisible()).resolves.toBe(true);
    await checkPage(page, 'profile-mein-northeim-default');
    // Without an account the page asks the server nothing about profiles.
    expect(requests.filter((u) => u.includes('/konto/'))).toEqual([]);
  });

  it('signs in by e-mail link with explicit consent', async () => {
    await page.getByRole('link', { name: 'Mehr erfahren und anmelden' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Profil auf dem Server speichern');
    await checkPage(page, 'profile-anmelden');
    // A typo is explained next to the field (server-side check, the form has novalidate).
    await page.getByLabel('E-Mail-Adresse').fill('e2e-buergerin(at)example.org');
    await page.getByRole('button', { name: 'Anmeldelink senden' }).click();
    await expect(page.locator('#f-email-error').innerText()).resolves.toMatch(/gültige E-Mail-Adresse/);
    await checkPage(page, 'profile-anmelden-fehler');
    await page.getByLabel('E-Mail-Adresse').fill('e2e-buergerin@example.org');
    await page.getByRole('button', { name: 'Anmeldelink senden' }).click();
    await expect(page.getByText('Bitte prüfen Sie Ihr E-Mail-Postfach').isVisible()).resolves.toBe(true);
    await checkPage(page, 'profile-link-gesendet');

    const link = await findLink(server.dataDir, 'e2e-buergerin@example.org');
    await page.goto(link.replace(/^https?:\/\/[^/]+/, server.baseUrl));
    await expect(page.getByText('e***@example.org').isVisible()).resolves.toBe(true);
    await checkPage(page, 'profile-einwilligung');
    expect(await page.locator('main').innerText()).toMatch(/Fassung dieses Textes: \d{2}\.\d{2}\.\d{4}/);
    await page.getByRole('checkbox', { name: /Ich willige ein/ }).check();
    await page.getByRole('button', { name: 'Einwilligen und Konto anlegen' }).click();
    await expect(page.getByText('Ihr Konto wurde angelegt').isVisible()).resolves.toBe(true);
    await checkPage(page, 'profile-konto');
    // Deleting is a destructive secondary button, not the primary action of the page.
    expect(await page.getByRole('button', { name: 'Konto endgültig löschen' }).getAttribute('class')).toContain(
      'kern-btn--secondary profile-danger',
    );

    // The link works only once.
    await page.goto(link.replace(/^https?:\/\/[^/]+/, server.baseUrl));
    await expect(page.getByText('Dieser Anmeldelink wurde bereits verwendet').isVisible()).resolves.toBe(true);
    await checkPage(page, 'profile-link-verbraucht');
  });

  it('uploads the browser profile and loads it back into the browser', async () => {
    await page.goto(`${server.baseUrl}/mein-northeim`);
    const upload = page.getByRole('button', { name: 'Browser-Profil auf dem Server speichern' });
    await upload.waitFor();
    await upload.click();
    await expect(page.locator('#mn-server-status')).toBeDefined();
    await page.waitForFunction(() => document.getElementById('mn-server-status')?.textContent?.includes('auf dem Server'));
    await checkPage(page, 'profile-mein-northeim-angemeldet');
    // Saving the form now also updates the server copy.
    await page.getByRole('checkbox', { name: 'Hund', exact: true }).check();
    await page.getByRole('button', { name: 'Speichern', exact: true }).click();
    await page.waitForFunction(() => document.getElementById('mn-status')?.textContent?.includes('und auf dem Server'));
    // Wipe the browser copy, then fetch it from the server.
    await page.getByRole('button', { name: 'Alles löschen' }).click();
    await expect(page.getByRole('checkbox', { name: 'Umzug', exact: true }).isChecked()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Server-Profil in diesen Browser laden' }).click();
    await page.waitForFunction(() => (document.getElementById('mn-ls-hund') as HTMLInputElement | null)?.checked === true);
    await expect(page.getByRole('checkbox', { name: 'Umzug', exact: true }).isChecked()).resolves.toBe(true);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('lotse.meinNortheim.v1')))!).situations).toEqual(['umzug', 'hund']);
  });

  it('downloads the account data and deletes the account', async () => {
    await page.goto(`${server.baseUrl}/mein-northeim/konto`);
    await expect(page.getByText('Gewählte Lebenslagen', { exact: true }).isVisible()).resolves.toBe(true);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Meine Daten herunterladen (JSON)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('mein-northeim-konto.json');
    const data = JSON.parse(readFileSync((await file.path())!, 'utf8')) as {
      account: { email: string };
      profile: { situations: string[] };
    };
    expect(data.account.email).toBe('e2e-buergerin@example.org');
    expect(data.profile.situations).toEqual(['umzug', 'hund']);

    await page.getByRole('checkbox', { name: /endgültig löschen/ }).check();
    await page.getByRole('button', { name: 'Konto endgültig löschen' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Ihr Konto wurde gelöscht');
    await checkPage(page, 'profile-geloescht');
    await page.goto(`${server.baseUrl}/mein-northeim/konto`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Profil auf dem Server speichern');
    // The browser copy is untouched and the page is browser-only again (no profile requests).
    const before = requests.length;
    await page.goto(`${server.baseUrl}/mein-northeim`);
    await expect(page.getByRole('checkbox', { name: 'Umzug', exact: true }).isChecked()).resolves.toBe(true);
    expect(requests.slice(before).filter((u) => u.includes('/konto/'))).toEqual([]);
  });

  it('offers the account pages in English', async () => {
    await page.goto(`${server.baseUrl}/mein-northeim/konto?lang=en`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Keep your profile on the server');
    await checkPage(page, 'profile-anmelden-en');
  });
});
