import { describe, expect, it } from 'vitest';
import { Lexicon, tokenize } from '../../text/index.ts';
import { checkEvidence } from './evidence.ts';

const lexicon = new Lexicon();
lexicon.addText(tokenize('Führerschein beantragen. Hund anmelden und Hundesteuer zahlen. Wohngeld für Mieter in Northeim. Zeugnis beglaubigen.'));

describe('checkEvidence', () => {
  it('flags a hit that matched only part of the question’s compound', () => {
    const r = checkEvidence('Wo bekomme ich einen Angelschein?', ['schein'], { lexicon }, 'de');
    expect(r.lookAlike).toBe(true);
  });
  it('flags a hit that matched only generic words and the town name', () => {
    expect(checkEvidence('Wie hoch ist die Vergnügungsteuer in Northeim?', ['hoch', 'northeim'], { lexicon }, 'de', ['Northeim']).lookAlike).toBe(true);
  });
  it('accepts a hit that matched a specific word of the question', () => {
    expect(checkEvidence('Führerschein verloren, was tun?', ['fuhrerschein'], { lexicon }, 'de').lookAlike).toBe(false);
    const r = checkEvidence('Abiturzeugnis beglaubigen lassen', ['zeugnis', 'beglaub'], { lexicon }, 'de');
    expect(r.lookAlike).toBe(false);
    expect(r.otherMatched).toContain('beglaubigen');
  });
});
