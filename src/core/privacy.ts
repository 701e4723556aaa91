import type { AppContext } from './context.ts';

/** A text in German and English (the public pages offer both). */
export interface Localized {
  de: string;
  en: string;
}

/**
 * One processing of personal data (Art. 13/30 DSGVO), declared by the module that does it and
 * listed on the public `/datenschutz` page ("Verarbeitungen in Lotse").
 * Texts are for citizens: plain language, no table names.
 */
export interface PrivacyRecord {
  /** Stable id, e.g. `appointments.booking` (anchor on the page). */
  id: string;
  /** Name of the processing, e.g. „Online-Terminbuchung“. */
  processing: Localized;
  purpose: Localized;
  /** Which personal data (categories, concrete fields). */
  data: Localized;
  /** Whose data: citizens, staff, senders of letters … */
  subjects: Localized;
  /** e.g. „Art. 6 Abs. 1 lit. e DSGVO i. V. m. …“ or consent (lit. a). */
  legalBasis: Localized;
  /** Where the data is kept (the town's own server, the browser …). */
  storage: Localized;
  /**
   * How long. A function when the period is configurable (env var or setting), so the page
   * always states the period actually in force.
   */
  retention: Localized | ((ctx: AppContext) => Localized | Promise<Localized>);
  /** Who receives the data (nobody outside the town unless stated). */
  recipients: Localized;
  /** Ids of the AI systems (`LotseModule.aiSystems`, page „Über die KI“) involved; empty = none. */
  aiSystems: string[];
  /** How data subjects can see, correct or delete their data here (optional, e.g. a delete button). */
  rights?: Localized;
}

/** A record with its retention resolved for the running installation. */
export type ResolvedPrivacyRecord = Omit<PrivacyRecord, 'retention'> & { retention: Localized; module: string };

/** Recipients sentence shared by most records (the optional model endpoints are the town's own). */
export const NO_RECIPIENTS: Localized = {
  de: 'Keine Weitergabe an Stellen außerhalb der Stadtverwaltung. Lotse läuft auf Servern der Stadt bzw. ihres kommunalen IT-Dienstleisters (Auftragsverarbeitung nach Art. 28 DSGVO); es werden keine Tracking-Werkzeuge und keine Dienste Dritter eingebunden.',
  en: 'No disclosure to anyone outside the town administration. Lotse runs on servers of the town or its municipal IT service provider (processor under Art. 28 GDPR); no tracking tools and no third-party services are used.',
};

export const TOWN_SERVER: Localized = {
  de: 'Datenbank von Lotse auf Servern der Stadt (bzw. ihres kommunalen IT-Dienstleisters) in Deutschland.',
  en: 'Lotse database on servers of the town (or its municipal IT service provider) in Germany.',
};

/**
 * Processings of the core (not of a module): staff accounts, audit log, server logs, outgoing mail,
 * language and security cookies.
 */
export const CORE_PRIVACY_RECORDS: PrivacyRecord[] = [
  {
    id: 'core.staff-accounts',
    processing: { de: 'Konten der Mitarbeitenden', en: 'Staff accounts' },
    purpose: {
      de: 'Anmeldung der Mitarbeitenden der Stadtverwaltung an Lotse, Rechtevergabe, Schutz vor unbefugtem Zugriff.',
      en: 'Sign-in of town staff to Lotse, assignment of permissions, protection against unauthorised access.',
    },
    data: {
      de: 'Dienstliche E-Mail-Adresse, Name, Rollen, Fachbereich, Passwort nur als Hash (Argon2id), Sitzungen (nur als Hash des Sitzungsschlüssels), Zeitpunkte der Anmeldung. Fehlversuche werden je E-Mail-Adresse und IP-Adresse nur als Hash gezählt.',
      en: 'Work e-mail address, name, roles, department, password only as a hash (Argon2id), sessions (only a hash of the session key), sign-in times. Failed attempts are counted per e-mail address and IP address as hashes only.',
    },
    subjects: { de: 'Beschäftigte der Stadtverwaltung', en: 'Employees of the town administration' },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. c und e, Art. 88 DSGVO i. V. m. § 12 NDSG (Beschäftigtendatenschutz) sowie Art. 32 DSGVO (Sicherheit der Verarbeitung).',
      en: 'Art. 6(1)(c) and (e), Art. 88 GDPR in conjunction with § 12 NDSG (employee data protection) and Art. 32 GDPR (security of processing).',
    },
    storage: TOWN_SERVER,
    retention: {
      de: 'Solange das Konto besteht (ein deaktiviertes Konto kann sich nicht mehr anmelden). Sitzungen enden nach 8 Stunden Inaktivität, spätestens nach 12 Stunden; Zähler für Fehlversuche nach einem Tag.',
      en: 'As long as the account exists (a deactivated account can no longer sign in). Sessions end after 8 hours of inactivity, at the latest after 12 hours; failed-attempt counters after one day.',
    },
    recipients: NO_RECIPIENTS,
    aiSystems: [],
  },
  {
    id: 'core.audit-log',
    processing: { de: 'Prüfprotokoll', en: 'Audit log' },
    purpose: {
      de: 'Nachvollziehbarkeit von Änderungen und maschinellen Entscheidungen (wer hat wann was geändert), Schutz vor Manipulation (verkettete Prüfsummen).',
      en: 'Traceability of changes and automated results (who changed what and when), protection against tampering (chained checksums).',
    },
    data: {
      de: 'Kennung der handelnden Mitarbeiterin oder des Mitarbeiters (bzw. „System“), Aktion, betroffenes Objekt, Zeitpunkt. Keine Daten von Bürgerinnen und Bürgern: Zusammenfassungen enthalten nur Kennungen und Anzahlen, keine Namen, Adressen oder Texte.',
      en: 'Identifier of the acting staff member (or “system”), action, affected object, time. No data about citizens: summaries contain only identifiers and counts, no names, addresses or texts.',
    },
    subjects: { de: 'Beschäftigte der Stadtverwaltung', en: 'Employees of the town administration' },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 5 Abs. 2 und Art. 32 DSGVO (Rechenschaft, Sicherheit der Verarbeitung).',
      en: 'Art. 6(1)(c) GDPR in conjunction with Art. 5(2) and Art. 32 GDPR (accountability, security of processing).',
    },
    storage: TOWN_SERVER,
    retention: {
      de: 'Dauerhaft (die Einträge sind verkettet und werden nicht einzeln gelöscht); sie enthalten keine Daten von Bürgerinnen und Bürgern.',
      en: 'Permanently (entries are chained and not deleted individually); they contain no data about citizens.',
    },
    recipients: NO_RECIPIENTS,
    aiSystems: [],
  },
  {
    id: 'core.server-logs',
    processing: { de: 'Server-Protokolle und Sicherheitscookies', en: 'Server logs and security cookies' },
    purpose: {
      de: 'Betrieb und Fehlersuche, Schutz vor Missbrauch (Begrenzung der Anfragen je Anschluss, Schutz von Formularen vor Fälschung), Merken der gewählten Sprache.',
      en: 'Operation and troubleshooting, protection against abuse (limits on requests per connection, forgery protection for forms), remembering the chosen language.',
    },
    data: {
      de: 'Aufgerufene Seite (nur das Muster der Adresse, ohne Suchbegriffe oder Kennungen), Statuscode, Dauer, Anfragekennung – ohne IP-Adresse, ohne Namen, E-Mail-Adressen oder eingegebene Texte. Für Anfragebegrenzungen wird die IP-Adresse nur als Hash gezählt. Cookies: Sprachwahl, Formularschutz (CSRF), Sitzung nach einer Anmeldung – keine Tracking-Cookies.',
      en: 'Requested page (only the pattern of the address, without search terms or identifiers), status code, duration, request id – without IP address, names, e-mail addresses or entered texts. For request limits the IP address is counted as a hash only. Cookies: language choice, form protection (CSRF), session after signing in – no tracking cookies.',
    },
    subjects: { de: 'Alle Besucherinnen und Besucher von Lotse', en: 'All visitors of Lotse' },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. e und Art. 32 DSGVO i. V. m. § 3 NDSG; für notwendige Cookies § 25 Abs. 2 Nr. 2 TDDDG.',
      en: 'Art. 6(1)(e) and Art. 32 GDPR in conjunction with § 3 NDSG; for necessary cookies § 25(2) no. 2 TDDDG.',
    },
    storage: {
      de: 'Protokolldateien und Datenbank auf Servern der Stadt (bzw. ihres kommunalen IT-Dienstleisters); Cookies in Ihrem Browser.',
      en: 'Log files and database on servers of the town (or its municipal IT service provider); cookies in your browser.',
    },
    retention: {
      de: 'Zähler für Anfragebegrenzungen höchstens einen Tag; Sprach-Cookie ein Jahr; Server-Protokolle nach den Vorgaben des Betriebs der Stadt.',
      en: 'Request-limit counters at most one day; language cookie one year; server logs according to the town’s operating rules.',
    },
    recipients: NO_RECIPIENTS,
    aiSystems: [],
  },
  {
    id: 'core.outgoing-mail',
    processing: { de: 'Versand von E-Mails', en: 'Sending e-mails' },
    purpose: {
      de: 'Zustellung der E-Mails, die Lotse in Ihrem Auftrag verschickt (z. B. Terminbestätigung, Anmeldelink, Antwort der Verwaltung).',
      en: 'Delivery of the e-mails Lotse sends on your behalf (e.g. appointment confirmation, sign-in link, reply from the administration).',
    },
    data: {
      de: 'Empfängeradresse, Betreff, Text und Anhänge der E-Mail, Zustellstatus.',
      en: 'Recipient address, subject, text and attachments of the e-mail, delivery status.',
    },
    subjects: { de: 'Empfängerinnen und Empfänger von E-Mails aus Lotse', en: 'Recipients of e-mails from Lotse' },
    legalBasis: {
      de: 'Wie die Verarbeitung, zu der die E-Mail gehört (siehe dort): meist Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 NDSG, bei „Mein Northeim“ und Rückrufwünschen Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO).',
      en: 'As the processing the e-mail belongs to (see there): mostly Art. 6(1)(e) GDPR in conjunction with § 3 NDSG, for “My Northeim” and callback requests your consent (Art. 6(1)(a) GDPR).',
    },
    storage: TOWN_SERVER,
    retention: {
      de: 'Gesendete E-Mails 30 Tage, nicht zustellbare 90 Tage, danach automatisch gelöscht.',
      en: 'Sent e-mails 30 days, undeliverable ones 90 days, then deleted automatically.',
    },
    recipients: {
      de: 'Der Mailserver der Stadt und der Mailanbieter der Empfängerin bzw. des Empfängers (zur Zustellung). Sonst keine Weitergabe.',
      en: 'The town’s mail server and the recipient’s mail provider (for delivery). No other disclosure.',
    },
    aiSystems: [],
  },
];

/** Fields every record must fill (non-empty in both languages). */
export const PRIVACY_TEXT_FIELDS = [
  'processing',
  'purpose',
  'data',
  'subjects',
  'legalBasis',
  'storage',
  'retention',
  'recipients',
] as const;

/** All records: each module's in registry order, then the core's. */
export function collectPrivacyRecords(modules: { name: string; privacy?: PrivacyRecord[] }[]): (PrivacyRecord & { module: string })[] {
  return [
    ...modules.flatMap((m) => (m.privacy ?? []).map((r) => ({ ...r, module: m.name }))),
    ...CORE_PRIVACY_RECORDS.map((r) => ({ ...r, module: 'core' })),
  ];
}

/** Resolves configurable retention periods against the running installation. */
export async function resolvePrivacyRecords(
  ctx: AppContext,
  records: (PrivacyRecord & { module: string })[],
): Promise<ResolvedPrivacyRecord[]> {
  return Promise.all(
    records.map(async (r) => ({ ...r, retention: typeof r.retention === 'function' ? await r.retention(ctx) : r.retention })),
  );
}

/** "1 Tag" / "30 Tage" – small helper for retention texts. */
export function days(n: number): Localized {
  return { de: n === 1 ? '1 Tag' : `${n} Tage`, en: n === 1 ? '1 day' : `${n} days` };
}
