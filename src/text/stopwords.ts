import { foldWord } from './normalize.ts';

// Function words and conversational filler that carry no service meaning. Kept short on
// purpose: words like "kosten", "wo", "wann" are *not* stop words because they select
// a field (fees, locations, processing time) for the assistant.
const DE = `aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus bei beim bin bis bitte bist da dabei dadurch dafür dagegen daher dahin damals damit danach daneben dann daran darauf daraus darf darin darum darunter das dass dein deine deinem deinen deiner dem den denn der deren des deshalb dessen dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einfach einige einmal er es etwa etwas euch euer eure für gerne gibt habe haben hallo hat hatte hätte hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in ist ja jede jedem jeden jeder jedes jetzt kann kannst kein keine könnte können man manche mein meine meinem meinen meiner meines mich mir mit möchte möchten muss müssen nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seit sich sie sind so soll sollte sondern sonst über um und uns unser unsere unter viel vom von vor war waren warum was weil welche welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird wo würde zu zum zur zwar zwischen danke guten tag moin servus leider bzw usw ca etc mal schon halt eigentlich genau gerade wirklich eben ganz sowie denen`;
// Conversational verbs, fillers and time words: frequent in citizen questions, never the topic.
const DE_FILLER = `ab brauch brauche brauchen braucht bräuchte benötige benötigen bekomme bekommen bekommt bekam krieg kriege kriegen kriegt mache machen macht gemacht geht gehen gehn gehe ging komme kommen kommt kam wollen wollte wollten sollen sollte muss musst musste müsste kann könnt könnte lassen lasse lässt gibts geben gebe weiß wissen weiss sagen sagt tun tue habe hab hast habt neu neue neuen neuer neues nen ne sowas irgendwo irgendwie irgendwas jemand jemanden gern grad dringend schnell nächste nächsten nächstes nächster letzte letzten heute morgen übermorgen gestern wann wo woher wohin wieso weshalb welchen lange bekannt leute mensch frage fragen stimmt okay ok hilfe helfen hilft bräuchten darf dürfen klappt funktioniert funktionieren genau eigentlich vielleicht trotzdem also nun mal`;
const EN = `a about living live much many someone somebody anyone anything something over under two three one got get getting gets do does done did make made take took go going went come came know tell told said say really very also just still already after all also am an and any are as at be been but by can could do does did for from get got has have hello hi how i if in into is it its just me my need needs of on or our please should so some than thank thanks that the their them then there these they this to us want was we what when where which who why will with would you your i'm im`;

export const STOP_WORDS = { de: new Set(`${DE} ${DE_FILLER}`.split(/\s+/).map(foldWord)), en: new Set(EN.split(/\s+/).map(foldWord)) };

/** True if the folded token is a stop word in German or (for English queries) English. */
export function isStopWord(token: string, lang: 'de' | 'en' = 'de'): boolean {
  return STOP_WORDS.de.has(token) || (lang === 'en' && STOP_WORDS.en.has(token));
}

/** Share of tokens that are English function words – a cheap language guess for short queries. */
export function englishShare(tokens: string[]): number {
  if (tokens.length === 0) return 0;
  let en = 0;
  for (const t of tokens) if (STOP_WORDS.en.has(t) && !STOP_WORDS.de.has(t)) en++;
  return en / tokens.length;
}
