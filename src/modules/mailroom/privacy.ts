import { getSetting } from '../../core/settings/index.ts';
import { NO_RECIPIENTS, type Localized, type PrivacyRecord } from '../../core/privacy.ts';
import { DEFAULT_RETENTION_DAYS, RETENTION_SETTING } from './intake/apply-retention.ts';

function period(n: number): Localized {
  if (n % 365 === 0) {
    const y = n / 365;
    return { de: y === 1 ? '1 Jahr' : `${y} Jahre`, en: y === 1 ? '1 year' : `${y} years` };
  }
  return { de: n === 1 ? '1 Tag' : `${n} Tage`, en: n === 1 ? '1 day' : `${n} days` };
}

/** Processings of personal data in the mailroom (listed on `/datenschutz`). */
export const mailroomPrivacy: PrivacyRecord[] = [
  {
    id: 'mailroom.intake',
    processing: {
      de: 'Posteingang: Briefe, E-Mails und hochgeladene Dokumente',
      en: 'Incoming post: letters, e-mails and uploaded documents',
    },
    purpose: {
      de: 'Annahme, Lesen (Texterkennung), Zuordnung zum zuständigen Fachbereich und Bearbeitung Ihrer Eingänge an die Stadt; Eingangsbestätigung und Antwort; Zusammenführen von Schreiben desselben Vorgangs.',
      en: 'Receiving, reading (text recognition), routing to the responsible department and handling what you send to the town; acknowledgement and reply; linking letters of the same case.',
    },
    data: {
      de: 'Das Dokument bzw. die E-Mail mit ihrem gesamten Inhalt und allen Anhängen (also alle personenbezogenen Daten, die Sie hineinschreiben), Absender- und Empfängeradresse, Betreff, Kennungen der E-Mail, erkannter Text, Kategorie und Fachbereich (mit Regel- bzw. Modellversion), Bearbeitungsstand und bearbeitende Mitarbeitende.',
      en: 'The document or e-mail with its entire content and all attachments (so all personal data you write into it), sender and recipient address, subject, e-mail identifiers, recognised text, category and department (with rule or model version), processing status and handling staff.',
    },
    subjects: {
      de: 'Absenderinnen und Absender von Schreiben an die Stadt und darin genannte Personen',
      en: 'Senders of letters to the town and persons named in them',
    },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. c und e DSGVO i. V. m. § 3 NDSG und dem jeweiligen Fachrecht des Anliegens; besondere Kategorien (Art. 9 DSGVO) nur, soweit Sie sie selbst übermitteln und das Fachrecht es erlaubt.',
      en: 'Art. 6(1)(c) and (e) GDPR in conjunction with § 3 NDSG and the specific law of the matter; special categories (Art. 9 GDPR) only as far as you send them yourself and the specific law permits.',
    },
    storage: {
      de: 'Datenbank und Dateiablage von Lotse auf Servern der Stadt (bzw. ihres kommunalen IT-Dienstleisters); das Original bleibt unverändert erhalten.',
      en: 'Lotse database and file storage on servers of the town (or its municipal IT service provider); the original is kept unchanged.',
    },
    retention: async (ctx) => {
      const periods = { ...DEFAULT_RETENTION_DAYS, ...(await getSetting<Record<string, number>>(ctx.db, RETENTION_SETTING, {})) };
      const other = period(periods['*'] ?? DEFAULT_RETENTION_DAYS['*']!);
      const own = Object.entries(periods)
        .filter(([k, v]) => k !== '*' && Number.isFinite(v) && v > 0)
        .sort(([a], [b]) => a.localeCompare(b, 'de'));
      const list = (lang: 'de' | 'en') => own.map(([k, v]) => `${k}: ${period(v)[lang]}`).join('; ');
      return {
        de: `Nach Kategorie des Eingangs, gerechnet ab Eingang, danach automatisch gelöscht (Datensatz und Originaldatei): ${list('de')}; alle anderen Kategorien: ${other.de}. Rechnungen: 10 Jahre (haushaltsrechtliche Aufbewahrung).`,
        en: `By category, counted from receipt, then deleted automatically (record and original file): ${list('en')}; all other categories: ${other.en}. Invoices: 10 years (public budget law).`,
      };
    },
    recipients: {
      de: `Der zuständige Fachbereich der Stadtverwaltung. ${NO_RECIPIENTS.de}`,
      en: `The responsible department of the town administration. ${NO_RECIPIENTS.en}`,
    },
    aiSystems: ['mailroom-documents', 'mailroom.triage'],
  },
];
