/**
 * Finds the 1-based line of a value in JSON text by its path (keys and array indices),
 * so import errors can name "Zeile 42, Feld services[3].title". Returns the line of the
 * deepest part of the path that exists, or null if the text is not valid JSON.
 */
export function lineOfPath(text: string, path: readonly (string | number)[]): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const lineAt = (pos: number) => {
    let n = 1;
    for (let k = 0; k < pos && k < text.length; k++) if (text.charCodeAt(k) === 10) n++;
    return n;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const readString = () => {
    const start = i;
    skipString();
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    ws();
    const ch = text[i];
    if (ch === '"') return skipString();
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (ch === '{') {
          skipString();
          ws();
          i++; // :
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
        else {
          i++;
          return;
        }
      }
    }
    while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) i++;
  };
  try {
    ws();
    let found = lineAt(i);
    for (const key of path) {
      ws();
      const ch = text[i];
      if (ch === '{' && typeof key === 'string') {
        i++;
        let hit = false;
        for (;;) {
          ws();
          if (text[i] === '}') break;
          const k = readString();
          ws();
          i++; // :
          ws();
          if (k === key) {
            hit = true;
            break;
          }
          skipValue();
          ws();
          if (text[i] === ',') i++;
        }
        if (!hit) return found;
      } else if (ch === '[' && typeof key === 'number') {
        i++;
        for (let n = 0; n < key; n++) {
          ws();
          if (text[i] === ']') return found;
          skipValue();
          ws();
          if (text[i] === ',') i++;
        }
        ws();
        if (text[i] === ']') return found;
      } else return found;
      found = lineAt(i);
    }
    return found;
  } catch {
    return null;
  }
}

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
 */
export function describeJsonError(text: string, message: string): { line: number; column: number; text: string } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  const pos = /position (\d+)/.exec(message);
  const at = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : lineColumn(text, pos ? Number(pos[1]) : text.length);
  const gist = germanJsonReason(message);
  return { ...at, text: `ungültiges JSON in Zeile ${at.line}, Spalte ${at.column}${gist ? ` (${gist})` : ''}` };
}
