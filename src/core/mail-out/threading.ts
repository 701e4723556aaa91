/**
 * Threading of outgoing replies (RFC 5322 3.6.4): `In-Reply-To` names the mail answered,
 * `References` its chain plus its own Message-ID, so the recipient's mail client shows the reply
 * in the same conversation. Message-IDs come from received mail (untrusted): only well-formed,
 * bounded values ever reach a header.
 */

/** Most Message-IDs kept in `References` (the first, i.e. the thread's root, and the newest). */
export const MAX_REFERENCES = 20;

/** A Message-ID without angle brackets and white space: printable ASCII without `<`/`>`, at most 250 characters; null when it is not one. */
export function cleanMessageId(raw: string | null | undefined): string | null {
  const id = (raw ?? '').trim().replace(/^<|>$/g, '').trim();
  return /^[!-;=?-~]{1,250}$/.test(id) ? id : null;
}

/** Valid, distinct Message-IDs (order kept); more than {@link MAX_REFERENCES}: the root and the newest. */
export function cleanReferences(ids: readonly (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const raw of ids) {
    const id = cleanMessageId(raw);
    if (id && !out.includes(id)) out.push(id);
  }
  return out.length > MAX_REFERENCES ? [out[0]!, ...out.slice(out.length - MAX_REFERENCES + 1)] : out;
}

export interface ReplyThread {
  /** Message-ID of the mail answered (without brackets); absent when it had none. */
  inReplyTo?: string;
  /** The answered mail's `References` (or, lacking them, its `In-Reply-To`) followed by its Message-ID. */
  references: string[];
}

/** The threading headers of a reply to `parent` (RFC 5322 3.6.4). */
export function replyThread(parent: { messageId: string | null; inReplyTo?: string | null; references?: readonly string[] }): ReplyThread {
  const own = cleanMessageId(parent.messageId);
  const chain = parent.references?.length ? parent.references : parent.inReplyTo ? [parent.inReplyTo] : [];
  const references = cleanReferences([...chain, own]);
  return own ? { inReplyTo: own, references } : { references };
}

/** Reply prefixes mail clients write (German `AW:`/`Antw:`, `Re:`, `Re[2]:`, `Re^2:`, Nordic `SV:`). */
const REPLY_PREFIX = /^\s*(?:re|aw|antw|antwort|sv)\s*(?:\[\d+\]|\^\d+)?\s*:/i;

/** The subject of a reply: `AW: ` in front unless the subject already starts with a reply prefix. */
export function replySubject(subject: string, fallback = 'Ihre Nachricht'): string {
  const s = subject.replace(/\s+/g, ' ').trim() || fallback;
  return REPLY_PREFIX.test(s) ? s : `AW: ${s}`;
}
