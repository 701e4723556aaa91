import type { ServiceSettingRow } from './repository.ts';

/**
 * Bürgerbüro services with booking settings (Beispieldaten). Ids follow the catalog's
 * ids (`nom-personalausweis`, see catalog/seed/northeim-services.json); the catalog's titles win when it knows the id.
 */
export const SEED_SERVICES: ServiceSettingRow[] = [
  { serviceId: 'nom-personalausweis', title: 'Personalausweis beantragen', slots: 2, bookable: true, bring: 'Bisheriger Ausweis, ein aktuelles biometrisches Passfoto, Gebühr (EC-Karte).', sort: 1 },
  { serviceId: 'nom-reisepass', title: 'Reisepass beantragen', slots: 2, bookable: true, bring: 'Bisheriger Pass oder Ausweis, ein aktuelles biometrisches Passfoto, Gebühr (EC-Karte).', sort: 2 },
  { serviceId: 'nom-ausweis-abholung', title: 'Ausweis oder Pass abholen', slots: 1, bookable: true, bring: 'Abholschein, bisheriges Dokument.', sort: 3 },
  { serviceId: 'nom-ausweis-verlust', title: 'Verlust oder Diebstahl von Ausweis oder Reisepass melden', slots: 1, bookable: true, bring: 'Ein anderes Ausweisdokument, falls vorhanden.', sort: 4 },
  { serviceId: 'nom-eid-pin', title: 'Online-Ausweisfunktion: PIN vergessen oder Funktion einschalten', slots: 1, bookable: true, bring: 'Personalausweis.', sort: 5 },
  { serviceId: 'nom-wohnsitz-anmelden', title: 'Wohnsitz anmelden (Zuzug nach Northeim)', slots: 2, bookable: true, bring: 'Ausweis oder Pass aller Personen, Wohnungsgeberbestätigung.', sort: 6 },
  { serviceId: 'nom-wohnsitz-ummelden', title: 'Wohnsitz ummelden (Umzug innerhalb Northeims)', slots: 1, bookable: true, bring: 'Ausweis, Wohnungsgeberbestätigung.', sort: 7 },
  { serviceId: 'nom-wohnsitz-abmelden', title: 'Wohnsitz abmelden (Wegzug ins Ausland)', slots: 1, bookable: true, bring: 'Ausweis oder Pass.', sort: 8 },
  { serviceId: 'nom-meldebescheinigung', title: 'Meldebescheinigung', slots: 1, bookable: true, bring: 'Ausweis oder Pass.', sort: 9 },
  { serviceId: 'nom-fuehrungszeugnis', title: 'Führungszeugnis beantragen', slots: 1, bookable: true, bring: 'Ausweis oder Pass, Gebühr (EC-Karte).', sort: 10 },
  { serviceId: 'nom-beglaubigung', title: 'Beglaubigung von Kopien und Unterschriften', slots: 1, bookable: true, bring: 'Original und Kopien, Ausweis.', sort: 11 },
  { serviceId: 'nom-bewohnerparkausweis', title: 'Bewohnerparkausweis', slots: 1, bookable: true, bring: 'Ausweis, Fahrzeugschein.', sort: 12 },
  { serviceId: 'nom-fundsachen', title: 'Fundsache abgeben oder abholen (Fundbüro)', slots: 1, bookable: false, bring: 'Ausweis.', sort: 13 },
];

export const DEMO_LOCATION_ID = 'buergerbuero';
