import { NO_RECIPIENTS, TOWN_SERVER, type PrivacyRecord } from '../../core/privacy.ts';
import { MIN_COUNT, WINDOW_MONTHS } from './pairs.ts';

/** Processings in the insights module (listed on `/datenschutz`): only aggregated counts. */
export const insightsPrivacy: PrivacyRecord[] = [
  {
    id: 'insights.co-use',
    processing: { de: 'Auswertung „Andere erledigten auch“', en: 'Statistics “Others also needed”' },
    purpose: {
      de: 'Hinweis auf Leistungen, die häufig zusammen gebraucht werden (auf den Leistungsseiten).',
      en: 'Pointing to services that are often needed together (on the service pages).',
    },
    data: {
      de: 'Aus bestätigten Terminbuchungen mit mehreren Leistungen und aus Gesprächen mit dem Assistenten wird täglich nur gezählt, welche Leistungen zusammen vorkamen (Paare je Monat). Gespeichert werden nur diese Zählungen – ohne Namen, Kontaktdaten, Fragen oder Kennungen von Personen.',
      en: 'From confirmed bookings with several services and from conversations with the assistant, only which services occurred together is counted once a day (pairs per month). Only these counts are stored – no names, contact data, questions or identifiers of persons.',
    },
    subjects: { de: 'Keine einzelnen Personen (nur Zählungen)', en: 'No individual persons (counts only)' },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 NDSG (Verbesserung des Informationsangebots); die Zählungen selbst sind anonym.',
      en: 'Art. 6(1)(e) GDPR in conjunction with § 3 NDSG (improving the information service); the counts themselves are anonymous.',
    },
    storage: TOWN_SERVER,
    retention: {
      de: `Die Zählungen enthalten keine personenbezogenen Daten. Angezeigt werden nur Paare, die in den letzten ${WINDOW_MONTHS} Monaten mindestens ${MIN_COUNT}-mal vorkamen.`,
      en: `The counts contain no personal data. Only pairs that occurred at least ${MIN_COUNT} times in the last ${WINDOW_MONTHS} months are shown.`,
    },
    recipients: NO_RECIPIENTS,
    aiSystems: [],
  },
];
