import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownPart, parseMail } from './parse-mail.ts';
import { toMailTriageJson, triageLetterByKeywords, triageMail } from './triage-mail.ts';

// The shared dev mails live beside the repository (CI checks out shared/ next to it).
const MAIL_DIR = join(process.cwd(), '..', 'shared', 'data', 'mail');

const eml = (headers: string, body: string) => Buffer.from(`${headers.trim()}\r\nMIME-Version: 1.0\r\n\r\n${body}`, 'latin1');

describe.skipIf(!existsSync(MAIL_DIR))('the 12 shared dev mails', () => {
  for (const f of existsSync(MAIL_DIR) ? readdirSync(MAIL_DIR).filter((x) => x.endsWith('.eml')).sort() : []) {
    it(`${f} matches its expected.json`, async () => {
      const expected = JSON.parse(readFileSync(join(MAIL_DIR, f.replace('.eml', '.expected.json')), 'utf8'));
      const actual = toMailTriageJson(f, await triageMail(null, readFileSync(join(MAIL_DIR, f))));
      for (const [k, v] of Object.entries(expected)) {
        if (v === null) continue; // not scored (ambiguous), see the data README
        if (k === 'references') {
          for (const [rk, rv] of Object.entries(v as Record<string, string[]>)) expect(new Set(actual.references[rk as 'ticket']), `${f} ${rk}`).toEqual(new Set(rv));
        } else expect((actual as Record<string, unknown>)[k], `${f} ${k}`).toEqual(v);
      }
      expect(actual.abstained).toBe(actual.category === null && !actual.isAutoReply && !actual.isBounce);
    });
  }
});

describe('parseMail edge cases', () => {
  it('repairs a Latin-1 body and subject declared as UTF-8', async () => {
    const m = await parseMail(
      eml('From: a@example.org\r\nSubject: Grüße aus Höckelheim\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit', 'Straße und Größe'),
    );
    expect(m.subject).toBe('Grüße aus Höckelheim');
    expect(m.text.trim()).toBe('Straße und Größe');
    expect(m.charsetRepaired).toBe(true);
  });

  it('an unknown charset label (unknown-8bit, x-klingon-42, x-unknown in an encoded word) is read as Windows-1252', async () => {
    for (const label of ['unknown-8bit', 'x-klingon-42', 'X-UNKNOWN']) {
      const m = await parseMail(
        eml(`From: a@example.org\r\nSubject: =?${label}?Q?Stra=DFe?=\r\nContent-Type: text/plain; charset="${label}"\r\nContent-Transfer-Encoding: 8bit`, 'Ich möchte meinen Müll anmelden. Sperrmüll, Kühlschrank und Sofa. Grüße'),
      );
      expect(m.subject, label).toBe('Straße');
      expect(m.text.trim(), label).toBe('Ich möchte meinen Müll anmelden. Sperrmüll, Kühlschrank und Sofa. Grüße');
      expect(m.charsetRepaired, label).toBe(true);
      expect(m.unreadableChars, label).toBe(0);
    }
    // A known non-UTF-8 charset is left to the parser.
    const k = await parseMail(eml('From: a@example.org\r\nSubject: x\r\nContent-Type: text/plain; charset=iso-8859-15\r\nContent-Transfer-Encoding: 8bit', 'Grüße \xa4'));
    expect(k.text.trim()).toBe('Grüße €');
    expect(k.charsetRepaired).toBe(false);
  });

  it('leaves valid UTF-8 alone and decodes encoded words', async () => {
    const m = await parseMail(
      Buffer.from('From: a@example.org\r\nSubject: =?ISO-8859-1?Q?Gr=FC=DFe?= und =?UTF-8?B?U3RyYcOfZQ==?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße', 'utf8'),
    );
    expect(m.subject).toBe('Grüße und Straße');
    expect(m.text.trim()).toBe('Grüße');
    expect(m.charsetRepaired).toBe(false);
  });

  it('turns HTML-only mail into text', async () => {
    const m = await parseMail(eml('From: a@example.org\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8', '<p>Antrag auf <b>Wohngeld</b> &amp; Kita</p>'));
    expect(m.text).toContain('Antrag auf Wohngeld & Kita');
  });

  it('detects replies, auto-replies and bounces from headers and subjects', async () => {
    const plain = 'Content-Type: text/plain; charset=utf-8';
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: WG: Termin\r\n${plain}`, 'x'))).isReply).toBe(true);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Re[2]: Termin\r\n${plain}`, 'x'))).isReply).toBe(true);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Reisepass\r\n${plain}`, 'x'))).isReply).toBe(false);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Hallo\r\nPrecedence: auto_reply\r\n${plain}`, 'x'))).isAutoReply).toBe(true);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Hallo\r\nX-Autorespond: yes\r\n${plain}`, 'x'))).isAutoReply).toBe(true);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Out of Office: Anfrage\r\n${plain}`, 'x'))).isAutoReply).toBe(true);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Hallo\r\nAuto-Submitted: no\r\n${plain}`, 'x'))).isAutoReply).toBe(false);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Formular\r\nAuto-Submitted: auto-generated\r\n${plain}`, 'x'))).isAutoReply).toBe(false);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Hallo\r\nAuto-Submitted: auto-replied\r\n${plain}`, 'x'))).isAutoReply).toBe(true);
    expect((await parseMail(eml(`From: a@example.org\r\nSubject: Termin verschieben, bin abwesend\r\n${plain}`, 'x'))).isAutoReply).toBe(false);
    const bounce = await parseMail(eml(`From: MAILER-DAEMON@mx.example.org\r\nSubject: Unzustellbar\r\nAuto-Submitted: auto-replied\r\n${plain}`, 'x'));
    expect(bounce).toMatchObject({ isBounce: true, isAutoReply: false });
  });

  it('extracts ticket numbers and keeps attachments as buffers', async () => {
    const m = await parseMail(
      eml(
        'From: a@example.org\r\nSubject: Re: [#267938] Ihre Anfrage\r\nContent-Type: multipart/mixed; boundary="b"',
        '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo\r\n--b\r\nContent-Type: application/pdf; name="scan.pdf"\r\nContent-Disposition: attachment; filename="scan.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n',
      ),
    );
    expect(m.identifiers.ticket).toEqual(['267938']);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: 'scan.pdf', contentType: 'application/pdf' });
    expect(m.attachments[0]!.content.toString('latin1')).toBe('%PDF-1.4\n');
  });

  it('rejects empty files and non-mail bytes with a clear reason', async () => {
    await expect(parseMail(Buffer.alloc(0))).rejects.toMatchObject({ code: 'bad_request' });
    await expect(parseMail(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'))).rejects.toMatchObject({ code: 'unsupported_media_type' });
  });

  it('separates own text from quoted text', () => {
    expect(ownPart('Danke!\n\nAm 19.01.2026 um 15:20 schrieb Stadt Northeim:\n> Az. 1')).toBe('Danke!');
    expect(ownPart('Ja\n> zitiert\nnoch')).toBe('Ja\nnoch');
  });
});

describe('mail triage rules', () => {
  it('abstains when there is no evidence', async () => {
    const r = await triageMail(null, eml('From: a@example.org\r\nSubject: Frage\r\nContent-Type: text/plain; charset=utf-8', 'Guten Tag, ich hätte eine Frage. Gruß'));
    expect(r).toMatchObject({ category: null, department: null, abstained: true, decidedBy: 'keywords' });
  });
  it('routes a Kassenzeichen to Steuern/Kasse and an Aktenplan prefix to its office', async () => {
    const k = await triageMail(null, eml('From: a@example.org\r\nSubject: Frage\r\nContent-Type: text/plain; charset=utf-8', 'Kassenzeichen: 12-3456-78'));
    expect(k).toMatchObject({ category: 'Steuern/Kasse', department: 'finanzen', decidedBy: 'rule:kassenzeichen' });
    const az = await triageMail(null, eml('From: a@example.org\r\nSubject: Unser Vorgang\r\nContent-Type: text/plain; charset=utf-8', 'Zu Az. 63-0099/2026 reiche ich nach.'));
    expect(az.category).toBe('Bauen');
  });
});

describe('letters without a trained model: the same keyword rules', () => {
  it('routes a clear letter, abstains on a vague one, applies the Kassenzeichen rule', async () => {
    const ids = { aktenzeichen: [], kassenzeichen: [] };
    const bau = await triageLetterByKeywords(null, { subject: null, text: 'Sehr geehrte Damen und Herren, hiermit reiche ich den Bauantrag für einen Carport mit Bauzeichnung ein.', identifiers: ids });
    expect(bau).toMatchObject({ category: 'Bauen', department: 'bauen', abstained: false, decidedBy: 'keywords' });
    expect(bau.confidence).toBeGreaterThanOrEqual(0.45);
    const vague = await triageLetterByKeywords(null, { subject: null, text: 'Sehr geehrte Damen und Herren, die Straßenlaterne vor Haus 5 ist seit Tagen defekt.', identifiers: ids });
    expect(vague).toMatchObject({ category: null, department: null, abstained: true });
    const kz = await triageLetterByKeywords(null, { subject: null, text: 'Zahlung', identifiers: { aktenzeichen: [], kassenzeichen: ['2026.0815.4711'] } });
    expect(kz).toMatchObject({ category: 'Steuern/Kasse', decidedBy: 'rule:kassenzeichen' });
  });
});
