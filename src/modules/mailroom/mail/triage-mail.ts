import type { AppContext } from '../../../core/context.ts';
import { getSetting } from '../../../core/settings/index.ts';
import { loadActiveModel } from '../triage/classify-text.ts';
import { classifyWith } from '../../../ml/text-classifier.ts';
import { parseMail, type ParsedMessage } from './parse-mail.ts';
import { applyRules, keywordScores, MAIL_CATEGORIES, MAIL_RULES_VERSION, rankKeywords } from './rules.ts';

/** Default routing of mail categories to the `departments` keys of the town configuration. */
export const DEFAULT_MAIL_DEPARTMENTS: Record<string, string> = {
  Bürgerbüro: 'buergerdienste',
  Ordnungsamt: 'ordnung',
  'Steuern/Kasse': 'finanzen',
  Bauen: 'bauen',
  Soziales: 'soziales',
  Rechnungseingang: 'finanzen',
  Sonstiges: 'organisation',
};

/** Settings key holding overrides `{category: departmentKey}` (configurable per town). */
export const MAIL_DEPARTMENTS_SETTING = 'mailroom.mailDepartments';

export interface MailTriageOptions {
  /**
   * Registry name(s) of trained models, tried in order; the first active one is used instead of the
   * keyword lexicon (the intake passes `['mail', 'default']`: the mail model, else the general one).
   */
  modelName?: string | readonly string[];
  /** Category → department key; defaults to settings + {@link DEFAULT_MAIL_DEPARTMENTS}. */
  departments?: Record<string, string>;
  /** Minimal keyword confidence to route without review. */
  minKeywordConfidence?: number;
}

export interface MailTriageResult {
  messageId: string | null;
  subject: string;
  from: string;
  category: string | null;
  department: string | null;
  confidence: number;
  abstained: boolean;
  references: { aktenzeichen: string[]; kassenzeichen: string[]; ticket: string[] };
  isReply: boolean;
  isAutoReply: boolean;
  isBounce: boolean;
  /** What decided: `auto-reply`, `bounce`, a rule name, `keywords` or `model:NAME@VERSION`. */
  decidedBy: string;
  rulesVersion: string;
  top: { category: string; score: number }[];
  message: ParsedMessage;
}

/** The town's own mail domains: configured addresses/website plus the recipients of this message. */
function ownDomains(ctx: AppContext | null, msg: ParsedMessage): string[] {
  const d = new Set<string>();
  const add = (s: string | undefined) => {
    const m = /@([^>\s]+)$/.exec(s ?? '') ?? /^https?:\/\/(?:www\.)?([^/:]+)/i.exec(s ?? '');
    if (m) d.add(m[1]!.toLowerCase());
  };
  if (ctx) {
    add(ctx.town.contact.email);
    add(ctx.town.contact.eInvoiceEmail);
    add(ctx.town.website);
  }
  for (const t of msg.to) add(t);
  return [...d];
}

/** Department keys for mail categories (settings override the defaults; unknown keys are dropped). */
/** Category, department and abstention of one routing decision (mail and letter paths). */
function routing(departments: Record<string, string>, category: string | null, confidence: number, decidedBy: string, top: { category: string; score: number }[], abstained: boolean) {
  return {
    category: abstained ? null : category,
    department: abstained || !category ? null : (departments[category] ?? null),
    confidence,
    abstained,
    decidedBy,
    top,
  };
}

export async function mailDepartments(ctx: AppContext | null): Promise<Record<string, string>> {
  const overrides = ctx ? await getSetting<Record<string, string>>(ctx.db, MAIL_DEPARTMENTS_SETTING, {}) : {};
  const merged = { ...DEFAULT_MAIL_DEPARTMENTS, ...overrides };
  if (!ctx) return merged;
  const known = new Set(ctx.town.departments.map((x) => x.key));
  return Object.fromEntries(Object.entries(merged).filter(([, dep]) => known.has(dep)));
}

/**
 * Triage of one parsed message: auto-replies and bounces get no category; rules decide
 * e-invoices, phishing and Kassenzeichen; then a trained model (if `modelName` is active)
 * or the keyword lexicon, abstaining when unsure. `ctx` may be null (no database: lexicon
 * and default departments only).
 */
export async function triageParsedMail(ctx: AppContext | null, msg: ParsedMessage, opts: MailTriageOptions = {}): Promise<MailTriageResult> {
  const departments = opts.departments ?? (await mailDepartments(ctx));
  const base = {
    messageId: msg.messageId,
    subject: msg.subject,
    from: msg.from,
    references: { aktenzeichen: msg.identifiers.aktenzeichen, kassenzeichen: msg.identifiers.kassenzeichen, ticket: msg.identifiers.ticket },
    isReply: msg.isReply,
    isAutoReply: msg.isAutoReply,
    isBounce: msg.isBounce,
    rulesVersion: MAIL_RULES_VERSION,
    message: msg,
  };
  const decide = (category: string | null, confidence: number, decidedBy: string, top: { category: string; score: number }[], abstained = false): MailTriageResult => ({
    ...base,
    ...routing(departments, category, confidence, decidedBy, top, abstained),
  });

  // Not a citizen request: no category, nothing to abstain from.
  if (msg.isBounce) return decide(null, 1, 'bounce', []);
  if (msg.isAutoReply) return decide(null, 1, 'auto-reply', []);

  const rule = applyRules(msg, { shortName: ctx?.town.shortName ?? 'northeim', domains: ownDomains(ctx, msg) });
  if (rule) return decide(rule.category, rule.confidence, `rule:${rule.rule}`, [{ category: rule.category, score: rule.confidence }]);

  const modelNames = typeof opts.modelName === 'string' ? [opts.modelName] : (opts.modelName ?? []);
  for (const name of ctx ? modelNames : []) {
    const m = await loadActiveModel(ctx!, name);
    if (m) {
      const p = classifyWith(m.classifier, { subject: msg.subject, text: msg.ownText || msg.text });
      return decide(p.category, p.confidence, `model:${m.name}@${m.version}`, p.top, p.abstained);
    }
  }

  const ranking = rankKeywords(keywordScores(msg));
  const top = ranking.filter((r) => r.score > 0);
  const best = top[0];
  const min = opts.minKeywordConfidence ?? MIN_KEYWORD_CONFIDENCE;
  if (!best || best.score < min) return decide(null, best?.score ?? 0, 'keywords', top, true);
  return decide(best.category, best.score, 'keywords', top);
}

/** Minimal keyword confidence to route without review (mails and, without a model, letters). */
export const MIN_KEYWORD_CONFIDENCE = 0.45;

export interface LetterKeywordResult {
  category: string | null;
  department: string | null;
  confidence: number;
  abstained: boolean;
  /** `rule:kassenzeichen` or `keywords`. */
  decidedBy: string;
  top: { category: string; score: number }[];
  rulesVersion: string;
}

/**
 * Letters, scans and uploads while no trained model is active: the mail triage's text rules — the
 * Kassenzeichen rule and the keyword lexicon with the Aktenplan prefixes of quoted Aktenzeichen —,
 * abstaining below {@link MIN_KEYWORD_CONFIDENCE}. The lexicon's words are the town's topics
 * (Bauantrag, Wohngeld, Hundesteuer …), not mail phrases, so they fit letters as well; the
 * mail-only rules (auto-reply, bounce, phishing links, e-invoice attachments) are not applied.
 */
export async function triageLetterByKeywords(
  ctx: AppContext | null,
  input: { subject: string | null; text: string; identifiers: { aktenzeichen: string[]; kassenzeichen: string[] } },
  opts: { departments?: Record<string, string>; minKeywordConfidence?: number } = {},
): Promise<LetterKeywordResult> {
  const departments = opts.departments ?? (await mailDepartments(ctx));
  const decide = (category: string | null, confidence: number, decidedBy: string, top: { category: string; score: number }[], abstained: boolean): LetterKeywordResult => ({
    ...routing(departments, category, confidence, decidedBy, top, abstained),
    rulesVersion: MAIL_RULES_VERSION,
  });
  if (input.identifiers.kassenzeichen.length) return decide('Steuern/Kasse', 0.95, 'rule:kassenzeichen', [{ category: 'Steuern/Kasse', score: 0.95 }], false);
  const pseudo = { subject: input.subject ?? '', ownText: input.text, text: input.text, identifiers: { aktenzeichen: input.identifiers.aktenzeichen } } as unknown as ParsedMessage;
  const top = rankKeywords(keywordScores(pseudo)).filter((r) => r.score > 0);
  const best = top[0];
  const min = opts.minKeywordConfidence ?? MIN_KEYWORD_CONFIDENCE;
  return decide(best?.category ?? null, best?.score ?? 0, 'keywords', top, !best || best.score < min);
}

/** Parses and triages one raw message (see {@link parseMail}, {@link triageParsedMail}). */
export async function triageMail(ctx: AppContext | null, raw: Buffer, opts: MailTriageOptions = {}): Promise<MailTriageResult> {
  return triageParsedMail(ctx, await parseMail(raw), opts);
}

/** The JSON object of `lotse mail triage --json` (interfaces doc), nothing more. */
export function toMailTriageJson(file: string, r: MailTriageResult) {
  return {
    file,
    messageId: r.messageId,
    subject: r.subject,
    from: r.from,
    category: r.category,
    department: r.department,
    confidence: r.confidence,
    abstained: r.abstained,
    references: r.references,
    isReply: r.isReply,
    isAutoReply: r.isAutoReply,
    isBounce: r.isBounce,
  };
}

export { MAIL_CATEGORIES };
