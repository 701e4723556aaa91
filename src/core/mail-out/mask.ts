/**
 * Masks an e-mail address for display: first character of the local part, then `***`, then the
 * domain (`maria@example.org` → `m***@example.org`). Anything that is not an address becomes `***`.
 */
export function maskEmail(address: string): string {
  const m = /^\s*(?:.*<)?([^@<>\s]+)@([^@<>\s]+?)>?\s*$/.exec(address);
  if (!m) return '***';
  return `${[...m[1]!][0]}***@${m[2]}`;
}

/** Replaces every e-mail address inside free text (e.g. an SMTP error answer) by its masked form. */
export function maskEmailsInText(text: string): string {
  return text.replace(/[^\s<>()"',;:@]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, (a) => maskEmail(a));
}
