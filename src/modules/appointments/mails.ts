import ical from 'ical-generator';
import type { AppContext } from '../../core/context.ts';
import type { DbOrTx } from '../../core/db/index.ts';
import { queueMail, type OutgoingMail } from '../../core/mail-out/index.ts';
import type { BookingRow, LocationRow } from './repository.ts';
import { serviceTitle, type Setup } from './rules.ts';
import { getSecret, signToken } from './security.ts';
import { localDate, localTime } from './time.ts';

const WD_DE = ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'];
const WD_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Donnerstag, 03.12.2026, 08:30 Uhr" in the location's zone. */
export function formatWhen(start: Date, tz: string, lang = 'de'): string {
  const d = localDate(start, tz);
  const [y, m, dd] = d.split('-');
  const wd = new Date(`${d}T12:00:00Z`).getUTCDay();
  return lang === 'en' ? `${WD_EN[wd]}, ${y}-${m}-${dd}, ${localTime(start, tz)}` : `${WD_DE[wd]}, ${dd}.${m}.${y}, ${localTime(start, tz)} Uhr`;
}

export async function manageLink(ctx: AppContext, b: BookingRow): Promise<string> {
  const token = signToken(await getSecret(ctx), 'manage', b.id, new Date(b.endAt.getTime() + 86400_000));
  return `${ctx.config.baseUrl}/termine/verwalten?t=${encodeURIComponent(token)}`;
}

export function icsFor(ctx: AppContext, b: BookingRow, loc: LocationRow, setup: Setup): string {
  const cal = ical({ name: `${loc.name} ${ctx.town.shortName}`, prodId: { company: 'Lotse', product: 'Termine', language: 'DE' } });
  cal.createEvent({
    id: `${b.id}@lotse`,
    start: b.startAt,
    end: b.endAt,
    summary: `Termin ${loc.name}: ${b.serviceIds.map((s) => serviceTitle(setup, s)).join(', ')}`,
    location: `${loc.name}, ${loc.address}`,
    description: bringText(setup, b),
  });
  return cal.toString();
}

function bringText(setup: Setup, b: BookingRow): string {
  return b.serviceIds
    .map((s) => {
      const bring = setup.services.find((x) => x.serviceId === s)?.bring;
      return bring ? `${serviceTitle(setup, s)}: ${bring}` : '';
    })
    .filter(Boolean)
    .join('\n');
}

function summaryLines(ctx: AppContext, b: BookingRow, loc: LocationRow, setup: Setup, en: boolean): string {
  const services = b.serviceIds.map((s) => `- ${serviceTitle(setup, s)}`).join('\n');
  return [
    `${en ? 'When' : 'Wann'}: ${formatWhen(b.startAt, loc.timeZone, en ? 'en' : 'de')}`,
    `${en ? 'Where' : 'Wo'}: ${loc.name}, ${loc.address}`,
    `${en ? 'Services' : 'Leistungen'}:\n${services}`,
    `${en ? 'Please bring' : 'Bitte mitbringen'}:\n${bringText(setup, b) || '-'}`,
  ].join('\n\n');
}

const footer = (ctx: AppContext) => `\n\n--\n${ctx.town.name}\nDiese E-Mail wurde automatisch erstellt.`;

/** Mail with the confirm link (booking pending). */
export async function queueConfirmRequest(ctx: AppContext, tx: DbOrTx, b: BookingRow, loc: LocationRow, setup: Setup): Promise<void> {
  const mail = await confirmRequestMail(ctx, b, loc, setup);
  if (mail) await queueMail(tx, mail);
}

/** The confirm-link mail for a pending booking (null without an address), e.g. for `queueMailSql`. */
export async function confirmRequestMail(ctx: AppContext, b: BookingRow, loc: LocationRow, setup: Setup): Promise<OutgoingMail | null> {
  if (!b.email) return null;
  const en = b.lang === 'en';
  const token = signToken(await getSecret(ctx), 'confirm', b.id, b.expiresAt ?? new Date(ctx.now().getTime() + 3600_000));
  const link = `${ctx.config.baseUrl}/termine/bestaetigen?t=${encodeURIComponent(token)}`;
  const until = b.expiresAt ? localTime(b.expiresAt, loc.timeZone) : '';
  return {
    to: b.email,
    kind: 'appointment-confirm-request',
    subject: en ? `Please confirm your appointment – ${ctx.town.name}` : `Bitte bestätigen Sie Ihren Termin – ${ctx.town.name}`,
    text: en
      ? `Hello ${b.name ?? ''},\n\nplease confirm your appointment by opening this link until ${until}:\n${link}\n\n${summaryLines(ctx, b, loc, setup, true)}\n\nWithout confirmation the time is released again.${footer(ctx)}`
      : `Guten Tag ${b.name ?? ''},\n\nbitte bestätigen Sie Ihren Termin bis ${until} Uhr über diesen Link:\n${link}\n\n${summaryLines(ctx, b, loc, setup, false)}\n\nOhne Bestätigung wird der Termin wieder freigegeben.${footer(ctx)}`,
  };
}

/** Mail after confirmation (or staff booking) with the .ics file and the cancel/reschedule link. */
export async function queueConfirmed(ctx: AppContext, tx: DbOrTx, b: BookingRow, loc: LocationRow, setup: Setup): Promise<void> {
  if (!b.email) return;
  const en = b.lang === 'en';
  const manage = await manageLink(ctx, b);
  await queueMail(tx, {
    to: b.email,
    kind: 'appointment-confirmed',
    subject: en ? `Appointment confirmed: ${formatWhen(b.startAt, loc.timeZone, 'en')}` : `Terminbestätigung: ${formatWhen(b.startAt, loc.timeZone)}`,
    text: en
      ? `Hello ${b.name ?? ''},\n\nyour appointment is confirmed.\n\n${summaryLines(ctx, b, loc, setup, true)}\n\nCancel or reschedule (no login needed):\n${manage}\n\nIf you cannot come, please cancel so someone else can use the time.${footer(ctx)}`
      : `Guten Tag ${b.name ?? ''},\n\nIhr Termin ist bestätigt.\n\n${summaryLines(ctx, b, loc, setup, false)}\n\nTermin absagen oder verschieben (ohne Anmeldung):\n${manage}\n\nWenn Sie nicht kommen können, sagen Sie bitte ab, damit andere den Termin nutzen können.${footer(ctx)}`,
    attachments: [{ filename: 'termin.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', contentBase64: Buffer.from(icsFor(ctx, b, loc, setup)).toString('base64') }],
  });
}

export async function queueReminder(ctx: AppContext, tx: DbOrTx, b: BookingRow, loc: LocationRow, setup: Setup): Promise<void> {
  if (!b.email) return;
  const en = b.lang === 'en';
  const manage = await manageLink(ctx, b);
  await queueMail(tx, {
    to: b.email,
    kind: 'appointment-reminder',
    subject: en ? `Reminder: your appointment ${formatWhen(b.startAt, loc.timeZone, 'en')}` : `Erinnerung an Ihren Termin ${formatWhen(b.startAt, loc.timeZone)}`,
    text: en
      ? `Hello ${b.name ?? ''},\n\nthis is a reminder of your appointment.\n\n${summaryLines(ctx, b, loc, setup, true)}\n\nNot coming? Please cancel now so the time goes to someone else:\n${manage}${footer(ctx)}`
      : `Guten Tag ${b.name ?? ''},\n\nwir erinnern Sie an Ihren Termin.\n\n${summaryLines(ctx, b, loc, setup, false)}\n\nSie können nicht kommen? Bitte sagen Sie jetzt ab, damit andere den Termin nutzen können:\n${manage}${footer(ctx)}`,
  });
}

export async function queueCancelled(ctx: AppContext, tx: DbOrTx, b: BookingRow, loc: LocationRow): Promise<void> {
  if (!b.email) return;
  const en = b.lang === 'en';
  await queueMail(tx, {
    to: b.email,
    kind: 'appointment-cancelled',
    subject: en ? 'Appointment cancelled' : 'Ihr Termin wurde abgesagt',
    text: en
      ? `Your appointment on ${formatWhen(b.startAt, loc.timeZone, 'en')} has been cancelled. Book a new one: ${ctx.config.baseUrl}/termine${footer(ctx)}`
      : `Ihr Termin am ${formatWhen(b.startAt, loc.timeZone)} wurde abgesagt. Einen neuen Termin buchen Sie unter ${ctx.config.baseUrl}/termine${footer(ctx)}`,
  });
}

export async function queueWaitlistNotice(ctx: AppContext, tx: DbOrTx, w: { email: string; lang: string; serviceIds: string[] }, when: string): Promise<void> {
  const en = w.lang === 'en';
  const link = `${ctx.config.baseUrl}/termine?${w.serviceIds.map((s) => `leistung=${encodeURIComponent(s)}`).join('&')}`;
  await queueMail(tx, {
    to: w.email,
    kind: 'appointment-waitlist',
    subject: en ? 'An earlier appointment is free' : 'Ein früherer Termin ist frei geworden',
    text: en
      ? `An earlier appointment became free (${when}). First come, first served:\n${link}${footer(ctx)}`
      : `Ein früherer Termin ist frei geworden (${when}). Wer zuerst bucht, bekommt ihn:\n${link}${footer(ctx)}`,
  });
}
