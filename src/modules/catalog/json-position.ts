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
