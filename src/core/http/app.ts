import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { AppContext } from '../context.ts';
import { AppError, errorForLog, type ErrorCode } from '../errors.ts';
import { isLang } from '../i18n/index.ts';
import { ERROR_MAP } from './error-map.ts';
import type { AppEnv } from './env.ts';

export type AppRouter = OpenAPIHono<AppEnv>;

export interface HttpAppOptions {
  /** Mounts pages (on `app`) and API routes (on `api`, served under /api/v1). */
  mount: (app: AppRouter, api: AppRouter) => void;
  /** Middlewares that run after request id/lang are set and before routes (sessions, CSRF). */
  middlewares?: MiddlewareHandler<AppEnv>[];
  /** Renders an HTML error page (from web/). */
  renderError: (c: Context<AppEnv>, status: number, title: string, detail: string | null) => Response | Promise<Response>;
}

const require = createRequire(import.meta.url);
const STATIC_ROOTS: Record<string, string> = {
  kern: join(dirname(require.resolve('@kern-ux/native/package.json')), 'dist'),
  htmx: join(dirname(require.resolve('htmx.org/package.json')), 'dist'),
  app: join(dirname(fileURLToPath(import.meta.url)), '../../web/static'),
};
const MIME: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

async function serveFile(root: string, rel: string): Promise<Response> {
  const full = normalize(join(root, rel));
  if (!full.startsWith(root + sep)) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(full);
    return new Response(body, {
      headers: {
        'content-type': MIME[extname(full)] ?? 'application/octet-stream',
        'cache-control': 'public, max-age=3600',
        // Public assets; the assistant widget script is loaded by other websites.
        'cross-origin-resource-policy': 'cross-origin',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

const wantsJson = (c: Context<AppEnv>) =>
  c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');

/**
 * Builds the Hono app with the cross-cutting parts: request id, language, security
 * headers, static files, health/readiness, OpenAPI document and the one error map.
 */
export function createHttpApp(ctx: AppContext, opts: HttpAppOptions): AppRouter {
  const app: AppRouter = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError('validation', ERROR_MAP.validation.title, {
          fields: result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(root)', message: i.message })),
        });
      }
    },
  });
  const api: AppRouter = new OpenAPIHono<AppEnv>({ defaultHook: app.defaultHook! });

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('ctx', ctx);
    c.set('user', null);
    c.set('csrfToken', '');
    const cookieLang = getCookie(c, 'lotse_lang');
    const queryLang = c.req.query('lang');
    c.set('lang', isLang(queryLang) ? queryLang : isLang(cookieLang) ? cookieLang : 'de');
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    if (!c.req.path.startsWith('/static/')) {
      ctx.log.info(
        { requestId, method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) },
        'request',
      );
    }
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
      referrerPolicy: 'same-origin',
      // A route may set its own header (e.g. the embeddable assistant widget page widens
      // frame-ancestors for itself only); every other response gets these defaults.
      overwrite: false,
    }),
  );

  // Short paths used by the layout.
  app.get('/static/htmx.min.js', () => serveFile(STATIC_ROOTS.htmx!, 'htmx.min.js'));
  app.get('/static/app.css', () => serveFile(STATIC_ROOTS.app!, 'app.css'));
  app.get('/static/app.js', () => serveFile(STATIC_ROOTS.app!, 'app.js'));
  app.get('/static/:root/*', (c) => {
    const root = STATIC_ROOTS[c.req.param('root')];
    if (!root) return c.notFound();
    const rel = c.req.path.slice(`/static/${c.req.param('root')}/`.length);
    return serveFile(root, decodeURIComponent(rel));
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    try {
      await ctx.database.query('SELECT 1');
      const migrated = await ctx.database.migrationsApplied();
      return c.json({ status: migrated ? 'ready' : 'migrations-pending', database: ctx.database.kind }, migrated ? 200 : 503);
    } catch {
      return c.json({ status: 'database-unreachable', database: ctx.database.kind }, 503);
    }
  });

  for (const mw of opts.middlewares ?? []) app.use('*', mw);

  opts.mount(app, api);

  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Lotse API', version: '1.0.0', description: `Maschinenlesbare Schnittstelle von Lotse (${ctx.town.name}).` },
    servers: [{ url: `${ctx.config.baseUrl}/api/v1` }],
  });
  app.route('/api/v1', api);

  app.notFound((c) => {
    const { title } = ERROR_MAP.not_found;
    if (wantsJson(c)) return c.json({ type: 'about:blank', title, status: 404, code: 'not_found', requestId: c.var.requestId }, 404, { 'content-type': 'application/problem+json' });
    return opts.renderError(c, 404, title, null);
  });

  app.onError((err, c) => {
    const ctxVar = c as Context<AppEnv>;
    const appErr = err instanceof AppError ? err : err instanceof HTTPException ? fromHttpException(err) : fromBodyParseError(err);
    const code = appErr?.code ?? 'internal';
    const { status, title } = ERROR_MAP[code];
    if (!appErr) ctx.log.error({ requestId: c.var.requestId, err: errorForLog(err) }, 'unhandled error');
    const message = appErr?.message ?? title;
    if (wantsJson(ctxVar)) {
      return c.json(
        { type: 'about:blank', title: message, status, code, requestId: c.var.requestId, ...(appErr?.details ?? {}) },
        status as 400,
        { 'content-type': 'application/problem+json' },
      );
    }
    return opts.renderError(ctxVar, status, message, appErr?.details?.fields?.map((f) => `${f.field}: ${f.message}`).join('; ') ?? null);
  });

  return app;
}

/**
 * A malformed multipart/urlencoded body makes undici's `Request.formData()` (behind
 * `c.req.parseBody()`) throw a plain TypeError, not an HTTPException: that is the client's
 * fault (400), not an internal error.
 */
export function fromBodyParseError(err: unknown): AppError | null {
  if (err instanceof TypeError && /failed to parse body as formdata/i.test(err.message)) {
    return new AppError('bad_request', 'Die Formulardaten der Anfrage sind fehlerhaft und konnten nicht gelesen werden. Bitte senden Sie das Formular erneut.');
  }
  return null;
}

/**
 * Hono's own client errors (malformed JSON body, unsupported media type from the OpenAPI
 * router, body limits) become AppErrors with a German message instead of a 500.
 */
export function fromHttpException(err: HTTPException): AppError | null {
  const status = err.status;
  if (status >= 500) return null;
  if (status === 415) return new AppError('unsupported_media_type', 'Der Inhaltstyp (Content-Type) der Anfrage wird von dieser Schnittstelle nicht unterstützt (erlaubte Typen: /api/v1/openapi.json).');
  if (status === 400 && /json/i.test(err.message)) return new AppError('bad_request', 'Der Inhalt der Anfrage ist kein gültiges JSON.');
  if (status === 400 && /form/i.test(err.message)) return new AppError('bad_request', 'Die Formulardaten der Anfrage sind fehlerhaft.');
  const code = (Object.keys(ERROR_MAP) as ErrorCode[]).find((k) => ERROR_MAP[k].status === status) ?? 'bad_request';
  return new AppError(code, ERROR_MAP[code].title);
}

