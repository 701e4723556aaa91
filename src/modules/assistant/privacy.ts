import { days, NO_RECIPIENTS, TOWN_SERVER, type PrivacyRecord } from '../../core/privacy.ts';
import { QUESTION_RETENTION_DAYS } from './ask-question.ts';
import { HANDOVER_RETENTION_DAYS } from './request-handover.ts';

const LLM_NOTE = {
  de: ' Ist ein Sprachmodell eingeschaltet, geht die geschwärzte Frage mit den gefundenen Leistungstexten an das Sprachmodell, das die Stadt selbst betreibt – nicht an einen externen KI-Dienst.',
  en: ' If a language model is switched on, the redacted question is sent with the matching service texts to the language model run by the town itself – not to an external AI service.',
};

/** Processings of personal data in the assistant module (listed on `/datenschutz`). */
export const assistantPrivacy: PrivacyRecord[] = [
  {
    id: 'assistant.questions',
    processing: { de: 'Fragen an den Assistenten und Bewertungen', en: 'Questions to the assistant and ratings' },
    purpose: {
      de: 'Beantwortung Ihrer Frage aus den Leistungsbeschreibungen der Stadt, Rückfragen im selben Gespräch, Verbesserung der Antworten (Durchsicht abgelehnter, unsicherer und schlecht bewerteter Fragen durch die Verwaltung).',
      en: 'Answering your question from the town’s service descriptions, follow-up questions in the same conversation, improving the answers (staff review of refused, uncertain and poorly rated questions).',
    },
    data: {
      de: 'Ihre Frage – vor jeder Speicherung automatisch geschwärzt (E-Mail-Adressen, Telefonnummern, IBAN, Adressen, Namen, Geburtsdaten, Kfz-Kennzeichen, Steuer-IDs und Ausweisnummern werden entfernt; Nachrichten, auf die der Assistent mit den Nummern der Telefonseelsorge antwortet, werden gar nicht gespeichert, nur dass der Hinweis gegeben wurde), gefundene Leistungen, Antwortart, Bewertung (Daumen hoch/runter) mit geschwärztem Kommentar, zufällige Gesprächskennung. Keine IP-Adresse; die Anfragebegrenzung zählt nur einen Hash. Bitte geben Sie trotzdem keine persönlichen Daten ein.',
      en: 'Your question – automatically redacted before it is stored (e-mail addresses, phone numbers, IBAN, addresses, names, dates of birth, number plates, tax IDs and ID card numbers are removed; messages answered with the crisis line numbers are not stored at all, only that the hint was given), matching services, kind of answer, rating (thumbs up/down) with a redacted comment, random conversation id. No IP address; the request limit counts a hash only. Please still do not enter personal data.',
    },
    subjects: { de: 'Nutzerinnen und Nutzer des Assistenten', en: 'Users of the assistant' },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 NDSG (Information und Beratung der Bürgerinnen und Bürger, § 25 VwVfG).',
      en: 'Art. 6(1)(e) GDPR in conjunction with § 3 NDSG (information and advice for citizens, § 25 VwVfG).',
    },
    storage: TOWN_SERVER,
    retention: () => {
      const d = days(QUESTION_RETENTION_DAYS);
      return {
        de: `Gesprächszustand 30 Minuten nach der letzten Frage; geschwärzte Fragen und Bewertungen ${d.de}, danach automatisch gelöscht.`,
        en: `Conversation state 30 minutes after the last question; redacted questions and ratings ${d.en}, then deleted automatically.`,
      };
    },
    recipients: { de: NO_RECIPIENTS.de + LLM_NOTE.de, en: NO_RECIPIENTS.en + LLM_NOTE.en },
    aiSystems: ['assistant', 'catalog-search'],
  },
  {
    id: 'assistant.handover',
    processing: {
      de: 'Rückrufwunsch und Nachricht an die Verwaltung („Mit einem Menschen sprechen“)',
      en: 'Callback request and message to the administration (“Talk to a person”)',
    },
    purpose: {
      de: 'Damit eine Mitarbeiterin oder ein Mitarbeiter Sie zurückruft oder Ihnen per E-Mail antwortet.',
      en: 'So that a staff member calls you back or answers you by e-mail.',
    },
    data: {
      de: 'Name (freiwillig), Telefonnummer (Rückruf) oder E-Mail-Adresse (Nachricht), gewünschte Zeit, Ihre Nachricht, Thema des Gesprächs, Zeitpunkt Ihrer Einwilligung, Bearbeitungsstand.',
      en: 'Name (optional), phone number (callback) or e-mail address (message), preferred time, your message, topic of the conversation, time of your consent, processing status.',
    },
    subjects: { de: 'Bürgerinnen und Bürger, die Kontakt wünschen', en: 'Citizens who ask to be contacted' },
    legalBasis: {
      de: 'Einwilligung, Art. 6 Abs. 1 lit. a DSGVO (Häkchen im Formular); widerrufbar jederzeit über die Kontaktdaten unten.',
      en: 'Consent, Art. 6(1)(a) GDPR (checkbox in the form); you can withdraw it at any time using the contact details below.',
    },
    storage: TOWN_SERVER,
    retention: () => {
      const d = days(HANDOVER_RETENTION_DAYS);
      return { de: `${d.de} nach der Anfrage automatisch gelöscht.`, en: `Deleted automatically ${d.en} after the request.` };
    },
    recipients: {
      de: 'Die zuständigen Mitarbeitenden der Stadtverwaltung. Keine Weitergabe an Stellen außerhalb der Stadtverwaltung.',
      en: 'The responsible staff of the town administration. No disclosure to anyone outside the town administration.',
    },
    aiSystems: [],
  },
];
