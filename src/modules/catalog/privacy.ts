import { NO_RECIPIENTS, TOWN_SERVER, type PrivacyRecord } from '../../core/privacy.ts';

/** Processings of personal data in the catalog module (listed on `/datenschutz`). */
export const catalogPrivacy: PrivacyRecord[] = [
  {
    id: 'catalog.search',
    processing: { de: 'Leistungssuche und „Mein Northeim“ im Browser', en: 'Service search and “My Northeim” in the browser' },
    purpose: {
      de: 'Passende Leistungen zu Ihrer Suchanfrage finden; persönliche Startseite (Lebenslagen, erledigte Leistungen, Erinnerungen) ohne Konto.',
      en: 'Finding services that match your search; personal start page (life situations, completed services, reminders) without an account.',
    },
    data: {
      de: 'Suchanfragen werden nur für die Antwort verarbeitet und nicht gespeichert. „Mein Northeim“ speichert Ihre Auswahl nur im Speicher Ihres Browsers (localStorage) – der Server erhält davon nichts, solange Sie kein Konto anlegen (siehe „Mein Northeim auf dem Server“).',
      en: 'Search queries are processed only for the answer and are not stored. “My Northeim” keeps your choices only in your browser’s storage (localStorage) – the server receives none of it unless you create an account (see “My Northeim on the server”).',
    },
    subjects: { de: 'Besucherinnen und Besucher der Leistungsseiten', en: 'Visitors of the service pages' },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 NDSG (Information über Leistungen der Verwaltung); Speicherung im Browser auf Ihren Wunsch (§ 25 Abs. 2 Nr. 2 TDDDG).',
      en: 'Art. 6(1)(e) GDPR in conjunction with § 3 NDSG (information about administrative services); storage in the browser at your request (§ 25(2) no. 2 TDDDG).',
    },
    storage: {
      de: 'Suchanfragen: nur im Arbeitsspeicher des Servers der Stadt. „Mein Northeim“: nur in Ihrem Browser.',
      en: 'Search queries: only in the memory of the town’s server. “My Northeim”: only in your browser.',
    },
    retention: {
      de: 'Suchanfragen: keine Speicherung. „Mein Northeim“ im Browser: bis Sie „Alles löschen“ wählen oder die Browserdaten löschen.',
      en: 'Search queries: not stored. “My Northeim” in the browser: until you choose “Delete everything” or clear your browser data.',
    },
    recipients: {
      de: `${NO_RECIPIENTS.de} Betreibt die Stadt ein eigenes Embedding-Modell für die Bedeutungssuche, wird die Suchanfrage dorthin geschickt (ebenfalls bei der Stadt, ohne Speicherung).`,
      en: `${NO_RECIPIENTS.en} If the town runs its own embedding model for semantic search, the query is sent there (also at the town, not stored).`,
    },
    aiSystems: ['catalog-search'],
    rights: {
      de: 'Auf der Seite „Mein Northeim“ können Sie Ihre Daten herunterladen und mit „Alles löschen“ entfernen.',
      en: 'On the “My Northeim” page you can download your data and remove it with “Delete everything”.',
    },
  },
  {
    id: 'catalog.editing',
    processing: { de: 'Pflege des Leistungskatalogs', en: 'Editing the service catalogue' },
    purpose: {
      de: 'Nachvollziehbarkeit, wer welche Fassung einer Leistungsbeschreibung veröffentlicht hat.',
      en: 'Traceability of who published which version of a service description.',
    },
    data: {
      de: 'Kennung der bearbeitenden Mitarbeiterin bzw. des Mitarbeiters, Zeitpunkt, Fassung.',
      en: 'Identifier of the editing staff member, time, version.',
    },
    subjects: { de: 'Beschäftigte der Stadtverwaltung', en: 'Employees of the town administration' },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. c und e DSGVO i. V. m. § 12 NDSG.',
      en: 'Art. 6(1)(c) and (e) GDPR in conjunction with § 12 NDSG.',
    },
    storage: TOWN_SERVER,
    retention: { de: 'Solange die Fassungsgeschichte der Leistung besteht.', en: 'As long as the version history of the service exists.' },
    recipients: NO_RECIPIENTS,
    aiSystems: [],
  },
];
