import { tokenize } from './normalize.ts';

/**
 * A synonym list: a (possibly multi-word) phrase on the left expands to one or more
 * phrases on the right. Expansions are *added* to the query (with a lower weight), the
 * original words stay. Keys and values are plain text; they are normalised on load.
 */
export type SynonymList = Record<string, string[]>;

/**
 * Colloquial and administrative German synonyms every town can use. Towns add their own
 * in the staff UI (`/verwaltung/katalog/synonyme`); those are merged on top.
 * General vocabulary only – never entries written for a particular test question.
 */
export const GERMAN_SYNONYMS: SynonymList = {
  perso: ['personalausweis'],
  persi: ['personalausweis'],
  ausweis: ['personalausweis'],
  id: ['personalausweis'],
  eid: ['personalausweis online ausweisfunktion'],
  pass: ['reisepass'],
  kinderpass: ['kinderreisepass'],
  ummelden: ['wohnsitz ummelden', 'umzug'],
  ummeldung: ['wohnsitz ummelden', 'umzug'],
  umziehen: ['umzug wohnsitz anmelden'],
  umgezogen: ['umzug wohnsitz anmelden'],
  'neue wohnung': ['wohnsitz anmelden umzug'],
  zugezogen: ['wohnsitz anmelden'],
  wegziehen: ['wohnsitz abmelden'],
  'ins ausland': ['wohnsitz abmelden ausland'],
  auswandern: ['wohnsitz abmelden ausland'],
  meldezettel: ['meldebescheinigung'],
  meldebestatigung: ['meldebescheinigung'],
  wohnsitzbescheinigung: ['meldebescheinigung'],
  wohnungsgeberbestatigung: ['wohnungsgeberbestatigung wohnsitz anmelden'],
  vermieterbescheinigung: ['wohnungsgeberbestatigung'],
  lappen: ['fuhrerschein'],
  fleppe: ['fuhrerschein'],
  'fuhrerschein umschreiben': ['fuhrerschein umtausch ausland'],
  'fuhrerschein umtauschen': ['fuhrerschein umtausch'],
  kfz: ['fahrzeug'],
  auto: ['fahrzeug'],
  pkw: ['fahrzeug'],
  wagen: ['fahrzeug'],
  motorrad: ['fahrzeug kraftrad'],
  nummernschild: ['kennzeichen'],
  autokennzeichen: ['kennzeichen'],
  wunschnummer: ['wunschkennzeichen'],
  fahrzeugbrief: ['zulassungsbescheinigung teil ii'],
  kfzbrief: ['zulassungsbescheinigung teil ii'],
  fahrzeugschein: ['zulassungsbescheinigung teil i'],
  'auto anmelden': ['fahrzeug zulassen zulassung'],
  'auto abmelden': ['fahrzeug ausser betrieb setzen'],
  abmelden: ['abmeldung'],
  ummelden_fahrzeug: ['umschreibung'],
  tuv: ['hauptuntersuchung'],
  knollchen: ['verwarnungsgeld'],
  strafzettel: ['verwarnungsgeld bussgeld'],
  blitzer: ['bussgeld geschwindigkeit'],
  abschleppen: ['abgeschleppt fahrzeug'],
  parkausweis: ['bewohnerparkausweis parkausweis'],
  anwohnerparken: ['bewohnerparkausweis'],
  anwohnerparkausweis: ['bewohnerparkausweis'],
  behindertenparkplatz: ['parkerleichterung schwerbehinderte'],
  kita: ['kindertagesstatte kinderbetreuung'],
  kindergarten: ['kindertagesstatte kinderbetreuung'],
  krippe: ['kinderbetreuung kindertagesstatte'],
  hort: ['kinderbetreuung schulkind'],
  tagesmutter: ['kindertagespflege'],
  baby: ['geburt kind'],
  schwanger: ['geburt'],
  'kind bekommen': ['geburt'],
  vaterschaft: ['vaterschaftsanerkennung'],
  heiraten: ['eheschliessung'],
  hochzeit: ['eheschliessung'],
  trauung: ['eheschliessung'],
  standesamtlich: ['eheschliessung standesamt'],
  gestorben: ['sterbefall'],
  tod: ['sterbefall'],
  todesfall: ['sterbefall'],
  verstorben: ['sterbefall'],
  beerdigung: ['bestattung'],
  friedhof: ['bestattung grabstatte'],
  scheidung: ['ehescheidung'],
  namensanderung: ['name andern'],
  fuhrungszeugnis: ['fuhrungszeugnis'],
  leumundszeugnis: ['fuhrungszeugnis'],
  'polizeiliches fuhrungszeugnis': ['fuhrungszeugnis'],
  gewerbeschein: ['gewerbeanmeldung'],
  selbststandig: ['gewerbe anmelden'],
  selbstandig: ['gewerbe anmelden'],
  firma: ['gewerbe unternehmen'],
  'firma grunden': ['gewerbe anmelden'],
  existenzgrundung: ['gewerbe anmelden grundung'],
  laden: ['gewerbe'],
  kneipe: ['gaststatte'],
  restaurant: ['gaststatte'],
  ausschank: ['gaststatte schankerlaubnis'],
  imbiss: ['gaststatte reisegewerbe'],
  flohmarkt: ['markt'],
  hundemarke: ['hundesteuer'],
  hundesteuermarke: ['hundesteuer'],
  welpe: ['hund'],
  bello: ['hund'],
  kampfhund: ['gefahrlicher hund'],
  fundsache: ['fundburo'],
  verloren: ['fundsache verlust'],
  gefunden: ['fundsache'],
  geklaut: ['verlust diebstahl'],
  gestohlen: ['verlust diebstahl'],
  briefwahl: ['briefwahl wahlschein'],
  wahlbenachrichtigung: ['wahl wahlschein'],
  wahlen: ['wahl'],
  baugenehmigung: ['bauantrag'],
  anbau: ['bauantrag'],
  'haus bauen': ['bauantrag'],
  carport: ['bauantrag'],
  baum: ['baumfallung'],
  'baum fallen': ['baumfallung'],
  krach: ['larm'],
  ruhestorung: ['larm'],
  schlagloch: ['strassenschaden'],
  schlaglocher: ['strassenschaden'],
  'kaputte strasse': ['strassenschaden'],
  strassenlaterne: ['strassenbeleuchtung'],
  laterne: ['strassenbeleuchtung'],
  sperrmull: ['sperrmull abfall'],
  mull: ['abfall'],
  plakat: ['plakatierung'],
  plakate: ['plakatierung'],
  fest: ['veranstaltung'],
  party: ['veranstaltung'],
  strassenfest: ['veranstaltung sondernutzung'],
  container: ['sondernutzung'],
  baugerust: ['sondernutzung'],
  umzugswagen: ['halteverbot'],
  halteverbotsschild: ['halteverbot'],
  wohngeld: ['wohngeld mietzuschuss'],
  mietzuschuss: ['wohngeld'],
  harz: ['burgergeld'],
  hartz: ['burgergeld'],
  sozialhilfe: ['sozialhilfe grundsicherung'],
  rente: ['rente rentenversicherung'],
  rentenantrag: ['rente'],
  bafog: ['ausbildungsforderung'],
  schwerbehindertenausweis: ['schwerbehinderung'],
  einburgerung: ['einburgerung staatsangehorigkeit'],
  aufenthaltstitel: ['aufenthaltserlaubnis'],
  visum: ['aufenthaltserlaubnis visum'],
  angelschein: ['fischereischein'],
  jagdschein: ['jagd'],
  waffenschein: ['waffe'],
  beglaubigung: ['beglaubigung amtliche'],
  kopie: ['beglaubigung abschrift'],
  unterschrift: ['unterschriftsbeglaubigung'],
  grundsteuer: ['grundsteuer'],
  steuerbescheid: ['steuer bescheid'],
  feuerwerk: ['pyrotechnik'],
  osterfeuer: ['brauchtumsfeuer'],
  gebuhr: ['kosten'],
  kosten: ['gebuhr'],
  preis: ['gebuhr kosten'],
  kostet: ['gebuhr kosten'],
  teuer: ['gebuhr kosten'],
  unterlagen: ['unterlagen dokumente'],
  dokumente: ['unterlagen'],
  termin: ['termin'],
  offnungszeiten: ['offnungszeiten'],
};

/**
 * English → German bridge for common service terms, so English questions find the
 * German catalog. Only words that are not also everyday German words.
 */
export const ENGLISH_BRIDGE: SynonymList = {
  passport: ['reisepass'],
  'id card': ['personalausweis'],
  'identity card': ['personalausweis'],
  identity: ['personalausweis'],
  register: ['anmelden anmeldung'],
  registration: ['anmeldung'],
  deregister: ['abmelden abmeldung'],
  address: ['wohnsitz wohnung'],
  residence: ['wohnsitz aufenthalt'],
  move: ['umzug'],
  moving: ['umzug'],
  moved: ['umzug wohnsitz'],
  flat: ['wohnung'],
  apartment: ['wohnung'],
  certificate: ['bescheinigung urkunde'],
  birth: ['geburt'],
  born: ['geburt'],
  'birth certificate': ['geburtsurkunde'],
  marriage: ['eheschliessung ehe'],
  marry: ['eheschliessung'],
  married: ['eheschliessung'],
  wedding: ['eheschliessung'],
  death: ['sterbefall'],
  died: ['sterbefall'],
  dog: ['hund'],
  dogs: ['hund'],
  tax: ['steuer'],
  business: ['gewerbe'],
  trade: ['gewerbe'],
  company: ['gewerbe unternehmen'],
  'business registration': ['gewerbeanmeldung'],
  parking: ['parken parkausweis'],
  permit: ['erlaubnis genehmigung ausweis'],
  'parking permit': ['bewohnerparkausweis parkausweis'],
  licence: ['erlaubnis fuhrerschein'],
  license: ['erlaubnis fuhrerschein'],
  "driver's licence": ['fuhrerschein'],
  'driving licence': ['fuhrerschein'],
  'drivers license': ['fuhrerschein'],
  'driving license': ['fuhrerschein'],
  car: ['fahrzeug'],
  vehicle: ['fahrzeug'],
  plate: ['kennzeichen'],
  'license plate': ['kennzeichen'],
  'number plate': ['kennzeichen'],
  lost: ['verlust fundsache'],
  found: ['fundsache'],
  stolen: ['verlust diebstahl'],
  fee: ['gebuhr kosten'],
  fees: ['gebuhr kosten'],
  cost: ['gebuhr kosten'],
  costs: ['gebuhr kosten'],
  documents: ['unterlagen'],
  appointment: ['termin'],
  apply: ['beantragen antrag'],
  application: ['antrag'],
  renew: ['verlangerung verlangern'],
  extend: ['verlangerung verlangern'],
  expired: ['abgelaufen verlangerung'],
  child: ['kind'],
  children: ['kinder kind'],
  kindergarten: ['kindertagesstatte'],
  daycare: ['kindertagesstatte kinderbetreuung'],
  childcare: ['kinderbetreuung'],
  school: ['schule'],
  vote: ['wahl'],
  election: ['wahl'],
  'postal vote': ['briefwahl'],
  building: ['bau'],
  'building permit': ['bauantrag baugenehmigung'],
  tree: ['baum'],
  noise: ['larm'],
  pothole: ['strassenschaden'],
  road: ['strasse'],
  street: ['strasse'],
  event: ['veranstaltung'],
  poster: ['plakatierung'],
  housing: ['wohnung wohngeld'],
  'housing benefit': ['wohngeld'],
  benefit: ['leistung'],
  citizenship: ['einburgerung staatsangehorigkeit'],
  naturalisation: ['einburgerung'],
  naturalization: ['einburgerung'],
  'residence permit': ['aufenthaltserlaubnis aufenthaltstitel'],
  visa: ['visum aufenthaltserlaubnis'],
  foreigner: ['auslander'],
  foreigners: ['auslander'],
  'police clearance': ['fuhrungszeugnis'],
  'criminal record': ['fuhrungszeugnis'],
  'certificate of good conduct': ['fuhrungszeugnis'],
  fishing: ['fischereischein fischerei'],
  weapon: ['waffe'],
  gun: ['waffe'],
  pension: ['rente'],
  student: ['student ausbildungsforderung'],
  grant: ['forderung'],
  copy: ['abschrift kopie beglaubigung'],
  certified: ['beglaubigung beglaubigt'],
  signature: ['unterschrift'],
  waste: ['abfall mull'],
  rubbish: ['abfall mull'],
  garbage: ['abfall mull'],
  fire: ['feuer'],
  fireworks: ['pyrotechnik feuerwerk'],
  name: ['name'],
  change: ['anderung andern'],
  'registration certificate': ['meldebescheinigung'],
  disabled: ['schwerbehinderung behinderung'],
  disability: ['schwerbehinderung behinderung'],
  market: ['markt'],
  restaurant: ['gaststatte'],
  bar: ['gaststatte'],
};

/** A compiled synonym list: phrases as folded token arrays, indexed by their first token. */
export interface SynonymIndex {
  byFirst: Map<string, { phrase: string[]; expansions: string[][] }[]>;
}

/**
 * Compiles one or more synonym lists (later lists add to earlier ones).
 * @example compileSynonyms(GERMAN_SYNONYMS, { knoellchen: ['verwarnungsgeld'] })
 */
export function compileSynonyms(...lists: SynonymList[]): SynonymIndex {
  const merged = new Map<string, { phrase: string[]; expansions: string[][] }>();
  for (const list of lists) {
    for (const [key, values] of Object.entries(list)) {
      const phrase = tokenize(key.replace(/_/g, ' '));
      if (phrase.length === 0) continue;
      const k = phrase.join(' ');
      const entry = merged.get(k) ?? { phrase, expansions: [] };
      for (const v of values) {
        const toks = tokenize(v);
        if (toks.length && !entry.expansions.some((e) => e.join(' ') === toks.join(' '))) entry.expansions.push(toks);
      }
      merged.set(k, entry);
    }
  }
  const byFirst = new Map<string, { phrase: string[]; expansions: string[][] }[]>();
  for (const e of merged.values()) {
    const list = byFirst.get(e.phrase[0]!) ?? [];
    list.push(e);
    list.sort((a, b) => b.phrase.length - a.phrase.length);
    byFirst.set(e.phrase[0]!, list);
  }
  return { byFirst };
}

/**
 * Finds synonym phrases in a folded token stream (longest match first) and returns the
 * expansion tokens with the position span they came from.
 */
export function findSynonyms(tokens: string[], index: SynonymIndex): { start: number; end: number; tokens: string[] }[] {
  const out: { start: number; end: number; tokens: string[] }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const cands = index.byFirst.get(tokens[i]!);
    if (!cands) continue;
    for (const c of cands) {
      if (c.phrase.every((p, k) => tokens[i + k] === p)) {
        for (const e of c.expansions) out.push({ start: i, end: i + c.phrase.length, tokens: e });
        break;
      }
    }
  }
  return out;
}
