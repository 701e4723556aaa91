import type { SynonymList } from './synonyms.ts';

/**
 * General world knowledge the catalog texts do not spell out: a country named in a question
 * means "abroad" ("Führerschein aus der Türkei" → ausländischer Führerschein; "Rente aus
 * Italien" → Ausland), an EU/EEA country also "EU", any other country "Drittstaat"; a month
 * name is a "Monat" ("von April bis Oktober" → Zeitraum in Monaten).
 *
 * Applied like synonyms (added with the synonym weight, the typed word stays). German and
 * English names, written plainly (folded on load). A closed, general list – not derived from
 * any question set. Germany itself is deliberately missing.
 */
const EU_EEA = [
  'österreich austria', 'belgien belgium', 'bulgarien bulgaria', 'kroatien croatia', 'zypern cyprus', 'tschechien czechia',
  'dänemark denmark', 'estland estonia', 'finnland finland', 'frankreich france', 'griechenland greece', 'ungarn hungary',
  'irland ireland', 'italien italy', 'lettland latvia', 'litauen lithuania', 'luxemburg luxembourg', 'malta',
  'niederlande netherlands holland', 'polen poland', 'portugal', 'rumänien romania', 'slowakei slovakia',
  'slowenien slovenia', 'spanien spain', 'schweden sweden', 'norwegen norway', 'liechtenstein', 'iceland',
];
const OTHER = [
  'schweiz switzerland', 'türkei turkey türkiye', 'usa amerika america', 'kanada canada', 'mexiko mexico', 'brasilien brazil',
  'argentinien argentina', 'chile', 'kolumbien colombia', 'peru', 'venezuela', 'kuba cuba', 'großbritannien britain england',
  'schottland scotland', 'russland russia', 'ukraine', 'belarus weißrussland', 'moldau moldova', 'serbien serbia',
  'bosnien bosnia', 'kosovo', 'albanien albania', 'mazedonien nordmazedonien macedonia', 'montenegro', 'georgien',
  'armenien armenia', 'aserbaidschan azerbaijan', 'kasachstan kazakhstan', 'usbekistan uzbekistan', 'china', 'japan',
  'korea', 'indien india', 'pakistan', 'bangladesch bangladesh', 'nepal', 'afghanistan', 'iran', 'irak iraq',
  'syrien syria', 'libanon lebanon', 'israel', 'jordanien', 'ägypten egypt', 'marokko morocco', 'tunesien tunisia',
  'algerien algeria', 'libyen libya', 'nigeria', 'ghana', 'kenia kenya', 'äthiopien ethiopia', 'eritrea', 'somalia',
  'sudan', 'senegal', 'kamerun cameroon', 'südafrika', 'vietnam', 'thailand', 'philippinen philippines',
  'indonesien indonesia', 'malaysia', 'singapur singapore', 'australien australia', 'neuseeland',
];
const PHRASES_OTHER = ['vereinigte staaten', 'united states', 'vereinigtes königreich', 'united kingdom', 'south africa', 'new zealand', 'sri lanka', 'saudi arabien', 'saudi arabia'];
const MONTHS = 'januar februar märz april mai juni juli august september oktober november dezember january february march june july october december';

function build(): SynonymList {
  const out: SynonymList = {};
  for (const line of EU_EEA) for (const w of line.split(' ')) out[w] = ['ausland eu'];
  out['schweiz'] = ['ausland'];
  out['switzerland'] = ['ausland'];
  for (const line of OTHER) for (const w of line.split(' ')) out[w] ??= ['ausland drittstaat'];
  for (const p of PHRASES_OTHER) out[p] = ['ausland drittstaat'];
  // "mai" is also the start of "Mainz"? No: phrases match whole (stemmed) words only.
  for (const m of MONTHS.split(' ')) out[m] = ['monat'];
  return out;
}

/** Countries → ausland (+ eu / drittstaat), month names → monat. See the module comment. */
export const GAZETTEER: SynonymList = build();
