import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createContext } from '../src/boot.ts';
import { cliActor } from '../src/core/auth/index.ts';
import { loadConfig } from '../src/core/config.ts';
import { trainModel } from '../src/modules/mailroom/triage/index.ts';
import { syntheticRows } from '../src/modules/mailroom/triage/fixtures.ts';
import { axeViolations, launchBrowser, loginAsFirstAdmin, screenshots, startServer, type RunningServer } from './server.ts';

const INVOICES = resolve(import.meta.dirname, '../../shared/data/invoices');

describe('mailroom upload and review queue in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-mailroom-'));
    server = await startServer({ LOTSE_DATA_DIR: dataDir });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await loginAsFirstAdmin(page, server);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads a shared invoice sample and an e-mail: the invoice is routed, the mail waits for review', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/hochladen`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Dateien hochladen');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Dateien auswählen oder hierher ziehen').setInputFiles([
      { name: 'zf-EN16931_Einfach.pdf', mimeType: 'application/pdf', buffer: readFileSync(join(INVOICES, 'zf-EN16931_Einfach.pdf')) },
      {
        name: 'frage.eml',
        mimeType: 'message/rfc822',
        buffer: Buffer.from('From: Erika Muster <erika@example.org>\r\nTo: poststelle@northeim.example\r\nSubject: Frage\r\nMessage-ID: <e2e-1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGuten Tag, wann hat das Rathaus am Samstag geöffnet? Viele Grüße\r\n'),
      },
    ]);
    await expect(page.locator('[data-dropzone-count]').innerText()).resolves.toBe('2 Dateien ausgewählt');
    await page.getByRole('button', { name: 'Hochladen' }).click();
    await page.waitForSelector('#mr-results-h');
    const results = await page.getByRole('region', { name: 'Ergebnis des Hochladens' }).innerText();
    expect(results).toContain('zf-EN16931_Einfach.pdf');
    expect(results).toContain('Zugeordnet');
    expect(results).toContain('Rechnungseingang');
    expect(results).toContain('Zur Prüfung');
    await screenshots(page, 'mailroom-hochladen');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('review queue shows the mail; the clerk assigns it', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/pruefen`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Prüfwarteschlange');
    await expect(page.locator('main').innerText()).resolves.toContain('frage.eml');
    await screenshots(page, 'mailroom-pruefen');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    const card = page.locator('.lotse-mr-queue > li').filter({ hasText: 'frage.eml' });
    await card.getByLabel('Kategorie').selectOption('Bürgerbüro');
    await card.getByLabel('Fachbereich').selectOption('buergerdienste');
    await card.getByRole('button', { name: 'Zuordnen' }).click();
    await page.waitForURL(/done=/);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('wurde zugeordnet');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('inbox list links to upload and queue; the mail detail page offers a reply draft and shows versions', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang`);
    await expect(page.getByRole('link', { name: 'Dateien hochladen' }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: /Prüfwarteschlange/ }).first().isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: '2', exact: true }).click();
    await page.waitForURL(/\/verwaltung\/posteingang\/2$/);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Antwort entwerfen');
    expect(main).toContain('Regel-/Modellversion');
    expect(main).toContain('mail-rules-');
    await screenshots(page, 'mailroom-dokument-mail');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Antwort entwerfen' }).click();
    await page.waitForURL(/\/antwort$/);
    await expect(page.locator('h1').innerText()).resolves.toBe('Antwort auf Dokument 2');
  });

  it('IMAP mailboxes: add one with the name of the password variable, switch it off', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/postfaecher`);
    await expect(page.locator('h1').innerText()).resolves.toBe('IMAP-Postfächer');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Kurzname').fill('poststelle');
    await page.getByLabel('IMAP-Server').fill('imap.northeim.example');
    await page.getByLabel('Benutzername').fill('poststelle@northeim.example');
    await page.getByLabel('Umgebungsvariable mit dem Passwort').fill('LOTSE_IMAP_POSTSTELLE_PASSWORD');
    await page.getByRole('button', { name: 'Postfach speichern' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Postfach „poststelle“ gespeichert');
    await page.getByLabel('Kurzname').fill('Falsch Name');
    await page.getByLabel('IMAP-Server').fill('imap.northeim.example');
    await page.getByLabel('Benutzername').fill('x@northeim.example');
    await page.getByLabel('Umgebungsvariable mit dem Passwort').fill('LOTSE_X');
    await page.getByRole('button', { name: 'Postfach speichern' }).click();
    await expect(page.getByRole('alert').first().innerText()).resolves.toContain('Bitte die markierten Angaben prüfen.');
    await screenshots(page, 'mailroom-postfaecher');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Abschalten (poststelle)' }).click();
    await page.waitForURL(/postfaecher$/);
    await expect(page.locator('main').innerText()).resolves.toContain('Abgeschaltet');
  });
});

describe('review queue: both triage models and rollback in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-mr-models-'));
    // Two versions of `default` (v2 active) and one of `mail`, trained before the server starts (one process: PGlite).
    const ctx = await createContext({ config: loadConfig({ ...process.env, LOTSE_DATA_DIR: dataDir, LOTSE_LOG_LEVEL: 'warn' }) });
    try {
      await ctx.database.migrate();
      await trainModel(ctx, cliActor, { name: 'default', rows: syntheticRows(150) });
      await trainModel(ctx, cliActor, { name: 'default', rows: syntheticRows(120) });
      await trainModel(ctx, cliActor, { name: 'mail', rows: syntheticRows(90) });
    } finally {
      await ctx.database.close();
    }
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

  it('shows the mail and default model panels and activates an older version of default', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/pruefen`);
    const mail = page.locator('section[data-model="mail"]');
    const general = page.locator('section[data-model="default"]');
    await expect(mail.getByRole('heading').first().innerText()).resolves.toBe('E-Mail-Modell „mail“');
    await expect(mail.innerText()).resolves.toContain('mail v1');
    await expect(general.innerText()).resolves.toContain('default v2');
    await expect(general.innerText()).resolves.toContain('Erwarteter Anteil automatisch zugeordnet');
    await screenshots(page, 'mailroom-pruefen-modelle');
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    const v1 = general.getByRole('row').filter({ hasText: 'v1' });
    await v1.getByRole('button', { name: 'Diese Version aktivieren' }).click();
    await page.waitForURL(/aktiviert=/);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Modell default@1 ist jetzt aktiv.');
    await expect(page.locator('section[data-model="default"] dl').innerText()).resolves.toContain('default v1 (');
    expect(await axeViolations(page)).toEqual([]);
  });
});
