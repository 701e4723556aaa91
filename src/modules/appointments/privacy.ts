import { days, TOWN_SERVER, type PrivacyRecord } from '../../core/privacy.ts';

/** Processings of personal data in the appointments module (listed on `/datenschutz`). */
export const appointmentsPrivacy: PrivacyRecord[] = [
  {
    id: 'appointments.booking',
    processing: { de: 'Online-Terminbuchung und Warteliste', en: 'Online appointment booking and waiting list' },
    purpose: {
      de: 'Vergabe, Bestätigung, Erinnerung, Umbuchung und Absage von Terminen im Bürgerbüro; Benachrichtigung von der Warteliste; Erkennen missbräuchlicher Massenbuchungen.',
      en: 'Allocating, confirming, reminding of, rescheduling and cancelling appointments at the Bürgerbüro; notifications from the waiting list; detecting abusive bulk bookings.',
    },
    data: {
      de: 'Name, E-Mail-Adresse, Telefonnummer (freiwillig), gewählte Leistungen, Zeitpunkt und Schalter, Sprache, Status (z. B. erschienen), IP-Adresse nur als gesalzener Hash (Anschluss und Netz). Warteliste: E-Mail-Adresse, Leistungen, Wunschzeitraum.',
      en: 'Name, e-mail address, phone number (optional), chosen services, time and counter, language, status (e.g. attended), IP address only as a salted hash (connection and network). Waiting list: e-mail address, services, preferred period.',
    },
    subjects: { de: 'Bürgerinnen und Bürger, die einen Termin buchen', en: 'Citizens who book an appointment' },
    legalBasis: {
      de: 'Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 NDSG (Terminvergabe als Teil der Erfüllung der Aufgaben des Bürgerbüros).',
      en: 'Art. 6(1)(e) GDPR in conjunction with § 3 NDSG (appointment allocation as part of the Bürgerbüro’s public tasks).',
    },
    storage: TOWN_SERVER,
    retention: (ctx) => {
      const d = days(ctx.config.LOTSE_APPT_RETENTION_DAYS);
      return {
        de: `${d.de} nach dem Ende des Termins (auch abgesagter oder verfallener Buchungen) werden Name, E-Mail-Adresse, Telefonnummer und IP-Hash automatisch gelöscht; danach bleiben nur Zeit, Schalter, Leistungen und Status für die Statistik. Wartelisteneinträge werden ${d.de} nach dem Wunschtermin bzw. der Benachrichtigung gelöscht. Nicht bestätigte Reservierungen verfallen nach kurzer Zeit.`,
        en: `${d.en} after the end of the appointment (also for cancelled or expired bookings) name, e-mail address, phone number and IP hash are deleted automatically; only time, counter, services and status remain for statistics. Waiting-list entries are deleted ${d.en} after the preferred date or the notification. Unconfirmed reservations expire after a short time.`,
      };
    },
    recipients: {
      de: 'Die Mitarbeitenden des Bürgerbüros. Keine Weitergabe an Stellen außerhalb der Stadtverwaltung.',
      en: 'The staff of the Bürgerbüro. No disclosure to anyone outside the town administration.',
    },
    aiSystems: [],
    rights: {
      de: 'Über den Link in Ihrer Bestätigungsmail können Sie den Termin jederzeit ansehen, umbuchen oder absagen.',
      en: 'With the link in your confirmation e-mail you can view, reschedule or cancel the appointment at any time.',
    },
  },
];
