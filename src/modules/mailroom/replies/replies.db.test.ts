import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../boot.ts';
import type { AppContext } from '../../../core/context.ts';
import { cliActor } from '../../../core/auth/actor.ts';
import { execRows } from '../../../core/db/index.ts';
import type { AppRouter } from '../../../core/http/app.ts';
import { deliverOutboxMail, outboxMessageId } from '../../../core/mail-out/index.ts';
import { setSetting } from '../../../core/settings/index.ts';
import { createTestContext, testDbKind } from '../../../../test/helpers/context.ts';
import { loginAs, type TestLogin } from '../../../../test/helpers/auth.ts';
import { rawHeader, startSmtpPeer } from '../../../../test/helpers/smtp.ts';
import { DEMO_CATALOG_FILE, importCatalog } from '../../catalog/index.ts';
import { ingestDocument } from '../documents/ingest-document.ts';
import { findDocument } from '../documents/repository.ts';
import { MAIL_DEPARTMENTS_SETTING } from '../mail/triage-mail.ts';
import { trainModel } from '../triage/index.ts';
import { syntheticRows } from '../triage/fixtures.ts';
import { AI_DISCLOSURE, draftReply, mailToQuestion, sendReply } from '../review/reply.ts';
import { ACK_DISCLOSURE, ackBlocker, ackSubject, getAckSettings, setAckSettings } from './acknowledge.ts';
import { parseMail } from '../mail/index.ts';

const INVOICES = resolve(import.meta.dirname, '../../../../../shared/data/invoices');

let seq = 0;
function mail(from: string, subject: string, body: string, extra = ''): Buffer {
  seq += 1;
  return Buffer.from(
    `From: ${from}\r\nTo: poststelle@northeim.example\r\nSubject: ${subject}\r\n${/^Message-ID:/im.test(extra) ? '' : `Message-ID: <m${seq}-${Date.now()}@example.org>\r\n`}Date: Wed, 25 Nov 2026 09:00:00 +0100\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  );
}

const countRows = async (ctx: AppContext, table: string) =>
  (await execRows<{ n: number }>(ctx.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0]!.n;

describe(`mailroom replies, acknowledgements and case linking (${testDbKind()})`, () => {
  let ctx: AppContext;
  let app: AppRouter;
  let clerk: TestLogin;
  let dataDir: string;
  const ingest = async (buffer: Buffer, filename = 'mail.eml') => ingestDocument(ctx, cliActor, { buffer, filename, source: 'imap' });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-mr-replies-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir });
    await importCatalog(ctx, cliActor, DEMO_CATALOG_FILE, { replace: false });
    app = buildApp(ctx);
    clerk = await loginAs(app, ctx, ['clerk']);
  }, 60_000);
  afterAll(async () => {
    await ctx?.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns a mail into an assistant question (no greeting, closing, signature, reply prefix or ticket tag)', () => {
    const q = mailToQuestion({
      subject: 'AW: Reisepass [#2026000001]',
      ownText:
        'Sehr geehrte Damen und Herren,\n\nich brauche einen neuen Reisepass.\nWas muss ich mitbringen?\n\nMit freundlichen Grüßen\nErika Mustermann\nTel. 0551 123456',
      text: '',
    });
    expect(q).toBe('ich brauche einen neuen Reisepass. Was muss ich mitbringen?');
    expect(mailToQuestion({ subject: 'Re: Wohngeld', ownText: 'Hallo,\nwelche Unterlagen brauche ich?', text: '' })).toBe(
      'Wohngeld. welche Unterlagen brauche ich?',
    );
    expect(mailToQuestion({ subject: 'x', ownText: 'Satz eins ist hier. '.repeat(200), text: '' }).length).toBeLessThanOrEqual(1000);
  });

  it('drafts the assistant answer with sources and disclosure; nothing is stored in the assistant tables', async () => {
    const before = await countRows(ctx, 'assistant_questions');
    const r = await ingest(
      mail(
        'Erika Mustermann <erika@example.org>',
        'Personalausweis beantragen',
        'Guten Tag,\n\nich möchte einen neuen Personalausweis beantragen. Welche Unterlagen brauche ich und was kostet das? Meine Telefonnummer ist 0551 123456.\n\nMit freundlichen Grüßen\nErika Mustermann',
      ),
    );
    const draft = await draftReply(ctx, cliActor, r.documentId);
    expect(draft.mode).toBe('answer');
    expect(draft.to).toBe('erika@example.org');
    expect(draft.sources.length).toBeGreaterThan(0);
    expect(draft.sources[0]!.title).toMatch(/Personalausweis/);
    expect(draft.text).toContain('Quelle');
    expect(draft.text).toContain(`${ctx.config.baseUrl}/leistungen/`);
    expect(draft.text).toMatch(/Gebühr|kostet|EUR|€/);
    expect(draft.text).toContain(AI_DISCLOSURE);
    expect(draft.subject).toBe(`AW: Personalausweis beantragen [#${draft.caseNumber}]`);
    expect(await countRows(ctx, 'assistant_questions')).toBe(before);
    expect(JSON.stringify(await execRows(ctx.db, sql`SELECT * FROM assistant_conversations`))).not.toContain('erika');
  });

  it('a mail the assistant refuses or cannot answer gets a neutral draft without content', async () => {
    const r = await ingest(mail('hans@example.org', 'Frage', 'Hallo, wie wird das Wetter morgen in Northeim? Gruß Hans'));
    const draft = await draftReply(ctx, cliActor, r.documentId);
    expect(draft.mode).toBe('neutral');
    expect(draft.sources).toEqual([]);
    expect(draft.service).toBeNull();
    expect(draft.text).toContain('Eine Kollegin oder ein Kollege der zuständigen Stelle wird Ihnen');
    expect(draft.text).not.toContain('/leistungen/');
    expect(draft.text).toContain(AI_DISCLOSURE);
  });

  it("the reply page shows the citizen's e-mail above the draft; a long one in a collapsible <details>", async () => {
    const r = await ingest(
      mail(
        'Erika Mustermann <erika.original@example.org>',
        'Reisepass',
        'Guten Tag,\n\nwie lange dauert ein Reisepass <eilig>?\n\nGruß Erika',
      ),
    );
    const m = (await draftReply(ctx, cliActor, r.documentId)).original;
    expect(m).toMatchObject({ from: 'erika.original@example.org', fromName: 'Erika Mustermann', subject: 'Reisepass', truncated: false });
    expect(m.text).toContain('wie lange dauert ein Reisepass <eilig>?');
    const page = await (await app.request(`/verwaltung/posteingang/${r.documentId}/antwort`, { headers: { cookie: clerk.cookie } })).text();
    expect(page).toContain('Nachricht, auf die Sie antworten');
    expect(page).toContain('Erika Mustermann &lt;erika.original@example.org&gt;');
    expect(page).toContain('wie lange dauert ein Reisepass &lt;eilig&gt;?');
    expect(page).toContain('25.11.2026');
    expect(page).not.toContain('<details class="mr-original__details">');
    expect(page.indexOf('wie lange dauert')).toBeLessThan(page.indexOf('name="text"'));
    const long = await ingest(
      mail('lang@example.org', 'Lange Frage', Array.from({ length: 40 }, (_, i) => `Zeile ${i + 1} meiner langen Nachricht.`).join('\n')),
    );
    const longPage = await (
      await app.request(`/verwaltung/posteingang/${long.documentId}/antwort`, { headers: { cookie: clerk.cookie } })
    ).text();
    expect(longPage).toContain('<details class="mr-original__details">');
    expect(longPage).toContain('Zeile 40 meiner langen Nachricht.');
  });

  it('no automatic acknowledgement while the setting is off (default)', async () => {
    const before = await countRows(ctx, 'outbox');
    const r = await ingest(
      mail('anna@example.org', 'Personalausweis verloren', 'Ich habe meinen Personalausweis verloren. Was muss ich tun?'),
    );
    expect(r.status).toBe('routed');
    expect(await countRows(ctx, 'outbox')).toBe(before);
  });

  it('acknowledges routed citizen mails once per sender and day, never auto-replies, bounces or no-reply senders', async () => {
    await setAckSettings(ctx, cliActor, { enabled: true });
    const before = await countRows(ctx, 'outbox');
    const r = await ingest(
      mail(
        'Paul Beispiel <paul@example.org>',
        'Reisepass beantragen',
        'Guten Tag, ich brauche einen Reisepass für eine Reise. Az. 32-777/2026',
      ),
    );
    expect(r.status).toBe('routed');
    const acks = await execRows<{ to_address: string; subject: string; text_body: string; kind: string }>(
      ctx.db,
      sql`SELECT to_address, subject, text_body, kind FROM outbox WHERE kind = 'mailroom-acknowledgement'`,
    );
    expect(acks).toHaveLength(1);
    const ack = acks[0]!;
    expect(ack.to_address).toBe('paul@example.org');
    expect(ack.subject).toMatch(/^AW: Reisepass beantragen – Eingangsbestätigung \[#\d{10}\]$/);
    expect(ack.text_body).toContain('ist bei der Stadt Northeim eingegangen');
    expect(ack.text_body).toMatch(/Vorgangsnummer: \d{10}/);
    expect(ack.text_body).toContain('Aktenzeichen: 32-777/2026');
    expect(ack.text_body).toContain(`Zuständig: ${ctx.town.departments.find((d) => d.key === r.department)!.name}`);
    expect(ack.text_body).toContain('keine Entscheidung');
    expect(ack.text_body).toContain(ACK_DISCLOSURE);
    const audit = await execRows<{ summary: unknown }>(ctx.db, sql`SELECT summary FROM audit_log WHERE action = 'document.acknowledge'`);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.summary)).not.toMatch(/paul|example\.org|Reisepass/);
    expect(JSON.stringify(await execRows(ctx.db, sql`SELECT * FROM mailroom_case_keys`))).not.toContain('paul');

    // Loop protection: the same sender again the same day → no second acknowledgement.
    await ingest(mail('paul@example.org', 'Noch eine Frage zum Reisepass', 'Wie lange dauert ein Reisepass?'));
    // Not for auto-replies, bounces, automatically generated or no-reply mail, or mails in review.
    await ingest(mail('urlaub@example.org', 'Abwesenheitsnotiz: Reisepass', 'Ich bin nicht im Büro.', 'Auto-Submitted: auto-replied\r\n'));
    await ingest(mail('noreply@portal.example.org', 'Reisepass beantragen', 'Ich brauche einen Reisepass.'));
    await ingest(
      mail('info@shop.example.org', 'Reisepass beantragen', 'Ich brauche einen Reisepass.', 'Auto-Submitted: auto-generated\r\n'),
    );
    await ingest(mail('liste@example.org', 'Reisepass beantragen', 'Ich brauche einen Reisepass.', 'List-Id: <news.example.org>\r\n'));
    await ingest(mail('mailer-daemon@example.org', 'Undelivered Mail Returned to Sender', 'Delivery failed.'));
    await ingest(
      mail(
        'eva@example.org',
        'Hinweis',
        'Sperrmüll an der Ecke, Falschparker auf dem Gehweg und laute Musik nachts, außerdem Fragen zu Wohngeld und Bauantrag.',
      ),
    );
    expect(
      (await execRows<{ to_address: string }>(ctx.db, sql`SELECT to_address FROM outbox ORDER BY created_at`))
        .map((r) => r.to_address)
        .slice(before),
    ).toEqual(['paul@example.org']);
  });

  it('the mailbox page switches the acknowledgement (mailroom.configure, audited)', async () => {
    const lead = await loginAs(app, ctx, ['department_lead']);
    const page = await (await app.request('/verwaltung/posteingang/postfaecher', { headers: { cookie: lead.cookie } })).text();
    expect(page).toContain('Automatische Eingangsbestätigung');
    expect(page).toContain('Status: <strong>eingeschaltet</strong>');
    const post = (enabled: string, who: TestLogin) =>
      app.request('/verwaltung/posteingang/postfaecher/eingangsbestaetigung', {
        method: 'POST',
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: who.csrf, enabled }).toString(),
      });
    expect((await post('off', clerk)).status).toBe(403);
    const off = await (await post('off', lead)).text();
    expect(off).toContain('Automatische Eingangsbestätigung ausgeschaltet.');
    expect(off).toContain('Status: <strong>ausgeschaltet</strong>');
    expect((await getAckSettings(ctx)).enabled).toBe(false);
    await post('on', lead);
    expect((await getAckSettings(ctx)).enabled).toBe(true);
    const audit = await execRows<{ n: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'settings.update' AND object_id = 'mailroom.acknowledgements'`,
    );
    expect(audit[0]!.n).toBe(3);
  });

  it("acknowledgement and clerk reply go out over SMTP as replies in the citizen's thread (In-Reply-To, References, AW: once)", async () => {
    const smtp = await startSmtpPeer();
    try {
      const viaSmtp: AppContext = { ...ctx, config: { ...ctx.config, LOTSE_SMTP_URL: smtp.url } };
      await setAckSettings(ctx, cliActor, { enabled: true });
      const thread =
        'References: <t-0@example.org>\r\n <t-1@example.org>\r\nIn-Reply-To: <t-1@example.org>\r\nMessage-ID: <t-2@example.org>\r\n';
      const r = await ingest(
        mail(
          'Jonas Faden <jonas.faden@example.org>',
          'AW: Reisepass beantragen',
          'Guten Tag, ich brauche einen Reisepass für eine Reise.',
          thread,
        ),
      );
      expect(r.status).toBe('routed');
      const [ack] = await execRows<{ id: string }>(
        ctx.db,
        sql`SELECT id FROM outbox WHERE kind = 'mailroom-acknowledgement' AND to_address = 'jonas.faden@example.org'`,
      );
      expect(await deliverOutboxMail(viaSmtp, ack!.id)).toBe('sent');

      const draft = await draftReply(ctx, cliActor, r.documentId);
      expect(draft.subject).toBe(`AW: Reisepass beantragen [#${draft.caseNumber}]`);
      const { outboxId } = await sendReply(ctx, cliActor, { documentId: r.documentId, subject: draft.subject, text: draft.text });
      expect(await deliverOutboxMail(viaSmtp, outboxId)).toBe('sent');

      expect(smtp.raw).toHaveLength(2);
      for (const raw of smtp.raw) {
        expect(rawHeader(raw, 'In-Reply-To')).toBe('<t-2@example.org>');
        expect(rawHeader(raw, 'References')).toBe('<t-0@example.org> <t-1@example.org> <t-2@example.org>');
      }
      expect(smtp.received.map((m) => m.subject)).toEqual([
        `AW: Reisepass beantragen – Eingangsbestätigung [#${draft.caseNumber}]`,
        draft.subject,
      ]);
      expect(smtp.received.map((m) => m.inReplyTo)).toEqual(['<t-2@example.org>', '<t-2@example.org>']);
      expect(rawHeader(smtp.raw[1]!, 'Message-ID')).toBe(`<${outboxMessageId(ctx.config.LOTSE_MAIL_FROM, outboxId)}>`);

      // A mail without References: the chain starts with its own Message-ID.
      const single = await ingest(
        mail(
          'mia.single@example.org',
          'Personalausweis beantragen',
          'Ich brauche einen neuen Personalausweis.',
          'Message-ID: <solo-1@example.org>\r\n',
        ),
      );
      const d2 = await draftReply(ctx, cliActor, single.documentId);
      const sent2 = await sendReply(ctx, cliActor, { documentId: single.documentId, subject: d2.subject, text: d2.text });
      expect(await deliverOutboxMail(viaSmtp, sent2.outboxId)).toBe('sent');
      const last = smtp.raw.at(-1)!;
      expect(rawHeader(last, 'In-Reply-To')).toBe('<solo-1@example.org>');
      expect(rawHeader(last, 'References')).toBe('<solo-1@example.org>');
    } finally {
      await smtp.close();
    }
  });

  it('the acknowledgement subject is a reply that says what it is', () => {
    expect(ackSubject('Reisepass', '2026000001')).toBe('AW: Reisepass – Eingangsbestätigung [#2026000001]');
    expect(ackSubject('Re:  Reisepass', '2026000001')).toBe('Re: Reisepass – Eingangsbestätigung [#2026000001]');
    expect(ackSubject('', '2026000001')).toBe('AW: Ihre Nachricht – Eingangsbestätigung [#2026000001]');
  });

  it('ackBlocker names why a mail gets no acknowledgement', async () => {
    const m = await parseMail(mail('do-not-reply@x.example', 'Test', 'Text'));
    expect(ackBlocker(m, [])).toBe('no-reply-sender');
    expect(ackBlocker(await parseMail(mail('a@northeim.example', 'Test', 'Text')), ['northeim.example'])).toBe('own-address');
    expect(ackBlocker(await parseMail(mail('a@b.example', 'Test', 'Text', 'Precedence: bulk\r\n')), [])).toBe('list');
    expect(ackBlocker(await parseMail(mail('a@b.example', 'Test', 'Text')), [])).toBeNull();
  });

  it('a reply to the town\'s own mail attaches by In-Reply-To / References / [#Vorgangsnummer] and the page shows "gehört zu"', async () => {
    const first = await ingest(
      mail(
        'Lena <lena@example.org>',
        'Wohngeld beantragen',
        'Guten Tag, ich möchte Wohngeld beantragen. Welche Unterlagen brauche ich?',
        'Message-ID: <lena-1@example.org>\r\n',
      ),
    );
    const draft = await draftReply(ctx, cliActor, first.documentId);
    const page = await (
      await app.request(`/verwaltung/posteingang/${first.documentId}/antwort`, { headers: { cookie: clerk.cookie } })
    ).text();
    expect(page).toContain('Vorschlag aus dem Leistungskatalog');
    expect(page).toContain(`[#${draft.caseNumber}]`);
    const { outboxId } = await sendReply(ctx, cliActor, { documentId: first.documentId, subject: draft.subject, text: draft.text });
    const sentId = outboxMessageId(ctx.config.LOTSE_MAIL_FROM, outboxId);

    // 1. In-Reply-To: the Message-ID of our reply (no Aktenzeichen, no ticket in the subject).
    const viaHeader = await ingest(mail('lena@example.org', 'Danke', 'Vielen Dank, ich komme vorbei.', `In-Reply-To: <${sentId}>\r\n`));
    let row = (await findDocument(ctx.db, viaHeader.documentId))!;
    expect((row.fields as { relatedDocuments?: unknown }).relatedDocuments).toEqual([
      { documentId: first.documentId, via: 'message-id', townMail: true },
    ]);

    // 2. References: the citizen's own earlier mail (received by the town).
    const viaRefs = await ingest(
      mail(
        'lena@example.org',
        'Nachtrag',
        'Ich habe noch eine Frage zum Wohngeld.',
        'References: <other@x.example> <lena-1@example.org>\r\n',
      ),
    );
    row = (await findDocument(ctx.db, viaRefs.documentId))!;
    expect((row.fields as { relatedDocuments?: unknown }).relatedDocuments).toEqual([{ documentId: first.documentId, via: 'message-id' }]);

    // 3. The Vorgangsnummer in the subject (e.g. a new mail, not a reply).
    const viaTicket = await ingest(mail('lena@example.org', `Unterlagen Wohngeld [#${draft.caseNumber}]`, 'Anbei die Unterlagen.'));
    row = (await findDocument(ctx.db, viaTicket.documentId))!;
    expect((row.fields as { relatedDocuments?: unknown }).relatedDocuments).toEqual([
      { documentId: first.documentId, via: 'ticket', ticket: draft.caseNumber },
    ]);

    // 4. A foreign ticket number that an earlier document carried.
    const t1 = await ingest(mail('support@versorger.example', 'Störung [#267938]', 'Die Störung wurde aufgenommen.'));
    const t2 = await ingest(mail('support@versorger.example', 'Re: Störung [#267938]', 'Die Störung ist behoben.'));
    row = (await findDocument(ctx.db, t2.documentId))!;
    expect((row.fields as { relatedDocuments?: unknown }).relatedDocuments).toEqual([
      { documentId: t1.documentId, via: 'ticket', ticket: '267938' },
    ]);

    const html = await (await app.request(`/verwaltung/posteingang/${viaHeader.documentId}`, { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('Gehört zu');
    expect(html).toContain(`href="/verwaltung/posteingang/${first.documentId}"`);
    expect(html).toContain('Antwort auf eine E-Mail der Stadt');
    const ticketHtml = await (
      await app.request(`/verwaltung/posteingang/${viaTicket.documentId}`, { headers: { cookie: clerk.cookie } })
    ).text();
    expect(ticketHtml).toContain(`Vorgangsnummer ${draft.caseNumber}`);
  });

  it('a letter quoting the Aktenzeichen or Vorgangsnummer of an earlier document attaches to it', async () => {
    const first = await ingestDocument(ctx, cliActor, {
      buffer: Buffer.from(
        'Bescheid über Hundesteuer\nAz. 22-555/2026\nSehr geehrte Damen und Herren, hiermit wird die Hundesteuer festgesetzt.\n',
      ),
      filename: 'bescheid.txt',
      source: 'upload',
    });
    const answer = await ingestDocument(ctx, cliActor, {
      buffer: Buffer.from(
        'Widerspruch\nIhr Zeichen: Az. 22-555/2026\nGegen den Bescheid lege ich Widerspruch ein, der Hund ist verstorben.\n',
      ),
      filename: 'widerspruch.txt',
      source: 'upload',
    });
    const row = (await findDocument(ctx.db, answer.documentId))!;
    expect((row.fields as { relatedDocuments?: unknown }).relatedDocuments).toEqual([
      { documentId: first.documentId, via: 'aktenzeichen', aktenzeichen: '22-555/2026' },
    ]);
    const html = await (await app.request(`/verwaltung/posteingang/${answer.documentId}`, { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('Bezug zu Vorgang 22-555/2026');
  });

  it('two mails of one sender processed at the same time get one acknowledgement', async () => {
    const before = await countRows(ctx, 'outbox');
    await Promise.all([
      ingest(mail('zwei@example.org', 'Reisepass beantragen', 'Ich brauche einen Reisepass.')),
      ingest(mail('zwei@example.org', 'Personalausweis beantragen', 'Ich brauche einen Personalausweis.')),
    ]);
    expect(await countRows(ctx, 'outbox')).toBe(before + 1);
  });

  it('a routed letter gets the department of its category (same mapping as e-mails)', async () => {
    await trainModel(ctx, cliActor, { name: 'default', rows: syntheticRows(150) });
    await setSetting(ctx.db, MAIL_DEPARTMENTS_SETTING, { abfall: 'technik', parken: 'ordnung', laerm: 'ordnung' }, null);
    const r = await ingestDocument(ctx, cliActor, {
      buffer: Buffer.from('Beschwerde\nSperrmüll an der Ecke, seit 3 Tagen. Eine Matratze wurde abgestellt.\n'),
      filename: 'brief.txt',
      source: 'upload',
    });
    expect(r.status).toBe('routed');
    expect(r.category).toBe('abfall');
    expect(r.department).toBe('technik');
    const unmapped = await ingestDocument(ctx, cliActor, {
      buffer: Buffer.from('Beschwerde\nFalschparker auf dem Gehweg, seit 2 Tagen, die Einfahrt ist zugeparkt.\n'),
      filename: 'brief2.txt',
      source: 'upload',
    });
    expect(unmapped.category).toBe('parken');
    expect(unmapped.department).toBe('ordnung');
  });

  it.skipIf(!existsSync(INVOICES))('an invoice that is a duplicate and breaks a rule shows both reasons', async () => {
    const ubl = readFileSync(join(INVOICES, 'kosit-01.01a-ubl.xml'), 'utf8');
    await ingestDocument(ctx, cliActor, { buffer: Buffer.from(ubl), filename: 'rechnung.xml', source: 'upload' });
    const broken = ubl
      .replace('<cbc:TaxInclusiveAmount currencyID="EUR">336.9<', '<cbc:TaxInclusiveAmount currencyID="EUR">346.9<')
      .replace('<cbc:PayableAmount currencyID="EUR">336.9<', '<cbc:PayableAmount currencyID="EUR">346.9<');
    const r = await ingestDocument(ctx, cliActor, { buffer: Buffer.from(broken), filename: 'rechnung-falsch.xml', source: 'upload' });
    expect(r.status).toBe('duplicate');
    expect(r.reason).toMatch(/bereits als Dokument \d+ eingegangen\. Außerdem verletzt sie Prüfregeln: .*BR-CO-15/);
    const html = await (await app.request(`/verwaltung/posteingang/${r.documentId}`, { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('BR-CO-15');
    expect(html).toContain('bereits als Dokument');
  });
});
