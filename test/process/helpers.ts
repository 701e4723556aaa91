import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Env for a child: no inherited LOTSE_/PORT/DATABASE_URL settings, quiet logs. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LOTSE_') && !['PORT', 'HOST', 'DATABASE_URL'].includes(k)));
  return { ...base, LOTSE_LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env };
}

export interface Child {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  done: Promise<Run>;
}

/** Starts `node bin/lotse.mjs ARGS` (or another script) without waiting for it. */
export function start(args: string[], env: Record<string, string>, script = 'bin/lotse.mjs', nodeArgs: string[] = []): Child {
  const t0 = Date.now();
  const proc = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const done = new Promise<Run>((resolve) =>
    proc.once('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - t0 })),
  );
  return { proc, out: () => out, err: () => err, done };
}

/** Runs `lotse ARGS` to the end (killed after `timeoutMs`). */
export async function lotse(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  const c = start(args, env);
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), timeoutMs);
  const r = await c.done;
  clearTimeout(timer);
  return r;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until GET /ready answers 200; fails early when the process ends. */
export async function waitReady(c: Child, port: number, timeoutMs = 90_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (c.proc.exitCode !== null) throw new Error(`lotse serve ended early (${c.proc.exitCode}):\n${c.err()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).status === 200) return Date.now() - t0;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`lotse serve not ready after ${timeoutMs} ms:\n${c.err()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Stderr without the log lines: the human message the CLI printed. */
export const message = (r: Run) =>
  r.stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('{'))
    .join('\n');
