/**
 * Input guard and out-of-scope / prompt-injection classifier for the assistant.
 *
 * A small, general rule classifier (German + English): each category has weighted cue
 * patterns and some categories need two kinds of cue at once (e.g. a symptom AND a request
 * for treatment), so ordinary service questions that happen to contain a word like
 * "Schmerzen" (Schwerbehindertenausweis) or "wählen" (Briefwahl) pass. Cues are written as
 * vocabulary of the topic, not as copies of example questions.
 */

export const CLASSIFIER_VERSION = 'assistant-guard-4';
export const MAX_QUESTION_CHARS = 1000;

export type RefusalReason =
  | 'crisis'
  | 'third_party'
  | 'empty'
  | 'too_long'
  | 'binary'
  | 'script'
  | 'injection'
  | 'abuse'
  | 'weather'
  | 'sports'
  | 'politics'
  | 'medical'
  | 'legal'
  | 'code'
  | 'harmful'
  | 'chitchat'
  | 'weak_evidence'
  | 'no_topic';

export interface GuardResult {
  reason: RefusalReason | null;
  /** Rule ids that fired (for the staff view and tests; never shown to citizens). */
  rules: string[];
}

const re = (s: string) => new RegExp(s, 'iu');

/** Normalises for matching: lower case, ae/oe/ue/ss folded to umlauts where it is unambiguous enough. */
export function normaliseForRules(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Checks the raw text: empty, binary, script-laden. Length is not refused here: the use case
 * caps long questions at MAX_QUESTION_CHARS and says so ('too_long' stays for old log rows).
 */
export function checkInput(raw: string): GuardResult {
  const text = raw ?? '';
  if (!/[\p{L}\p{N}]/u.test(text)) return { reason: 'empty', rules: ['no-letters'] };
  // Control characters other than tab/newline, or replacement chars from a broken decode.
  // eslint-disable-next-line no-control-regex -- detecting control characters is the point
  const control = (text.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g) ?? []).length;
  if (control > 0) return { reason: 'binary', rules: ['control-chars'] };
  const letters = (text.match(/[\p{L}\s]/gu) ?? []).length;
  if (text.length >= 20 && letters / text.length < 0.5) return { reason: 'binary', rules: ['low-letter-ratio'] };
  if (/<\s*\/?\s*(script|iframe|object|embed|svg|img|style|link|meta)\b|javascript\s*:|\bon[a-z]{3,}\s*=\s*["']?|<\?php|\{\{.*\}\}|\$\{[^}]*\}|;\s*(drop|delete|truncate)\s+table|union\s+select|'\s*or\s+'?1'?\s*=\s*'?1/i.test(text)) {
    return { reason: 'script', rules: ['markup-or-code'] };
  }
  return { reason: null, rules: [] };
}

interface Cue {
  id: string;
  re: RegExp;
  w: number;
}

interface Category {
  reason: RefusalReason;
  /** Cues that alone are enough (weight ≥ 1 each). */
  strong: Cue[];
  /** Optional pairs: topic cue AND request cue both needed. */
  topic?: Cue[];
  request?: Cue[];
}

// --- vocabulary ---------------------------------------------------------------------------
const ADVICE_REQUEST = [
  { id: 'soll-ich', re: re(String.raw`\bsoll(te)? ich\b`), w: 1 },
  { id: 'was-tun', re: re(String.raw`\bwas (kann|soll|muss) ich (da |dagegen |jetzt )?(tun|machen|unternehmen)\b`), w: 1 },
  { id: 'chancen', re: re(String.raw`\b(habe?|hab) ich (gute |eine |noch )?chancen?\b|\bmeine chancen\b|\bmy chances\b|\bwin the case\b|\bgewinne ich\b`), w: 1 },
  { id: 'lohnt', re: re(String.raw`\blohnt (es|sich)\b`), w: 1 },
  { id: 'should-i', re: re(String.raw`\bshould i\b|\bwhat (should|can) i do\b`), w: 1 },
  { id: 'hilft', re: re(String.raw`\b(was|welche\w*) (hilft|helfen)\b|\bwhat helps\b|\bempfiehlst du\b|\bdo you recommend\b`), w: 1 },
];

/**
 * Suicidal thoughts or self-harm (German + English). Checked before every other rule: such a
 * message gets the crisis lines, never a generic "cannot help". Deliberately eager – a false
 * positive costs a friendly pointer to the Telefonseelsorge, a miss costs much more.
 */
const CRISIS: Cue[] = [
  {
    id: 'suicide-word',
    re: re(String.raw`\b(suizid\w*|selbstmord\w*|selbsttoetung\w*|freitod|lebensmued\w*|suicid\w*|self[- ]?harm\w*|selbstverletz\w*)`),
    w: 1,
  },
  {
    id: 'kill-myself-de',
    re: re(
      String.raw`\b(mich|mir)\b.{0,25}\b(umbringen|toeten|erschiessen|erhaengen|aufhaengen|vergiften|das leben nehmen|was antun|etwas antun|ritzen|verletzen|vor (den|einen) zug)\b|\bbringe? mich (selbst )?um\b|\bich ritze mich\b|\bnehme mir das leben\b`,
    ),
    w: 1,
  },
  {
    // Someone else in danger ("Mein Sohn will sich umbringen", "sich das Leben nehmen"): the
    // person asking gets the same lines (Telefonseelsorge also counsels relatives and friends).
    id: 'kill-self-other-de',
    re: re(
      String.raw`\bsich\b.{0,25}\b(umbringen|umgebracht|toeten|getoetet|erschiessen|erschossen|erhaengen|erhaengt|aufhaengen|aufgehaengt|vergiften|vergiftet|das leben (zu )?nehmen|das leben genommen|was antun|etwas antun|ritzen|geritzt|vor (den|einen) zug)\b|\b(bringt|bringen|brachte) sich (selbst )?um\b|\bnimmt sich das leben\b|\britzt sich\b`,
    ),
    w: 1,
  },
  {
    id: 'want-to-die-de',
    re: re(
      String.raw`\b(will|moechte|mag|wuerde (gern|lieber))( \w+){0,3} (nicht mehr (leben|da sein|weiterleben|aufwachen)|sterben|tot sein)\b|\bnicht mehr leben (will|moechte)\b|\bmein(em)? leben (beenden|ein ende setzen)\b|\b(keinen|kein) sinn mehr (zu leben|im leben|weiterzuleben)\b|\bwill nicht mehr\b.{0,20}\bleben\b`,
    ),
    w: 1,
  },
  {
    id: 'kill-myself-en',
    re: re(
      String.raw`\b(kill\w*|hurt\w*|harm\w*|cut\w*|hang\w*|shoot\w*|poison\w*) myself\b|\bend (my|it all|my own) li(fe|ves)\b|\bend it all\b|\btake my (own )?life\b|\b(want|wanna|going) (to )?die\b|\bdon.?t want to (live|be alive|wake up)\b|\b(no|any) reason to (live|go on)\b|\bbetter off dead\b`,
    ),
    w: 1,
  },
];

/** Requests for personal data of other people (Datenschutz): "Adresse von Frau …", "wo wohnt …". */
const PERSON = String.raw`(herrn?|frau|familie|fam\.|mr\.?|mrs\.?|ms\.?|miss|nachbar\w*|mitbewohner\w*|vermieter\w*|mieter\w*|ex[- ]?(mann|frau|freund\w*|partner\w*)?|schwester|bruder|vater|mutter|sohn|tochter|neighbou?r\w*|landlord|tenant|this person|that person|someone|somebody|einer person|eine person|jemand\w*|person(en)?|\[name\])`;
const PERSONAL_DATA = String.raw`(alle\w* daten|daten|personalien|personendaten|personenbezogene\w* daten|informationen|infos|adresse|anschrift|wohnadresse|wohnort|meldeadresse|telefonnummer|handynummer|nummer|e-?mail(-adresse)?|geburtsdatum|geburtstag|kontaktdaten|aufenthaltsort|akte|personal data|data|details|information|address|home address|phone number|date of birth|records?)`;
const THIRD_PARTY: Category = {
  reason: 'third_party',
  strong: [
    { id: 'data-of-person', re: re(String.raw`\b${PERSONAL_DATA}\b.{0,25}\b(von|vom|ueber|zu|des|der|of|about|for|on)\b\s+(meine\w* |dem |der |den |des |diese\w* |my |the |a |an )?${PERSON}(?![\p{L}])`), w: 1 },
    { id: 'persons-data', re: re(String.raw`\b${PERSON}('s|s)? (personal data|address|home address|phone number|date of birth|details|daten|adresse|anschrift|telefonnummer|handynummer)\b`), w: 1 },
    { id: 'where-lives', re: re(String.raw`\bwo (wohnt|wohnen|lebt|leben|ist gemeldet|sind gemeldet|wohnt jetzt)\b(?! man\b)|\bwer wohnt (in|im|an|am|auf|hier|dort|nebenan|bei|neben)\b|\bwhere (does|do) (\S+ ){1,3}live\b|\bwho lives (at|in|on|next door)\b|\bwhere .{0,30} lives?\b`), w: 1 },
  ],
};

const CATEGORIES: Category[] = [
  {
    reason: 'injection',
    strong: [
      {
        id: 'ignore-instructions',
        re: re(
          String.raw`\b(ignorier\w*|vergiss|vergessen|missachte\w*|uebergeh\w*|ignore|disregard|forget|override|bypass)\b.{0,40}\b(anweisung\w*|instruktion\w*|regeln|vorgaben|richtlinien|einschraenkung\w*|befehle?|prompts?|systemprompt|instructions?|rules|guidelines|restrictions|programming|guardrails)\b`,
        ),
        w: 2,
      },
      { id: 'system-prompt', re: re(String.raw`\b(system\s?-?prompts?|systemanweisung\w*|initial prompt|hidden prompt|developer message|entwicklermodus|developer mode|jailbreak\w*|do anything now)\b`), w: 2 },
      { id: 'you-are-now', re: re(String.raw`\b(du bist (jetzt|ab jetzt|nun|ab sofort)|you are now|from now on you|ab jetzt bist du|tu so,? als (ob|waerst)|pretend (to be|you are|you're)|act as (an?|my)|spiel(e|st)? (die rolle|jetzt)|rollenspiel|roleplay|role-play|stell dir vor,? du (waerst|bist))\b`), w: 1.5 },
      { id: 'dan', re: re(String.raw`\b(DAN|STAN|DUDE|AIM)\b(?=.{0,30}\b(mode|modus|kann|can|now|jetzt)\b)`), w: 2 },
      { id: 'no-limits', re: re(String.raw`\b(ohne (jegliche )?(einschraenkung\w*|regeln|filter|zensur|grenzen)|without (any )?(restrictions|rules|filters|limits|censorship)|no (restrictions|rules|filters|limits))\b`), w: 1.5 },
      { id: 'reveal', re: re(String.raw`\b(gib|zeig|verrate|nenne|print|reveal|show|output|repeat)\b.{0,30}\b(deine[nrs]?|your|the) (anweisung\w*|instruktion\w*|konfiguration|instructions|prompt|rules|configuration)\b`), w: 2 },
      {
        id: 'jailbreak-phrases',
        re: re(
          String.raw`\b(vergiss alles\b|ab (jetzt|sofort) (antwortest|sprichst|bist|redest) du|du (darfst|kannst) (jetzt|ab jetzt) alles|keine regeln mehr|ignore (all|everything|the) (above|previous|prior)|disregard (all|everything|the) (above|previous|prior)|you can do anything now|no longer bound|not bound by|admin mode|god mode|sudo mode|unfiltered mode|uncensored)`,
        ),
        w: 2,
      },
      { id: 'new-instructions', re: re(String.raw`\b(neue anweisung\w*|new instructions?|neue regeln|new rules)\s*:`), w: 2 },
      { id: 'fake-role-tag', re: re(String.raw`(^|\n)\s*(system|assistant|###\s*instruction)\s*:|<\|?(im_start|system|endoftext)\|?>|\[/?INST\]`), w: 2 },
    ],
  },
  THIRD_PARTY,
  {
    reason: 'harmful',
    strong: [
      { id: 'forgery', re: re(String.raw`\b(faelsch\w*|gefaelscht\w*|fake[- ]?(id|ausweis|pass|passport|document)s?|forge\w*|counterfeit|falsche[nrs]? (ausweis|pass|papiere))\b`), w: 2 },
      { id: 'weapons-drugs', re: re(String.raw`\b(bombe\w*|sprengstoff|explosives?|bomb|waffe\w* (bauen|besorgen|kaufen)|build a (gun|weapon)|drogen (kaufen|herstellen)|buy drugs|make meth|hack\w* (in|into|das|the|ein))\b`), w: 2 },
    ],
  },
  {
    reason: 'abuse',
    strong: [
      {
        id: 'insult-directed',
        re: re(String.raw`\b(ihr seid|seid ihr|du bist|bist du|sie sind (doch )?alle|you are|you're|youre|ihr (alle|da|beamt\w*)|euer|eure)\b.{0,40}\b(idiot\w*|arsch\w*|wichser|penner|versager|vollpfosten|spast\w*|hurensohn|missgeburt|dumm\w*|bloed\w*|unfaehig\w*|inkompetent\w*|idiots?|morons?|stupid|useless|assholes?|retard\w*|incompetent)\b`),
        w: 1,
      },
      { id: 'insult-heavy', re: re(String.raw`\b(fick\w*|fuck\w*|hurensohn|missgeburt|wichser|motherfucker|bitch|cunt|arschloch|arschloecher|schlampe|fotze|halt die fresse|halts maul|verpiss dich|leck mich|shut up|screw you|go to hell)\b`), w: 1 },
      { id: 'threat', re: re(String.raw`\b(ich (bring|schlag|mach)\w* (euch|dich|sie) (um|tot|kaputt)|i('| wi)ll kill you|abstechen)\b`), w: 2 },
    ],
    topic: [{ id: 'insult-word', re: re(String.raw`\b(idiot\w*|vollidiot\w*|scheiss\w*|drecks\w*|unfaehig\w*|inkompetent\w*|versager|penner|saftladen|stupid|idiots?|useless|crap|shit\w*)\b`), w: 1 }],
    request: [{ id: 'insult-word-2', re: re(String.raw`\b(idiot\w*|vollidiot\w*|scheiss\w*|drecks\w*|unfaehig\w*|inkompetent\w*|versager|penner|saftladen|stupid|idiots?|useless|crap|shit\w*)\b.*\b(idiot\w*|vollidiot\w*|scheiss\w*|drecks\w*|unfaehig\w*|inkompetent\w*|versager|penner|saftladen|stupid|idiots?|useless|crap|shit\w*)\b`), w: 1 }],
  },
  {
    reason: 'weather',
    strong: [
      { id: 'weather-word', re: re(String.raw`\b(wetter\w*|wettervorhersage|wetterbericht|weather|forecast|unwetterwarnung)\b`), w: 1 },
      { id: 'weather-verb', re: re(String.raw`\b(regnet|schneit|gewittert|hagelt|stuermt) es\b|\b(wird|soll) es\b.{0,40}\b(regnen|schneien|gewittern|hageln|stuermen|warm|kalt|sonnig|heiss|frost\w*)\b|\b(regnen|schneien|gewittern|hageln)\b.{0,30}\b(morgen|heute|wochenende|naechste woche)\b|\b(morgen|heute|am wochenende)\b.{0,30}\b(regnen|schneien|gewittern|hageln)\b|\b(will|is) it (rain|snow|be sunny|be hot|be cold)\w*\b|\bwie (warm|kalt) (wird|ist) es\b|\bwie ?viel grad\b|\b(temperature|degrees) (tomorrow|today|outside)\b|\btemperatur(en)? (morgen|heute|am wochenende)\b`), w: 1 },
    ],
  },
  {
    reason: 'sports',
    strong: [
      { id: 'who-won', re: re(String.raw`\b(wer hat|who won|wer gewinnt|who will win|wie (ist|ging) das spiel)\b.{0,60}\b(spiel|match|game|gewonnen|won|finale|final|derby|pokal|cup|liga|league|ausgegangen)?`), w: 0.6 },
      { id: 'sport-league', re: re(String.raw`\b(bundesliga|champions league|europa league|premier league|dfb[- ]pokal|weltmeister\w*|europameister\w*|deutscher meister|meistertitel|world cup|olympi\w+|formel 1|formula (1|one)|nba|nfl|super bowl|tabellenfuehrer|torschuetze\w*|spielergebnis\w*|endstand|halbzeitstand|transfermarkt|aufstellung)\b`), w: 1 },
      { id: 'club', re: re(String.raw`\b(fc bayern|bayern (muenchen|gegen)|borussia|bvb|dortmund gegen|schalke|hsv|werder|rb leipzig|1860|hannover 96|eintracht frankfurt|vfl wolfsburg|st\. pauli|union berlin|real madrid|barcelona|manchester|liverpool|juventus|psg)\b`), w: 1 },
      { id: 'score-question', re: re(String.raw`\b(spiel|match|game)\b.{0,40}\b(gewonnen|verloren|unentschieden|won|lost|score|ergebnis|tore?)\b`), w: 0.6 },
    ],
  },
  {
    reason: 'politics',
    strong: [
      { id: 'vote-advice', re: re(String.raw`\b(wen|welche partei) (soll|sollte|muss) ich\b.{0,40}\bwaehlen\b|\bwho should i vote\b|\bwhich party should\b|\bwahlempfehlung\b`), w: 1 },
    ],
    topic: [
      {
        id: 'political-subject',
        re: re(String.raw`\b(ober)?buergermeister\w*|\bbundeskanzler\w*|\bkanzler\w*|\bminister\w*|\bpolitiker\w*|\bpartei\w*|\bregierung\w*|\bafd\b|\bcdu\b|\bcsu\b|\bspd\b|\bfdp\b|\bgruene\w*|\blinke\b|\bbsw\b|\bampel\b|\bstadtrat\b|\bgemeinderat\b|\bpresident\w*|\bmayor\b|\bchancellor\b|\bpolitician\w*|\bgovernment\b|\btrump\b|\bmerz\b|\bscholz\b|\bpolitik\w*|\bpolitics\b|\bmigrationspolitik\b|\bdemokratie\b`),
        w: 1,
      },
    ],
    request: [
      {
        id: 'opinion',
        re: re(String.raw`\b(was (haeltst|haelst|denkst|meinst) du|(wie )?findest du|magst du|deine meinung|bist du (fuer|gegen|auch)|ist (der|die|das) .{0,40}\b(gut|schlecht|kompetent|korrupt|faehig|versager|besser|schlimm)|(gut|schlecht|korrupt) oder|what do you think|your opinion|do you (like|support|prefer)|is (he|she|the \w+) (good|bad|corrupt)|better than|besser als|versager|luegner|liar|corrupt|korrupt)`),
        w: 1,
      },
    ],
  },
  {
    reason: 'medical',
    strong: [{ id: 'diagnosis', re: re(String.raw`\b(diagnos\w+ (mir|mich|me)|bin ich krank|am i (sick|ill)|ist das (krebs|ansteckend)|is (it|this) (cancer|contagious))\b`), w: 1 }],
    topic: [
      {
        id: 'symptom',
        re: re(String.raw`\b(\w*schmerz\w*|fieber|husten|uebelkeit|schwindel\w*|ausschlag|entzuendung|infektion|blutdruck|herzrasen|atemnot|migraene|durchfall|erbrechen|tablette\w*|medikament\w*|pille\w*|antibiotik\w*|ibuprofen|paracetamol|dosis|dosierung|symptom\w*|krankheit|erkaeltung|grippe|pain|fever|cough|nausea|rash|symptoms?|pills?|medication|medicine|dose|antibiotics?|headache|infection)\b`),
        w: 1,
      },
    ],
    request: [
      ...ADVICE_REQUEST,
      { id: 'take-pill', re: re(String.raw`\b(nehmen|einnehmen|behandeln|heilen|take|treat|cure)\b`), w: 1 },
    ],
  },
  {
    reason: 'legal',
    strong: [{ id: 'lawyer-wanted', re: re(String.raw`\b(rechtsberatung|legal advice|rechtsrat)\b`), w: 1 }],
    topic: [
      {
        id: 'litigation',
        re: re(String.raw`\b(verklagt|verklagen|klage\w*|anklage\w*|urteil\w*|berufung|revision|gericht\w*|prozess|anwalt\w*|anwaeltin|strafbefehl|strafanzeige gegen mich|abmahnung|schadensersatz|schmerzensgeld|sued|sue|lawsuit|court|judge\w*|verdict|appeal|lawyer|attorney|prosecut\w*|damages)\b`),
        w: 1,
      },
    ],
    request: ADVICE_REQUEST,
  },
  {
    reason: 'code',
    strong: [
      {
        id: 'write-code',
        re: re(String.raw`\b(schreib\w*|programmier\w*|erstell\w*|generier\w*|code|write|create|generate|build|give me)\b.{0,40}\b(skript|script|programm|program|code|funktion|function|bot|scraper|crawler|app|regex|sql|query|makro|macro)\b.{0,60}|\b(python|javascript|typescript|java|c\+\+|c#|php|ruby|golang|rust|bash|powershell|html|css|selenium|puppeteer|playwright)[- ](skript|script|code|programm|program|funktion|function|bot)\b`),
        w: 1,
      },
      { id: 'language-name', re: re(String.raw`\b(in|mit|with|using) (python|javascript|typescript|java|c\+\+|php|ruby|golang|rust|bash|powershell|selenium|puppeteer)\b`), w: 1 },
      { id: 'code-snippet', re: re(String.raw`\b(def |function\s*\(|console\.log|import \w+ from|#include|public static void|SELECT \* FROM)`), w: 1 },
    ],
  },
  {
    reason: 'chitchat',
    strong: [
      { id: 'jokes-poems', re: re(String.raw`\b(erzaehl\w*|tell|schreib\w*|write)\b.{0,30}\b(witz\w*|joke\w*|gedicht\w*|poem\w*|lied|song|geschichte|story|liebesbrief|love letter|aufsatz|essay|hausaufgabe\w*|homework)\b`), w: 1 },
      // German puts the verb last after a modal ("Kannst du mir ein Gedicht über Katzen schreiben?").
      { id: 'jokes-poems-verb-last', re: re(String.raw`\b(witz\w*|gedicht\w*|lied|liedtext|geschichte|maerchen|liebesbrief|aufsatz|hausaufgabe\w*|reim\w*)\b.{0,40}\b(schreiben|erzaehlen|dichten|reimen|vorlesen|ausdenken)\b`), w: 1 },
      { id: 'non-municipal', re: re(String.raw`\b(kochrezept\w*|rezept fuer|recipe|horoskop|horoscope|lottozahlen|lottery numbers|aktienkurs\w*|stock price|bitcoin|krypto\w*|crypto\w*|dating|flirt\w*|kinoprogramm|movie recommendation|filmtipp\w*)\b`), w: 1 },
      { id: 'about-bot', re: re(String.raw`\b(bist du (ein mensch|echt|verliebt|gluecklich|single)|are you (human|real|in love|single|conscious)|hast du gefuehle|do you have feelings)\b`), w: 1 },
    ],
  },
];

/**
 * Decides whether a (non-empty, sane) question is outside the assistant's remit.
 * @example classifyScope('Wie wird das Wetter morgen?').reason === 'weather'
 */
export function classifyScope(question: string): GuardResult {
  const text = normaliseForRules(question);
  for (const cat of CATEGORIES) {
    const rules: string[] = [];
    let score = 0;
    for (const cue of cat.strong) {
      if (cue.re.test(text)) {
        rules.push(cue.id);
        score += cue.w;
      }
    }
    if (score >= 1) return { reason: cat.reason, rules };
    if (cat.topic && cat.request) {
      const t = cat.topic.find((c) => c.re.test(text));
      const r = cat.request.find((c) => c.re.test(text));
      if (t && r) return { reason: cat.reason, rules: [...rules, t.id, r.id] };
    }
  }
  return { reason: null, rules: [] };
}

/** True when the message suggests suicidal thoughts or self-harm. */
export function detectCrisis(question: string): GuardResult {
  const text = normaliseForRules(question);
  const rules = CRISIS.filter((c) => c.re.test(text)).map((c) => c.id);
  return rules.length ? { reason: 'crisis', rules } : { reason: null, rules: [] };
}

/** Crisis first (before anything else), then input checks, then the scope classifier. */
export function guardQuestion(raw: string): GuardResult {
  const crisis = detectCrisis(raw);
  if (crisis.reason) return crisis;
  const input = checkInput(raw);
  if (input.reason) return input;
  return classifyScope(raw);
}
