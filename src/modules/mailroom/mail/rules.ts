/**
 * Rule layer and keyword classifier for incoming e-mail. Rules decide the clear cases
 * (auto-replies, bounces, e-invoices, Kassenzeichen, phishing cues); a weighted keyword
 * lexicon handles the rest and abstains when the evidence is thin. A trained model (registry
 * name `mail`) replaces the lexicon once the town has labelled examples.
 */
import { foldWord, tokenize } from '../../../text/normalize.ts';
import type { ParsedMessage } from './parse-mail.ts';

export const MAIL_CATEGORIES = ['Bürgerbüro', 'Ordnungsamt', 'Steuern/Kasse', 'Bauen', 'Soziales', 'Rechnungseingang', 'Sonstiges'] as const;
export type MailCategory = (typeof MAIL_CATEGORIES)[number];

/** Version of the rule set and lexicon; stored with every result. */
export const MAIL_RULES_VERSION = 'mail-rules-2026-11-25';

export interface RuleDecision {
  category: MailCategory;
  confidence: number;
  rule: string;
}

/**
 * Keyword lexicon: folded word parts (see `foldWord`: ä→a, ß→ss) matched as substrings of
 * folded tokens, so compounds match ("hundesteuer" ⊃ "steuer"). Weight ≈ how sure one hit makes us.
 */
const RAW_LEXICON: Record<Exclude<MailCategory, 'Rechnungseingang'>, Record<string, number>> = {
  Bürgerbüro: {
    personalausweis: 3, ausweis: 2, reisepass: 3, kinderreisepass: 3, fuhrungszeugnis: 3, meldebescheinigung: 3, ummeld: 3, wohnsitz: 2,
    anmeldung: 1, abmeldung: 1, fundbur: 3, fundsach: 3, standesamt: 3, geburtsurkund: 3, sterbeurkund: 3, eheschliess: 3, heirat: 2,
    beglaubig: 2, melderegist: 3, lebensbescheinigung: 3, buergerbur: 3, burgerbur: 3, biometrisch: 2, passfoto: 2, wahlschein: 3, briefwahl: 3,
  },
  Ordnungsamt: {
    ordnungsamt: 3, falschpark: 3, parkverbot: 3, halteverbot: 3, parken: 2, parkt: 2, gehweg: 1, larm: 3, ruhestor: 3, sondernutzung: 3,
    strassenfest: 3, veranstaltung: 2, gewerbeanmeld: 3, gewerbe: 2, gaststatt: 2, mullablager: 3, mulltonn: 2, sperrmull: 2, ablager: 2, hundekot: 3,
    leinenpflicht: 3, feuerwerk: 2, absperr: 2, verkehrsrechtlich: 3, anordnung: 1, schrottfahr: 3, autowrack: 3, abgestellt: 1,
    plakat: 2, marktstand: 2, ordnungswidrig: 3, bussgeld: 2,
  },
  'Steuern/Kasse': {
    steuer: 3, hundesteuer: 4, grundsteuer: 4, gewerbesteuer: 4, zweitwohnungsteuer: 4, steuerbescheid: 4, abgabenbescheid: 3,
    kasse: 2, stadtkasse: 4, zahlung: 2, uberweis: 2, lastschrift: 3, sepa: 2, mahnung: 3, saumniszuschlag: 3, ratenzahlung: 3, stundung: 3,
    vierteljahr: 1, erstatt: 1, gebuhrenbescheid: 3, konto: 1,
  },
  Bauen: {
    bauantrag: 4, baugenehmig: 4, bauvoranfrage: 4, bauamt: 3, bauaufsicht: 3, bebauungsplan: 4, flachennutzungsplan: 4, carport: 3,
    garage: 2, anbau: 2, umbau: 2, neubau: 2, abriss: 2, baulast: 4, grundstuck: 1, bauvorhab: 3, denkmal: 2, statik: 2,
    bauzeichnung: 3, architekt: 2, strassenausbau: 2, bauplatz: 3, baugrundstuck: 3,
  },
  Soziales: {
    wohngeld: 4, sozialhilf: 4, grundsicherung: 4, bildungspaket: 4, teilhab: 3, kita: 3, kindergart: 3, krippe: 3,
    kindertagesst: 4, schule: 2, grundschul: 3, schulanmeld: 3, schuler: 2, rente: 1, rentner: 1, pflege: 1, betreuung: 2, obdachlos: 3, unterkunft: 2,
    asyl: 3, gefluchtet: 3, integration: 2, senior: 2, schwerbehindert: 3, miete: 1, sozial: 2, jugend: 2, elterngeld: 3, unterhalt: 2,
  },
  Sonstiges: {},
};

/** The lexicon with every key folded exactly like the tokens it is compared with. */
export const LEXICON: Record<string, Record<string, number>> = Object.fromEntries(
  Object.entries(RAW_LEXICON).map(([c, words]) => [c, Object.fromEntries(Object.entries(words).map(([w, v]) => [foldWord(w), v]))]),
);

/** Aktenplan prefixes of the KGSt Verwaltungsgliederung (common in German towns) → category. */
const AKTENPLAN: [RegExp, MailCategory][] = [
  [/^2[0-3]\b/, 'Steuern/Kasse'],
  [/^3[2-3]\b/, 'Ordnungsamt'],
  [/^34\b/, 'Bürgerbüro'],
  [/^(?:40|5[0-1])\b/, 'Soziales'],
  [/^6[0-3]\b/, 'Bauen'],
];

const INVOICE_XML = /<(?:\w+:)?(?:CrossIndustryInvoice|Invoice|CreditNote)\b/;
const INVOICE_EMBEDDED = /(?:factur-x\.xml|zugferd-invoice\.xml|xrechnung\.xml|ZUGFeRD|Factur-X)/i;

/** True if the message carries an e-invoice (XML attachment, ZUGFeRD/Factur-X PDF) or a PDF invoice announced as such. */
export function hasInvoiceAttachment(msg: ParsedMessage): { invoice: boolean; structured: boolean } {
  let structured = false;
  let pdf = false;
  for (const a of msg.attachments) {
    const name = (a.filename ?? '').toLowerCase();
    if (a.contentType.includes('xml') || name.endsWith('.xml')) {
      if (INVOICE_XML.test(a.content.subarray(0, 4096).toString('utf8'))) structured = true;
    } else if (a.contentType === 'application/pdf' || name.endsWith('.pdf')) {
      pdf = true;
      // Embedded file names are stored as plain PDF strings, so a byte scan suffices.
      if (INVOICE_EMBEDDED.test(a.content.toString('latin1'))) structured = true;
    }
  }
  const announced = /\brechnung|\binvoice|\bgutschrift/i.test(msg.subject) || /\b(?:anbei|beigefügt|im anhang)\b[^.]{0,60}\brechnung/i.test(msg.ownText);
  return { invoice: structured || (pdf && announced), structured };
}

/** Domain of an address or URL, lower case. */
const domainOf = (s: string): string => (/@([^>\s]+)$/.exec(s)?.[1] ?? /^https?:\/\/([^/:?#]+)/i.exec(s)?.[1] ?? '').toLowerCase();

/**
 * Phishing cues: credential requests, account-lock threats, links or reply addresses on
 * foreign domains, and sender domains that imitate the town's name without being its domain.
 */
export function phishingScore(msg: ParsedMessage, town: { shortName: string; domains: string[] }): { score: number; cues: string[] } {
  const cues: string[] = [];
  const text = `${msg.subject}\n${msg.text}`.toLowerCase();
  if (/passwort|password|kennwort|zugangsdaten|anmeldedaten|login|verify|verifizier|bestätigen sie (?:jetzt|ihr)/.test(text)) cues.push('credentials');
  if (/(?:postfach|konto|account|mailbox)[^.]{0,60}(?:gesperrt|gelöscht|deaktiviert|locked|suspended)|speicherlimit|speicherplatz (?:voll|überschritten)|innerhalb von \d+ stunden|in \d+ stunden/.test(text)) cues.push('threat');
  const fromDomain = domainOf(msg.from);
  const own = (d: string) => town.domains.some((t) => d === t || d.endsWith(`.${t}`));
  const townName = town.shortName.toLowerCase();
  if (fromDomain && !own(fromDomain) && fromDomain.includes(townName)) cues.push('look-alike-sender');
  if (msg.replyTo && domainOf(msg.replyTo) !== fromDomain) cues.push('reply-to-elsewhere');
  if (msg.links.some((l) => !own(domainOf(l)) && domainOf(l) !== fromDomain)) cues.push('foreign-link');
  if (msg.links.some((l) => /login|verify|confirm|bestaetig|passwort|\.php/i.test(l))) cues.push('login-link');
  return { score: cues.length, cues };
}

/** Weighted keyword scores per category on folded tokens (subject counts double, quoted text half). */
export function keywordScores(msg: ParsedMessage): Record<string, number> {
  const scores: Record<string, number> = {};
  const parts: [string, number][] = [
    [msg.subject.replace(/^(?:[\p{L} -]{0,40}:\s*)+/u, ''), 2],
    [msg.ownText, 1],
    [msg.text.split(/\r?\n/).filter((l) => /^\s*>/.test(l)).join('\n'), 0.5],
  ];
  for (const [cat, words] of Object.entries(LEXICON)) {
    let s = 0;
    for (const [part, weight] of parts) {
      const tokens = tokenize(part);
      for (const [w, value] of Object.entries(words)) if (tokens.some((t) => t.includes(w))) s += value * weight;
    }
    scores[cat] = s;
  }
  for (const az of msg.identifiers.aktenzeichen) {
    for (const [re, cat] of AKTENPLAN) if (re.test(az)) scores[cat] = (scores[cat] ?? 0) + 3;
  }
  return scores;
}

/** Turns keyword scores into a ranking with heuristic confidences (share of the evidence). */
export function rankKeywords(scores: Record<string, number>): { category: MailCategory; score: number }[] {
  const total = Object.values(scores).reduce((a, b) => a + b, 0);
  // The +2 keeps a single weak hit from looking certain.
  return Object.entries(scores)
    .map(([category, s]) => ({ category: category as MailCategory, score: total ? s / (total + 2) : 0 }))
    .sort((a, b) => b.score - a.score || a.category.localeCompare(b.category));
}

/** Decisions that need no classifier. Null when the rules have nothing to say. */
export function applyRules(msg: ParsedMessage, town: { shortName: string; domains: string[] }): RuleDecision | null {
  const inv = hasInvoiceAttachment(msg);
  if (inv.invoice) return { category: 'Rechnungseingang', confidence: inv.structured ? 0.99 : 0.9, rule: inv.structured ? 'e-invoice-attachment' : 'pdf-invoice-announced' };
  const ph = phishingScore(msg, town);
  if (ph.score >= 3) return { category: 'Sonstiges', confidence: Math.min(0.99, 0.7 + 0.07 * ph.score), rule: `phishing:${ph.cues.join('+')}` };
  if (msg.identifiers.kassenzeichen.length) return { category: 'Steuern/Kasse', confidence: 0.95, rule: 'kassenzeichen' };
  return null;
}
