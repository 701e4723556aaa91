import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  proc: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `lotse serve` on a fresh data dir with demo data, as a newcomer would. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lotse-e2e-'));
  const port = await freePort();
  const proc = spawn(process.execPath, ['bin/lotse.mjs', 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOTSE_DATA_DIR: dataDir, LOTSE_LOG_LEVEL: 'warn', LOTSE_ADMIN_EMAIL: 'admin@northeim.example', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  proc.stdout!.on('data', (d) => (err += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`lotse serve ended early:\n${err}`);
    try {
      if ((await fetch(`${baseUrl}/ready`)).ok) break;
    } catch {
      /* not yet listening */
    }
    if (Date.now() > deadline) throw new Error(`lotse serve not ready:\n${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    dataDir,
    proc,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs axe with the WCAG 2.0/2.1 A and AA rules and returns the violations (ids + targets). */
export async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/** Saves desktop and mobile screenshots under .test-artifacts/screenshots for a human to look at. */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = join(process.cwd(), '.test-artifacts', 'screenshots');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(dir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(dir, `${name}-mobile.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Password the e2e tests give the first-start admin. */
export const E2E_ADMIN_PASSWORD = 'Ein langes neues Passwort 2026';

/**
 * Logs in as the first-start admin with the one-time password the server printed once on
 * stderr, and sets a new password (the forced first step). Ends on the staff overview.
 */
export async function loginAsFirstAdmin(page: Page, server: RunningServer, email = 'admin@northeim.example'): Promise<void> {
  const otp = /Einmal-Passwort:\s+(\S+)/.exec(server.stderr())?.[1];
  if (!otp) throw new Error(`no one-time password on stderr:\n${server.stderr()}`);
  await page.goto(`${server.baseUrl}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(otp);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(/\/verwaltung\/passwort/);
  await page.getByLabel('Neues Passwort', { exact: true }).fill(E2E_ADMIN_PASSWORD);
  await page.getByLabel('Neues Passwort wiederholen').fill(E2E_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await page.waitForURL(/\/verwaltung(\?|$)/);
}
