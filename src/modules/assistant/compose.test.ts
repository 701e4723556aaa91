import { describe, expect, it } from 'vitest';
import { answerSegments, followUpKind } from './compose.ts';

describe('followUpKind', () => {
  it('treats English follow-ups without an own topic like the German ones', () => {
    for (const q of ['and how much does it cost?', 'and where?', 'what documents do I need?', 'How much is it?', 'what does it cost?', 'und was kostet das?', 'und wie viel kostet das?', 'where do I have to go?']) {
      expect(followUpKind(q), q).toBe('pure');
    }
  });
  it('keeps questions with their own topic as new questions', () => {
    for (const q of ['How do I register my dog?', 'What does a passport cost?', 'Wie melde ich meinen Hund an?']) expect(followUpKind(q), q).toBeNull();
  });
});

describe('answerSegments', () => {
  it('marks German source text in English answers, keeps English framing unmarked', () => {
    expect(answerSegments('Fees (German): 37,00 €', 'en')).toEqual([{ text: 'Fees (German): ' }, { text: '37,00 €', lang: 'de' }]);
    expect(answerSegments('Reisepass beantragen: Den Reisepass beantragen Sie persönlich.', 'en')).toEqual([{ text: 'Reisepass beantragen: Den Reisepass beantragen Sie persönlich.', lang: 'de' }]);
    expect(answerSegments('This is what I found in the town’s service information (the source text is in German):', 'en')).toEqual([
      { text: 'This is what I found in the town’s service information (the source text is in German):' },
    ]);
    expect(answerSegments('Where: Bürgerbüro, Am Markt 1 (Opening hours: Mo 8–12)', 'en')).toEqual([
      { text: 'Where: ' },
      { text: 'Bürgerbüro, Am Markt 1', lang: 'de' },
      { text: ' (Opening hours: ' },
      { text: 'Mo 8–12', lang: 'de' },
      { text: ')' },
    ]);
  });
  it('leaves German answers as one segment per line', () => {
    expect(answerSegments('Gebühren: 37,00 €', 'de')).toEqual([{ text: 'Gebühren: 37,00 €' }]);
  });
});
