import { createRoute, z } from '@hono/zod-openapi';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it, vi } from 'vitest';
import type { AppContext } from '../context.ts';
import { errorForLog } from '../errors.ts';
import { createHttpApp } from './app.ts';

/** A minimal app with one JSON route and one failing route, to test the central error handling. */
function makeApp() {
  const log = { info: vi.fn(), error: vi.fn(), warn: vi.fn(), debug: vi.fn() };
  const ctx = { log, town: { name: 'Teststadt' }, config: { baseUrl: 'http://localhost' } } as unknown as AppContext;
  const app = createHttpApp(ctx, {
    renderError: (c, status, title) => c.html(`<h1>${title}</h1>`, status as 400),
    mount: (_app, api) => {
      api.openapi(
        createRoute({
          method: 'post',
          path: '/echo',
          request: { body: { content: { 'application/json': { schema: z.object({ text: z.string() }) } }, required: true } },
          responses: { 200: { description: 'ok' } },
        }),
        (c) => c.json({ text: c.req.valid('json').text }, 200),
      );
      _app.post('/formular', async (c) => c.text(JSON.stringify(await c.req.parseBody())));
      api.post('/form', async (c) => c.json(await c.req.parseBody()));
      api.post('/boom', () => {
        throw new DrizzleQueryError('insert into "assistant_questions" ("question") values ($1)', ['Meine geheime Frage'], new Error('invalid byte sequence for encoding "UTF8": 0x00'));
      });
    },
  });
  return { app, log };
}

describe('central error handling for /api/v1', () => {
  it('malformed JSON → 400 problem+json with a German message (not 500)', async () => {
    const { app } = makeApp();
    const res = await app.request('/api/v1/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { title: string; code: string };
    expect(body.code).toBe('bad_request');
    expect(body.title).toBe('Der Inhalt der Anfrage ist kein gültiges JSON.');
  });

  it('wrong content type → 415 problem+json with a German message', async () => {
    const { app } = makeApp();
    const res = await app.request('/api/v1/echo', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=hallo' });
    expect(res.status).toBe(415);
    const body = (await res.json()) as { title: string; code: string };
    expect(body.code).toBe('unsupported_media_type');
    expect(body.title).toMatch(/Inhaltstyp .* nicht unterstützt/);
  });

  it('malformed multipart body → 400 with a German message (HTML page and problem+json), not logged as unhandled', async () => {
    const { app, log } = makeApp();
    const headers = { 'content-type': 'multipart/form-data; boundary=xyz' };
    const page = await app.request('/formular', { method: 'POST', headers: { ...headers, accept: 'text/html' }, body: 'kaputt' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Die Formulardaten der Anfrage sind fehlerhaft');
    const api = await app.request('/api/v1/form', { method: 'POST', headers, body: 'kaputt' });
    expect(api.status).toBe(400);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect(((await api.json()) as { title: string }).title).toMatch(/^Die Formulardaten der Anfrage sind fehlerhaft/);
    expect(log.error).not.toHaveBeenCalled();
  });

  it('a real internal error stays 500 and its log line carries no query parameters', async () => {
    const { app, log } = makeApp();
    const res = await app.request('/api/v1/boom', { method: 'POST' });
    expect(res.status).toBe(500);
    const logged = JSON.stringify(log.error.mock.calls);
    expect(logged).toContain('Failed query');
    expect(logged).not.toContain('Meine geheime Frage');
  });
});

describe('errorForLog', () => {
  it('drops Drizzle params, quoted driver values and the message line from the stack', () => {
    const e = new DrizzleQueryError('select $1', ['anna@example.org'], new Error('invalid input syntax for type integer: "anna@example.org"'));
    const out = JSON.stringify(errorForLog(e));
    expect(out).not.toContain('anna@example.org');
    expect(out).toContain('select $1');
    expect(out).toContain('invalid input syntax');
  });
});
