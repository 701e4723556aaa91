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
});
