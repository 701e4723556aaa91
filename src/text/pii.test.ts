import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsPII, icaoCheckDigit, isGermanDocumentNumber, isValidSteuerId, redactPII } from './pii.ts';

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

  it('masks English titles like the German ones (Mr./Mrs./Ms./Dr./Mister)', () => {
    expect(redactPII('Herrn Müller').text).toBe('Herrn [NAME]');
    for (const title of ['Mr.', 'Mr', 'Mrs.', 'Mrs', 'Ms.', 'Ms', 'Dr.', 'Dr', 'Mister', 'Miss']) {
      expect(redactPII(`I need the address of ${title} Müller, please.`).text, title).toBe(`I need the address of ${title} [NAME], please.`);
    }
    expect(redactPII('Dear Mrs. Anna Schmidt-Weber and Dr. Prof. Meyer').text).toBe('Dear Mrs. [NAME] and Dr. Prof. [NAME]');
    expect(redactPII('My name is John Smith').text).toBe('My name is [NAME]');
    expect(redactPII('MS Word and MRT appointments').found).toEqual([]);
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

  it('masks a German Steuer-ID only when its check digit is valid', () => {
    expect(isValidSteuerId('86095742719')).toBe(true);
    expect(isValidSteuerId('65929970489')).toBe(true);
    expect(isValidSteuerId('86095742718')).toBe(false); // wrong check digit
    expect(isValidSteuerId('12345678901')).toBe(false); // no repeated digit
    expect(isValidSteuerId('06095742719')).toBe(false); // leading zero
    expect(redactPII('Meine Steuer-ID ist 86095742719.').text).toBe('Meine Steuer-ID ist [STEUER-ID].');
    expect(redactPII('IdNr. 86 095 742 719 bitte').text).toBe('IdNr. [STEUER-ID] bitte');
    expect(kinds('86095742719')).toEqual({ taxid: 1 });
  });

  it('masks ID card and passport serial numbers (with or without MRZ check digit)', () => {
    expect(icaoCheckDigit('L01X00T47')).toBe(1);
    expect(isGermanDocumentNumber('L01X00T47')).toBe(true);
    expect(isGermanDocumentNumber('L01X00T471')).toBe(true);
    expect(isGermanDocumentNumber('L01X00T475')).toBe(false);
    expect(redactPII('Mein Ausweis L01X00T47 ist weg').text).toBe('Mein Ausweis [AUSWEISNUMMER] ist weg');
    expect(redactPII('Reisepass C01X00T47 abgelaufen').text).toBe('Reisepass [AUSWEISNUMMER] abgelaufen');
  });

  it('keeps ordinary numbers, codes and words that look a little like identifiers', () => {
    for (const t of [
      'Es kostet 12345678901 Euro.',
      'Bestellnummer 86095742718 (falsche Prüfziffer)',
      'Aktenzeichen 2026.0815.4711 und Rechnung 4711-0815',
      'Lkw-Fahrer, HTTPS1234, KFZ12345, ABCDEFGHI',
      'Version 3.10.2026 und 100000000000 Zeilen',
      'Das Formular HKLMNPRTV gibt es nicht, L0123456 ist zu kurz.',
    ]) {
      expect(redactPII(t).text, t).toBe(t);
    }
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
