import { z } from 'zod';

/**
 * German default messages for zod (side effect on import, idempotent).
 *
 * zod's built-in messages are English ("Invalid input: expected string, received undefined");
 * they end up in problem+json `fields[].message` and in CLI errors. This module sets a global
 * German error map once per process: imported by `core/config.ts` and `core/errors.ts` (so the
 * app, the CLI and every test that touches validation get it). Messages given in a schema
 * (`.min(1, 'Titel fehlt')`) still win. Field paths are not part of the message; callers add
 * them (`data[200].name: Pflichtangabe fehlt …`).
 */

const TYPE_DE: Record<string, string> = {
  string: 'Text',
  number: 'Zahl',
  int: 'ganze Zahl',
  bigint: 'ganze Zahl',
  boolean: 'Wahrheitswert (true/false)',
  array: 'Liste',
  object: 'Objekt',
  record: 'Objekt',
  map: 'Zuordnung',
  set: 'Menge',
  date: 'Datum',
  file: 'Datei',
  null: 'null',
  undefined: 'nichts',
  nan: 'keine Zahl (NaN)',
  symbol: 'Symbol',
  function: 'Funktion',
  literal: 'fester Wert',
  enum: 'Auswahlwert',
};

const FORMAT_DE: Record<string, string> = {
  email: 'keine gültige E-Mail-Adresse',
  url: 'keine gültige URL',
  uuid: 'keine gültige UUID',
  datetime: 'kein gültiger Zeitpunkt (ISO 8601, z. B. 2026-03-01T09:30:00Z)',
  date: 'kein gültiges Datum (JJJJ-MM-TT)',
  time: 'keine gültige Uhrzeit (HH:MM)',
  duration: 'keine gültige Dauer (ISO 8601)',
  ipv4: 'keine gültige IPv4-Adresse',
  ipv6: 'keine gültige IPv6-Adresse',
  base64: 'kein gültiger Base64-Text',
  json_string: 'kein gültiger JSON-Text',
  regex: 'hat nicht das erwartete Format',
};

const typeName = (t: string) => TYPE_DE[t] ?? t;
const num = (n: number | bigint) => (typeof n === 'number' ? n.toLocaleString('de-DE') : n.toString());
const value = (v: unknown) => (typeof v === 'string' ? `„${v}“` : typeof v === 'bigint' ? v.toString() : JSON.stringify(v));

function receivedType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan';
  if (input instanceof Date) return 'date';
  return typeof input;
}

const fallback = z.locales.de().localeError;

/** The German error map (exported for tests). */
export const germanErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeName(String(issue.expected));
      if (issue.input === undefined) return `Pflichtangabe fehlt (erwartet: ${expected})`;
      return `falscher Typ: erwartet ${expected}, erhalten ${typeName(receivedType(issue.input))}`;
    }
    case 'invalid_value':
      if (issue.values.length === 1) return `ungültiger Wert: erwartet ${value(issue.values[0])}`;
      return `ungültiger Wert: erlaubt ${issue.values.length === 2 ? 'sind' : 'ist einer von'} ${issue.values.map(value).join(', ')}`;
    case 'too_big': {
      const max = num(issue.maximum as number | bigint);
      if (issue.origin === 'string') return `zu lang: ${issue.inclusive ? 'höchstens' : 'weniger als'} ${max} Zeichen erlaubt`;
      if (issue.origin === 'array' || issue.origin === 'set' || issue.origin === 'map') return `zu viele Einträge: ${issue.inclusive ? 'höchstens' : 'weniger als'} ${max} erlaubt`;
      if (issue.origin === 'file') return `Datei zu groß: ${issue.inclusive ? 'höchstens' : 'weniger als'} ${max} Bytes erlaubt`;
      return `zu groß: ${issue.inclusive ? 'höchstens' : 'kleiner als'} ${max}`;
    }
    case 'too_small': {
      const min = num(issue.minimum as number | bigint);
      if (issue.origin === 'string') return Number(issue.minimum) === 1 && issue.inclusive ? 'darf nicht leer sein' : `zu kurz: ${issue.inclusive ? 'mindestens' : 'mehr als'} ${min} Zeichen`;
      if (issue.origin === 'array' || issue.origin === 'set' || issue.origin === 'map')
        return Number(issue.minimum) === 1 && issue.inclusive ? 'mindestens ein Eintrag nötig' : `zu wenige Einträge: ${issue.inclusive ? 'mindestens' : 'mehr als'} ${min}`;
      return `zu klein: ${issue.inclusive ? 'mindestens' : 'größer als'} ${min}`;
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with') return `muss mit „${(issue as { prefix?: string }).prefix ?? ''}“ beginnen`;
      if (issue.format === 'ends_with') return `muss mit „${(issue as { suffix?: string }).suffix ?? ''}“ enden`;
      if (issue.format === 'includes') return `muss „${(issue as { includes?: string }).includes ?? ''}“ enthalten`;
      return FORMAT_DE[issue.format] ?? `ungültiges Format (${issue.format})`;
    }
    case 'not_multiple_of':
      return `muss ein Vielfaches von ${num(issue.divisor as number | bigint)} sein`;
    case 'unrecognized_keys':
      return `${issue.keys.length > 1 ? 'unbekannte Felder' : 'unbekanntes Feld'}: ${issue.keys.join(', ')}`;
    case 'invalid_union': {
      // string | number etc.: name the expected types instead of "no form matched".
      const branches = (issue.errors ?? []) as z.core.$ZodIssue[][];
      const types = branches.map((e) => (e.length === 1 && e[0]!.code === 'invalid_type' && e[0]!.path.length === 0 ? typeName(String(e[0]!.expected)) : null));
      if (types.length && types.every(Boolean)) return `falscher Typ: erwartet ${[...new Set(types)].join(' oder ')}, erhalten ${typeName(receivedType(issue.input))}`;
      return 'ungültige Eingabe: passt zu keiner der erlaubten Formen';
    }
    case 'invalid_key':
      return 'ungültiger Schlüssel';
    case 'invalid_element':
      return 'ungültiger Eintrag';
    default:
      return fallback(issue);
  }
};

z.config({ localeError: germanErrorMap });
