import { resolve } from 'node:path';
import { z } from 'zod';

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
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  LOTSE_BASE_URL: z.url().optional(),
  LOTSE_TOWN: z.string().min(1).default('config/town.northeim.json'),
  LOTSE_DEMO: onOff.default('on'),
  LOTSE_ADMIN_EMAIL: z.email().default('admin@northeim.example'),
  LOTSE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOTSE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOTSE_WORKER: onOff.default('on'),
  LOTSE_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  LOTSE_MAIL_FROM: z.string().min(3).default('Stadt Northeim <no-reply@northeim.example>'),
  LOTSE_CAPTCHA: onOff.default('on'),
  LOTSE_RATE_LIMIT: onOff.default('on'),
  LOTSE_COOKIE_SECURE: z.enum(['auto', 'on', 'off']).default('auto'),
  /** on: take the client IP for rate limits from the last X-Forwarded-For entry (behind a reverse proxy). */
  LOTSE_TRUST_PROXY: onOff.default('off'),
  LOTSE_LLM_BASE_URL: z.url().optional(),
  LOTSE_LLM_MODEL: z.string().default('default'),
  LOTSE_LLM_API_KEY: z.string().optional(),
  LOTSE_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(3000),
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

/**
 * Validates the environment once at boot.
 * @throws ConfigError naming each bad variable and how to fix it.
 * @example loadConfig({ PORT: '8080' }).port === 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as "not set": shells and compose files often export VAR= .
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && v !== '' && (k.startsWith('LOTSE_') || k in envSchema.shape)),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      return `${name}=${JSON.stringify(cleaned[name] ?? '')} ist ungültig (${i.message}). Bitte korrigieren oder die Variable entfernen.`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const e = parsed.data;
  return {
    ...e,
    dataDir: resolve(e.LOTSE_DATA_DIR),
    baseUrl: (e.LOTSE_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dbKind: e.DATABASE_URL ? 'postgres' : 'pglite',
  };
}
