import { describe, expect, it } from 'vitest';
import { descriptionSeeds, parseCategoryDescriptions, portalSubjectSeeds } from './seeds.ts';

describe('triage seeds', () => {
  it('turns category labels and description phrases into seeds, ignoring unknown keys', () => {
    const { groups } = parseCategoryDescriptions(
      JSON.stringify({
        groups: {
          laerm: { label: 'Lärm', description: 'Gaststättenlärm, Musik (Partys) und Baulärm; Hundegebell.', route: 'egal' },
          fremd: { label: 'Gibt es nicht', description: 'nie' },
        },
      }),
    );
    expect(descriptionSeeds(groups, new Set(['laerm', 'abfall'])).map((s) => [s.text, s.category])).toEqual([
      ['Lärm', 'laerm'],
      ['Gaststättenlärm', 'laerm'],
      ['Musik', 'laerm'],
      ['Partys', 'laerm'],
      ['Baulärm', 'laerm'],
      ['Hundegebell', 'laerm'],
    ]);
    expect(descriptionSeeds(groups).some((s) => s.category === 'fremd')).toBe(true);
  });

  it('keeps only portal subjects whose prefix occurs at least twice', () => {
    const rows = [
      { detail: 'Lärm - Gaststätte', category: 'laerm' },
      { detail: ' Lärm - Musik ', category: 'laerm' },
      { detail: 'Lärm - Gaststätte', category: 'laerm' },
      { detail: 'Sperrmüll abgelagert', category: 'abfall' },
      { detail: 'Einzeln - Betreff', category: 'abfall' },
      { detail: null, category: 'abfall' },
      { category: 'abfall' },
    ];
    expect(portalSubjectSeeds(rows)).toEqual([
      { subject: null, text: 'Lärm Gaststätte', category: 'laerm' },
      { subject: null, text: 'Lärm Musik', category: 'laerm' },
    ]);
    expect(portalSubjectSeeds([])).toEqual([]);
  });

  it('names the file and field of a bad categories file', () => {
    expect(() => parseCategoryDescriptions('{', 'kat.json')).toThrow(/^kat\.json: ungültiges JSON in Zeile 1, Spalte 2 \(Feldname in doppelten Anführungszeichen erwartet\)\.$/);
    expect(() => parseCategoryDescriptions('{"groups": {"a": {"label": 3}}}', 'kat.json')).toThrow(/kat\.json: Feld "groups\.a\.label"/);
    expect(() => parseCategoryDescriptions('{"kategorien": {}}', 'kat.json')).toThrow(/Feld "groups"/);
  });
});
