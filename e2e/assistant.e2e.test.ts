import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startEmbedStub, type EmbedStub } from '../test/embeddings-stub/server.ts';
import { axeViolations, launchBrowser, loginAsFirstAdmin, screenshots, startServer, type RunningServer } from './server.ts';

describe('assistant in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let host: Server;
  let hostUrl = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    // Another website (other origin) that embeds the widget with one script tag.
    host = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Vereinsseite</title></head><body><main><h1>Heimatverein Northeim</h1><p>Willkommen auf unserer Seite.</p></main>` +
          `<script src="${server.baseUrl}/static/app/widget.js" data-lotse-url="${server.baseUrl}" defer></script></body></html>`,
      );
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((r) => host?.close(r));
  });

  it('chat page: AI notice, labelled input, no WCAG violations', async () => {
    await page.goto(`${server.baseUrl}/assistent`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Fragen an den Assistenten');
    expect(await page.locator('main').innerText()).toContain('KI-System');
    await expect(page.getByLabel('Ihre Frage').count()).resolves.toBe(1);
    await screenshots(page, 'assistent-leer');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('answers a question with sources (island), then a follow-up, then refuses', async () => {
    await page.goto(`${server.baseUrl}/assistent`);
    await page.getByLabel('Ihre Frage').fill('Was kostet ein Reisepass?');
    await page.keyboard.press('Tab');
    await page.getByRole('button', { name: 'Frage senden' }).click();
    const firstAnswer = page.locator('.lotse-chat__turn').nth(0).locator('.lotse-chat__a');
    await expect(firstAnswer.getByRole('link', { name: 'Reisepass beantragen' }).first().waitFor()).resolves.toBeUndefined();
    expect(await firstAnswer.innerText()).toContain('Gebühren');
    // Focus returns to the question field for the next question (keyboard use).
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('assistant-question');
    await page.keyboard.type('und wie lange dauert das?');
    await page.getByRole('button', { name: 'Frage senden' }).click();
    const second = page.locator('.lotse-chat__turn').nth(1).locator('.lotse-chat__a');
    await expect(second.locator('.lotse-chat__text').waitFor()).resolves.toBeUndefined();
    expect(await second.innerText()).toMatch(/Reisepass/);
    await page.getByLabel('Ihre Frage').fill('Wie wird das Wetter morgen in Northeim?');
    await page.getByRole('button', { name: 'Frage senden' }).click();
    const third = page.locator('.lotse-chat__turn').nth(2).locator('.lotse-chat__a');
    await expect(third.locator('.lotse-chat__text').waitFor()).resolves.toBeUndefined();
    expect(await third.innerText()).toContain('keine Antwort möglich');
    expect(await third.innerText()).toContain('Bürgerbüro');
    // Feedback on the first answer.
    await firstAnswer.getByRole('button', { name: 'Ja, hilfreich' }).click();
    await expect(firstAnswer.getByText('Danke für Ihre Bewertung!').waitFor()).resolves.toBeUndefined();
    await screenshots(page, 'assistent-gespraech');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('English chat (island): German source text marked lang="de"; crisis message gets the crisis lines', async () => {
    const en = await (await browser.newContext()).newPage();
    await en.goto(`${server.baseUrl}/assistent?lang=en`);
    await en.getByLabel('Your question').fill('How much does a passport cost?');
    await en.getByRole('button', { name: 'Ask' }).click();
    const answer = en.locator('.lotse-chat__turn').nth(0).locator('.lotse-chat__a');
    await expect(answer.locator('.lotse-chat__text').waitFor()).resolves.toBeUndefined();
    await expect(answer.locator('.lotse-chat__text span[lang="de"]').count()).resolves.toBeGreaterThan(1);
    await expect(answer.locator('.lotse-chat__text span[lang="de"]').first().innerText()).resolves.toMatch(/Reisepass/);
    await expect(answer.locator('.lotse-chat__sources a[lang="de"]').count()).resolves.toBeGreaterThan(0);
    await en.getByLabel('Your question').fill('I want to kill myself');
    await en.getByRole('button', { name: 'Ask' }).click();
    const crisis = en.locator('.lotse-chat__turn').nth(1).locator('.lotse-chat__a');
    await expect(crisis.locator('.lotse-chat__text').waitFor()).resolves.toBeUndefined();
    expect(await crisis.innerText()).toContain('0800 111 0 111');
    expect(await crisis.innerText()).toContain('112');
    expect(await crisis.locator('.lotse-chat__who').innerText()).toContain('help in a crisis');
    await expect(crisis.locator('a[href="tel:08001110111"]').count()).resolves.toBe(1);
    await expect(crisis.locator('a[href="tel:112"]').count()).resolves.toBe(1);
    await expect(crisis.locator('a[href="https://online.telefonseelsorge.de"]').innerText()).resolves.toBe('https://online.telefonseelsorge.de');
    await screenshots(en, 'assistent-englisch-krise');
    expect(await axeViolations(en)).toEqual([]);
    await en.close();
  });

  it('works without JavaScript (form POST, redirect, conversation shown, feedback form)', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const p = await ctx.newPage();
    await p.goto(`${server.baseUrl}/assistent`);
    await p.getByLabel('Ihre Frage').fill('Ich heiße Max Beispiel und will einen Hund anmelden');
    await p.getByRole('button', { name: 'Frage senden' }).click();
    await p.waitForURL(/\/assistent\?c=/);
    const main = await p.locator('main').innerText();
    expect(main).toContain('Hund anmelden');
    expect(main).not.toContain('Max Beispiel');
    expect(main).toContain('persönliche Daten aus Ihrer Frage entfernt');
    await p.getByRole('button', { name: /Nein/ }).first().click();
    await p.waitForURL(/bewertet=/);
    expect(await p.locator('main').innerText()).toContain('Danke für Ihre Bewertung');
    await screenshots(p, 'assistent-ohne-js');
    // (axe needs JavaScript; the same markup is checked in the other tests.)
    await ctx.close();
  });

  it('handover form: validation, consent, confirmation', async () => {
    await page.goto(`${server.baseUrl}/assistent`);
    await page.getByRole('link', { name: 'Mit einem Menschen sprechen' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Mit einem Menschen sprechen');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Telefonnummer oder E-Mail-Adresse').fill('05551 123456');
    await page.getByLabel('Ihr Anliegen').fill('Ich brauche Hilfe beim Antrag auf Wohngeld.');
    await page.getByRole('button', { name: 'Anfrage senden' }).click();
    expect(await page.locator('main').innerText()).toContain('Bitte stimmen Sie der Verarbeitung zu');
    await screenshots(page, 'assistent-kontakt-fehler');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/Ich bin einverstanden/).check();
    await page.getByRole('button', { name: 'Anfrage senden' }).click();
    await expect(page.locator('h1').innerText()).resolves.toContain('Ihre Anfrage ist angekommen');
    await screenshots(page, 'assistent-kontakt-danke');
  });

  it('staff review: refused questions grouped, handover queue, accessible', async () => {
    const staff = await (await browser.newContext()).newPage();
    const otp = /Einmal-Passwort:\s+(\S+)/.exec(server.stderr())?.[1];
    expect(otp, 'one-time password on stderr').toBeTruthy();
    await staff.goto(`${server.baseUrl}/anmelden`);
    await staff.getByLabel('E-Mail-Adresse').fill('admin@northeim.example');
    await staff.getByLabel('Passwort', { exact: true }).fill(otp!);
    await staff.getByRole('button', { name: 'Anmelden' }).click();
    await staff.waitForURL(/\/verwaltung\/passwort/);
    await staff.getByLabel('Neues Passwort', { exact: true }).fill('Ein langes neues Passwort 2026');
    await staff.getByLabel('Neues Passwort wiederholen').fill('Ein langes neues Passwort 2026');
    await staff.getByRole('button', { name: 'Passwort speichern' }).click();
    await staff.waitForURL(/\/verwaltung(\?|$)/);
    await staff.goto(`${server.baseUrl}/verwaltung/assistent`);
    await expect(staff.locator('h1').innerText()).resolves.toBe('Assistent: Durchsicht');
    const main = await staff.locator('main').innerText();
    expect(main).toContain('Abgelehnt: Wetter');
    expect(main).toContain('Ich brauche Hilfe beim Antrag auf Wohngeld.');
    expect(main).not.toContain('Max Beispiel');
    // No embeddings endpoint in this server: the status says so.
    expect(main).toContain('Bedeutungssuche (Embeddings)');
    expect(main).toContain('Nicht eingerichtet');
    await screenshots(staff, 'assistent-verwaltung');
    expect(await axeViolations(staff)).toEqual([]);
    await staff.getByRole('button', { name: 'Erledigt' }).first().click();
    await staff.waitForURL(/ok=erledigt/);
    expect(await staff.locator('main').innerText()).toContain('Als erledigt markiert.');
  });

  it('widget: one script tag on another origin opens an accessible dialog with the assistant', async () => {
    const p = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await p.goto(hostUrl);
    const open = p.getByRole('button', { name: 'Fragen an die Stadt (KI-Assistent)' });
    await open.focus();
    await p.keyboard.press('Enter');
    await expect(p.getByRole('dialog').waitFor()).resolves.toBeUndefined();
    await expect(open.getAttribute('aria-expanded')).resolves.toBe('true');
    const frame = p.frameLocator('iframe[title^="KI-Assistent"]');
    await frame.getByLabel('Ihre Frage').fill('Wo melde ich meinen Wohnsitz an?');
    await frame.getByRole('button', { name: 'Frage senden' }).click();
    await expect(frame.locator('.lotse-chat__sources a').first().waitFor()).resolves.toBeUndefined();
    expect(await frame.locator('.lotse-chat__a').first().innerText()).toMatch(/Wohnsitz/);
    await screenshots(p, 'assistent-widget');
    expect(await axeViolations(p)).toEqual([]);
    // Esc closes the dialog and focus returns to the button.
    await p.keyboard.press('Escape');
    await expect.poll(() => p.locator('[data-lotse-widget]').evaluate((h) => h.shadowRoot!.querySelector('dialog')!.open)).toBe(false);
    await expect.poll(() => open.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => p.evaluate(() => document.activeElement?.getAttribute('data-lotse-widget'))).toBe('');
    expect(errors).toEqual([]);
  });
});

describe('assistant staff review with an embeddings endpoint that fails', () => {
  let server: RunningServer;
  let browser: Browser;
  let stub: EmbedStub;

  beforeAll(async () => {
    // The stub answers HTTP 500: the vector job cannot run, every search falls back to BM25.
    stub = await startEmbedStub('http_error');
    server = await startServer({ LOTSE_EMBEDDINGS_BASE_URL: stub.baseUrl, LOTSE_EMBEDDINGS_MODEL: 'stub-bow-1' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stub?.close();
  });

  it('shows model, services without vector and fallbacks by reason, without the search texts', async () => {
    const page = await (await browser.newContext()).newPage();
    for (const q of ['Hund anmelden', 'Personalausweis beantragen']) await page.goto(`${server.baseUrl}/leistungen?q=${encodeURIComponent(q)}`);
    await loginAsFirstAdmin(page, server);
    await page.goto(`${server.baseUrl}/verwaltung/assistent`);
    const panel = page.locator('section[data-embeddings="on"]');
    const text = await panel.innerText();
    expect(text).toContain('stub-bow-1');
    expect(text).toMatch(/0 von \d+ veröffentlichten Leistungen/);
    expect(text).toContain('Noch keine Leistungsvektoren berechnet');
    expect(text).not.toContain('Personalausweis');
    await expect(panel.getByRole('table').getByRole('columnheader', { name: 'Grund' }).isVisible()).resolves.toBe(true);
    await screenshots(page, 'assistent-verwaltung-embeddings');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
  });
});
