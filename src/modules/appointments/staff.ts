import { z } from 'zod';
import { writeAudit } from '../../core/audit/index.ts';
import { assertCan, type Actor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import * as repo from './repository.ts';
import { getSetup, serviceTitle, slotRules } from './rules.ts';
import { addDays, daysBetween, isIsoDate, localDate, localTime, zonedToUtc } from './time.ts';
import { generateSlots } from './slots.ts';

export const STATUS_LABELS: Record<string, string> = {
  held: 'reserviert',
  pending: 'unbestätigt',
  confirmed: 'bestätigt',
  arrived: 'anwesend',
  done: 'erledigt',
  noshow: 'nicht erschienen',
  cancelled: 'abgesagt',
  expired: 'verfallen',
};

async function locationOr404(ctx: AppContext, locationId?: string) {
  const setup = await getSetup(ctx);
  const loc = locationId ? setup.locations.find((l) => l.id === locationId) : setup.locations[0];
  if (!loc) throw new AppError('not_found', 'Der Standort wurde nicht gefunden.');
  return { setup, loc };
}

/** Bookings of one location between two local dates (inclusive) with workstation columns. */
export async function calendarRange(ctx: AppContext, actor: Actor, locationId: string | undefined, fromDate: string, toDate: string) {
  assertCan(actor, 'appointments.manage');
  const { setup, loc } = await locationOr404(ctx, locationId);
  const bookings = await repo.bookingsInRange(
    ctx.db,
    loc.id,
    zonedToUtc(fromDate, '00:00', loc.timeZone),
    zonedToUtc(addDays(toDate, 1), '00:00', loc.timeZone),
    ['pending', 'confirmed', 'arrived', 'done', 'noshow', 'held'],
  );
  const workstations = setup.workstations.filter((w) => w.locationId === loc.id && w.active);
  return { setup, loc, bookings, workstations };
}

/** CSV of a day list (semicolon separated, UTF-8 with BOM so Excel opens umlauts correctly). */
export async function exportDayCsv(ctx: AppContext, actor: Actor, locationId: string | undefined, date: string): Promise<string> {
  const { setup, loc, bookings, workstations } = await calendarRange(ctx, actor, locationId, date, date);
  const esc = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['Beginn;Ende;Schalter;Leistungen;Name;Telefon;Status'];
  for (const b of bookings.filter((x) => x.status !== 'held')) {
    lines.push(
      [
        localTime(b.startAt, loc.timeZone),
        localTime(b.endAt, loc.timeZone),
        workstations.find((w) => w.id === b.workstationId)?.name ?? b.workstationId,
        b.serviceIds.map((s) => serviceTitle(setup, s)).join(', '),
        b.name ?? '',
        b.phone ?? '',
        STATUS_LABELS[b.status] ?? b.status,
      ]
        .map(esc)
        .join(';'),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** PDF day list (A4, one table) rendered with pdfkit. */
export async function exportDayPdf(ctx: AppContext, actor: Actor, locationId: string | undefined, date: string): Promise<Buffer> {
  const { setup, loc, bookings, workstations } = await calendarRange(ctx, actor, locationId, date, date);
  // pdfkit is loaded on first export, not at start (start-up time).
  const { default: PDFDocument } = await import('pdfkit');
  const de = (iso: string) => iso.split('-').reverse().join('.');
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `Tagesliste ${loc.name} ${de(date)}`, Author: ctx.town.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(`Tagesliste ${loc.name} – ${de(date)}`);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#444')
    .text(
      `${ctx.town.name} · ${loc.address} · erstellt ${de(localDate(ctx.now(), loc.timeZone))} ${localTime(ctx.now(), loc.timeZone)} Uhr`,
    );
  doc.moveDown(0.8).fillColor('#000');
  const cols = [
    { h: 'Zeit', w: 62 },
    { h: 'Schalter', w: 62 },
    { h: 'Leistungen', w: 170 },
    { h: 'Name', w: 110 },
    { h: 'Telefon', w: 65 },
    { h: 'Status', w: 46 },
  ];
  const row = (vals: string[], bold = false) => {
    const top = doc.y;
    let x = 40;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    let h = 0;
    vals.forEach((v, i) => {
      const w = cols[i]!.w;
      h = Math.max(h, doc.heightOfString(v, { width: w - 4 }));
    });
    if (top + h + 6 > doc.page.height - 40) {
      doc.addPage();
      return row(vals, bold);
    }
    vals.forEach((v, i) => {
      doc.text(v, x + 2, top + 3, { width: cols[i]!.w - 4 });
      x += cols[i]!.w;
    });
    doc.y = top + h + 6;
    doc
      .moveTo(40, doc.y)
      .lineTo(40 + cols.reduce((a, c) => a + c.w, 0), doc.y)
      .lineWidth(0.5)
      .strokeColor('#999')
      .stroke();
  };
  row(
    cols.map((c) => c.h),
    true,
  );
  const list = bookings.filter((b) => b.status !== 'held');
  for (const b of list) {
    row([
      `${localTime(b.startAt, loc.timeZone)}–${localTime(b.endAt, loc.timeZone)}`,
      workstations.find((w) => w.id === b.workstationId)?.name ?? b.workstationId,
      b.serviceIds.map((s) => serviceTitle(setup, s)).join(', '),
      b.name ?? '',
      b.phone ?? '',
      STATUS_LABELS[b.status] ?? b.status,
    ]);
  }
  if (!list.length) doc.moveDown().font('Helvetica').fontSize(10).text('Keine Termine an diesem Tag.', 40);
  doc
    .moveDown()
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#444')
    .text(`${list.length} ${list.length === 1 ? 'Termin' : 'Termine'}. Enthält personenbezogene Daten – nach Gebrauch vernichten.`, 40);
  doc.end();
  return done;
}

/**
 * Statistics for a period (appointments starting in it): bookings, cancellations, no-shows and
 * average lead time per service (a visit with two services counts for both) and per weekday
 * (each visit once), utilisation = booked slot units / offered slot units of all active workstations.
 * No-show rate = no-shows / visits with an outcome (arrived, done or no-show).
 */
export async function statistics(ctx: AppContext, actor: Actor, locationId: string | undefined, fromDate: string, toDate: string) {
  assertCan(actor, 'appointments.manage');
  if (!isIsoDate(fromDate) || !isIsoDate(toDate) || toDate < fromDate)
    throw new AppError('validation', 'Bitte einen gültigen Zeitraum angeben (Beginn vor Ende).');
  if (daysBetween(fromDate, toDate) > 366) throw new AppError('validation', 'Der Zeitraum darf höchstens ein Jahr lang sein.');
  const { setup, loc } = await locationOr404(ctx, locationId);
  const from = zonedToUtc(fromDate, '00:00', loc.timeZone);
  const to = zonedToUtc(addDays(toDate, 1), '00:00', loc.timeZone);
  const rows = await repo.statBookings(ctx.db, loc.id, loc.timeZone, from, to);
  const ws = setup.workstations.filter((w) => w.locationId === loc.id && w.active);
  const rules = slotRules(setup, loc, false);
  let capacity = 0;
  for (const w of ws)
    capacity += generateSlots(
      { ...rules, workstations: [w] },
      { serviceIds: [], units: 1, fromDate, toDate, earliest: new Date(0) },
    ).length;
  const used = await repo.claimedUnitCount(
    ctx.db,
    ws.map((w) => w.id),
    from,
    to,
  );
  type Acc = { total: number; cancelled: number; noshow: number; done: number; arrived: number; leadSum: number };
  const empty = (): Acc => ({ total: 0, cancelled: 0, noshow: 0, done: 0, arrived: 0, leadSum: 0 });
  const add = (a: Acc, r: repo.StatBooking) => {
    a.total++;
    a.leadSum += r.leadHours;
    if (r.status === 'cancelled') a.cancelled++;
    else if (r.status === 'noshow') a.noshow++;
    else if (r.status === 'done') a.done++;
    else if (r.status === 'arrived') a.arrived++;
  };
  const rate = (a: Acc) => (a.noshow + a.done + a.arrived ? a.noshow / (a.noshow + a.done + a.arrived) : 0);
  const byService = new Map<string, Acc>();
  const byWeekday = new Map<number, Acc>();
  const all = empty();
  for (const r of rows) {
    add(all, r);
    for (const id of new Set(r.serviceIds)) {
      const a = byService.get(id) ?? empty();
      add(a, r);
      byService.set(id, a);
    }
    const w = byWeekday.get(r.weekday) ?? empty();
    add(w, r);
    byWeekday.set(r.weekday, w);
  }
  const figures = (a: Acc) => ({
    total: a.total,
    cancelled: a.cancelled,
    noshow: a.noshow,
    done: a.done,
    arrived: a.arrived,
    noshowRate: rate(a),
    avgLeadDays: a.total ? a.leadSum / a.total / 24 : 0,
  });
  return {
    loc,
    totals: figures(all),
    services: [...byService.entries()]
      .map(([id, a]) => ({ id, title: serviceTitle(setup, id), ...figures(a) }))
      .sort((a, b) => b.total - a.total || a.title.localeCompare(b.title, 'de')),
    weekdays: [...byWeekday.entries()]
      .sort((a, b) => ((a[0] + 6) % 7) - ((b[0] + 6) % 7))
      .map(([wd, a]) => ({ weekday: wd, ...figures(a) })),
    utilisation: capacity ? used / capacity : 0,
    capacityUnits: capacity,
    usedUnits: used,
  };
}

/** Common free-mail domains: many bookings from them are normal, so only single addresses count there. */
export const FREEMAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'web.de',
  'gmx.de',
  'gmx.net',
  't-online.de',
  'outlook.com',
  'outlook.de',
  'hotmail.com',
  'hotmail.de',
  'live.de',
  'yahoo.com',
  'yahoo.de',
  'icloud.com',
  'me.com',
  'freenet.de',
  'posteo.de',
  'mailbox.org',
  'aol.com',
  'arcor.de',
];

/**
 * Mass-booking patterns of the last 24 hours for the staff view: one e-mail address, one
 * non-freemail domain, one IP address or one network (/24, /64) with `threshold` or more
 * online bookings (every status, so cancel-and-rebook cycles and abandoned holds count).
 */
export async function bookingPatterns(ctx: AppContext, actor: Actor, threshold = 5) {
  assertCan(actor, 'appointments.manage');
  return repo.bookingPatternRows(ctx.db, new Date(ctx.now().getTime() - 24 * 3600_000), threshold, FREEMAIL_DOMAINS);
}

// ---------- walk-in queue ----------

export async function drawTicket(
  ctx: AppContext,
  actor: Actor,
  locationId: string,
  serviceId: string | null,
  meta: { requestId?: string } = {},
) {
  assertCan(actor, 'appointments.manage');
  const { loc } = await locationOr404(ctx, locationId);
  const day = localDate(ctx.now(), loc.timeZone);
  for (let attempt = 0; attempt < 5; attempt++) {
    const t = await ctx.db.transaction(async (tx) => {
      await repo.lockLocationForTickets(tx, loc.id);
      const row = await repo.insertTicket(tx, loc.id, day, serviceId, ctx.now());
      if (row)
        await writeAudit(tx, {
          actor,
          action: 'ticket.draw',
          objectType: 'ticket',
          objectId: row.id,
          summary: { number: row.number, day },
          requestId: meta.requestId ?? null,
        });
      return row;
    });
    if (t) return t;
  }
  throw new AppError('conflict', 'Die Wartenummer konnte nicht vergeben werden. Bitte erneut versuchen.');
}

const ticketSchema = z.object({ status: z.enum(['called', 'done', 'gone', 'waiting']), workstationId: z.string().optional() });

export async function updateTicketStatus(
  ctx: AppContext,
  actor: Actor,
  locationId: string,
  id: string,
  input: z.input<typeof ticketSchema>,
  meta: { requestId?: string } = {},
) {
  assertCan(actor, 'appointments.manage');
  const v = ticketSchema.safeParse(input);
  if (!v.success) throw validationError(v.error.issues);
  const { setup, loc } = await locationOr404(ctx, locationId);
  if (v.data.workstationId && !setup.workstations.some((w) => w.id === v.data.workstationId && w.locationId === loc.id)) {
    throw new AppError('validation', 'Unbekannter Schalter.', { fields: [{ field: 'workstationId', message: 'Unbekannter Schalter.' }] });
  }
  if (v.data.status === 'called' && !v.data.workstationId)
    throw new AppError('validation', 'Bitte den Schalter angeben, an den die Nummer aufgerufen wird.', {
      fields: [{ field: 'workstationId', message: 'Bitte einen Schalter wählen.' }],
    });
  await ctx.db.transaction(async (tx) => {
    if (!/^[0-9a-f-]{36}$/i.test(id) || !(await repo.updateTicket(tx, id, loc.id, v.data.status, v.data.workstationId ?? null, ctx.now())))
      throw new AppError('not_found', 'Die Wartenummer wurde nicht gefunden.');
    await writeAudit(tx, {
      actor,
      action: 'ticket.status',
      objectType: 'ticket',
      objectId: id,
      summary: { status: v.data.status },
      requestId: meta.requestId ?? null,
    });
  });
}

/** Public waiting-room data: ticket numbers and counters only, no personal data. */
export async function waitingRoom(ctx: AppContext, locationId: string) {
  const setup = await getSetup(ctx);
  const loc = setup.locations.find((l) => l.id === locationId);
  if (!loc) throw new AppError('not_found', 'Der Standort wurde nicht gefunden.');
  const tickets = await repo.listTickets(ctx.db, loc.id, localDate(ctx.now(), loc.timeZone));
  const names = new Map(setup.workstations.map((w) => [w.id, w.name]));
  return {
    loc,
    called: tickets
      .filter((t) => t.status === 'called')
      .sort((a, b) => (b.calledAt?.getTime() ?? 0) - (a.calledAt?.getTime() ?? 0))
      .map((t) => ({ number: t.number, counter: t.workstationId ? (names.get(t.workstationId) ?? '') : '' })),
    waiting: tickets.filter((t) => t.status === 'waiting').map((t) => t.number),
  };
}

export async function ticketsToday(ctx: AppContext, actor: Actor, locationId: string) {
  assertCan(actor, 'appointments.manage');
  const { loc } = await locationOr404(ctx, locationId);
  return repo.listTickets(ctx.db, loc.id, localDate(ctx.now(), loc.timeZone));
}
