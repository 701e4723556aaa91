/**
 * Extractive/template answers from catalog fields (works without any LLM) and the refusal
 * texts. German source content stays German; English questions get English framing.
 */
import type { Town } from '../../core/town.ts';
import type { Service } from '../catalog/index.ts';
import type { RefusalReason } from './classify.ts';

export const COMPOSER_VERSION = 'template-2';

export type Lang = 'de' | 'en';
export type Aspect = 'fees' | 'documents' | 'location' | 'processing' | 'online' | 'appointment' | 'legal';

const ASPECT_CUES: [Aspect, RegExp][] = [
  ['fees', /\b(kost\w*|gebühr\w*|gebuehr\w*|preis\w*|teuer\w*|bezahl\w*|zahl(e|en|t)|euro|cost\w*|fees?|price|how much|pay)\b/iu],
  ['documents', /\b(unterlage\w*|dokument\w*|mitbring\w*|mitnehm\w*|nachweis\w*|papiere|documents?|bring|paperwork)\b/iu],
  ['processing', /\b(wie lange|dauer\w*|bearbeitungszeit|bearbeitungsdauer|wann fertig|how long|processing time|takes?)\b/iu],
  ['location', /\b(wo\b|wohin|adresse|öffnungszeit\w*|oeffnungszeit\w*|geöffnet|geoeffnet|offen|where|opening hours|address|open)\b/iu],
  ['appointment', /\b(termin\w*|appointment\w*|book\w*|buchen)\b/iu],
  ['online', /\b(online|internet|digital\w*|per mail|e-mail)\b/iu],
  ['legal', /\b(rechtsgrundlage|gesetz\w*|paragra\w*|§|legal basis|law)\b/iu],
];

/** Which part of a service a question asks about (null = general). */
export function detectAspect(question: string): Aspect | null {
  for (const [aspect, re] of ASPECT_CUES) if (re.test(question)) return aspect;
  return null;
}

const FOLLOW_UP_STOP = new Set(
  (
    'und oder aber auch noch dann da das dies dieser diese dieses dafür dafuer dazu davon damit darüber es er sie ihn ihm man ich wir mir mich uns was wie wo wann wer welche welcher welches muss kann soll darf ist sind wird werden hat haben gibt bei beim für fuer mit von vom zu zum zur in im an am auf aus denn eigentlich bitte genau mal so nochmal wieder ' +
    'hin her hingehen gehen machen bekommen bekomme kriege brauche brauchen genau jetzt denn ' +
    'viel wieviel wie viel denn nun also ' +
    'and or but also then that this it its what how where when who which do does did is are can could must should will would the a an for with of to in on at about please again there here go get need i my me you your much many have has be so now'
  ).split(' '),
);

/**
 * How much a question refers back instead of naming its own topic:
 * - 'pure': no own content words at all ("und was kostet das?", "where do I go?")
 * - 'anaphoric': starts with "und …" or points back ("das", "dafür", "it") and has at most two
 *   own content words; answered against the current topic unless the search finds a clear new one
 * - null: a question of its own
 */
export function followUpKind(question: string): 'pure' | 'anaphoric' | null {
  const words = (question.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => !FOLLOW_UP_STOP.has(w));
  const aspectFree = words.filter((w) => !ASPECT_CUES.some(([, re]) => re.test(w)));
  if (aspectFree.length === 0) return 'pure';
  const anaphoric = /^(und|and|what about|und wie|und wo|und was|und wann)\b/i.test(question.trim()) || /\b(das|dafür|dafuer|dazu|dort|da|it|that|there)\b/i.test(question);
  return anaphoric && aspectFree.length <= 2 ? 'anaphoric' : null;
}

/** True when the question should be answered against the conversation's topic if there is one. */
export const isFollowUp = (question: string): boolean => followUpKind(question) !== null;

function firstSentences(text: string, max: number, maxChars = 320): string {
  const parts = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=\p{Lu})/u);
  let out = '';
  for (const p of parts.slice(0, max)) {
    if (out && out.length + p.length > maxChars) break;
    out = out ? `${out} ${p}` : p;
  }
  if (out.length > maxChars + 80) out = `${out.slice(0, maxChars).replace(/\s+\S*$/, '')} …`;
  return out;
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max).replace(/\s+\S*$/, '')} …`;
}

const L = {
  de: {
    intro: 'Das habe ich in den Leistungsbeschreibungen der Stadt gefunden:',
    documents: 'Unterlagen',
    fees: 'Gebühren',
    processing: 'Bearbeitungsdauer',
    where: 'Wo',
    hours: 'Öffnungszeiten',
    book: 'Termin buchen',
    online: 'Online beantragen',
    legal: 'Rechtsgrundlage',
    more: 'Alle Details',
    also: 'Vielleicht passt auch',
    easy: 'Einfache Sprache',
    noEasy: 'Für diese Leistung gibt es keinen Text in Einfacher Sprache.',
    missing: (what: string, title: string) => `Zu „${title}“ steht in der Leistungsbeschreibung nichts über ${what}.`,
    aboutTopic: (title: string) => `Zu „${title}“:`,
    what: { fees: 'Gebühren', documents: 'Unterlagen', processing: 'die Bearbeitungsdauer', location: 'den Ort', appointment: 'Termine', online: 'einen Online-Antrag', legal: 'die Rechtsgrundlage' },
    noAppointment: 'Für diese Leistung ist keine Online-Terminbuchung vorgesehen.',
    ask: 'Bei Fragen hilft Ihnen das Bürgerbüro weiter.',
  },
  en: {
    intro: 'This is what I found in the town’s service information (the source text is in German):',
    documents: 'Documents (German)',
    fees: 'Fees (German)',
    processing: 'Processing time (German)',
    where: 'Where',
    hours: 'Opening hours',
    book: 'Book an appointment',
    online: 'Apply online',
    legal: 'Legal basis',
    more: 'Full details (German)',
    also: 'This might also fit',
    easy: 'Einfache Sprache (plain German)',
    noEasy: 'There is no plain-language (Einfache Sprache) text for this service.',
    missing: (what: string, title: string) => `The service description of “${title}” says nothing about ${what}.`,
    aboutTopic: (title: string) => `About “${title}” (source in German):`,
    what: { fees: 'fees', documents: 'documents', processing: 'processing time', location: 'the place', appointment: 'appointments', online: 'online applications', legal: 'the legal basis' },
    noAppointment: 'Online appointment booking is not available for this service.',
    ask: 'The Bürgerbüro (citizens’ office) can help with further questions.',
  },
} as const;

export interface ComposeOptions {
  lang: Lang;
  baseUrl: string;
  aspect: Aspect | null;
  /** Citizen asked for Einfache Sprache. */
  easy: boolean;
  /** The aspect is asked as a follow-up to this topic. */
  followUp: boolean;
}

export interface ComposedAnswer {
  text: string;
  /** Passages the answer is based on (for the LLM step and verification). */
  passages: { title: string; text: string }[];
  usedEasyLanguage: boolean;
}

function aspectLines(s: Service, aspect: Aspect, o: ComposeOptions): string[] {
  const t = L[o.lang];
  const lines: string[] = [];
  switch (aspect) {
    case 'fees':
      if (s.fees) lines.push(`${t.fees}: ${clip(s.fees, 400)}`);
      break;
    case 'documents':
      if (s.documents.length) lines.push(`${t.documents}: ${s.documents.slice(0, 8).map((d) => clip(d, 140)).join('; ')}`);
      break;
    case 'processing':
      if (s.processingTime) lines.push(`${t.processing}: ${clip(s.processingTime, 200)}`);
      break;
    case 'location':
      for (const loc of s.locations.slice(0, 2)) {
        lines.push(`${t.where}: ${loc.name}${loc.address ? `, ${loc.address}` : ''}${loc.openingHours ? ` (${t.hours}: ${clip(loc.openingHours, 160)})` : ''}`);
      }
      break;
    case 'appointment':
      if (s.bookable) lines.push(`${t.book}: ${o.baseUrl}/termine?leistung=${encodeURIComponent(s.id)}`);
      else lines.push(t.noAppointment);
      break;
    case 'online':
      if (s.onlineUrl) lines.push(`${t.online}: ${s.onlineUrl}`);
      break;
    case 'legal':
      if (s.legalBasis) lines.push(`${t.legal}: ${clip(s.legalBasis, 200)}`);
      break;
  }
  return lines;
}

/**
 * Builds the answer from the best service (and names the runner-up when it is close).
 * @example composeAnswer([passport], { lang: 'de', aspect: 'fees', … }).text
 */
export function composeAnswer(services: Service[], o: ComposeOptions): ComposedAnswer {
  const t = L[o.lang];
  const s = services[0]!;
  const lines: string[] = [];
  let usedEasyLanguage = false;
  const detailsLink = `${t.more}: ${o.baseUrl}/leistungen/${encodeURIComponent(s.id)}`;

  if (o.aspect && o.followUp) {
    lines.push(t.aboutTopic(s.title));
    const a = aspectLines(s, o.aspect, o);
    lines.push(...(a.length ? a : [t.missing(t.what[o.aspect], s.title), t.ask]));
    lines.push(detailsLink);
    return { text: lines.join('\n'), passages: passagesOf(services), usedEasyLanguage };
  }

  lines.push(t.intro);
  if (o.easy && s.easyLanguage) {
    lines.push(`${s.title} – ${t.easy}: ${clip(s.easyLanguage, 600)}`);
    usedEasyLanguage = true;
  } else {
    const summary = firstSentences(s.description, 2);
    lines.push(summary ? `${s.title}: ${summary}` : s.title);
    if (o.easy) lines.push(t.noEasy);
  }
  // The asked aspect first, then the usual order.
  const order: Aspect[] = ['documents', 'fees', 'processing', 'location', 'appointment', 'online'];
  const aspects = o.aspect ? [o.aspect, ...order.filter((a) => a !== o.aspect)] : order;
  for (const a of aspects) {
    if (a === 'appointment' && !s.bookable) continue;
    lines.push(...aspectLines(s, a, o));
  }
  lines.push(detailsLink);
  if (services[1]) lines.push(`${t.also}: ${services[1].title} – ${o.baseUrl}/leistungen/${encodeURIComponent(services[1].id)}`);
  return { text: lines.join('\n'), passages: passagesOf(services), usedEasyLanguage };
}

function passagesOf(services: Service[]): { title: string; text: string }[] {
  return services.slice(0, 2).map((s) => ({
    title: s.title,
    text: [
      clip(s.description, 1500),
      s.documents.length ? `Unterlagen: ${s.documents.join('; ')}` : '',
      s.fees ? `Gebühren: ${s.fees}` : '',
      s.processingTime ? `Bearbeitungsdauer: ${s.processingTime}` : '',
      ...s.locations.slice(0, 2).map((l) => `Ort: ${l.name}${l.address ? `, ${l.address}` : ''}${l.openingHours ? `, Öffnungszeiten: ${l.openingHours}` : ''}`),
    ]
      .filter(Boolean)
      .join('\n'),
  }));
}

/** One line with the Bürgerbüro contact from the town configuration. */
export function contactLine(town: Town, lang: Lang): string {
  const bb = town.buergerbuero;
  return lang === 'en'
    ? `Please contact the ${bb.name} (citizens’ office), ${bb.address}, phone ${town.contact.phone}, e-mail ${town.contact.email}.`
    : `Wenden Sie sich gern an das ${bb.name}: ${bb.address}, Telefon ${town.contact.phone}, E-Mail ${town.contact.email}.`;
}

const REFUSAL: Record<RefusalReason, { de: string; en: string }> = {
  crisis: {
    de: 'Es klingt, als ginge es Ihnen gerade sehr schlecht. Sie müssen damit nicht allein bleiben: Die Telefonseelsorge ist rund um die Uhr erreichbar, kostenlos und anonym – Telefon 0800 111 0 111 oder 0800 111 0 222 (auch per Chat und Mail: https://online.telefonseelsorge.de).\nWenn Sie in akuter Gefahr sind, rufen Sie bitte sofort den Notruf 112.',
    en: 'It sounds like you are going through a very hard time. You do not have to face this alone: the Telefonseelsorge (German crisis line) is available 24 hours a day, free of charge and anonymous – phone 0800 111 0 111 or 0800 111 0 222 (also chat and e-mail: https://online.telefonseelsorge.de).\nIf you are in immediate danger, please call the emergency number 112 now.',
  },
  third_party: {
    de: 'Auskünfte über andere Personen (Adresse, Kontaktdaten oder andere persönliche Daten) gebe ich aus Datenschutzgründen nicht – ich habe auch keinen Zugriff auf solche Daten.',
    en: 'For data protection reasons I do not give out information about other people (address, contact details or other personal data) – and I have no access to such data.',
  },
  empty: { de: 'Bitte geben Sie eine Frage ein.', en: 'Please enter a question.' },
  too_long: {
    de: 'Ihre Nachricht ist zu lang (höchstens 1.000 Zeichen). Bitte stellen Sie Ihre Frage kürzer.',
    en: 'Your message is too long (at most 1,000 characters). Please ask a shorter question.',
  },
  binary: { de: 'Ihre Nachricht enthält Zeichen, die ich nicht lesen kann. Bitte schreiben Sie Ihre Frage als normalen Text.', en: 'Your message contains characters I cannot read. Please write your question as plain text.' },
  script: { de: 'Ihre Nachricht enthält Programmcode oder HTML. Bitte stellen Sie Ihre Frage als normalen Text.', en: 'Your message contains code or HTML. Please write your question as plain text.' },
  injection: {
    de: 'Ich beantworte nur Fragen zu den Leistungen der Stadtverwaltung und ändere meine Regeln nicht.',
    en: 'I only answer questions about the town’s services, and I do not change my rules.',
  },
  abuse: { de: 'Ich helfe Ihnen gern bei Fragen zu Leistungen der Stadt – bitte bleiben Sie dabei sachlich.', en: 'I am happy to help with questions about the town’s services – please keep it civil.' },
  weather: { de: 'Zum Wetter kann ich nichts sagen; ich beantworte nur Fragen zu Leistungen der Stadtverwaltung.', en: 'I cannot tell you about the weather; I only answer questions about the town’s services.' },
  sports: { de: 'Zu Sport kann ich nichts sagen; ich beantworte nur Fragen zu Leistungen der Stadtverwaltung.', en: 'I cannot answer questions about sports; I only answer questions about the town’s services.' },
  politics: {
    de: 'Zu politischen Fragen und Personen äußere ich keine Meinung. Ich beantworte Fragen zu Leistungen der Stadtverwaltung.',
    en: 'I do not give opinions on politics or politicians. I answer questions about the town’s services.',
  },
  medical: {
    de: 'Medizinische Ratschläge kann und darf ich nicht geben. Bitte wenden Sie sich an eine Ärztin oder einen Arzt; im Notfall rufen Sie 112, außerhalb der Sprechzeiten den ärztlichen Bereitschaftsdienst 116 117.',
    en: 'I cannot give medical advice. Please see a doctor; in an emergency call 112, outside office hours the medical on-call service 116 117.',
  },
  legal: {
    de: 'Eine Rechtsberatung in Ihrem persönlichen Fall kann ich nicht geben. Bitte wenden Sie sich an eine Rechtsanwältin oder einen Rechtsanwalt oder eine Beratungsstelle.',
    en: 'I cannot give legal advice on your personal case. Please contact a lawyer or a counselling service.',
  },
  code: { de: 'Programmcode schreibe ich nicht. Ich beantworte Fragen zu Leistungen der Stadtverwaltung.', en: 'I do not write code. I answer questions about the town’s services.' },
  harmful: { de: 'Dabei kann ich nicht helfen.', en: 'I cannot help with that.' },
  chitchat: { de: 'Dafür bin ich nicht gemacht – ich beantworte Fragen zu Leistungen der Stadtverwaltung.', en: 'That is not what I am made for – I answer questions about the town’s services.' },
  no_topic: {
    de: 'Worauf bezieht sich Ihre Frage? Bitte nennen Sie die Leistung, um die es geht, zum Beispiel „Was kostet ein Reisepass?“.',
    en: 'What does your question refer to? Please name the service, for example “What does a passport cost?”.',
  },
  weak_evidence: {
    de: 'Dazu habe ich in den Leistungsbeschreibungen der Stadt keine sichere Antwort gefunden. Ich möchte Ihnen nichts Falsches sagen.',
    en: 'I could not find a reliable answer in the town’s service information, and I do not want to tell you anything wrong.',
  },
};

/** The refusal text: reason + where to get help. */
export function refusalText(reason: RefusalReason, town: Town, lang: Lang, baseUrl: string): string {
  const r = REFUSAL[reason][lang];
  // A person in crisis gets the crisis lines only, not the office hours of the Bürgerbüro.
  if (reason === 'crisis') return r;
  const help =
    lang === 'en'
      ? `You can also browse all services at ${baseUrl}/leistungen or leave a message for a member of staff at ${baseUrl}/assistent/kontakt.`
      : `Sie können auch alle Leistungen unter ${baseUrl}/leistungen durchsuchen oder über ${baseUrl}/assistent/kontakt eine Nachricht an einen Menschen senden.`;
  const needsHelp = !['empty', 'too_long', 'binary', 'script'].includes(reason);
  return [r, contactLine(town, lang), needsHelp ? help : ''].filter(Boolean).join('\n');
}

/** Where a request for someone else's data can go: the Melderegisterauskunft, if the catalog has one. */
export function registerInfoLine(service: { id: string; title: string }, lang: Lang, baseUrl: string): string {
  const url = `${baseUrl}/leistungen/${encodeURIComponent(service.id)}`;
  return lang === 'en'
    ? `An address can only be requested from the registration office under legal conditions (Melderegisterauskunft, in German): ${service.title} – ${url}`
    : `Eine Anschrift gibt nur die Meldebehörde unter gesetzlichen Voraussetzungen heraus (Melderegisterauskunft): ${service.title} – ${url}`;
}

/** Shown first when a question was longer than the cap and only its beginning was used. */
export function truncationNote(lang: Lang, maxChars: number): string {
  return lang === 'en'
    ? `Note: your message was very long. I only used its beginning (the first ${maxChars.toLocaleString('en-GB')} characters).`
    : `Hinweis: Ihre Nachricht war sehr lang. Berücksichtigt habe ich nur den Anfang (die ersten ${maxChars.toLocaleString('de-DE')} Zeichen).`;
}

/** English labels whose text after the colon is German source content. */
const EN_LABELS_WITH_GERMAN_CONTENT = [L.en.documents, L.en.fees, L.en.processing, L.en.where, L.en.legal, L.en.easy];
/** English lines (or line starts) written by the assistant itself. */
const EN_OWN_LINES: string[] = [
  L.en.intro,
  L.en.noEasy,
  L.en.noAppointment,
  L.en.ask,
  'The service description of',
  'About “',
  'Note: ',
  ...Object.values(REFUSAL).map((r) => r.en.split('\n')[0]!.slice(0, 40)),
  'Please contact the',
  'You can also browse',
  'An address can only be requested',
  'If you are in immediate danger',
];

export interface AnswerSegment {
  text: string;
  /** Set when the text is in another language than the answer (German source text in an English answer). */
  lang?: 'de';
}

/**
 * Splits one line of an English answer into English framing and German source text, so pages
 * can mark the German parts with lang="de" (screen readers switch pronunciation). German
 * answers are one segment per line.
 * @example answerSegments('Fees (German): 37,00 Euro', 'en') // [{text:'Fees (German): '}, {text:'37,00 Euro', lang:'de'}]
 */
export function answerSegments(line: string, lang: Lang): AnswerSegment[] {
  if (lang !== 'en' || !line.trim()) return [{ text: line }];
  for (const label of EN_LABELS_WITH_GERMAN_CONTENT) {
    const at = line.indexOf(`${label}: `);
    if (at === 0 || (label === L.en.easy && at > 0)) {
      const head = line.slice(0, at + label.length + 2);
      const rest = line.slice(at + label.length + 2);
      const parts: AnswerSegment[] = at > 0 ? [{ text: line.slice(0, at - 3), lang: 'de' }, { text: line.slice(at - 3, at + label.length + 2) }] : [{ text: head }];
      // "Where: Bürgerbüro, Markt 1 (Opening hours: Mo–Fr …)": the label inside stays English.
      const hours = rest.indexOf(` (${L.en.hours}: `);
      if (hours >= 0) {
        parts.push({ text: rest.slice(0, hours), lang: 'de' }, { text: ` (${L.en.hours}: ` }, { text: rest.slice(hours + L.en.hours.length + 4).replace(/\)$/, ''), lang: 'de' }, { text: rest.endsWith(')') ? ')' : '' });
      } else parts.push({ text: rest, lang: 'de' });
      return parts.filter((p) => p.text !== '');
    }
  }
  if (/https?:\/\//.test(line) || EN_OWN_LINES.some((p) => line.startsWith(p))) return [{ text: line }];
  // Anything else in an English answer is quoted source text ("Title: summary").
  return [{ text: line, lang: 'de' }];
}
