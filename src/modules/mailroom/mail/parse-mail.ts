import type { AddressObject, ParsedMail } from 'mailparser';
import { AppError } from '../../../core/errors.ts';
import { extractIdentifiers, type ExtractedIdentifiers } from '../../../text/identifiers.ts';

/** One attachment, kept as bytes so it can be processed as a document. */
export interface MailAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  content: Buffer;
}

export interface ParsedMessage {
  messageId: string | null;
  subject: string;
  /** Sender address only (lower case as written). */
  from: string;
  fromName: string | null;
  replyTo: string | null;
  to: string[];
  date: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Plain text body (HTML-only mails converted). */
  text: string;
  /** The body without quoted lines (`> …`) and without the quoted tail of a reply. */
  ownText: string;
  html: string | null;
  attachments: MailAttachment[];
  /** Links found in the HTML body (href targets). */
  links: string[];
  headers: Record<string, string>;
  isReply: boolean;
  isAutoReply: boolean;
  isBounce: boolean;
  identifiers: ExtractedIdentifiers;
  /** True when a declared UTF-8 part or header was really Latin-1/Windows-1252 and was repaired. */
  charsetRepaired: boolean;
  /** Characters of subject and text that could not be decoded even after repair (U+FFFD): unknown or wrong charset. */
  unreadableChars: number;
}

const REPLACEMENT = '\uFFFD';

/** Larger messages are rejected before parsing (attachments are the usual cause). */
export const MAX_MAIL_BYTES = 50 * 2 ** 20;

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The raw bytes of the header block (up to the first empty line). */
function headerBlock(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = [crlf, lf].filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? raw.length;
  return raw.subarray(0, end);
}

/**
 * Re-reads one unencoded 8-bit header from the raw bytes as Windows-1252 when it is not
 * valid UTF-8 (mailers that send Latin-1 bytes but declare UTF-8). Returns null if not needed.
 */
function repairHeader(raw: Buffer, name: string): string | null {
  const block = headerBlock(raw);
  const latin = new TextDecoder('windows-1252').decode(block);
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(latin);
  if (!m) return null;
  const start = m.index;
  const bytes = block.subarray(start, start + Buffer.byteLength(m[0], 'latin1'));
  if (isValidUtf8(bytes) || /=\?[^?]+\?[bq]\?/i.test(m[1]!)) return null;
  return m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim();
}

/** True for a charset label no decoder knows (`unknown-8bit`, `x-unknown`, `x-klingon-42` …). */
export function unknownCharset(label: string): boolean {
  try {
    new TextDecoder(label.trim());
    return false;
  } catch {
    return true;
  }
}

const redeclare = (label: string): boolean => /^utf-?8$/i.test(label) || unknownCharset(label);

/**
 * Declared UTF-8 or an unknown charset label → Windows-1252, in every Content-Type and RFC 2047 encoded
 * word, for re-parsing mis-declared mail (8-bit bytes of Western European mail are Windows-1252 far more
 * often than anything else).
 */
function redeclareAsLatin1(raw: Buffer): Buffer {
  const latin = raw.toString('latin1');
  return Buffer.from(
    latin
      .replace(/(charset\s*=\s*"?)([\w.:+-]+)("?)/gi, (m, a: string, label: string, b: string) => (redeclare(label) ? `${a}windows-1252${b}` : m))
      .replace(/=\?([^?*]+)(\*[^?]*)?\?([bq])\?/gi, (m, label: string, lang: string | undefined, enc: string) => (redeclare(label) ? `=?windows-1252${lang ?? ''}?${enc}?` : m)),
    'latin1',
  );
}

const addr = (a: AddressObject | AddressObject[] | undefined): { address: string; name: string | null }[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => ({ address: v.address ?? '', name: v.name || null })));

const stripBrackets = (s: string) => s.trim().replace(/^<|>$/g, '');

function headerText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'value' in (v as object)) {
    const o = v as { value: unknown; params?: Record<string, string>; text?: string };
    if (o.text) return o.text;
    const params = o.params ? Object.entries(o.params).map(([k, p]) => `; ${k}=${p}`).join('') : '';
    return `${String(o.value)}${params}`;
  }
  return Array.isArray(v) ? v.map(headerText).join(', ') : String(v);
}

/** Subject prefixes that mark a reply or forward (German and English mailers). */
const REPLY_PREFIX = /^(?:[\p{L} -]{0,40}:\s*)*?(?:re|aw|antw|wg|fw|fwd|wtr|sv|vs|tr)\s*(?:\[\d+\]|\(\d+\))?\s*:/iu;
// Subject cues alone are weaker than headers: only phrases mail clients put there themselves
// (a citizen writing "bin abwesend" must not be dropped as an auto-reply).
const AUTO_SUBJECT = /(?:^|\b)(?:abwesenheitsnotiz|abwesenheitsmeldung|automatische antwort|auto(?:matic)?[- ]?reply|autoreply|out of (?:the )?office|urlaubsbenachrichtigung)\b/iu;
const BOUNCE_SUBJECT = /\b(?:undeliver(?:ed|able)|delivery status notification|mail delivery (?:failed|system)|returned mail|unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|failure notice)\b/iu;
const BOUNCE_SENDER = /^(?:mailer-daemon|postmaster|mail-daemon)@/i;

/** The body without quoted lines and without everything after "Am … schrieb …:" / "-----Original Message-----". */
export function ownPart(text: string): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*(?:-{2,}\s*(?:Original(?:nachricht| Message)|Ursprüngliche Nachricht)\s*-{2,}|Am .{4,80} schrieb .{1,80}:|On .{4,80} wrote:)\s*$/i.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n').trim();
}

function collectLinks(html: string | null): string[] {
  if (!html) return [];
  return [...html.matchAll(/href\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!).filter((h) => /^https?:/i.test(h));
}

/**
 * Parses one RFC 5322 message (any charset, RFC 2047 encoded words, HTML-only bodies) and
 * detects replies, auto-replies and bounces. Identifiers (Aktenzeichen, Kassenzeichen,
 * ticket numbers …) are extracted from subject and body including quoted text, because a
 * reply often quotes the town's own reference.
 * @example const msg = await parseMail(await readFile('01.eml'))
 */
export async function parseMail(raw: Buffer): Promise<ParsedMessage> {
  if (raw.length === 0) throw new AppError('bad_request', 'Die Datei ist leer.');
  if (raw.length > MAX_MAIL_BYTES) throw new AppError('payload_too_large', `Die Nachricht ist größer als ${MAX_MAIL_BYTES / 2 ** 20} MB.`);
  if (!/^(?:from|to|subject|date|message-id|received|return-path|mime-version|content-type|delivered-to|x-[\w-]+):/im.test(headerBlock(raw).toString('latin1'))) {
    throw new AppError('unsupported_media_type', 'Das ist keine E-Mail (keine Kopfzeilen wie From, Subject oder Date gefunden).');
  }
  // Loaded on first use, not at start-up (mailparser pulls in a large dependency tree).
  const { simpleParser } = await import('mailparser');
  const parsed: ParsedMail = await simpleParser(raw);
  let subject = parsed.subject ?? '';
  let charsetRepaired = false;
  if (subject.includes(REPLACEMENT)) {
    const fixed = repairHeader(raw, 'Subject');
    if (fixed) {
      subject = fixed;
      charsetRepaired = true;
    }
  }
  let text = parsed.text ?? '';
  let html = typeof parsed.html === 'string' ? parsed.html : null;
  if ((text.includes(REPLACEMENT) || html?.includes(REPLACEMENT) || subject.includes(REPLACEMENT)) && !isValidUtf8(raw)) {
    const again = await simpleParser(redeclareAsLatin1(raw));
    const count = (s: string) => s.split(REPLACEMENT).length - 1;
    if (text.includes(REPLACEMENT) && again.text && count(again.text) < count(text)) {
      text = again.text;
      charsetRepaired = true;
    }
    if (html?.includes(REPLACEMENT) && typeof again.html === 'string' && count(again.html) < count(html)) {
      html = again.html;
      charsetRepaired = true;
    }
    if (subject.includes(REPLACEMENT) && again.subject && count(again.subject) < count(subject)) {
      subject = again.subject;
      charsetRepaired = true;
    }
  } else if (subject.includes(REPLACEMENT) && /=\?[^?]+\?[bq]\?/i.test(headerBlock(raw).toString('latin1'))) {
    // 7-bit message whose encoded-word subject names an unknown charset (=?x-unknown?Q?Stra=DFe?=).
    const again = await simpleParser(redeclareAsLatin1(raw));
    if (again.subject && !again.subject.includes(REPLACEMENT)) {
      subject = again.subject;
      charsetRepaired = true;
    }
  }
  if (!text.trim() && html) text = (await import('html-to-text')).convert(html, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] });

  const headers: Record<string, string> = {};
  for (const [k, v] of parsed.headers) headers[k.toLowerCase()] = headerText(v);
  const from = addr(parsed.from)[0];
  const inReplyTo = parsed.inReplyTo ? stripBrackets(parsed.inReplyTo) : null;
  const references = (Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : []).map(stripBrackets);
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const attachments: MailAttachment[] = parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size, content: a.content }));

  const isBounce =
    (contentType?.value === 'multipart/report' && /delivery-status/i.test(contentType.params?.['report-type'] ?? '')) ||
    attachments.some((a) => a.contentType === 'message/delivery-status') ||
    BOUNCE_SENDER.test(from?.address ?? '') ||
    (BOUNCE_SUBJECT.test(subject) && /auto-replied|auto-generated/i.test(headers['auto-submitted'] ?? ''));
  const autoSubmitted = (headers['auto-submitted'] ?? 'no').trim().toLowerCase();
  const isAutoReply =
    !isBounce &&
    // RFC 3834: `auto-replied` answers a message (out of office); `auto-generated` may be a
    // portal or form notification carrying a real request, so it is not dropped here.
    (autoSubmitted.startsWith('auto-replied') ||
      'x-autoreply' in headers ||
      'x-autorespond' in headers ||
      /auto_reply|auto-reply/i.test(headers['precedence'] ?? '') ||
      AUTO_SUBJECT.test(subject));
  const isReply = REPLY_PREFIX.test(subject) || !!inReplyTo || references.length > 0;

  return {
    messageId: parsed.messageId ? stripBrackets(parsed.messageId) : null,
    subject,
    from: from?.address ?? '',
    fromName: from?.name ?? null,
    replyTo: addr(parsed.replyTo)[0]?.address ?? null,
    to: addr(parsed.to).map((a) => a.address),
    date: parsed.date ? parsed.date.toISOString() : null,
    inReplyTo,
    references,
    text,
    ownText: ownPart(text),
    html,
    attachments,
    links: collectLinks(html),
    headers,
    isReply,
    isAutoReply,
    isBounce,
    identifiers: extractIdentifiers(`${subject}\n${text}`),
    charsetRepaired,
    unreadableChars: (subject.split(REPLACEMENT).length - 1) + (text.split(REPLACEMENT).length - 1),
  };
}
