import { execFile } from 'node:child_process';

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
}

/** Thrown when an external tool (pdftotext, pdftoppm, tesseract) is missing, fails or times out. */
export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly reason: 'missing' | 'failed' | 'timeout' | 'too_much_output',
    detail: string,
  ) {
    super(`${tool}: ${detail}`);
    this.name = 'ToolError';
  }
}

/**
 * Runs a command-line tool without a shell, with a time limit and an output limit (a decompression
 * bomb inside a PDF must not fill the memory). Tesseract is kept to one thread per process: with
 * OpenMP it is slower on a busy machine, and Lotse runs several pages in parallel instead.
 */
export function runTool(cmd: string, args: string[], opts: { timeoutMs?: number; maxBytes?: number; input?: Buffer } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      {
        encoding: 'buffer',
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: opts.maxBytes ?? 32 * 1024 * 1024,
        env: { ...process.env, OMP_THREAD_LIMIT: '1', LC_ALL: 'C.UTF-8' },
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const errText = Buffer.isBuffer(stderr) ? stderr.toString('utf8') : String(stderr ?? '');
        if (error) {
          const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: unknown };
          if (e.code === 'ENOENT') return reject(new ToolError(cmd, 'missing', `Programm nicht gefunden (Debian-Paket installieren, siehe scripts/test-env.sh)`));
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new ToolError(cmd, 'too_much_output', 'Ausgabe zu groß'));
          if (e.killed || e.signal === 'SIGTERM') return reject(new ToolError(cmd, 'timeout', 'Zeitlimit überschritten'));
          return reject(new ToolError(cmd, 'failed', errText.trim().split('\n').slice(-2).join(' ') || String(e.message)));
        }
        resolve({ stdout: stdout as Buffer, stderr: errText });
      },
    );
    if (opts.input) child.stdin?.end(opts.input);
  });
}
