import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeForIndex, compileSynonyms, decompound, editDistance, foldWord, GAZETTEER, joinSeparable, joinSeparableVerbs, Lexicon, normalize, separableVerbsInText, stem, tokenize } from './index.ts';

const terms = (q: string, lex?: Lexicon, lang?: 'de' | 'en') => analyze(q, { lexicon: lex, lang }).map((t) => t.term);

function catalogLexicon(): Lexicon {
  const lex = new Lexicon();
  lex.addText(tokenize('Hundesteuer Anmeldung Personalausweis Reisepass Meldebescheinigung Führungszeugnis Verwarnungsgeld Wohnsitz anmelden Eheschließung Geburtsurkunde Bewohnerparkausweis'));
  return lex;
}

describe('normalisation', () => {
  it('folds umlauts and their transliterations to the same form, both ways', () => {
    expect(normalize('Führerschein')).toBe(normalize('Fuehrerschein'));
    expect(normalize('Fuhrerschein')).toBe(normalize('Führerschein'));
    expect(normalize('Gebühr')).toBe(normalize('Gebuehr'));
    expect(normalize('Behörde')).toBe(normalize('Behoerde'));
    expect(normalize('Ärger')).toBe(normalize('Aerger'));
    expect(normalize('Straße')).toBe(normalize('Strasse'));
    expect(normalize('Quelle')).toBe('quelle');
  });

  it('keeps "ue" after a vowel (a diphthong, no umlaut), so inflected forms still stem alike', () => {
    expect(normalize('Steuer')).toBe('steuer');
    expect(normalize('neue Dauer')).toBe('neue dauer');
    expect(stem(foldWord('blauen'))).toBe(stem(foldWord('Blaue')));
    expect(stem(foldWord('Steuern'))).toBe(stem(foldWord('Steuer')));
    expect(stem(foldWord('neuen'))).not.toBe('neun');
    expect(normalize('Gebäude')).toBe(normalize('Gebaeude'));
  });

  it('splits hyphenated words and drops punctuation', () => {
    expect(tokenize('Kfz-Zulassung, bitte!')).toEqual(['kfz', 'zulassung', 'bitte']);
  });

  it('normalize is idempotent (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => normalize(normalize(s)) === normalize(s)));
    fc.assert(fc.property(fc.stringMatching(/^[a-zäöüßA-ZÄÖÜ]{0,20}$/), (s) => foldWord(foldWord(s)) === foldWord(s)));
  });

  it('ä/ae, ö/oe, ü/ue and ß/ss are equivalent in any word (property)', () => {
    const pairs: [string, string][] = [
      ['ä', 'ae'],
      ['ö', 'oe'],
      ['ü', 'ue'],
      ['ß', 'ss'],
    ];
    fc.assert(
      fc.property(fc.stringMatching(/^[bcdfghklmnprst]{1,5}$/), fc.constantFrom(...pairs), fc.stringMatching(/^[bcdfghklmnprst]{1,5}$/), (a, [u, t], b) => normalize(a + u + b) === normalize(a + t + b)),
    );
  });
});

describe('stemming', () => {
  it('joins inflected forms with the Snowball German stemmer', () => {
    expect(stem('anmeldungen')).toBe(stem('anmelden'));
    expect(stem(foldWord('Gebühren'))).toBe(stem(foldWord('Gebühr')));
    expect(stem('kinder')).toBe(stem('kind'));
  });
  it('leaves short words and numbers alone', () => {
    expect(stem('amt')).toBe('amt');
    expect(stem('2026')).toBe('2026');
  });
});

describe('decompounding', () => {
  it('splits compounds into known parts of the catalog vocabulary', () => {
    const lex = catalogLexicon();
    expect(decompound(foldWord('Hundesteueranmeldung'), lex)).toEqual(expect.arrayContaining(['hunde', 'steuer', 'anmeldung']));
    expect(decompound(foldWord('Personalausweis'), lex)).toEqual(['personal', 'ausweis']);
    expect(decompound('beantragen', lex)).toBeNull();
  });
  it('finds "Hundesteueranmeldung" via its parts', () => {
    const lex = catalogLexicon();
    const q = terms('Hundesteueranmeldung', lex);
    const doc = analyzeForIndex('Hundesteuer Anmeldung', lex);
    expect(q.filter((t) => doc.includes(t)).length).toBeGreaterThanOrEqual(2);
  });
  it('splits an unknown compound at its longest known head', () => {
    const lex = catalogLexicon();
    expect(lex.head('exportanmeldung')).toEqual(['export', 'anmeldung']);
  });
  it('splits a compound with an unknown head after its longest known modifier', () => {
    const lex = catalogLexicon();
    lex.addText(['fahrzeug']);
    expect(lex.head('fahrzeugexport')).toEqual(['fahrzeug', 'export']);
    // the linking s after -ung is dropped; the head keeps at least 4 letters
    expect(lex.head('anmeldungsformblatt')).toEqual(['anmeldung', 'formblatt']);
    expect(lex.head('fahrzeugabc')).toBeNull();
  });
});

describe('synonyms and English bridge', () => {
  it('expands colloquial words to official terms', () => {
    expect(terms('Perso verloren')).toContain('personalausweis');
    expect(terms('Knöllchen bezahlen')).toContain(stem('verwarnungsgeld'));
    expect(terms('ummelden')).toContain('umzug');
    expect(terms('Kita Platz')).toContain(stem('kindertagesstatte'));
    expect(terms('KFZ abmelden')).toContain('fahrzeug');
  });
  it('phrases: "Führerschein umschreiben" adds Umtausch', () => {
    expect(terms('Führerschein umschreiben')).toContain(stem('umtausch'));
  });
  it('town synonyms are merged over the built-in list', () => {
    const syn = compileSynonyms({ schwimmbad: ['hallenbad'] });
    expect(analyze('Schwimmbad', { synonyms: syn }).map((t) => t.term)).toContain(stem('hallenbad'));
  });
  it('bridges English questions to German terms', () => {
    expect(terms('how do I get a new passport', undefined, 'en')).toContain('reisepass');
    expect(terms('register my address', undefined, 'en')).toContain(stem('anmeldung'));
    expect(terms('dog tax', undefined, 'en')).toEqual(expect.arrayContaining(['hund', stem(foldWord('steuer'))]));
    expect(terms('birth certificate', undefined, 'en')).toContain(stem('geburtsurkunde'));
  });
  it('detects English without a language hint', () => {
    expect(terms('I need a passport for my child')).toContain('reisepass');
  });
});

describe('typo tolerance', () => {
  it('corrects words of 5+ letters against the catalog vocabulary', () => {
    const lex = catalogLexicon();
    expect(terms('Persnalausweis', lex)).toContain('personalausweis');
    expect(terms('Fürhungszeugnis', lex)).toContain(stem(foldWord('Führungszeugnis')));
    expect(terms('Meldebeschienigung', lex)).toContain(stem('meldebescheinigung'));
  });
  it('does not correct short words', () => {
    const lex = catalogLexicon();
    expect(lex.correct('pas')).toBeNull();
  });
  it('bounded edit distance counts transpositions as one', () => {
    expect(editDistance('ausweis', 'auswies', 2)).toBe(1);
    expect(editDistance('abc', 'xyz', 1)).toBe(2);
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (s) => editDistance(s, s, 2) === 0));
  });
});

describe('stop words', () => {
  it('drops function words and conversational filler', () => {
    expect(terms('Ich brauche bitte einen neuen Ausweis')).not.toContain('ich');
    expect(terms('Ich brauche bitte einen neuen Ausweis')).not.toContain('brauch');
    expect(analyze('').length).toBe(0);
  });
});

describe('gazetteer (general world knowledge)', () => {
  it('reads a country as abroad (EU/EEA or third country) and a month name as "Monat"', () => {
    const gazetteer = compileSynonyms(GAZETTEER);
    const t = (q: string) => analyze(q, { gazetteer }).map((x) => x.term);
    expect(t('Führerschein aus der Türkei')).toEqual(expect.arrayContaining(['ausland', 'drittstaat']));
    expect(t('Rente aus Italien')).toEqual(expect.arrayContaining(['ausland', 'eu']));
    expect(t('moved here from the United States')).toEqual(expect.arrayContaining(['ausland']));
    expect(t('von April bis Oktober')).toContain('monat');
    expect(t('Wohnsitz in Deutschland')).not.toContain('ausland');
    // weak evidence only: 'related' terms do not explain an unknown word (confidence, evidence check)
    expect(analyze('Hauptstadt von Frankreich', { gazetteer }).find((x) => x.term === 'ausland')?.kind).toBe('related');
    expect(analyze('Hauptstadt von Frankreich').map((x) => x.term)).not.toContain('ausland');
  });
});

describe('separable verbs (detached particle at the clause end)', () => {
  // The catalog knows the joined verbs as words or by their stem (Anmeldung → anmeld).
  const lex = new Lexicon();
  lex.addText(tokenize('Hund anmelden Hund abmelden Wohnsitz ummelden Umzug umziehen Ausweis abgelaufen ablaufen Fundsache abgeben Geburt Schule Anmeldung'));
  const joined = (q: string) => joinSeparableVerbs(q, tokenize(q), lex);

  it('joins the finite verb with its particle and drops both loose words ("melde … an" → anmelden)', () => {
    const r = joined('Wie melde ich meinen Hund an?');
    expect(r.joined).toEqual(['anmelden']);
    expect(r.tokens).toEqual(['wie', 'ich', 'meinen', 'hund', 'anmelden']);
    const t = analyze('Wie melde ich meinen Hund an?', { lexicon: lex });
    expect(t.map((x) => x.term)).toContain('anmeld');
    // The bare verb is left only as a weak part (it must not tie "anmelden" with "abmelden").
    const meld = t.find((x) => x.term === 'meld');
    expect(meld?.kind).toBe('part');
    expect(meld!.weight).toBeLessThanOrEqual(0.3);
    expect(t.some((x) => x.term === 'abmeld' || x.term === 'ummeld')).toBe(false);
  });

  it('handles other particles, verb-first questions, endings and a trailing "bitte"', () => {
    expect(joined('Wie melde ich meinen Wohnsitz um?').joined).toEqual(['ummelden']);
    expect(joined('wie melde ich mich um').joined).toEqual(['ummelden']);
    expect(joined('Melde ich den Hund hier ab, bitte?').joined).toEqual(['abmelden']);
    expect(joined('Wo meldet man einen Hund an?').joined).toEqual(['anmelden']);
    expect(joined('Mein Ausweis läuft nächsten Monat ab, was nun?').joined).toEqual(['ablaufen']);
    expect(joined('Wo gebe ich die Fundsache ab?').joined).toEqual(['abgeben']);
    expect(joined('Wir ziehen um und melden den Hund an').joined).toEqual(['umziehen', 'anmelden']);
  });

  it('never joins a preposition inside a clause ("an der Schule", "ab Montag") or an unknown verb', () => {
    for (const q of ['Kann ich mich an der Schule anmelden?', 'Ab Montag melde ich mich', 'Ich melde mich ab Montag', 'Wo melde ich mich an der Schule?', 'Ich melde mich an der Schule', 'Wie komme ich an?', 'Wo gibt man die Fundsache ab?']) {
      const r = joined(q);
      expect(r.joined, q).toEqual([]);
      expect(r.tokens, q).toEqual(tokenize(q));
    }
    // A clause ends at punctuation: "an" before the comma belongs to its own clause.
    expect(joined('Melde ich mich an, wenn ich umziehe?').joined).toEqual(['anmelden']);
    expect(joined('Melde ich mich; an der Schule').joined).toEqual([]);
  });

  it('reads service texts alike: joined verbs of description sentences, HTML tags end a clause', () => {
    const l = new Lexicon();
    l.addText(tokenize('Fundsache abgeben oder abholen Personalausweis'));
    expect(separableVerbsInText('<p>Sie holen ihn ab, sobald Sie benachrichtigt werden.</p>', l)).toEqual(['abholen']);
    expect(separableVerbsInText('<p>Dort geben Sie ihn</p><p>ab 16 Jahren</p>', l)).toEqual([]);
    expect(separableVerbsInText('Das Fundbüro ist im Bürgerbüro.', l)).toEqual([]);
  });

  it('weighs a joined verb below the object noun (it tells siblings apart, it does not name the service)', () => {
    const l = new Lexicon();
    l.addText(tokenize('Fundsache abgeben oder abholen Personalausweis Ausweis'));
    const t = analyze('Wo hole ich meinen neuen Ausweis ab?', { lexicon: l });
    const w = (term: string) => t.find((x) => x.term === term)?.weight ?? 0;
    expect(w('abhol')).toBeGreaterThan(0);
    expect(w('abhol')).toBeLessThanOrEqual(w('ausweis') * 0.5);
    // The factor is an option; 1 gives the unreduced (lower-case) weight.
    expect(analyze('Wo hole ich meinen neuen Ausweis ab?', { lexicon: l, joinedFactor: 1 }).find((x) => x.term === 'abhol')!.weight).toBeCloseTo(w('abhol') * 2);
  });

  it('needs the catalog vocabulary: without a lexicon or for English questions nothing is joined', () => {
    expect(analyze('Wie melde ich meinen Hund an?').map((t) => t.term)).not.toContain('anmeld');
    expect(joinSeparable('an', 'melde', new Lexicon(false))).toBeNull();
    expect(joinSeparable('an', 'melde', lex)).toBe('anmelden');
    expect(joinSeparable('xy', 'melde', lex)).toBeNull();
    expect(analyze('How do I sign my dog up?', { lexicon: lex, lang: 'en' }).map((t) => t.term)).not.toContain('anmeld');
  });
});
