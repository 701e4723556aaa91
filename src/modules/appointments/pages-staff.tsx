import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { requirePermission } from '../../core/auth/index.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { isAppError, type AppError } from '../../core/errors.ts';
import { Checkbox, CheckboxGroup, CsrfField, Notice, SelectField, Submit, TableHead, TextArea, TextField } from '../../web/components.tsx';
import { DemoBadge, renderPage } from '../../web/layout.tsx';
import { staffBook } from './book-appointment.ts';
import {
  addClosure,
  formatOpeningHours,
  removeClosure,
  rotateFeedToken,
  saveServiceSetting,
  saveWorkstation,
  updateLocation,
} from './configure.ts';
import { findSlots } from './find-slots.ts';
import { allowedStatusChanges, cancelByStaff, setAppointmentStatus } from './manage-appointment.ts';
import { getSetup, serviceTitle } from './rules.ts';
import {
  bookingPatterns,
  calendarRange,
  drawTicket,
  exportDayCsv,
  exportDayPdf,
  statistics,
  STATUS_LABELS,
  ticketsToday,
  updateTicketStatus,
} from './staff.ts';
import { addDays, isIsoDate, localDate, localTime, mondayOf, weekdayOf } from './time.ts';
import { dayLabel } from './texts.ts';
import { ErrorBox } from './pages-public.tsx';
import { list, str } from '../../web/form-values.ts';
import { staffActor } from './routes-http.ts';

const CSS = <link rel="stylesheet" href="/static/app/appointments.css" />;
const BASE = '/verwaltung/termine';

function staffPage(c: Context<AppEnv>, title: string, children: Child, demo = false) {
  return renderPage(c, { title, area: 'staff', head: CSS, demo, children });
}

const SubNav = ({ date, loc }: { date: string; loc: string }) => (
  <nav aria-label="Termine" class="lotse-actions">
    <a class="kern-link" href={`${BASE}?datum=${date}&standort=${loc}`}>
      Tagesansicht
    </a>
    <a class="kern-link" href={`${BASE}?datum=${date}&standort=${loc}&ansicht=woche`}>
      Wochenansicht
    </a>
    <a class="kern-link" href={`${BASE}/buchen?datum=${date}`}>
      Termin für Anrufende buchen
    </a>
    <a class="kern-link" href={`${BASE}/warteschlange?standort=${loc}`}>
      Wartenummern
    </a>
    <a class="kern-link" href={`${BASE}/statistik?standort=${loc}`}>
      Statistik
    </a>
    <a class="kern-link" href={`${BASE}/einstellungen`}>
      Einstellungen
    </a>
  </nav>
);

const StatusBadge = ({ status }: { status: string }) => {
  const kind = status === 'noshow' ? 'danger' : status === 'done' ? 'success' : status === 'arrived' ? 'warning' : 'info';
  return (
    <span class={`kern-badge kern-badge--${kind}`}>
      <span class="kern-label kern-label--small">{STATUS_LABELS[status] ?? status}</span>
    </span>
  );
};

function todayFor(c: Context<AppEnv>) {
  return localDate(c.var.ctx.now(), 'Europe/Berlin');
}

async function errorOr<T>(fn: () => Promise<T>): Promise<{ ok: T } | { err: AppError }> {
  try {
    return { ok: await fn() };
  } catch (e) {
    if (isAppError(e) && ['validation', 'conflict', 'not_found', 'gone'].includes(e.code)) return { err: e };
    throw e;
  }
}

/** Staff pages under /verwaltung/termine. */
export function mountStaffPages(app: AppRouter): void {
  const manage = requirePermission('appointments.manage');
  const configure = requirePermission('appointments.configure');

  app.get(BASE, manage, async (c) => {
    const ctx = c.var.ctx;
    const actor = staffActor(c);
    const q = c.req.query('datum');
    const date = q && isIsoDate(q) ? q : todayFor(c);
    const week = c.req.query('ansicht') === 'woche';
    const from = week ? mondayOf(date) : date;
    const to = week ? addDays(from, 6) : date;
    const { loc, bookings, workstations, setup } = await calendarRange(ctx, actor, c.req.query('standort') || undefined, from, to);
    const patterns = await bookingPatterns(ctx, actor);
    const csrf = c.var.csrfToken;
    const wsName = (id: string) => workstations.find((w) => w.id === id)?.name ?? id;
    const visible = bookings.filter((b) => b.status !== 'held');
    const actions = (id: string, status: string, startAt: Date) => (
      <div class="appt-inline">
        {(
          [
            ['arrived', 'Anwesend'],
            ['noshow', 'Nicht erschienen'],
            ['done', 'Erledigt'],
          ] as const
        )
          .filter(([s]) => allowedStatusChanges({ status, startAt }, ctx.now()).includes(s))
          .map(([s, label]) => (
            <form method="post" action={`${BASE}/${id}/status`} class="lotse-inline-form">
              <CsrfField token={csrf} />
              <input type="hidden" name="status" value={s} />
              <input type="hidden" name="zurueck" value={c.req.url} />
              <Submit label={label} kind="secondary" size="x-small" />
            </form>
          ))}
        {['confirmed', 'pending'].includes(status) ? (
          <form method="post" action={`${BASE}/${id}/absagen`} class="lotse-inline-form">
            <CsrfField token={csrf} />
            <input type="hidden" name="zurueck" value={c.req.url} />
            <Submit label="Absagen" kind="tertiary" size="x-small" />
          </form>
        ) : null}
      </div>
    );
    const days = Array.from({ length: 7 }, (_, i) => addDays(from, i)).filter((d) => loc.openingHours.some((w) => w.day === weekdayOf(d)));
    return staffPage(
      c,
      'Termine',
      <div class="lotse-stack">
        <h1 class="kern-heading-large">
          Termine {loc.name}: {week ? `Woche ab ${dayLabel('de', from)}` : dayLabel('de', date, true)} {loc.demo ? <DemoBadge /> : null}
        </h1>
        <SubNav date={date} loc={loc.id} />
        {patterns.length ? (
          <Notice kind="warning" title="Auffällige Buchungsmuster (letzte 24 Stunden)">
            <ul class="appt-alert-list">
              {patterns.map((p) => (
                <li>
                  {p.n} Buchungen von{' '}
                  {
                    {
                      email: `der E-Mail-Adresse ${p.key}`,
                      phone: `der Telefonnummer ${p.key}`,
                      domain: `der E-Mail-Domain ${p.key}`,
                      ip: `einem Anschluss (IP-Kennung ${p.key.slice(-8)})`,
                      network: `einem Netz mehrerer Anschlüsse (Netz-Kennung ${p.key.slice(0, 8)})`,
                    }[p.kind]
                  }{' '}
                  zwischen {localTime(p.first, loc.timeZone)} und {localTime(p.last, loc.timeZone)} Uhr – bitte prüfen.
                </li>
              ))}
            </ul>
          </Notice>
        ) : null}
        <nav aria-label="Zeitraum" class="appt-weeknav">
          <a class="kern-link" href={`${BASE}?datum=${addDays(date, week ? -7 : -1)}&standort=${loc.id}${week ? '&ansicht=woche' : ''}`}>
            ← {week ? 'Vorherige Woche' : 'Vorheriger Tag'}
          </a>
          <form method="get" action={BASE} class="lotse-actions">
            <input type="hidden" name="standort" value={loc.id} />
            {week ? <input type="hidden" name="ansicht" value="woche" /> : null}
            <label class="kern-label" for="datum">
              Datum
            </label>
            <input class="kern-form-input__input" type="date" id="datum" name="datum" value={date} />
            <Submit label="Anzeigen" kind="secondary" size="small" />
          </form>
          <a class="kern-link" href={`${BASE}?datum=${addDays(date, week ? 7 : 1)}&standort=${loc.id}${week ? '&ansicht=woche' : ''}`}>
            {week ? 'Nächste Woche' : 'Nächster Tag'} →
          </a>
        </nav>
        {!week ? (
          <>
            <p class="lotse-actions">
              <a class="kern-link" href={`${BASE}/export.csv?datum=${date}&standort=${loc.id}`}>
                Tagesliste als CSV
              </a>
              <a class="kern-link" href={`${BASE}/export.pdf?datum=${date}&standort=${loc.id}`}>
                Tagesliste als PDF
              </a>
            </p>
            {visible.length === 0 ? (
              <p class="appt-empty">Für diesen Tag sind keine Termine gebucht.</p>
            ) : (
              <div class="lotse-table-wrap" tabindex={0} role="region" aria-label="Tabelle, seitlich scrollbar">
                <table class="kern-table appt-cal">
                  <caption class="kern-title">
                    {visible.length} {visible.length === 1 ? 'Termin' : 'Termine'}
                  </caption>
                  <TableHead columns={['Zeit', 'Schalter', 'Anliegen', 'Name / Kontakt', 'Status', 'Aktionen']} />
                  <tbody class="kern-table__body">
                    {visible.map((b) => (
                      <tr class="kern-table__row">
                        <th scope="row" class="kern-table__cell">
                          {localTime(b.startAt, loc.timeZone)}–{localTime(b.endAt, loc.timeZone)}
                        </th>
                        <td class="kern-table__cell">{wsName(b.workstationId)}</td>
                        <td class="kern-table__cell">{b.serviceIds.map((s) => serviceTitle(setup, s)).join(', ')}</td>
                        <td class="kern-table__cell">
                          {b.name ?? '–'}
                          {b.phone ? <span class="appt-block">{b.phone}</span> : null}
                          {b.source === 'staff' ? <span class="appt-block lotse-muted">telefonisch gebucht</span> : null}
                        </td>
                        <td class="kern-table__cell">
                          <StatusBadge status={b.status} />
                        </td>
                        <td class="kern-table__cell">{actions(b.id, b.status, b.startAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        ) : (
          <div class="lotse-table-wrap" tabindex={0} role="region" aria-label="Tabelle, seitlich scrollbar">
            <table class="kern-table appt-cal">
              <caption class="kern-title">Belegung je Schalter</caption>
              <TableHead
                columns={[
                  'Schalter',
                  ...days.map((d) => ({
                    label: (
                      <a class="kern-link" href={`${BASE}?datum=${d}&standort=${loc.id}`}>
                        {dayLabel('de', d)}
                      </a>
                    ),
                  })),
                ]}
              />
              <tbody class="kern-table__body">
                {workstations.map((w) => (
                  <tr class="kern-table__row">
                    <th scope="row" class="kern-table__cell">
                      {w.name}
                      {!w.online ? <span class="appt-block lotse-muted">nur vor Ort</span> : null}
                    </th>
                    {days.map((d) => (
                      <td class="kern-table__cell">
                        {visible
                          .filter((b) => b.workstationId === w.id && localDate(b.startAt, loc.timeZone) === d)
                          .map((b) => (
                            <span class={`appt-entry appt-entry--${b.status}`}>
                              {localTime(b.startAt, loc.timeZone)} {b.serviceIds.map((s) => serviceTitle(setup, s)).join(', ')} (
                              {STATUS_LABELS[b.status]})
                            </span>
                          ))}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>,
    );
  });

  const back = (c: Context<AppEnv>, url: string) => {
    try {
      const u = new URL(url, c.var.ctx.config.baseUrl);
      return c.redirect(u.pathname.startsWith(BASE) ? u.pathname + u.search : BASE, 303);
    } catch {
      return c.redirect(BASE, 303);
    }
  };

  app.post(`${BASE}/:id/status`, manage, async (c) => {
    const body = await c.req.parseBody();
    await setAppointmentStatus(c.var.ctx, staffActor(c), c.req.param('id'), str(body.status), { requestId: c.var.requestId });
    return back(c, str(body.zurueck));
  });

  app.post(`${BASE}/:id/absagen`, manage, async (c) => {
    const body = await c.req.parseBody();
    await cancelByStaff(c.var.ctx, staffActor(c), c.req.param('id'), { requestId: c.var.requestId });
    return back(c, str(body.zurueck));
  });

  const bookForm = async (
    c: Context<AppEnv>,
    selected: string[],
    date: string,
    values: Record<string, string>,
    error?: AppError,
    done?: string,
  ) => {
    const ctx = c.var.ctx;
    const setup = await getSetup(ctx);
    let slots: Awaited<ReturnType<typeof findSlots>>['slots'] = [];
    let searchErr: AppError | undefined;
    if (selected.length) {
      const r = await errorOr(() =>
        findSlots(ctx, { serviceIds: selected, from: date, to: addDays(date, 6) }, { staff: true, limit: 300 }),
      );
      if ('ok' in r) slots = r.ok.slots;
      else searchErr = r.err;
    }
    const tz = setup.locations[0]?.timeZone ?? 'Europe/Berlin';
    const err = error ?? searchErr;
    return staffPage(
      c,
      'Termin buchen',
      <div class="lotse-stack">
        <h1 class="kern-heading-large">Termin für Anrufende buchen</h1>
        <SubNav date={date} loc={setup.locations[0]?.id ?? ''} />
        {done ? <Notice kind="success" title={done} /> : null}
        {err ? <ErrorBox title="Bitte prüfen" message={err.message} fields={err.details?.fields} /> : null}
        <form method="get" action={`${BASE}/buchen`} class="lotse-stack">
          <CheckboxGroup
            name="leistung"
            idBase="sl"
            legend="Anliegen"
            bodyClass="appt-services"
            checked={selected}
            options={setup.services.map((s) => ({ value: s.serviceId, label: `${s.title}${!s.bookable ? ' (nur intern)' : ''}` }))}
          />
          <TextField id="b-datum" name="datum" type="date" label="Ab Datum" value={date} />
          <Submit label="Freie Zeiten suchen" kind="secondary" />
        </form>
        {selected.length && !searchErr ? (
          <form method="post" action={`${BASE}/buchen`} class="lotse-form">
            <CsrfField token={c.var.csrfToken} />
            <input type="hidden" name="datum" value={date} />
            {selected.map((s) => (
              <input type="hidden" name="leistung" value={s} />
            ))}
            <SelectField
              id="b-slot"
              name="slotId"
              label="Zeit (alle Schalter, auch vor Ort)"
              required
              value={values.slotId}
              options={slots.map((s) => ({ value: s.id, label: `${dayLabel('de', s.date)} ${localTime(s.startAt, tz)} Uhr` }))}
            />
            {(
              [
                ['name', 'Name', 'text', true],
                ['email', 'E-Mail (für Bestätigung mit Kalenderdatei)', 'email', false],
                ['phone', 'Telefon', 'tel', false],
              ] as const
            ).map(([id, label, type, req]) => (
              <TextField
                id={`b-${id}`}
                name={id}
                type={type}
                label={label}
                optional={req ? undefined : 'optional'}
                value={values[id] ?? ''}
                required={req}
              />
            ))}
            <Submit label="Termin buchen" />
          </form>
        ) : null}
      </div>,
    );
  };

  app.get(`${BASE}/buchen`, manage, async (c) => {
    const d = c.req.query('datum');
    return bookForm(c, c.req.queries('leistung') ?? [], d && isIsoDate(d) && d >= todayFor(c) ? d : todayFor(c), {});
  });

  app.post(`${BASE}/buchen`, manage, async (c) => {
    const body = await c.req.parseBody({ all: true });
    const selected = list(body.leistung);
    const values = { slotId: str(body.slotId), name: str(body.name), email: str(body.email), phone: str(body.phone) };
    const date = isIsoDate(str(body.datum)) ? str(body.datum) : todayFor(c);
    const r = await errorOr(() => staffBook(c.var.ctx, staffActor(c), { ...values, serviceIds: selected }, { requestId: c.var.requestId }));
    if ('err' in r) {
      c.status(r.err.code === 'conflict' ? 409 : 422);
      return bookForm(c, selected, date, values, r.err);
    }
    const tz = (await getSetup(c.var.ctx)).locations[0]?.timeZone ?? 'Europe/Berlin';
    return bookForm(
      c,
      selected,
      date,
      {},
      undefined,
      `Gebucht: ${dayLabel('de', localDate(r.ok.startAt, tz))} ${localTime(r.ok.startAt, tz)} Uhr.`,
    );
  });

  app.get(`${BASE}/export.csv`, manage, async (c) => {
    const d = c.req.query('datum') ?? '';
    const date = isIsoDate(d) ? d : todayFor(c);
    const csv = await exportDayCsv(c.var.ctx, staffActor(c), c.req.query('standort') || undefined, date);
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="tagesliste-${date}.csv"`,
      'cache-control': 'no-store',
    });
  });

  app.get(`${BASE}/export.pdf`, manage, async (c) => {
    const d = c.req.query('datum') ?? '';
    const date = isIsoDate(d) ? d : todayFor(c);
    const pdf = await exportDayPdf(c.var.ctx, staffActor(c), c.req.query('standort') || undefined, date);
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="tagesliste-${date}.pdf"`,
      'cache-control': 'no-store',
    });
  });

  app.get(`${BASE}/warteschlange`, manage, async (c) => {
    const ctx = c.var.ctx;
    const setup = await getSetup(ctx);
    const loc = setup.locations.find((l) => l.id === c.req.query('standort')) ?? setup.locations[0]!;
    const tickets = await ticketsToday(ctx, staffActor(c), loc.id);
    const ws = setup.workstations.filter((w) => w.locationId === loc.id && w.active);
    const csrf = c.var.csrfToken;
    return staffPage(
      c,
      'Wartenummern',
      <div class="lotse-stack">
        <h1 class="kern-heading-large">Wartenummern {loc.name} (heute)</h1>
        <SubNav date={todayFor(c)} loc={loc.id} />
        <div class="lotse-actions appt-queue-actions">
          <form method="post" action={`${BASE}/warteschlange/ziehen`} class="lotse-inline-form">
            <CsrfField token={csrf} />
            <input type="hidden" name="standort" value={loc.id} />
            <Submit label="Neue Wartenummer ziehen" />
          </form>
          <a class="kern-link" href={`/termine/aufruf/${loc.id}`}>
            Aufrufanzeige für den Wartebereich öffnen
          </a>
        </div>
        {tickets.length === 0 ? (
          <p class="appt-empty">Heute wurden noch keine Wartenummern gezogen.</p>
        ) : (
          <div class="lotse-table-wrap" tabindex={0} role="region" aria-label="Tabelle, seitlich scrollbar">
            <table class="kern-table lotse-table--stack appt-queue">
              <caption class="kern-title">{tickets.filter((t) => t.status === 'waiting').length} wartend</caption>
              <TableHead columns={['Nummer', 'Gezogen', 'Status', 'Aktion']} />
              <tbody class="kern-table__body">
                {tickets.map((t) => (
                  <tr class="kern-table__row">
                    <th scope="row" class="kern-table__cell">
                      <span class="appt-stack-only">Nr. </span>
                      {t.number}
                    </th>
                    <td class="kern-table__cell" data-label="Gezogen">
                      {localTime(t.createdAt, loc.timeZone)} Uhr
                    </td>
                    <td class="kern-table__cell" data-label="Status">
                      {{
                        waiting: 'wartet',
                        called: `aufgerufen${t.workstationId ? ` an ${ws.find((w) => w.id === t.workstationId)?.name ?? ''}` : ''}`,
                        done: 'erledigt',
                        gone: 'nicht erschienen',
                      }[t.status] ?? t.status}
                    </td>
                    <td class="kern-table__cell" data-label="Aktion">
                      {t.status === 'waiting' ? (
                        <form method="post" action={`${BASE}/warteschlange/${t.id}`} class="appt-inline">
                          <CsrfField token={csrf} />
                          <input type="hidden" name="standort" value={loc.id} />
                          <input type="hidden" name="status" value="called" />
                          <label class="kern-label kern-label--small" for={`ws-${t.id}`}>
                            Schalter
                          </label>
                          <select class="kern-form-input__select" id={`ws-${t.id}`} name="workstationId">
                            {ws.map((w) => (
                              <option value={w.id}>{w.name}</option>
                            ))}
                          </select>
                          <Submit label="Aufrufen" kind="secondary" size="x-small" />
                        </form>
                      ) : t.status === 'called' ? (
                        <div class="appt-inline">
                          {(
                            [
                              ['done', 'Erledigt'],
                              ['gone', 'Nicht erschienen'],
                            ] as const
                          ).map(([s, label]) => (
                            <form method="post" action={`${BASE}/warteschlange/${t.id}`} class="lotse-inline-form">
                              <CsrfField token={csrf} />
                              <input type="hidden" name="standort" value={loc.id} />
                              <input type="hidden" name="status" value={s} />
                              <Submit label={label} kind="tertiary" size="x-small" />
                            </form>
                          ))}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>,
    );
  });

  app.post(`${BASE}/warteschlange/ziehen`, manage, async (c) => {
    const body = await c.req.parseBody();
    await drawTicket(c.var.ctx, staffActor(c), str(body.standort), null, { requestId: c.var.requestId });
    return c.redirect(`${BASE}/warteschlange?standort=${encodeURIComponent(str(body.standort))}`, 303);
  });

  app.post(`${BASE}/warteschlange/:id`, manage, async (c) => {
    const body = await c.req.parseBody();
    await updateTicketStatus(
      c.var.ctx,
      staffActor(c),
      str(body.standort),
      c.req.param('id'),
      { status: str(body.status) as 'called', workstationId: str(body.workstationId) || undefined },
      { requestId: c.var.requestId },
    );
    return c.redirect(`${BASE}/warteschlange?standort=${encodeURIComponent(str(body.standort))}`, 303);
  });

  app.get(`${BASE}/statistik`, manage, async (c) => {
    const today = todayFor(c);
    const f = c.req.query('von');
    const t = c.req.query('bis');
    const from = f && isIsoDate(f) ? f : addDays(today, -28);
    const to = t && isIsoDate(t) && t >= from ? t : addDays(today, 28);
    const s = await statistics(c.var.ctx, staffActor(c), c.req.query('standort') || undefined, from, to);
    const pct = (x: number) => `${(x * 100).toLocaleString('de-DE', { maximumFractionDigits: x > 0 && x < 0.01 ? 2 : 1 })} %`;
    const WD = ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'];
    return staffPage(
      c,
      'Statistik Termine',
      <div class="lotse-stack">
        <h1 class="kern-heading-large">
          Statistik {s.loc.name}: {dayLabel('de', from)} bis {dayLabel('de', to)}
        </h1>
        <SubNav date={today} loc={s.loc.id} />
        <form method="get" class="appt-row-form">
          <input type="hidden" name="standort" value={s.loc.id} />
          <TextField id="von" name="von" type="date" label="Von" value={from} />
          <TextField id="bis" name="bis" type="date" label="Bis" value={to} />
          <Submit label="Anzeigen" kind="secondary" />
        </form>
        <p class="kern-body">
          Auslastung (gebuchte Zeiteinheiten / angebotene Zeiteinheiten aller Schalter): <strong>{pct(s.utilisation)}</strong> (
          {s.usedUnits} von {s.capacityUnits})
        </p>
        <p class="kern-body">
          Insgesamt {s.totals.total} {s.totals.total === 1 ? 'Termin' : 'Termine'}: {s.totals.done} erledigt, {s.totals.arrived} anwesend,{' '}
          {s.totals.noshow} nicht erschienen (No-Show-Quote {pct(s.totals.noshowRate)}), {s.totals.cancelled} abgesagt; Ø Vorlauf{' '}
          {s.totals.avgLeadDays.toLocaleString('de-DE', { maximumFractionDigits: 1 })} Tage.
        </p>
        <div class="lotse-table-wrap" tabindex={0} role="region" aria-label="Tabelle, seitlich scrollbar">
          <table class="kern-table">
            <caption class="kern-title">Nach Leistung</caption>
            <TableHead
              columns={[
                'Leistung',
                { label: 'Buchungen', numeric: true },
                { label: 'Abgesagt', numeric: true },
                { label: 'Nicht erschienen', numeric: true },
                { label: 'No-Show-Quote', numeric: true },
                { label: 'Ø Vorlauf (Tage)', numeric: true },
              ]}
            />
            <tbody class="kern-table__body">
              {s.services.map((x) => (
                <tr class="kern-table__row">
                  <th scope="row" class="kern-table__cell">
                    {x.title}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">{x.total}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{x.cancelled}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{x.noshow}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{pct(x.noshowRate)}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    {x.avgLeadDays.toLocaleString('de-DE', { maximumFractionDigits: 1 })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="lotse-table-wrap" tabindex={0} role="region" aria-label="Tabelle, seitlich scrollbar">
          <table class="kern-table">
            <caption class="kern-title">Nach Wochentag</caption>
            <TableHead
              columns={[
                'Wochentag',
                { label: 'Buchungen', numeric: true },
                { label: 'Nicht erschienen', numeric: true },
                { label: 'No-Show-Quote', numeric: true },
              ]}
            />
            <tbody class="kern-table__body">
              {s.weekdays.map((w) => (
                <tr class="kern-table__row">
                  <th scope="row" class="kern-table__cell">
                    {WD[w.weekday]}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">{w.total}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{w.noshow}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{pct(w.noshowRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="kern-body kern-body--small lotse-muted">
          Ein Termin mit mehreren Leistungen zählt bei jeder Leistung, je Wochentag einmal. No-Show-Quote = nicht erschienen / (anwesend +
          erledigt + nicht erschienen); abgesagte und noch offene Termine zählen nicht mit. Vorlauf = Zeit von der Buchung bis zum Termin.
          Die Erinnerung bittet um Absage, wenn jemand nicht kommen kann.
        </p>
      </div>,
    );
  });

  mountSettings(app, configure);
}

function mountSettings(app: AppRouter, configure: ReturnType<typeof requirePermission>) {
  const PATH = `${BASE}/einstellungen`;
  const render = async (c: Context<AppEnv>, msg?: string, error?: AppError) => {
    const setup = await getSetup(c.var.ctx);
    const csrf = c.var.csrfToken;
    const num = (id: string, label: string, value: number) => <TextField id={id} name={id} type="number" label={label} value={value} />;
    return staffPage(
      c,
      'Einstellungen Termine',
      <div class="lotse-stack appt-settings">
        <h1 class="kern-heading-large">Einstellungen Terminbuchung</h1>
        <SubNav date={todayFor(c)} loc={setup.locations[0]?.id ?? ''} />
        {msg ? <Notice kind="success" title={msg} /> : null}
        {error ? <ErrorBox title="Nicht gespeichert" message={error.message} fields={error.details?.fields} /> : null}
        {setup.locations.map((l) => {
          const ws = setup.workstations.filter((w) => w.locationId === l.id);
          const online = ws.filter((w) => w.online && w.active).length;
          const active = ws.filter((w) => w.active).length;
          return (
            <section aria-labelledby={`loc-${l.id}`}>
              <h2 class="kern-heading-medium" id={`loc-${l.id}`}>
                {l.name} {l.demo ? <DemoBadge /> : null}
              </h2>
              <form method="post" action={`${PATH}/standort/${l.id}`} class="lotse-stack">
                <CsrfField token={csrf} />
                <div class="appt-row-form">
                  <TextField id={`name-${l.id}`} name="name" label="Name" value={l.name} />
                  <TextField id={`addr-${l.id}`} name="address" label="Anschrift" value={l.address} />
                  {num('slotMinutes', 'Länge einer Zeiteinheit (Minuten)', l.slotMinutes)}
                  {num('windowMinDays', 'Buchbar frühestens (Tage im Voraus)', l.windowMinDays)}
                  {num('windowMaxDays', 'Buchbar höchstens (Tage im Voraus)', l.windowMaxDays)}
                  {num('leadMinutes', 'Vorlaufzeit (Minuten)', l.leadMinutes)}
                  {num('holdMinutes', 'Reservierung beim Ausfüllen (Minuten)', l.holdMinutes)}
                  {num('pendingMinutes', 'Frist für die Bestätigung per E-Mail (Minuten)', l.pendingMinutes)}
                  {num('maxOpenPerEmail', 'Offene Termine je E-Mail-Adresse', l.maxOpenPerEmail)}
                  <TextField
                    id="maxOpenPerPhone"
                    name="maxOpenPerPhone"
                    type="number"
                    min={1}
                    max={50}
                    label="Offene Termine je Telefonnummer"
                    value={l.maxOpenPerPhone ?? 3}
                  />
                  {num('reminderHours', 'Erinnerung (Stunden vorher)', l.reminderHours)}
                </div>
                <TextArea
                  id={`oh-${l.id}`}
                  name="openingHours"
                  label="Öffnungszeiten"
                  hint={`Eine Zeile je Tag oder Tagesbereich, z. B. „Mo–Fr 08:00–12:30“; ein geteilter Tag hat zwei Zeitfenster: „Di 08:00–12:30, 14:00–16:00“. Tage: Mo Di Mi Do Fr Sa So oder ausgeschrieben. Feiertage (${l.holidayCountry}-${l.holidayState}) sind automatisch geschlossen.`}
                  value={formatOpeningHours(l.openingHours)}
                  rows={5}
                  class=""
                />
                <Submit label="Standort speichern" />
              </form>
              <h3 class="kern-heading-small">
                Schalter (online buchbar: {online} von {active} = {active ? Math.round((online / active) * 100) : 0} % der Kapazität; der
                Rest bleibt für Vorsprechende ohne Termin)
              </h3>
              {ws.map((w) => (
                <form method="post" action={`${PATH}/schalter`} class="lotse-stack appt-sep">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="id" value={w.id} />
                  <input type="hidden" name="locationId" value={l.id} />
                  <input type="hidden" name="sort" value={String(w.sort)} />
                  <div class="appt-row-form">
                    <TextField id={`wn-${w.id}`} name="name" label="Bezeichnung" value={w.name} />
                    <Checkbox id={`wo-${w.id}`} name="online" value="1" label="online buchbar" checked={w.online} />
                    <Checkbox id={`wa-${w.id}`} name="active" value="1" label="in Betrieb" checked={w.active} />
                  </div>
                  <CheckboxGroup
                    name="serviceIds"
                    idBase={`ws-${w.id}`}
                    legend={`Leistungen an ${w.name}`}
                    bodyClass="appt-services"
                    checked={w.serviceIds}
                    options={setup.services.map((s) => ({ value: s.serviceId, label: s.title }))}
                  />
                  <div class="lotse-actions">
                    <Submit label={`${w.name} speichern`} kind="secondary" size="small" />
                    <Submit
                      label={`Kalender-Link für ${w.name} erzeugen`}
                      kind="tertiary"
                      size="small"
                      formaction={`${PATH}/feed/${w.id}`}
                    />
                  </div>
                </form>
              ))}
              <h3 class="kern-heading-small">Schließtage</h3>
              <ul>
                {setup.closures
                  .filter((x) => x.locationId === l.id)
                  .map((x) => (
                    <li>
                      {dayLabel('de', x.fromDate)}
                      {x.toDate !== x.fromDate ? ` bis ${dayLabel('de', x.toDate)}` : ''}: {x.reason}{' '}
                      <form method="post" action={`${PATH}/schliessung/${x.id}/loeschen`} class="lotse-inline-form">
                        <CsrfField token={csrf} />
                        <Submit label={`Schließtag ${dayLabel('de', x.fromDate)} entfernen`} kind="tertiary" size="x-small" />
                      </form>
                    </li>
                  ))}
              </ul>
              <form method="post" action={`${PATH}/schliessung`} class="appt-row-form">
                <CsrfField token={csrf} />
                <input type="hidden" name="locationId" value={l.id} />
                <TextField id={`cf-${l.id}`} name="fromDate" type="date" label="Von" required />
                <TextField id={`ct-${l.id}`} name="toDate" type="date" label="Bis" required />
                <TextField id={`cr-${l.id}`} name="reason" label="Grund" required />
                <Submit label="Schließtag hinzufügen" kind="secondary" />
              </form>
            </section>
          );
        })}
        <section aria-labelledby="leistungen">
          <h2 class="kern-heading-medium" id="leistungen">
            Leistungen: Dauer und Buchbarkeit
          </h2>
          {setup.services.map((s) => (
            <form method="post" action={`${PATH}/leistung`} class="appt-row-form appt-sep" aria-labelledby={`sh-${s.serviceId}`}>
              <h3 class="kern-heading-small appt-row-form__head" id={`sh-${s.serviceId}`}>
                {s.title} <span class="appt-service-id lotse-muted">Kennung {s.serviceId}</span>
              </h3>
              <CsrfField token={csrf} />
              <input type="hidden" name="serviceId" value={s.serviceId} />
              <input type="hidden" name="sort" value={String(s.sort)} />
              <TextField id={`st-${s.serviceId}`} name="title" label="Titel" value={s.title} />
              <TextField id={`ss-${s.serviceId}`} name="slots" type="number" min={1} label="Zeiteinheiten" value={s.slots} />
              <TextField id={`sb-${s.serviceId}`} name="bring" label="Mitzubringen" value={s.bring} />
              <Checkbox id={`so-${s.serviceId}`} name="bookable" value="1" label="online buchbar" checked={s.bookable} />
              <button type="submit" class="kern-btn kern-btn--secondary kern-btn--small" aria-label={`${s.title} speichern`}>
                <span class="kern-label">Speichern</span>
              </button>
            </form>
          ))}
        </section>
      </div>,
    );
  };

  const handle =
    (fn: (c: Context<AppEnv>, body: Record<string, string | File | (string | File)[]>) => Promise<string>) =>
    async (c: Context<AppEnv>) => {
      const body = await c.req.parseBody({ all: true });
      try {
        const msg = await fn(c, body);
        return render(c, msg);
      } catch (e) {
        if (!isAppError(e) || !['validation', 'not_found'].includes(e.code)) throw e;
        c.status(422);
        return render(c, undefined, e);
      }
    };

  app.get(PATH, configure, (c) => render(c));
  app.post(
    `${PATH}/standort/:id`,
    configure,
    handle(async (c, b) => {
      await updateLocation(c.var.ctx, staffActor(c), c.req.param('id')!, {
        name: str(b.name),
        address: str(b.address),
        openingHours: str(b.openingHours),
        slotMinutes: str(b.slotMinutes) as never,
        windowMinDays: str(b.windowMinDays) as never,
        windowMaxDays: str(b.windowMaxDays) as never,
        leadMinutes: str(b.leadMinutes) as never,
        holdMinutes: str(b.holdMinutes) as never,
        pendingMinutes: str(b.pendingMinutes) as never,
        maxOpenPerEmail: str(b.maxOpenPerEmail) as never,
        maxOpenPerPhone: str(b.maxOpenPerPhone) as never,
        reminderHours: str(b.reminderHours) as never,
      });
      return 'Standort gespeichert.';
    }),
  );
  app.post(
    `${PATH}/schalter`,
    configure,
    handle(async (c, b) => {
      await saveWorkstation(c.var.ctx, staffActor(c), {
        id: str(b.id),
        locationId: str(b.locationId),
        name: str(b.name),
        serviceIds: list(b.serviceIds),
        online: str(b.online) === '1',
        active: str(b.active) === '1',
        sort: str(b.sort) as never,
      });
      return 'Schalter gespeichert.';
    }),
  );
  app.post(
    `${PATH}/leistung`,
    configure,
    handle(async (c, b) => {
      await saveServiceSetting(c.var.ctx, staffActor(c), {
        serviceId: str(b.serviceId),
        title: str(b.title),
        slots: str(b.slots) as never,
        bookable: str(b.bookable) === '1',
        bring: str(b.bring),
        sort: str(b.sort) as never,
      });
      return 'Leistung gespeichert.';
    }),
  );
  app.post(
    `${PATH}/schliessung`,
    configure,
    handle(async (c, b) => {
      const { affected } = await addClosure(c.var.ctx, staffActor(c), {
        locationId: str(b.locationId),
        fromDate: str(b.fromDate),
        toDate: str(b.toDate),
        reason: str(b.reason),
      });
      return affected
        ? `Schließtag hinzugefügt. Achtung: ${affected === 1 ? 'ein gebuchter Termin liegt' : `${affected} gebuchte Termine liegen`} in diesem Zeitraum – bitte in der Tagesansicht absagen (die Betroffenen bekommen dann eine E-Mail).`
        : 'Schließtag hinzugefügt.';
    }),
  );
  app.post(
    `${PATH}/schliessung/:id/loeschen`,
    configure,
    handle(async (c) => {
      await removeClosure(c.var.ctx, staffActor(c), c.req.param('id')!);
      return 'Schließtag entfernt.';
    }),
  );
  app.post(
    `${PATH}/feed/:ws`,
    configure,
    handle(async (c) => {
      const ws = c.req.param('ws')!;
      const token = await rotateFeedToken(c.var.ctx, staffActor(c), ws);
      return `Neuer Kalender-Link (nur jetzt sichtbar, der alte gilt nicht mehr): ${c.var.ctx.config.baseUrl}/api/v1/appointments/feeds/${ws}.ics?token=${token}`;
    }),
  );
}
