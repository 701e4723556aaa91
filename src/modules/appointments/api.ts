import { createRoute, z } from '@hono/zod-openapi';
import type { AppRouter } from '../../core/http/app.ts';
import { AppError } from '../../core/errors.ts';
import { bookAppointment } from './book-appointment.ts';
import { findSlots, slotsJson } from './find-slots.ts';
import { cancelByToken } from './manage-appointment.ts';
import { feedIcs } from './feed.ts';
import { createCaptcha, rateLimit } from './security.ts';
import { isoWithOffset } from './time.ts';
import { clientIp } from './routes-http.ts';

const Problem = z.object({ type: z.string(), title: z.string(), status: z.number(), code: z.string(), fields: z.array(z.object({ field: z.string(), message: z.string() })).optional() }).openapi('Problem');
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });

const Slot = z.object({ id: z.string(), start: z.string().openapi({ example: '2026-12-01T08:20:00+01:00' }), end: z.string(), locationId: z.string() }).openapi('AppointmentSlot');

const slotsRoute = createRoute({
  method: 'get',
  path: '/appointments/slots',
  tags: ['Termine'],
  summary: 'Freie Termine für eine oder mehrere Leistungen (Dauern addieren sich)',
  request: {
    query: z.object({
      service: z.union([z.string(), z.array(z.string())]).openapi({ description: 'Leistungs-ID aus dem Katalog; mehrfach angeben für mehrere Anliegen', example: 'personalausweis' }),
      from: z.string().optional().openapi({ description: 'YYYY-MM-DD (Europe/Berlin), Standard heute', example: '2026-12-01' }),
      to: z.string().optional().openapi({ description: 'YYYY-MM-DD, höchstens 62 Tage nach from', example: '2026-12-14' }),
    }),
  },
  responses: {
    200: { description: 'Freie Zeiten, früheste zuerst', content: { 'application/json': { schema: z.object({ slots: z.array(Slot) }) } } },
    422: problem('Ungültige Eingabe (Datum, unbekannte Leistung)'),
    429: problem('Zu viele Anfragen'),
  },
});

const BookBody = z
  .object({
    slotId: z.unknown().openapi({ type: 'string', description: 'id aus /appointments/slots' }),
    serviceIds: z.unknown().openapi({ type: 'array', items: { type: 'string' } }),
    name: z.unknown().openapi({ type: 'string' }),
    email: z.unknown().openapi({ type: 'string', format: 'email' }),
    phone: z.unknown().optional().openapi({ type: 'string' }),
    lang: z.unknown().optional().openapi({ type: 'string', enum: ['de', 'en'] }),
    captcha: z.unknown().optional().openapi({ type: 'string', description: 'Gelöste Proof-of-Work-Aufgabe (ALTCHA-Payload, base64) von /appointments/captcha; Pflicht außer bei LOTSE_CAPTCHA=off' }),
  })
  .openapi('AppointmentRequest');

const Booking = z
  .object({ id: z.string(), status: z.enum(['pending', 'confirmed']), start: z.string(), end: z.string(), locationId: z.string(), serviceIds: z.array(z.string()), expiresAt: z.string().nullable() })
  .openapi('Appointment');

const bookRoute = createRoute({
  method: 'post',
  path: '/appointments',
  tags: ['Termine'],
  summary: 'Termin buchen (wird per Link in der E-Mail bestätigt)',
  request: { body: { content: { 'application/json': { schema: BookBody } }, required: true } },
  responses: {
    201: { description: 'Gebucht, wartet auf Bestätigung', content: { 'application/json': { schema: Booking } } },
    409: problem('Die Zeit ist nicht mehr frei'),
    422: problem('Feldfehler (deutsch)'),
    429: problem('Zu viele Anfragen'),
  },
});

const cancelRoute = createRoute({
  method: 'delete',
  path: '/appointments/{id}',
  tags: ['Termine'],
  summary: 'Termin absagen mit dem signierten Link-Token aus der E-Mail',
  request: { params: z.object({ id: z.string() }), query: z.object({ token: z.string().optional() }) },
  responses: {
    200: { description: 'Abgesagt', content: { 'application/json': { schema: z.object({ id: z.string(), status: z.literal('cancelled') }) } } },
    410: problem('Token gefälscht, abgelaufen oder Termin schon abgesagt'),
    422: problem('Token fehlt oder ist unvollständig, oder die Terminnummer ist ungültig'),
    429: problem('Zu viele Anfragen'),
  },
});

const captchaRoute = createRoute({
  method: 'get',
  path: '/appointments/captcha',
  tags: ['Termine'],
  summary: 'Proof-of-Work-Aufgabe (ALTCHA-kompatibel) für Buchung und Warteliste',
  responses: {
    200: {
      description: 'Aufgabe: finde n mit SHA-256(salt + n) = challenge',
      content: { 'application/json': { schema: z.object({ algorithm: z.string(), challenge: z.string(), maxnumber: z.number().optional(), salt: z.string(), signature: z.string() }) } },
    },
  },
});

export function mountAppointmentsApi(api: AppRouter): void {
  api.openapi(slotsRoute, async (c) => {
    const ctx = c.var.ctx;
    await rateLimit(ctx, 'slots-ip', clientIp(c) ?? '-', 600, 60);
    const services = c.req.queries('service') ?? [];
    const r = await findSlots(ctx, { serviceIds: services, from: c.req.query('from'), to: c.req.query('to') });
    // Pre-serialised slots (same fields as the schema); `as never` because the typed c.json is bypassed.
    return c.body(slotsJson(r), 200, { 'content-type': 'application/json' }) as never;
  });

  // Documented from `bookRoute`, but served by a plain route: the body is validated once, by
  // `bookAppointment` (German field messages), not a second time by the OpenAPI validator –
  // this is the hot path of a release rush.
  api.openAPIRegistry.registerPath(bookRoute);
  api.post('/appointments', async (c) => {
    const body = (await c.req.json().catch(() => {
      throw new AppError('validation', 'Der Inhalt der Anfrage ist kein gültiges JSON.');
    })) as Record<string, unknown>;
    const { booking, location } = await bookAppointment(c.var.ctx, body as never, { ip: clientIp(c), requestId: c.var.requestId });
    return c.json(
      {
        id: booking.id,
        status: booking.status as 'pending',
        start: isoWithOffset(booking.startAt, location.timeZone),
        end: isoWithOffset(booking.endAt, location.timeZone),
        locationId: booking.locationId,
        serviceIds: booking.serviceIds,
        expiresAt: booking.expiresAt ? isoWithOffset(booking.expiresAt, location.timeZone) : null,
      },
      201,
    );
  });

  api.openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid('param');
    await rateLimit(c.var.ctx, 'cancel-ip', clientIp(c) ?? '-', 30, 600);
    await cancelByToken(c.var.ctx, id, c.req.query('token'), { requestId: c.var.requestId });
    return c.json({ id, status: 'cancelled' as const }, 200);
  });

  api.openapi(captchaRoute, async (c) => {
    await rateLimit(c.var.ctx, 'captcha-ip', clientIp(c) ?? '-', 60, 60);
    c.header('cache-control', 'no-store');
    return c.json(await createCaptcha(c.var.ctx), 200);
  });

  // Staff iCalendar feed per workstation: /api/v1/appointments/feeds/schalter-1.ics?token=…
  api.get('/appointments/feeds/:file', async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.ics')) throw new AppError('not_found', 'Unbekannter Kalender.');
    const ics = await feedIcs(c.var.ctx, file.slice(0, -4), c.req.query('token'));
    return c.body(ics, 200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'no-store' });
  });
}
