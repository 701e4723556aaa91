import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsPII, redactPII } from './pii.ts';

const kinds = (t: string) => Object.fromEntries(redactPII(t).found.map((f) => [f.kind, f.count]));

describe('redactPII', () => {
  it('masks e-mail, phone and IBAN', () => {
    const r = redactPII('Bitte an anna.beispiel@example.org oder Tel. 05551 / 123456, IBAN DE89 3704 0044 0532 0130 00.');
    expect(r.text).toBe('Bitte an [E-MAIL] oder Tel. [TELEFON], IBAN [IBAN].');
    expect(kinds(r.text)).toEqual({});
    expect(r.found).toEqual([
      { kind: 'email', count: 1 },
      { kind: 'iban', count: 1 },
      { kind: 'phone', count: 1 },
    ]);
  });

  it('masks international phone numbers but keeps dates and amounts', () => {
    expect(redactPII('Ruf an: +49 170 1234567').text).toBe('Ruf an: [TELEFON]');
    const keep = 'Am 12.01.2026 zahlte ich 1.234,56 € für 3 Tonnen.';
    expect(redactPII(keep).text).toBe(keep);
  });

  it('masks dates of birth but not other dates', () => {
    expect(redactPII('Max, geb. 01.02.1980, wohnt hier. Termin am 03.04.2026').text).toBe(
      'Max, geb. [GEBURTSDATUM], wohnt hier. Termin am 03.04.2026',
    );
    expect(redactPII('Geburtsdatum: 1. März 1975').text).toBe('Geburtsdatum: [GEBURTSDATUM]');
  });

  it('masks names after cue words and signatures', () => {
    expect(redactPII('Herr Klaus Meyer beschwert sich über Frau Schulze.').text).toBe('Herr [NAME] beschwert sich über Frau [NAME].');
    expect(redactPII('Mit freundlichen Grüßen\nAnna Beispiel').text).toBe('Mit freundlichen Grüßen\n[NAME]');
    expect(redactPII('Mein Name ist Jan Irrtum und ich').text).toBe('Mein Name ist [NAME] und ich');
  });

  it('masks street addresses and postcodes with town', () => {
    expect(redactPII('Mühlenstraße 3, 37154 Northeim').text).toBe('[ADRESSE]');
    expect(redactPII('vor dem Haus Breite Straße 12 parken').text).toBe('vor dem Haus [ADRESSE] parken');
    expect(redactPII('Grundstück Am Wieter 7 eingereicht').text).toBe('Grundstück [ADRESSE] eingereicht');
  });

  it('masks Kfz-Kennzeichen', () => {
    expect(redactPII('Der NOM-AB 123 parkt seit Tagen, Kennzeichen B XY 1234.').text).toBe(
      'Der [KENNZEICHEN] parkt seit Tagen, Kennzeichen [KENNZEICHEN].',
    );
  });

  it('leaves ordinary text alone', () => {
    const t = 'Sperrmüll am Gehweg, bitte abholen. Seit drei Wochen steht dort ein Sofa.';
    expect(redactPII(t)).toEqual({ text: t, found: [] });
    expect(containsPII(t)).toBe(false);
  });

  it('property: generated e-mails and phone numbers never survive', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{2,10}\.[a-z]{2,10}$/),
        fc.stringMatching(/^[a-z]{3,10}$/),
        fc.stringMatching(/^0\d{3,4} \d{5,8}$/),
        (local, domain, phone) => {
          const email = `${local}@${domain}.de`;
          const r = redactPII(`Kontakt ${email} oder ${phone} bitte.`);
          return !r.text.includes(email) && !r.text.includes(phone);
        },
      ),
    );
  });

  it('property: redaction is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const once = redactPII(s).text;
        return redactPII(once).text === once;
      }),
    );
  });
});
