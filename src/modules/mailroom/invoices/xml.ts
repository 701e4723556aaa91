import { createRequire } from 'node:module';
import type { XMLParser as XMLParserType } from 'fast-xml-parser';
import { AppError } from '../../../core/errors.ts';

/** A parsed XML element: child elements by local name, attributes as `@_name`, text as `#text`. */
export type XNode = { [key: string]: unknown };

type Fxp = typeof import('fast-xml-parser');
/** fast-xml-parser is loaded on the first invoice (synchronously, its CommonJS build), not at start-up. */
let fxp: { parser: XMLParserType; validate: Fxp['XMLValidator']['validate'] } | undefined;
function loadFxp(): NonNullable<typeof fxp> {
  if (fxp) return fxp;
  const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as Fxp;
  fxp = { parser: new XMLParser(PARSER_OPTIONS), validate: (t, o) => XMLValidator.validate(t, o) };
  return fxp;
}

const PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Namespace prefixes differ between senders (ubl:, cbc:, ram:, none …): keep local names only.
  removeNSPrefix: true,
  // Keep every value a string: "0000123456" is an invoice number, not 123456.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
};

/**
 * Parses e-invoice XML. DOCTYPE declarations are refused up front: e-invoices never need them and
 * they are the door for entity-expansion bombs and external entities.
 * @throws AppError('unsupported_media_type') naming the file and the problem.
 */
export function parseXml(input: string, filename: string): XNode {
  let text = input;
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new AppError('unsupported_media_type', `${filename}: XML mit DOCTYPE/ENTITY-Deklaration wird aus Sicherheitsgründen nicht verarbeitet.`);
  }
  // Attachments (BG-24) are base64 blobs of often several hundred KB that Lotse does not read from the
  // XML: drop their content before validating and parsing (more than halves the time per invoice).
  // Line breaks inside the blob are kept, so line numbers in error messages stay those of the file.
  text = text.replace(/(<(?:[\w-]+:)?(?:EmbeddedDocumentBinaryObject|AttachmentBinaryObject)\b[^>]*>)([^<]*)/g, (_m, open: string, blob: string) => open + '\n'.repeat(blob.split('\n').length - 1));
  const { parser, validate } = loadFxp();
  const valid = validate(text);
  if (valid !== true) {
    throw new AppError('unsupported_media_type', `${filename}: kein wohlgeformtes XML – ${xmlProblem(valid.err, text)}.`);
  }
  return parser.parse(text) as XNode;
}

const localName = (n: string): string => n.replace(/^[\w.-]*:/, '');

/**
 * fast-xml-parser's validator error in German with the real position. Its messages are English, and
 * for a file that simply ends too early (unclosed elements) it reports "line 1": then the last line
 * of the file and the innermost open element are named instead.
 */
export function xmlProblem(err: { code: string; msg: string; line: number; col: number }, text: string): string {
  const at = `Zeile ${err.line}, Spalte ${err.col}`;
  const open = /^Invalid '\[([\s\S]*)\]' found\.?$/.exec(err.msg);
  if (open) {
    const names = [...open[1]!.matchAll(/"([^"]+)"/g)].map((m) => localName(m[1]!));
    const lines = text.split('\n');
    const last = lines.length - (lines[lines.length - 1]!.trim() === '' ? 1 : 0);
    return `Datei endet unerwartet in Zeile ${last}: ${names.length === 1 ? 'Element' : `${names.length} Elemente, zuletzt`} „${names[names.length - 1] ?? '?'}“ nicht geschlossen – die Datei ist unvollständig`;
  }
  let m = /^Unclosed tag '([^']+)'/.exec(err.msg);
  if (m) return `Datei endet unerwartet: Element „${localName(m[1]!)}“ (geöffnet in Zeile ${err.line}) nicht geschlossen – die Datei ist unvollständig`;
  if (/^Start tag expected/.test(err.msg)) return 'kein Wurzelelement gefunden (Datei leer oder kein XML)';
  if (/^Extra text at the end|^Multiple possible root/.test(err.msg)) return `${at}: Inhalt nach dem Ende des Wurzelelements`;
  m = /^Expected closing tag '([^']+)' \(opened in line (\d+)[^)]*\) instead of closing tag '([^']+)'/.exec(err.msg);
  if (m) return `${at}: schließendes Tag „${localName(m[3]!)}“ passt nicht zu „${localName(m[1]!)}“ (geöffnet in Zeile ${m[2]})`;
  m = /^Closing tag '([^']+)' has not been opened/.exec(err.msg);
  if (m) return `${at}: schließendes Tag „${localName(m[1]!)}“ ohne öffnendes Tag`;
  m = /^Attribute '([^']+)'/.exec(err.msg);
  if (m) return `${at}: Attribut „${m[1]}“ ungültig (ohne Wert, ohne Anführungszeichen oder doppelt)`;
  if (err.code === 'InvalidChar') return `${at}: ungültiges Zeichen`;
  if (err.code === 'InvalidTag') return `${at}: ungültiges oder unvollständiges Tag`;
  if (err.code === 'InvalidAttr') return `${at}: ungültiges Attribut`;
  return `${at}: ungültige XML-Struktur`;
}

/** Always an array (fast-xml-parser returns a single child as an object). */
export function arr(v: unknown): XNode[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'object' && x !== null ? (x as XNode) : { '#text': String(x) }));
}

/** The child element(s) at a path of local names; `[]` when absent. */
export function all(node: XNode | undefined, ...path: string[]): XNode[] {
  let cur: XNode[] = node ? [node] : [];
  for (const p of path) cur = cur.flatMap((n) => arr(n[p]));
  return cur;
}

/** The first element at a path, if any. */
export const first = (node: XNode | undefined, ...path: string[]): XNode | undefined => all(node, ...path)[0];

/** Text content of an element (string or `#text`), trimmed; null when empty or absent. */
export function txt(node: XNode | undefined): string | null {
  if (!node) return null;
  const t = node['#text'];
  if (t === undefined || t === null) return null;
  const s = String(t).trim();
  return s === '' ? null : s;
}

/** Text at a path (first match). */
export const text = (node: XNode | undefined, ...path: string[]): string | null => txt(first(node, ...path));

/** Attribute value of an element. */
export function attr(node: XNode | undefined, name: string): string | null {
  const v = node?.[`@_${name}`];
  return v === undefined || v === null ? null : String(v);
}

/** Parses an XML decimal ("336.9", "-225.14"); null when absent or not a number. */
export function num(s: string | null): number | null {
  if (s === null) return null;
  const v = Number(s.replace(/\s+/g, ''));
  return Number.isFinite(v) ? v : null;
}

/** Decimal at a path. */
export const amount = (node: XNode | undefined, ...path: string[]): number | null => num(text(node, ...path));

/** YYYYMMDD (CII format 102) or YYYY-MM-DD → YYYY-MM-DD when it is a real calendar date. */
export function isoDate(raw: string | null): string | null {
  if (!raw) return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Joins the non-empty parts of an address. */
export const joinParts = (...parts: (string | null)[]): string | null => {
  const s = parts.filter((p): p is string => !!p).join(', ');
  return s === '' ? null : s;
};
