/** Positions and German texts for `JSON.parse` errors (catalog import, triage rows, ask batches). */

/** Line and column of a character offset. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let k = 0; k < pos && k < text.length; k++) if (text.charCodeAt(k) === 10) {
    line++;
    last = k;
  }
  return { line, column: pos - last };
}

/** German gist of a V8 `JSON.parse` message (without position), or null if unknown. */
export function germanJsonReason(message: string): string | null {
  const m = message;
  if (/Unexpected end of JSON input|Unterminated string/i.test(m)) return /Unterminated string/i.test(m) ? 'Zeichenkette nicht geschlossen' : 'Text endet mitten im JSON';
  if (/Expected property name/i.test(m)) return 'Feldname in doppelten Anführungszeichen erwartet';
  if (/Expected ',' or '\}'/.test(m)) return "',' oder '}' erwartet";
  if (/Expected ',' or '\]'/.test(m)) return "',' oder ']' erwartet";
  if (/Expected ':'/.test(m)) return "':' erwartet";
  if (/Bad control character/i.test(m)) return 'Steuerzeichen in einer Zeichenkette';
  if (/Bad escaped character|Bad Unicode escape/i.test(m)) return 'ungültige Escape-Sequenz';
  if (/non-whitespace character after JSON/i.test(m)) return 'weiterer Text nach dem JSON-Wert';
  if (/Unexpected token|Unexpected character|is not valid JSON/i.test(m)) return 'unerwartetes Zeichen';
  return null;
}

/**
 * A German description of a `JSON.parse` error: "ungültiges JSON in Zeile L, Spalte C (gist)".
 * Line and column come from the message ("line 3 column 5", newer V8) or are computed from its
 * "position N"; without either (e.g. "Unexpected end of JSON input") the end of the text is named.
 * `firstLine` is the line number of the text's first line (JSON Lines: the line in the file).
 */
export function describeJsonError(text: string, message: string, firstLine = 1): { line: number; column: number; text: string } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  const pos = /position (\d+)/.exec(message);
  const found = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : lineColumn(text, Math.min(pos ? Number(pos[1]) : text.length, text.length));
  const at = { line: firstLine - 1 + found.line, column: found.column };
  const gist = germanJsonReason(message);
  return { ...at, text: `ungültiges JSON in Zeile ${at.line}, Spalte ${at.column}${gist ? ` (${gist})` : ''}` };
}
