import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies defaults and treats empty values as unset', () => {
    const c = loadConfig({ PORT: '', LOTSE_DEMO: '' });
    expect(c).toMatchObject({ PORT: 3000, LOTSE_DEMO: 'on', dbKind: 'pglite', baseUrl: 'http://localhost:3000' });
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@h/db' }).dbKind).toBe('postgres');
  });

  it('explains a malformed value in one sentence with variable, expectation and fix', () => {
    const m = fails({ PORT: 'abc' });
    expect(m).toBe('Die Umgebungsvariable PORT hat den ungültigen Wert "abc", erwartet ist eine Zahl; korrigieren Sie ihn oder entfernen Sie die Variable, dann gilt der Standardwert 3000.');
    expect(fails({ LOTSE_CAPTCHA: 'maybe' })).toContain('LOTSE_CAPTCHA hat den ungültigen Wert "maybe", erwartet ist einer der Werte on, off');
    expect(fails({ PORT: '70000' })).toContain('bis 65535');
  });

  it('names every bad variable, one line each', () => {
    expect(fails({ PORT: 'x', LOTSE_WORKER: 'ja' }).split('\n')).toHaveLength(2);
  });

  it('LOTSE_WORKER_CONCURRENCY: 1–64, default the CPU cores but at least 2', () => {
    expect(loadConfig({}).LOTSE_WORKER_CONCURRENCY).toBe(Math.min(64, Math.max(2, availableParallelism())));
    expect(loadConfig({ LOTSE_WORKER_CONCURRENCY: '1' }).LOTSE_WORKER_CONCURRENCY).toBe(1);
    expect(loadConfig({ LOTSE_WORKER_CONCURRENCY: '64' }).LOTSE_WORKER_CONCURRENCY).toBe(64);
    expect(fails({ LOTSE_WORKER_CONCURRENCY: '0' })).toMatch(/^Die Umgebungsvariable LOTSE_WORKER_CONCURRENCY hat den ungültigen Wert "0", erwartet ist eine Zahl ab 1; .*Standardwert \d+\.$/);
    expect(fails({ LOTSE_WORKER_CONCURRENCY: '65' })).toContain('erwartet ist eine Zahl bis 64');
    expect(fails({ LOTSE_WORKER_CONCURRENCY: '2.5' })).toContain('erwartet ist eine ganze Zahl');
    expect(fails({ LOTSE_WORKER_CONCURRENCY: 'viele' })).toContain('erwartet ist eine Zahl');
  });

  it('rejects unknown LOTSE_ names with a suggestion, but not the test harness variables', () => {
    expect(fails({ LOTSE_DEMOO: 'on' })).toContain('LOTSE_DEMOO kennt Lotse nicht (meinten Sie LOTSE_DEMO?)');
    expect(() => loadConfig({ LOTSE_TEST_DB: 'postgres', LOTSE_BENCH_RUNS: '3', OTHER: 'x' })).not.toThrow();
  });

  it('never echoes secrets or credentials', () => {
    expect(fails({ LOTSE_SECRET: 'geheim' })).not.toContain('geheim');
    expect(fails({ DATABASE_URL: 'mysql://user:geheim@host/db' })).not.toContain('geheim');
  });
});
