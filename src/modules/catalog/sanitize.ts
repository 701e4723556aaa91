import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'],
  allowedAttributes: { a: ['href', 'title'], th: ['scope'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  disallowedTagsMode: 'discard',
  // Heading levels in service texts are shifted so the page keeps h1 > h2 order.
  transformTags: {
    h1: 'h3',
    h2: 'h3',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener', class: 'kern-link' } }),
  },
  allowedClasses: { a: ['kern-link'] },
};
OPTIONS.allowedAttributes = { a: ['href', 'title', 'rel', 'class'], th: ['scope'] };

/** Removes scripts, event handlers, styles and unknown tags; keeps simple structure and links. */
export function sanitizeServiceHtml(html: string | null | undefined): string {
  if (!html) return '';
  return sanitizeHtml(String(html).replace(/\u200b/g, ''), OPTIONS).trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '' };

/** Plain text of (sanitised) HTML: block elements become line breaks, list items "• ". */
export function htmlToPlain(html: string | null | undefined): string {
  if (!html) return '';
  return String(html)
    .replace(/\u200b/g, '')
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<li[^>]*>/gi, '\n• ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h\d|li|ul|ol|tr|table|blockquote)>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (_m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? ' ';
    })
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Block structure that becomes line breaks in plain text; inline tags vanish without a space. */
const PLAIN_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'div', 'li', 'ul', 'ol', 'tr', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote'],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
};

function plainOnce(s: string): string {
  return htmlToPlain(sanitizeHtml(s.replace(/\u200b/g, ''), PLAIN_OPTIONS));
}

/**
 * Plain text of an untrusted text field (title, fees, documents, keywords, location names …):
 * tags removed (script/style with their content), entities decoded, paragraphs and list items
 * kept as line breaks. Text that still looks like markup after decoding ("&lt;b&gt;") is cleaned
 * again, so no field ever carries a tag into pages, the API or the assistant.
 */
export function toPlainText(value: string | null | undefined): string {
  if (!value) return '';
  let out = plainOnce(String(value));
  for (let k = 0; k < 3 && /<[a-z!/?]/i.test(out); k++) out = plainOnce(out);
  return out
    .replace(/\r\n?/g, '\n')
    .replace(/•[ \t]*\n\s*/g, '• ')
    .replace(/\n{2,}(?=• )/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Like {@link toPlainText}, on one line (titles, list entries, names). */
export function toPlainLine(value: string | null | undefined): string {
  return toPlainText(value).replace(/\s*\n\s*(•\s*)?/g, ' ').replace(/^•\s*/, '').replace(/\s{2,}/g, ' ').trim();
}

/** {@link toPlainText}, or null when nothing is left. */
export const toPlainOrNull = (value: string | null | undefined): string | null => toPlainText(value) || null;

/** {@link toPlainLine}, or null when nothing is left. */
export const toPlainLineOrNull = (value: string | null | undefined): string | null => toPlainLine(value) || null;

/** {@link toPlainLine} for every entry; empty entries dropped. */
export const toPlainLines = (values: readonly string[]): string[] => values.map(toPlainLine).filter(Boolean);
