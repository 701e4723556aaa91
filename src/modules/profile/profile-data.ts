import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { Lang } from '../../core/i18n/index.ts';
import type { StoredProfile } from './schema.ts';

const isoDateOrEmpty = z.union([z.literal(''), z.iso.date('ein Datum im Format JJJJ-MM-TT oder leer')]);

/**
 * The "Mein Northeim" profile, same shape as the browser keeps it in localStorage
 * (`src/web/static/mein-northeim.js`). Unknown keys are dropped, so nothing else is stored.
 */
export const profileSchema = z.object({
  situations: z
    .array(z.string().regex(/^[a-z0-9-]{1,80}$/, 'eine Lebenslage-Kennung'))
    .max(50, 'höchstens 50 Lebenslagen')
    .default([]),
  done: z
    .array(z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/, 'eine Leistungs-Kennung'))
    .max(500, 'höchstens 500 erledigte Leistungen')
    .default([]),
  easy: z.boolean().default(false),
  large: z.boolean().default(false),
  english: z.boolean().default(false),
  idExpiry: isoDateOrEmpty.default(''),
  passExpiry: isoDateOrEmpty.default(''),
}) satisfies z.ZodType<StoredProfile, unknown>;

/** Largest accepted profile upload (bytes of JSON). */
export const MAX_PROFILE_BYTES = 32 * 1024;

export const emailSchema = z
  .string({ error: 'Bitte geben Sie Ihre E-Mail-Adresse an.' })
  .trim()
  .toLowerCase()
  .max(254, 'Die E-Mail-Adresse ist zu lang.')
  .pipe(z.email('Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org.'));

/** Bump when the consent text below changes in substance; older consents must then be renewed before storing. */
export const CONSENT_VERSION = '2026-11-25';

/** How long a sign-in link is valid. */
export const LINK_MINUTES = 20;
/** A citizen session ends this long after sign-in … */
export const CITIZEN_SESSION_DAYS = 30;
/** … or after this much inactivity. */
export const CITIZEN_SESSION_IDLE_DAYS = 14;

export interface ConsentText {
  title: string;
  what: string;
  why: string;
  retention: (months: number) => string;
  deletion: string;
  voluntary: string;
  checkbox: string;
}

/** The consent text shown before an account is created (versioned by CONSENT_VERSION). */
export const CONSENT: Record<Lang, ConsentText> = {
  de: {
    title: 'Einwilligung: Profil auf dem Server speichern',
    what: 'Gespeichert werden nur Ihre E-Mail-Adresse (für die Anmeldelinks), Ihr „Mein Northeim“-Profil (gewählte Lebenslagen, als erledigt markierte Leistungen, Einstellungen wie Einfache Sprache oder größere Schrift und – falls Sie sie eintragen – die Ablaufdaten von Personalausweis und Reisepass), der Zeitpunkt Ihrer Einwilligung und wann Sie das Konto zuletzt genutzt haben. Kein Name, kein Passwort, keine IP-Adresse, kein Tracking.',
    why: 'Zweck: Ihr Profil steht Ihnen auf mehreren Geräten zur Verfügung. Die Stadt wertet die Profile nicht aus und gibt sie nicht weiter. Rechtsgrundlage ist Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO).',
    retention: (months) =>
      `Speicherdauer: bis Sie das Konto löschen. Nutzen Sie das Konto ${months} Monate lang nicht, wird es mit allen Daten automatisch gelöscht. Anmeldelinks verfallen nach ${LINK_MINUTES} Minuten; versandte E-Mails werden nach 30 Tagen (nicht zustellbare nach 90 Tagen) aus dem Postausgang gelöscht.`,
    deletion:
      'Löschen: Unter „Mein Konto“ können Sie jederzeit Ihre Daten herunterladen (JSON) und das Konto mit dem Profil sofort endgültig löschen. Damit widerrufen Sie zugleich Ihre Einwilligung. Das Profil in Ihrem Browser bleibt davon unberührt.',
    voluntary:
      'Die Speicherung auf dem Server ist freiwillig. „Mein Northeim“ funktioniert ohne Konto genauso – dann bleibt alles nur in Ihrem Browser.',
    checkbox:
      'Ich willige ein, dass mein „Mein Northeim“-Profil und meine E-Mail-Adresse wie beschrieben auf dem Server der Stadt gespeichert werden.',
  },
  en: {
    title: 'Consent: keep the profile on the server',
    what: 'We store only your e-mail address (for sign-in links), your “My Northeim” profile (chosen life situations, services marked as done, preferences such as plain language or larger text and – if you enter them – the expiry dates of your ID card and passport), when you gave consent and when you last used the account. No name, no password, no IP address, no tracking.',
    why: 'Purpose: your profile is available on several devices. The town does not analyse or share the profiles. Legal basis is your consent (Art. 6(1)(a) GDPR).',
    retention: (months) =>
      `Retention: until you delete the account. If you do not use the account for ${months} months, it is deleted automatically with all data. Sign-in links expire after ${LINK_MINUTES} minutes; sent e-mails are removed from the outbox after 30 days (undeliverable ones after 90 days).`,
    deletion:
      'Deletion: under “My account” you can download your data (JSON) at any time and delete the account and profile immediately and permanently. This also withdraws your consent. The profile in your browser is not affected.',
    voluntary:
      'Keeping the profile on the server is optional. “My Northeim” works the same without an account – then everything stays in your browser only.',
    checkbox: 'I consent to my “My Northeim” profile and my e-mail address being stored on the town’s server as described.',
  },
};

/** `a***@example.org` – enough for a person to recognise their own address. */
export function maskAddress(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/** The account behind a session is gone (deleted meanwhile). */
export const accountNotFound = (): AppError =>
  new AppError('unauthenticated', 'Ihr Konto wurde nicht gefunden – es wurde vielleicht gelöscht. Bitte melden Sie sich neu an.');
