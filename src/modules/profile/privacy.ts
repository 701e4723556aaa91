import { TOWN_SERVER, NO_RECIPIENTS, type PrivacyRecord } from '../../core/privacy.ts';

/** Processings of personal data in the profile module (listed on `/datenschutz`). */
export const profilePrivacy: PrivacyRecord[] = [
  {
    id: 'profile.account',
    processing: { de: '„Mein Northeim“ auf dem Server (Bürgerkonto)', en: '“My Northeim” on the server (citizen account)' },
    purpose: {
      de: 'Freiwilliges Konto ohne Passwort, damit Ihr „Mein Northeim“-Profil auf mehreren Geräten verfügbar ist; Anmeldung per E-Mail-Link; Hinweis vor der automatischen Löschung.',
      en: 'Voluntary account without a password so that your “My Northeim” profile is available on several devices; sign-in by e-mail link; notice before automatic deletion.',
    },
    data: {
      de: 'E-Mail-Adresse, Ihr Profil (gewählte Lebenslagen, erledigte Leistungen, Erinnerungen, Einstellungen), Fassung und Zeitpunkt Ihrer Einwilligung, Zeitpunkte von Anlage, Änderung und letzter Nutzung, Sitzungen und Anmeldelinks nur als Hash. Kein Name, kein Passwort, keine IP-Adresse.',
      en: 'E-mail address, your profile (chosen life situations, completed services, reminders, settings), version and time of your consent, times of creation, change and last use, sessions and sign-in links only as hashes. No name, no password, no IP address.',
    },
    subjects: { de: 'Bürgerinnen und Bürger mit Konto', en: 'Citizens with an account' },
    legalBasis: {
      de: 'Einwilligung, Art. 6 Abs. 1 lit. a DSGVO; jederzeit widerrufbar durch Löschen des Kontos (Art. 7 Abs. 3 DSGVO).',
      en: 'Consent, Art. 6(1)(a) GDPR; you can withdraw it at any time by deleting the account (Art. 7(3) GDPR).',
    },
    storage: TOWN_SERVER,
    retention: (ctx) => {
      const m = ctx.config.LOTSE_PROFILE_INACTIVE_MONTHS;
      return {
        de: `Bis Sie das Konto löschen (sofort, endgültig). Konten, die ${m === 1 ? '1 Monat' : `${m} Monate`} nicht genutzt wurden, werden automatisch gelöscht (30 Tage vorher kommt eine Hinweismail). Anmeldelinks gelten 20 Minuten, Sitzungen enden nach 14 Tagen ohne Nutzung, spätestens nach 30 Tagen.`,
        en: `Until you delete the account (immediately, permanently). Accounts unused for ${m === 1 ? '1 month' : `${m} months`} are deleted automatically (a notice e-mail comes 30 days before). Sign-in links are valid for 20 minutes, sessions end after 14 days without use, at the latest after 30 days.`,
      };
    },
    recipients: NO_RECIPIENTS,
    aiSystems: [],
    rights: {
      de: 'Unter „Mein Northeim“ → Konto können Sie Ihre Daten herunterladen (JSON) und das Konto mit „Konto endgültig löschen“ sofort löschen.',
      en: 'Under “My Northeim” → account you can download your data (JSON) and delete the account immediately with “Delete account permanently”.',
    },
  },
];
