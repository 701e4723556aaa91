import { describe, expect, it } from 'vitest';
import { CatalogIndex, type IndexDoc } from './search-index.ts';

const doc = (id: string, title: string, description: string, extra: Partial<IndexDoc> = {}): IndexDoc => ({
  id,
  title,
  leika: null,
  url: null,
  description,
  documents: [],
  fees: null,
  processingTime: null,
  legalBasis: null,
  department: null,
  keywords: [],
  internal: false,
  lifeSituationTitles: [],
  ...extra,
});

const filler = 'Bitte vereinbaren Sie einen Termin. Die Bearbeitung dauert einige Tage. Wir beraten Sie gern persönlich.';

describe('catalog index ranking', () => {
  it('prefers the service that names the question words together (one sentence) over one that has them far apart', () => {
    const ix = new CatalogIndex(
      [
        doc('apart', 'Zulassung', `Ein Motorrad können Sie bei uns anmelden, auch ein altes Motorrad. ${filler} Für die Saison und die Saison danach gelten bei Booten andere Regeln.`),
        doc('together', 'Kennzeichen', `${filler} Ein Motorrad können Sie auch nur für die Saison anmelden.`),
        doc('other', 'Hundesteuer', `Hunde müssen angemeldet werden. ${filler}`),
      ],
      {},
      1,
      { thesaurus: false },
    );
    const { hits } = ix.search('Motorrad für die Saison anmelden');
    expect(hits[0]!.id).toBe('together');
    expect(ix.passageUnits('together').length).toBeGreaterThan(3);
  });

  it('reads a named country as "abroad" (gazetteer) and finds the foreign-licence service', () => {
    const ix = new CatalogIndex(
      [
        doc('plain', 'Führerschein', 'Erstmalige Erteilung der Fahrerlaubnis für Fahranfänger.'),
        doc('foreign', 'Umschreibung eines ausländischen Führerscheins', 'Wer einen Führerschein aus dem Ausland besitzt, kann ihn umschreiben lassen.'),
      ],
      {},
      1,
      { thesaurus: false },
    );
    expect(ix.search('Ich habe meinen Führerschein in der Türkei gemacht').hits[0]!.id).toBe('foreign');
  });

  it('splits a document compound with an unknown head after a known modifier ("Fahrzeugexport" → export)', () => {
    const ix = new CatalogIndex(
      [doc('a', 'Ausfuhrkennzeichen', 'Kennzeichen für die Ausfuhr.', { keywords: ['Fahrzeugexport'] }), doc('b', 'Fahrzeug abmelden', 'Ein Fahrzeug außer Betrieb setzen.')],
      {},
      1,
      { thesaurus: false },
    );
    const hit = ix.search('export').hits[0]!;
    expect(hit.id).toBe('a');
    expect(hit.matchedTerms).toContain('export');
  });

  it('finds a German service for an English word the hand-written bridge lacks (glossary), weakly', () => {
    const docs = [
      doc('pfand', 'Pfandleihergewerbe – Erlaubnis beantragen', 'Wer ein Pfandleihgeschäft betreiben will, braucht eine Erlaubnis.'),
      doc('bau', 'Bauantrag', 'Für ein Gebäude brauchen Sie eine Baugenehmigung.'),
    ];
    const on = new CatalogIndex(docs, {}, 1, { thesaurus: false });
    const off = new CatalogIndex(docs, {}, 1, { thesaurus: false, glossary: false });
    expect(on.search('I want to open a pawnshop', { lang: 'en' }).hits[0]?.id).toBe('pfand');
    expect(off.search('I want to open a pawnshop', { lang: 'en' }).hits.map((h) => h.id)).not.toContain('pfand');
    // German questions are untouched
    expect(on.analyzeQuery('Pfandleihe eröffnen', 'de')).toEqual(off.analyzeQuery('Pfandleihe eröffnen', 'de'));
  });

  it('counts a title word named through its word family ("Verlorenes" ← geklaut → Verlust)', () => {
    const docs = [
      doc('fund', 'Fundsache abholen', 'Im Fundbüro können Sie verlorene Sachen abholen, auch ein Fahrrad.'),
      doc('rad', 'Verlorenes Fahrrad besichtigen und abholen', 'Gefundene Fahrräder werden gesammelt. Ein Verlust kann gemeldet werden.'),
    ];
    const q = 'Fahrrad geklaut, wo kann ich nachschauen';
    const score = (ix: CatalogIndex, id: string) => ix.search(q).hits.find((h) => h.id === id)!.score;
    const on = new CatalogIndex(docs, {}, 1, { thesaurus: false });
    const off = new CatalogIndex(docs, {}, 1, { thesaurus: false, families: false });
    expect(score(on, 'rad') / score(on, 'fund')).toBeGreaterThan(score(off, 'rad') / score(off, 'fund'));
  });

  it('experiments: feedback keeps the first-pass confidence; the sibling penalty lowers an unsupported modifier', () => {
    const docs = [
      doc('pass', 'Reisepass', 'Den Reisepass beantragen Sie im Bürgerbüro. Er gilt zehn Jahre.'),
      doc('vorl', 'Vorläufiger Reisepass', 'Ein vorläufiger Reisepass wird sofort ausgestellt und gilt ein Jahr.'),
      doc('perso', 'Personalausweis', 'Den Personalausweis beantragen Sie im Bürgerbüro.'),
    ];
    const plain = new CatalogIndex(docs, {}, 1, { thesaurus: false });
    const prf = new CatalogIndex(docs, {}, 1, { thesaurus: false, prf: { weight: 0.5 } });
    const a = plain.search('Reisepass beantragen Bürgerbüro');
    const b = prf.search('Reisepass beantragen Bürgerbüro');
    expect(b.hits[0]!.confidence).toBe(a.hits[0]!.confidence);
    expect(b.hits.map((h) => h.score)).not.toEqual(a.hits.map((h) => h.score));
    const sib = new CatalogIndex(docs, {}, 1, { thesaurus: false, sibling: 0.5 });
    const ratio = (ix: CatalogIndex) => {
      const h = ix.search('Reisepass beantragen').hits;
      return h.find((x) => x.id === 'vorl')!.score / h.find((x) => x.id === 'pass')!.score;
    };
    expect(ratio(sib)).toBeCloseTo(ratio(plain) * 0.5);
  });

  it('keeps separable-verb siblings apart: a detached particle picks an-, ab- or ummelden, the bare verb only weakly covers the others', () => {
    const ix = new CatalogIndex(
      [
        doc('hund-an', 'Hund anmelden (Hundesteuer)', 'Einen Hund melden Sie bei der Stadt an.', { keywords: ['Hundesteuer', 'Hundemarke'] }),
        doc('hund-ab', 'Hund abmelden (Hundesteuer)', 'Wenn der Hund verstorben ist, melden Sie ihn ab.', { keywords: ['Hundemarke zurückgeben'] }),
        doc('wohn-an', 'Wohnsitz anmelden', 'Wer zuzieht, meldet sich im Bürgerbüro an.', { keywords: ['Anmeldung', 'Zuzug'] }),
        doc('wohn-um', 'Wohnsitz ummelden', 'Bei einem Umzug innerhalb der Stadt melden Sie sich um.', { keywords: ['Ummeldung', 'Umzug'] }),
        doc('wohn-ab', 'Wohnsitz abmelden', 'Beim Wegzug ins Ausland melden Sie sich ab.', { keywords: ['Abmeldung', 'Wegzug'] }),
        doc('schaden', 'Straßenschaden melden', 'Schlaglöcher und defekte Laternen melden Sie online.'),
      ],
      {},
      1,
    );
    const top = (q: string) => ix.search(q).hits[0]!.id;
    expect(top('Wie melde ich meinen Hund an?')).toBe('hund-an');
    expect(top('Wie melde ich meinen Hund ab?')).toBe('hund-ab');
    expect(top('Wie melde ich meinen Wohnsitz an?')).toBe('wohn-an');
    expect(top('Wie melde ich meinen Wohnsitz um?')).toBe('wohn-um');
    expect(top('wie melde ich mich um?')).toBe('wohn-um');
    expect(top('Wo melde ich den Schaden?')).toBe('schaden');
    // "anmelden" meets "abmelden" only through the weak bare verb: clearly behind.
    const { hits } = ix.search('Hund anmelden');
    expect(hits[0]!.id).toBe('hund-an');
    expect(hits.find((h) => h.id === 'hund-ab')!.score).toBeLessThan(hits[0]!.score * 0.7);
  });

  it('joins separable verbs in service texts too, and a joined verb does not outweigh the object noun', () => {
    // Northeim regression: "Wo hole ich meinen neuen Ausweis ab?" went to the lost-property office.
    const docs = [
      doc('ausweis', 'Personalausweis beantragen', '<p>Den Personalausweis beantragen Sie im Bürgerbüro. Sie holen ihn ab, sobald Sie benachrichtigt werden.</p>', { keywords: ['Ausweis', 'neuer Ausweis'] }),
      doc('fund', 'Fundsache abgeben oder abholen (Fundbüro)', '<p>Dort können Sie Gefundenes abgeben und nach Verlorenem fragen.</p>'),
      doc('hund', 'Hund anmelden', 'Einen Hund melden Sie bei der Stadt an.'),
    ];
    const ix = new CatalogIndex(docs, {}, 1, { thesaurus: false });
    expect(ix.search('Wo hole ich meinen neuen Ausweis ab?').hits[0]!.id).toBe('ausweis');
    expect(ix.search('Wo gebe ich meinen alten Ausweis ab?').hits[0]!.id).toBe('ausweis');
    expect(ix.search('Wo hole ich eine Fundsache ab?').hits[0]!.id).toBe('fund');
    // The description's "holen ihn ab" is indexed as abholen (off: the old behaviour).
    const off = new CatalogIndex(docs, {}, 1, { thesaurus: false, separable: false });
    expect(ix.search('abholen').hits.map((h) => h.id)).toContain('ausweis');
    expect(off.search('abholen').hits.map((h) => h.id)).not.toContain('ausweis');
  });
});
