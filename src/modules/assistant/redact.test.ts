import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.ts';

describe('redactPii', () => {
  it('removes e-mail, phone, IBAN, name, birth date and address', () => {
    const r = redactPii(
      'Ich heiße Anna Muster, geboren am 12.03.1985, wohne in der Hauptstraße 12a, 37154 Northeim. ' +
        'Mail anna.muster@example.org, Tel. 0176 12345678, IBAN DE89 3704 0044 0532 0130 00.',
    );
    expect(r.text).not.toMatch(/Anna|Muster|12\.03\.1985|Hauptstraße 12|anna\.muster|0176|DE89/);
    expect(r.found.sort()).toEqual(['address', 'birthdate', 'email', 'iban', 'name', 'phone']);
    expect(r.text).toContain('Ich heiße [NAME]');
  });

  it('handles English introductions, birth dates and international numbers', () => {
    const r = redactPii('My name is John Smith, call me at +49 5551 966123, born on 01/02/1990');
    expect(r.text).toBe('My name is [NAME], call me at [TELEFON], born on [GEBURTSDATUM]');
  });

  it('keeps amounts, years, deadlines and ordinary sentences', () => {
    const texts = [
      'Was kostet ein Reisepass? 37,50 Euro oder 70 Euro?',
      'Mein Ausweis läuft am 12.03.2027 ab',
      'ich bin umgezogen und brauche eine Meldebescheinigung',
      'Wie lange dauert das, 3 Wochen?',
      'Wo ist das Bürgerbüro in Northeim?',
    ];
    for (const t of texts) expect(redactPii(t)).toEqual({ text: t, found: [] });
  });

  it('recognises "Am …" style addresses', () => {
    expect(redactPii('Ich wohne Am Münster 9 seit Mai').text).toBe('Ich wohne [ADRESSE] seit Mai');
  });
});
