/**
 * A tiny OpenAI-compatible embeddings endpoint for tests (`POST /v1/embeddings`), on a random
 * loopback port. Vectors are deterministic: a hashed bag of words (lower case, umlauts folded,
 * crude German suffix stripping) over `dims` dimensions, plus a small "meaning" table that maps
 * words to others (made-up `bellomat` → `hund`, unknown to the thesaurus), standing in for what a real model knows and BM25 does not.
 * Modes: ok, slow (answers after `slowMs`), garbage (HTTP 200, not JSON), wrong_shape (JSON
 * without vectors), http_error (HTTP 500). Use an unused port for "down".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type EmbedStubMode = 'ok' | 'slow' | 'garbage' | 'wrong_shape' | 'http_error';

export interface EmbedStub {
  /** Base URL for LOTSE_EMBEDDINGS_BASE_URL (ends with /v1). */
  baseUrl: string;
  mode: EmbedStubMode;
  /** Every request's inputs and model. */
  requests: { model: string; input: string[] }[];
  close(): Promise<void>;
}

export const STUB_MEANINGS: Record<string, string> = { bellomat: 'hund', wohnklotz: 'wohnung' };

function fnv(s: string, seed = 2166136261): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3)
    .map((w) => STUB_MEANINGS[w] ?? w)
    .map((w) => w.replace(/(ungen|ung|en|er|es|e|n|s)$/, ''))
    .map((w) => STUB_MEANINGS[w] ?? w);
}

/** The stub's vector for a text (exported so tests can compare stored vectors). */
export function stubVector(text: string, dims = 64): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const w of words(text)) {
    const h = fnv(w);
    v[h % dims]! += (fnv(w, 7) & 1) === 0 ? 1 : -1;
  }
  return v;
}

export async function startEmbedStub(mode: EmbedStubMode = 'ok', opts: { slowMs?: number; dims?: number } = {}): Promise<EmbedStub> {
  const requests: EmbedStub['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const stub: EmbedStub = { baseUrl: '', mode, requests, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/embeddings')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as { model: string; input: string | string[] };
      const input = Array.isArray(body.input) ? body.input : [body.input];
      requests.push({ model: body.model, input });
      const answer = () =>
        JSON.stringify({
          object: 'list',
          model: body.model,
          // Reversed on purpose: clients must order by `index`.
          data: input.map((t, index) => ({ object: 'embedding', index, embedding: stubVector(t, opts.dims) })).reverse(),
          usage: { prompt_tokens: 0, total_tokens: 0 },
        });
      switch (stub.mode) {
        case 'garbage':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html>502 upstream \u0000</html>');
          return;
        case 'wrong_shape':
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ embedding: 'NaN' }] }));
          return;
        case 'http_error':
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
          return;
        case 'slow': {
          const t = setTimeout(() => {
            timers.delete(t);
            if (!res.writableEnded) res.writeHead(200, { 'content-type': 'application/json' }).end(answer());
          }, opts.slowMs ?? 5000);
          timers.add(t);
          return;
        }
        default:
          res.writeHead(200, { 'content-type': 'application/json' }).end(answer());
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stub.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  stub.close = async () => {
    for (const t of timers) clearTimeout(t);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return stub;
}
