import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import './zod-locale.ts';

/** How the two on/off switches are spelled in the environment. */
const onOff = z.enum(['on', 'off']);

/**
 * The one environment schema of Lotse. Every variable is listed in README.md
 * (section "Konfiguration"); keep both in step.
 */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOTSE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'eine URL, die mit postgres:// oder postgresql:// beginnt')
    .optional(),
  LOTSE_BASE_URL: z.url().optional(),
  LOTSE_TOWN: z.string().min(1).default('config/town.northeim.json'),
  LOTSE_DEMO: onOff.default('on'),
  LOTSE_ADMIN_EMAIL: z.email().default('admin@northeim.example'),
  LOTSE_SECRET: z.string().min(32, 'mindestens 32 Zeichen').optional(),
  LOTSE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOTSE_WORKER: onOff.default('on'),
  /** Jobs one instance runs at once (OCR uses one core per document); default: the CPU cores, at least 2. */
  LOTSE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(Math.min(64, Math.max(2, availableParallelism()))),
  LOTSE_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'eine URL, die mit smtp:// oder smtps:// beginnt').optional(),
  LOTSE_MAIL_FROM: z.string().min(3).default('Stadt Northeim <no-reply@northeim.example>'),
  LOTSE_CAPTCHA: onOff.default('on'),
  LOTSE_RATE_LIMIT: onOff.default('on'),
  LOTSE_COOKIE_SECURE: z.enum(['auto', 'on', 'off']).default('auto'),
  /** on: take the client IP for rate limits from the last X-Forwarded-For entry (behind a reverse proxy). */
  LOTSE_TRUST_PROXY: onOff.default('off'),
  /** How bin/lotse.mjs runs the sources: a cached esbuild bundle (default, faster start) or tsx directly. Read before this schema; listed here so it is documented and accepted. */
  LOTSE_RUNTIME: z.enum(['bundle', 'tsx']).optional(),
  LOTSE_LLM_BASE_URL: z.url().optional(),
  LOTSE_LLM_MODEL: z.string().default('default'),
  LOTSE_LLM_API_KEY: z.string().optional(),
  LOTSE_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(3000),
  /** OpenAI-compatible embeddings endpoint (`POST {base}/embeddings`) the town runs; unset = BM25 search only. */
  LOTSE_EMBEDDINGS_BASE_URL: z.url().optional(),
  LOTSE_EMBEDDINGS_MODEL: z.string().min(1).default('default'),
  LOTSE_EMBEDDINGS_API_KEY: z.string().optional(),
  /** Budget for embedding one search query; on timeout the search answers with BM25 alone. */
  LOTSE_EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(50).max(10000).default(800),
  /** Watched folder (scanner output) the mailroom takes documents from; unset = off. */
  LOTSE_INBOX_DIR: z.string().min(1).optional(),
  /** on: instances running the job worker keep one IMAP IDLE connection per mailbox (new mail read within seconds); off: polling every 60 s only. */
  LOTSE_IMAP_IDLE: onOff.default('on'),
  /** PostgreSQL only: connections per app instance (pool size). Small pools suit few cores; the server's max_connections must cover all instances. */
  LOTSE_DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** Days after an appointment's end before name, e-mail, phone and IP hash are removed (GDPR). */
  LOTSE_APPT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** "Mein Northeim" server profiles: accounts unused for this many months are deleted automatically. */
  LOTSE_PROFILE_INACTIVE_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  /** Absolute data directory. */
  dataDir: string;
  /** Public base URL without trailing slash. */
  baseUrl: string;
  /** Which database is used. */
  dbKind: 'pglite' | 'postgres';
}

/** Thrown for configuration a human must fix; the CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Variables with these prefixes belong to the test and benchmark harness, not to the app. */
const HARNESS_PREFIXES = ['LOTSE_TEST_', 'LOTSE_BENCH_'];

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** Values that may carry credentials are never echoed back. */
function shown(name: string, value: string): string {
  if (/SECRET|KEY|PASS|TOKEN/.test(name) || /:\/\/[^/]*@/.test(value)) return '(Wert verborgen)';
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
}

/** What a valid value looks like, in German, from a zod issue. */
function expectation(issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & { expected?: string; values?: unknown[]; minimum?: number | bigint; maximum?: number | bigint; origin?: string; format?: string };
  switch (i.code) {
    case 'invalid_type':
      return i.expected === 'int' ? 'eine ganze Zahl' : i.expected === 'number' ? 'eine Zahl' : `ein Wert vom Typ ${i.expected}`;
    case 'invalid_value':
      return `einer der Werte ${(i.values ?? []).map(String).join(', ')}`;
    case 'too_small':
      return i.origin === 'string' ? `mindestens ${i.minimum} Zeichen` : `eine Zahl ab ${i.minimum}`;
    case 'too_big':
      return i.origin === 'string' ? `höchstens ${i.maximum} Zeichen` : `eine Zahl bis ${i.maximum}`;
    case 'invalid_format':
      if (i.format === 'url') return 'eine vollständige URL wie https://lotse.example.de';
      if (i.format === 'email') return 'eine E-Mail-Adresse';
      return i.format === 'regex' ? i.message : `ein gültiger Wert (${i.message})`;
    default:
      return `ein gültiger Wert (${i.message})`;
  }
}

function defaultOf(name: string): unknown {
  const field = (envSchema.shape as Record<string, { _zod: { def: { type: string; defaultValue?: unknown } } }>)[name];
  return field?._zod.def.type === 'default' ? field._zod.def.defaultValue : undefined;
}

/**
 * Validates the environment once at boot.
 * Each bad variable gets one German sentence naming it, what is expected and the fix;
 * unknown `LOTSE_*` names (typos) are errors too, so a setting never silently does nothing.
 * @throws ConfigError naming each bad variable and how to fix it.
 * @example loadConfig({ PORT: '8080' }).PORT === 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as "not set": shells and compose files often export VAR= .
  const known = Object.keys(envSchema.shape);
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && v !== '' && (k.startsWith('LOTSE_') || known.includes(k))),
  ) as Record<string, string>;
  const problems: string[] = [];
  for (const name of Object.keys(cleaned)) {
    if (known.includes(name) || HARNESS_PREFIXES.some((p) => name.startsWith(p))) continue;
    const best = known.map((k) => ({ k, d: editDistance(name, k) })).sort((a, b) => a.d - b.d)[0];
    const hint = best && best.d <= 3 ? ` (meinten Sie ${best.k}?)` : '';
    problems.push(`Die Umgebungsvariable ${name} kennt Lotse nicht${hint}; korrigieren Sie den Namen oder entfernen Sie die Variable (alle Variablen: README.md, Abschnitt Konfiguration).`);
    delete cleaned[name];
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const i of parsed.error.issues) {
      const name = String(i.path[0] ?? '?');
      if (seen.has(name)) continue;
      seen.add(name);
      const def = defaultOf(name);
      const fix = def === undefined ? 'korrigieren Sie ihn oder entfernen Sie die Variable' : `korrigieren Sie ihn oder entfernen Sie die Variable, dann gilt der Standardwert ${String(def)}`;
      problems.push(`Die Umgebungsvariable ${name} hat den ungültigen Wert ${shown(name, cleaned[name] ?? '')}, erwartet ist ${expectation(i)}; ${fix}.`);
    }
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));
  const e = parsed.data!;
  return {
    ...e,
    dataDir: resolve(e.LOTSE_DATA_DIR),
    baseUrl: (e.LOTSE_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dbKind: e.DATABASE_URL ? 'postgres' : 'pglite',
  };
}
