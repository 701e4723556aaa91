/**
 * A tiny OpenAI-compatible chat endpoint for tests (`POST /v1/chat/completions`), started
 * on a random loopback port. Modes:
 * - faithful: answers with the first two sentences of the first source passage
 * - hallucinating: one faithful sentence plus an invented fee ("… 999,99 Euro …")
 * - slow: answers faithfully after `slowMs` (default 5 s)
 * - garbage: HTTP 200 with a non-JSON body
 * - down: the port is closed (connection refused)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubMode = 'faithful' | 'hallucinating' | 'slow' | 'garbage' | 'down';

export interface LlmStub {
  /** Base URL to put into LOTSE_LLM_BASE_URL (ends with /v1). */
  baseUrl: string;
  mode: StubMode;
  /** Requests received (for assertions). */
  requests: { messages: { role: string; content: string }[] }[];
  close(): Promise<void>;
}

function firstPassageSentences(userContent: string, n: number): string[] {
  const m = /\[1\][^\n]*\n([\s\S]*?)(?:\n\n\[2\]|\n\nFRAGE:)/.exec(userContent);
  const text = (m?.[1] ?? '').replace(/\s+/g, ' ').trim();
  return (text.match(/[^.!?]+[.!?]/g) ?? [text]).slice(0, n).map((s) => s.trim());
}

function completion(content: string) {
  return JSON.stringify({
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'stub',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

export async function startLlmStub(mode: StubMode = 'faithful', opts: { slowMs?: number } = {}): Promise<LlmStub> {
  const requests: LlmStub['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const stub: LlmStub = { baseUrl: '', mode, requests, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
      requests.push(body);
      const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
      const faithful = firstPassageSentences(user, 2).join(' ');
      switch (stub.mode) {
        case 'garbage':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>502 upstream \u0000\u0001</body></html>');
          return;
        case 'hallucinating':
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(completion(`${firstPassageSentences(user, 1).join(' ')} Die Gebühr beträgt 999,99 Euro und wird sofort in bar fällig.`));
          return;
        case 'slow': {
          const t = setTimeout(() => {
            timers.delete(t);
            if (!res.writableEnded) res.writeHead(200, { 'content-type': 'application/json' }).end(completion(faithful));
          }, opts.slowMs ?? 5000);
          timers.add(t);
          return;
        }
        default:
          res.writeHead(200, { 'content-type': 'application/json' }).end(completion(faithful));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  stub.baseUrl = `http://127.0.0.1:${port}/v1`;
  const closeServer = () =>
    new Promise<void>((r) => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      server.close(() => r());
    });
  if (mode === 'down') await closeServer();
  stub.close = async () => {
    if (server.listening) await closeServer();
  };
  return stub;
}
