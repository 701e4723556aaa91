import type { Lang } from '../../core/i18n/index.ts';

const de = {
  title: 'Termin buchen',
  intro: 'Buchen Sie online einen Termin im Bürgerbüro. Sie erhalten eine E-Mail mit einem Link, mit dem Sie den Termin bestätigen.',
  step1: '1. Anliegen',
  step2: '2. Zeit',
  step3: '3. Ihre Daten',
  step4: '4. Bestätigen',
  services: 'Welche Anliegen haben Sie?',
  servicesHint: 'Mehrere Anliegen können Sie in einem Termin erledigen; die Dauer addiert sich.',
  duration: 'Dauer',
  minutes: 'Min.',
  showTimes: 'Freie Termine anzeigen',
  earliest: 'Früheste freie Termine',
  byDay: 'Freie Zeiten nach Tag',
  week: 'Woche ab',
  prevWeek: 'Vorherige Woche',
  nextWeek: 'Nächste Woche',
  noSlotsDay: 'Keine freien Zeiten.',
  closed: 'Geschlossen',
  noSlots: 'In diesem Zeitraum ist leider kein Termin frei.',
  waitlistTitle: 'Früher dran? Warteliste',
  waitlistText: 'Wir schreiben Ihnen, sobald vor diesem Datum ein Termin frei wird. Wer zuerst bucht, bekommt ihn.',
  before: 'Gern vor dem',
  email: 'E-Mail-Adresse',
  join: 'Auf die Warteliste',
  waitlistDone: 'Sie stehen auf der Warteliste. Wir schreiben Ihnen, wenn früher ein Termin frei wird.',
  chooseFirst: 'Bitte wählen Sie zuerst mindestens ein Anliegen.',
  yourData: 'Ihre Daten',
  heldUntil: 'Diese Zeit ist für Sie reserviert bis {time} Uhr.',
  name: 'Vor- und Nachname',
  phone: 'Telefon (freiwillig, für Rückfragen)',
  optional: 'optional',
  consent: 'Ich bin einverstanden, dass die Stadt meine Angaben zur Terminvergabe speichert und mir E-Mails zu diesem Termin sendet. Die Daten werden nach dem Termin gelöscht.',
  book: 'Termin verbindlich anfragen',
  powRunning: 'Sicherheitsprüfung läuft (einige Sekunden) …',
  powDone: 'Sicherheitsprüfung abgeschlossen.',
  powError: 'Die Sicherheitsprüfung ist fehlgeschlagen. Bitte laden Sie die Seite neu.',
  noscript: 'Für die Sicherheitsprüfung gegen automatisierte Buchungen wird JavaScript benötigt. Ohne JavaScript buchen wir Ihren Termin gern telefonisch:',
  sentTitle: 'Bitte bestätigen Sie Ihren Termin',
  sentText: 'Wir haben Ihnen eine E-Mail geschickt. Bitte öffnen Sie den Link darin bis {time} Uhr – sonst wird die Zeit wieder freigegeben.',
  confirmedTitle: 'Ihr Termin ist bestätigt',
  confirmedText: 'Sie erhalten eine E-Mail mit allen Angaben und einer Kalenderdatei.',
  when: 'Wann',
  where: 'Wo',
  what: 'Anliegen',
  bring: 'Bitte mitbringen',
  status: 'Status',
  manageTitle: 'Ihr Termin',
  cancel: 'Termin absagen',
  reschedule: 'Anderen Termin wählen',
  rescheduleHint: 'Ihr bisheriger Termin bleibt bestehen, bis Sie den neuen bestätigt haben.',
  cancelled: 'Ihr Termin wurde abgesagt. Danke, dass Sie Bescheid gegeben haben.',
  addToCalendar: 'In den Kalender (.ics)',
  back: 'Zur Terminbuchung',
  errorsTitle: 'Bitte prüfen Sie Ihre Eingaben',
  choose: 'Wählen',
};
type Key = keyof typeof de;
const en: Partial<Record<Key, string>> = {
  title: 'Book an appointment',
  intro: 'Book an appointment at the citizens’ office online. You will receive an e-mail with a link to confirm it.',
  step1: '1. Services',
  step2: '2. Time',
  step3: '3. Your details',
  step4: '4. Confirm',
  services: 'What do you need?',
  servicesHint: 'You can combine several services in one appointment; the durations add up.',
  duration: 'Duration',
  minutes: 'min',
  showTimes: 'Show free times',
  earliest: 'Earliest free times',
  byDay: 'Free times by day',
  week: 'Week from',
  prevWeek: 'Previous week',
  nextWeek: 'Next week',
  noSlotsDay: 'No free times.',
  closed: 'Closed',
  noSlots: 'Unfortunately there is no free time in this period.',
  waitlistTitle: 'Want it sooner? Waiting list',
  waitlistText: 'We will e-mail you as soon as a time before this date becomes free. First come, first served.',
  before: 'Preferably before',
  email: 'E-mail address',
  join: 'Join the waiting list',
  waitlistDone: 'You are on the waiting list. We will e-mail you when an earlier time becomes free.',
  chooseFirst: 'Please choose at least one service first.',
  yourData: 'Your details',
  heldUntil: 'This time is reserved for you until {time}.',
  name: 'First and last name',
  phone: 'Phone (optional, for questions)',
  optional: 'optional',
  consent: 'I agree that the town stores my details to manage the appointment and sends me e-mails about it. The data is deleted after the appointment.',
  book: 'Request appointment',
  powRunning: 'Security check running (a few seconds) …',
  powDone: 'Security check complete.',
  powError: 'The security check failed. Please reload the page.',
  noscript: 'The security check against automated bookings needs JavaScript. Without JavaScript we are happy to book by phone:',
  sentTitle: 'Please confirm your appointment',
  sentText: 'We have sent you an e-mail. Please open the link in it by {time}, otherwise the time is released again.',
  confirmedTitle: 'Your appointment is confirmed',
  confirmedText: 'You will receive an e-mail with all details and a calendar file.',
  when: 'When',
  where: 'Where',
  what: 'Services',
  bring: 'Please bring',
  status: 'Status',
  manageTitle: 'Your appointment',
  cancel: 'Cancel appointment',
  reschedule: 'Choose another time',
  rescheduleHint: 'Your current appointment stays until you have confirmed the new one.',
  cancelled: 'Your appointment has been cancelled. Thank you for letting us know.',
  addToCalendar: 'Add to calendar (.ics)',
  back: 'Back to booking',
  errorsTitle: 'Please check your input',
  choose: 'Choose',
};

/** Texts of the citizen pages (German, English). */
export function tx(lang: Lang, key: Key, params: Record<string, string> = {}): string {
  const s = (lang === 'en' ? en[key] : undefined) ?? de[key];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
}

const WD = { de: ['So', 'Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };
const WD_LONG = { de: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'], en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] };

/** "Di., 01.12.2026" / "Tue, 2026-12-01" for a YYYY-MM-DD date. */
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function dayLabel(lang: Lang, date: string, long = false): string {
  const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
  const [y, m, d] = date.split('-');
  if (lang === 'en') {
    const month = MONTHS_EN[Number(m) - 1]!;
    return `${(long ? WD_LONG : WD).en[wd]}, ${Number(d)} ${long ? month : month.slice(0, 3)} ${y}`;
  }
  return `${long ? WD_LONG.de[wd] : WD.de[wd] + '.'}, ${d}.${m}.${y}`;
}
