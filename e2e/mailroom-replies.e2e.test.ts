import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser, loginAsFirstAdmin, screenshots, startServer, type RunningServer } from './server.ts';

const eml = (id: string, subject: string, body: string, extra = '') =>
  Buffer.from(
    `From: Erika Muster <erika@example.org>\r\nTo: poststelle@northeim.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}@example.org>\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  );

describe('mailroom replies from the assistant, case link and acknowledgement setting in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  const upload = async (name: string, buffer: Buffer) => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/hochladen`);
    await page.getByLabel('Dateien auswählen oder hierher ziehen').setInputFiles([{ name, mimeType: 'message/rfc822', buffer }]);
    await page.getByRole('button', { name: 'Hochladen' }).click();
    await page.waitForSelector('#mr-results-h');
    const href = await page
      .getByRole('region', { name: 'Ergebnis des Hochladens' })
      .locator('a[href^="/verwaltung/posteingang/"]')
      .first()
      .getAttribute('href');
    return Number(/\/(\d+)$/.exec(href ?? '')?.[1]);
  };
  const both = async () => {
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-mr-replies-'));
    server = await startServer({ LOTSE_DATA_DIR: dataDir, LOTSE_DEMO: 'on' });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await loginAsFirstAdmin(page, server);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let questionId = 0;
  let caseNumber = '';

  it('drafts the assistant answer with sources; the clerk sends it', async () => {
    questionId = await upload(
      'reisepass.eml',
      eml(
        'e2e-r1',
        'Reisepass',
        'Guten Tag,\n\nich brauche einen neuen Reisepass. Was muss ich mitbringen und was kostet er?\n\nViele Grüße\nErika Muster',
      ),
    );
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/${questionId}/antwort`);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Vorschlag aus dem Leistungskatalog');
    expect(main).toContain('Reisepass beantragen');
    // The citizen's own mail stands above the draft.
    expect(main).toContain('Nachricht, auf die Sie antworten');
    expect(await page.getByTestId('original-text').innerText()).toContain('Was muss ich mitbringen und was kostet er?');
    const text = await page.getByLabel('Text').inputValue();
    expect(text).toMatch(/Unterlagen:/);
    expect(text).toMatch(/Gebühren:/);
    expect(text).toContain('Hinweis: Dieser Antwortvorschlag wurde mit Unterstützung eines KI-Systems');
    const subject = await page.getByLabel('Betreff').inputValue();
    caseNumber = /\[#(\d+)\]/.exec(subject)?.[1] ?? '';
    expect(caseNumber).toMatch(/^\d{10}$/);
    await screenshots(page, 'mailroom-antwort-entwurf');
    await both();
    await page.getByRole('button', { name: 'Antwort senden' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Die Antwort liegt im Postausgang.');
  });

  it('a question the assistant cannot answer gets a neutral draft', async () => {
    const id = await upload('wetter.eml', eml('e2e-r2', 'Frage', 'Hallo, wie wird das Wetter am Wochenende?'));
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/${id}/antwort`);
    await expect(page.locator('main').innerText()).resolves.toContain('Neutraler Entwurf ohne Inhalt');
    await screenshots(page, 'mailroom-antwort-neutral');
    await both();
  });

  it('a long mail shows a preview and the whole text in a collapsible details element', async () => {
    const body = Array.from(
      { length: 30 },
      (_, i) => `Absatz ${i + 1}: Ich habe noch eine Frage zu meinem Wohnsitz und zur Meldebescheinigung.`,
    ).join('\n');
    const id = await upload('lang.eml', eml('e2e-r4', 'Ummeldung', body));
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/${id}/antwort`);
    const details = page.locator('details.mr-original__details');
    expect(await details.getAttribute('open')).toBeNull();
    await details.locator('summary').click();
    await expect(page.getByTestId('original-text').innerText()).resolves.toContain('Absatz 30:');
    await screenshots(page, 'mailroom-antwort-lange-mail');
    await both();
  });

  it('the citizen\'s answer quoting the Vorgangsnummer shows "Gehört zu" on its page', async () => {
    const id = await upload(
      'antwort.eml',
      eml('e2e-r3', `AW: Reisepass [#${caseNumber}]`, 'Danke, ich buche einen Termin.', 'In-Reply-To: <e2e-r1@example.org>\r\n'),
    );
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/${id}`);
    const related = await page.getByTestId('related').innerText();
    expect(related).toContain(`Gehört zu: Dokument ${questionId}`);
    await screenshots(page, 'mailroom-dokument-vorgang');
    await both();
    await page
      .getByTestId('related')
      .getByRole('link', { name: `Dokument ${questionId}` })
      .click();
    await page.waitForURL(new RegExp(`/verwaltung/posteingang/${questionId}$`));
    await expect(page.locator('main').innerText()).resolves.toContain(`Vorgangsnummer\n${caseNumber}`);
  });

  it('the mailbox page switches the automatic acknowledgement on', async () => {
    await page.goto(`${server.baseUrl}/verwaltung/posteingang/postfaecher`);
    await page.getByRole('button', { name: 'Eingangsbestätigung einschalten' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Automatische Eingangsbestätigung eingeschaltet.');
    await page.getByRole('heading', { name: 'Automatische Eingangsbestätigung' }).scrollIntoViewIfNeeded();
    await screenshots(page, 'mailroom-eingangsbestaetigung');
    await both();
  });
});
