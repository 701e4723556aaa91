import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { AppError, isAppError, type FieldError } from '../../core/errors.ts';
import type { Lang } from '../../core/i18n/index.ts';
import { Checkbox, CheckboxGroup, CsrfField, ErrorSummary, Notice, Submit, TextField } from '../../web/components.tsx';
import { renderPage } from '../../web/layout.tsx';
import { assertReschedulable, completeHold, getHeldBooking, holdSlot } from './book-appointment.ts';
import { closedDays, findSlots } from './find-slots.ts';
import { bookingByManageToken, cancelByToken, confirmAppointment } from './manage-appointment.ts';
import { icsFor } from './mails.ts';
import type { BookingRow, LocationRow } from './repository.ts';
import { getSetup, serviceTitle, type Setup } from './rules.ts';
import { waitingRoom } from './staff.ts';
import { addDays, localDate, localTime, mondayOf, weekdayOf } from './time.ts';
import { dayLabel, tx } from './texts.ts';
import { joinWaitlist } from './waitlist.ts';
import { list, str } from '../../web/form-values.ts';
import { clientIp } from './routes-http.ts';

const CSS = <link rel="stylesheet" href="/static/app/appointments.css" />;
const POW = '/static/app/appointments-pow.js';

/** A result page of the booking flow: the title is the page's heading, with the appointments stylesheet. */
function flowPage(c: Context<AppEnv>, title: string, children: Child) {
  return renderPage(c, {
    title,
    head: CSS,
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">{title}</h1>
        {children}
      </div>
    ),
  });
}

const Steps = ({ lang, current }: { lang: Lang; current: 1 | 2 | 3 | 4 }) => (
  <ol class="appt-steps" aria-label={lang === 'en' ? 'Steps' : 'Schritte'}>
    {(['step1', 'step2', 'step3', 'step4'] as const).map((k, i) => (
      <li aria-current={i + 1 === current ? 'step' : undefined}>{tx(lang, k)}</li>
    ))}
  </ol>
);

/** Error summary of a failed submit (`#fehler`); the single problems are listed when there are several. */
export const ErrorBox = ({ title, message, fields }: { title: string; message: string; fields?: FieldError[] | undefined }) => (
  <ErrorSummary title={title} message={message} errors={fields && fields.length > 1 ? fields : []} />
);

/** German content (service names, what to bring, places) inside an English page carries lang="de". */
const De = ({ lang, children }: { lang: Lang; children: Child }) => (lang === 'de' ? <>{children}</> : <span lang="de">{children}</span>);

export function Summary({ lang, b, loc, setup }: { lang: Lang; b: BookingRow; loc: LocationRow; setup: Setup }) {
  const date = localDate(b.startAt, loc.timeZone);
  const bring = b.serviceIds.map((s) => setup.services.find((x) => x.serviceId === s)?.bring).filter(Boolean);
  return (
    <div class="appt-summary">
      <dl>
        <dt>{tx(lang, 'when')}</dt>
        <dd>
          {dayLabel(lang, date, true)}, {localTime(b.startAt, loc.timeZone)}–{localTime(b.endAt, loc.timeZone)}
          {lang === 'de' ? ' Uhr' : ''}
        </dd>
        <dt>{tx(lang, 'where')}</dt>
        <dd>
          <De lang={lang}>
            {loc.name}, {loc.address}
          </De>
        </dd>
        <dt>{tx(lang, 'what')}</dt>
        <dd>
          <De lang={lang}>{b.serviceIds.map((s) => serviceTitle(setup, s)).join(', ')}</De>
        </dd>
        {bring.length ? (
          <>
            <dt>{tx(lang, 'bring')}</dt>
            <dd>
              {bring.map((x) => (
                <span class="appt-block" lang={lang === 'de' ? undefined : 'de'}>
                  {x}
                </span>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

const PowWidget = ({ c, eager }: { c: Context<AppEnv>; eager?: boolean }) => {
  const lang = c.var.lang;
  if (c.var.ctx.config.LOTSE_CAPTCHA === 'off') return <input type="hidden" name="captcha" value="" />;
  return (
    <div>
      <input type="hidden" name="captcha" value="" />
      <p
        class="appt-pow"
        data-pow="/api/v1/appointments/captcha"
        data-pow-eager={eager ? '' : undefined}
        data-text-running={tx(lang, 'powRunning')}
        data-text-done={tx(lang, 'powDone')}
        data-text-error={tx(lang, 'powError')}
      >
        <span data-pow-status role="status" aria-live="polite"></span>
      </p>
      <noscript>
        <p class="kern-body">
          {tx(lang, 'noscript')} {c.var.ctx.town.contact.phone}
        </p>
      </noscript>
    </div>
  );
};

const hidden = (name: string, values: string[]) => values.map((v) => <input type="hidden" name={name} value={v} />);

interface BookingPageState {
  selected: string[];
  week?: string | undefined;
  replaces?: string | undefined;
  error?: AppError | undefined;
  notice?: string | undefined;
}

async function renderBookingPage(c: Context<AppEnv>, st: BookingPageState) {
  const { ctx, lang, csrfToken } = c.var;
  const setup = await getSetup(ctx);
  const bookable = setup.services.filter((s) => s.bookable);
  const loc = setup.locations[0];
  let error = st.error;
  let result: Awaited<ReturnType<typeof findSlots>> | null = null;
  const selected = st.selected.filter((s, i, a) => a.indexOf(s) === i);
  if (selected.length && loc && !error) {
    try {
      const today = localDate(ctx.now(), loc.timeZone);
      result = await findSlots(ctx, { serviceIds: selected, from: today, to: addDays(today, Math.min(62, loc.windowMaxDays + 1)) });
    } catch (e) {
      if (!isAppError(e) || e.code !== 'validation') throw e;
      error = e;
    }
  }
  const slotMinutes = loc?.slotMinutes ?? 10;
  const serviceQuery =
    selected.map((s) => `leistung=${encodeURIComponent(s)}`).join('&') +
    (st.replaces ? `&umbuchen=${encodeURIComponent(st.replaces)}` : '');
  // Week shown in the day list: requested, else the week of the earliest free time.
  const firstDate = result?.slots[0]?.date;
  const week =
    st.week && /^\d{4}-\d{2}-\d{2}$/.test(st.week)
      ? mondayOf(st.week)
      : mondayOf(firstDate ?? (loc ? localDate(ctx.now(), loc.timeZone) : '2026-01-01'));
  const todayLocal = loc ? localDate(ctx.now(), loc.timeZone) : '';
  const weekDays = Array.from({ length: 7 }, (_, i) => addDays(week, i)).filter((d) => {
    const wd = weekdayOf(d);
    return d >= todayLocal && loc?.openingHours.some((w) => w.day === wd);
  });
  const closed = loc ? closedDays(setup, loc.id, week, addDays(week, 6)) : new Map<string, string>();
  const slotForm = (content: Child) => (
    <form method="post" action="/termine/halten">
      <CsrfField token={csrfToken} />
      {hidden('leistung', selected)}
      {st.replaces ? <input type="hidden" name="umbuchen" value={st.replaces} /> : null}
      {content}
    </form>
  );
  const slotLabel = (s: { date: string; startAt: Date }) =>
    `${dayLabel(lang, s.date, true)}, ${localTime(s.startAt, loc!.timeZone)}${lang === 'de' ? ' Uhr' : ''}`;
  const lastDate = result?.slots.at(-1)?.date ?? (loc ? addDays(localDate(ctx.now(), loc.timeZone), 14) : '');
  return renderPage(c, {
    title: tx(lang, 'title'),
    demo: loc?.demo,
    head: CSS,
    scripts: [POW],
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">{tx(lang, 'title')}</h1>
        <Steps lang={lang} current={result ? 2 : 1} />
        <p class="kern-body">{tx(lang, 'intro')}</p>
        {st.notice ? <Notice kind="success" title={st.notice} /> : null}
        {st.replaces ? <Notice kind="info" title={tx(lang, 'rescheduleHint')} /> : null}
        {error ? <ErrorBox title={tx(lang, 'errorsTitle')} message={error.message} fields={error.details?.fields} /> : null}
        <form method="get" action="/termine" class="lotse-stack">
          {st.replaces ? <input type="hidden" name="umbuchen" value={st.replaces} /> : null}
          <CheckboxGroup
            name="leistung"
            idBase="l"
            legend={tx(lang, 'services')}
            legendClass="kern-label--large"
            hint={tx(lang, 'servicesHint')}
            bodyClass="appt-services"
            checked={selected}
            options={bookable.map((s) => ({
              value: s.serviceId,
              label: (
                <>
                  <De lang={lang}>{s.title}</De>{' '}
                  <span class="lotse-muted">
                    ({s.slots * slotMinutes} {tx(lang, 'minutes')})
                  </span>
                </>
              ),
            }))}
          />
          <Submit label={tx(lang, 'showTimes')} />
        </form>
        {result && loc ? (
          <section aria-labelledby="frueheste" class="lotse-stack">
            <h2 class="kern-heading-medium" id="frueheste">
              {tx(lang, 'earliest')}
            </h2>
            <p class="kern-body">
              <De lang={lang}>{result.serviceIds.map((s) => serviceTitle(setup, s)).join(' + ')}</De> · {tx(lang, 'duration')}:{' '}
              {result.units * slotMinutes} {tx(lang, 'minutes')} ·{' '}
              <De lang={lang}>
                {loc.name}, {loc.address}
              </De>
            </p>
            {result.slots.length ? (
              slotForm(
                <ul class="appt-earliest">
                  {result.slots.slice(0, 6).map((s) => (
                    <li>
                      <button type="submit" name="slotId" value={s.id} class="kern-btn kern-btn--secondary">
                        <span class="kern-label">{slotLabel(s)}</span>
                      </button>
                    </li>
                  ))}
                </ul>,
              )
            ) : (
              <p class="kern-body">{tx(lang, 'noSlots')}</p>
            )}
            <h2 class="kern-heading-medium" id="tage">
              {tx(lang, 'byDay')}: {tx(lang, 'week')} {dayLabel(lang, week)}
            </h2>
            <nav class="appt-weeknav" aria-label={tx(lang, 'byDay')}>
              <a class="kern-link" href={`/termine?${serviceQuery}&ab=${addDays(week, -7)}#tage`}>
                ← {tx(lang, 'prevWeek')}
              </a>
              <a class="kern-link" href={`/termine?${serviceQuery}&ab=${addDays(week, 7)}#tage`}>
                {tx(lang, 'nextWeek')} →
              </a>
            </nav>
            {slotForm(
              weekDays.map((d) => {
                const daySlots = result!.slots.filter((s) => s.date === d);
                return (
                  <div class="appt-day">
                    <h3 class="kern-heading-small">{dayLabel(lang, d, true)}</h3>
                    {closed.has(d) ? (
                      <p class="kern-body lotse-muted">
                        {tx(lang, 'closed')}: {closed.get(d)!.replace(/^(Feiertag|Geschlossen): /, '')}
                      </p>
                    ) : daySlots.length ? (
                      <ul class="appt-slots">
                        {daySlots.map((s) => (
                          <li>
                            <button type="submit" name="slotId" value={s.id} class="kern-btn kern-btn--tertiary" aria-label={slotLabel(s)}>
                              <span class="kern-label">{localTime(s.startAt, loc.timeZone)}</span>
                            </button>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p class="kern-body lotse-muted">{tx(lang, 'noSlotsDay')}</p>
                    )}
                  </div>
                );
              }),
            )}
            <section aria-labelledby="warteliste" class="lotse-stack">
              <h2 class="kern-heading-medium" id="warteliste">
                {tx(lang, 'waitlistTitle')}
              </h2>
              <p class="kern-body">{tx(lang, 'waitlistText')}</p>
              <form method="post" action="/termine/warteliste" class="lotse-form">
                <CsrfField token={csrfToken} />
                {hidden('leistung', selected)}
                <TextField id="w-email" name="email" type="email" label={tx(lang, 'email')} autocomplete="email" required />
                <TextField id="w-before" name="before" type="date" label={tx(lang, 'before')} value={lastDate} required />
                <PowWidget c={c} />
                <Submit label={tx(lang, 'join')} kind="secondary" />
              </form>
            </section>
          </section>
        ) : null}
      </div>
    ),
  });
}

function DataForm({
  c,
  b,
  loc,
  setup,
  hold,
  values,
  error,
}: {
  c: Context<AppEnv>;
  b: BookingRow;
  loc: LocationRow;
  setup: Setup;
  hold: string;
  values: Record<string, string>;
  error?: AppError | undefined;
}) {
  const { lang, csrfToken } = c.var;
  const fieldErr = (f: string) => error?.details?.fields?.find((x) => x.field === f)?.message;
  const input = (id: string, label: string, type: string, auto: string, required: boolean) => (
    <TextField
      name={id}
      type={type}
      label={label}
      optional={required ? undefined : tx(lang, 'optional')}
      autocomplete={auto}
      value={values[id] ?? ''}
      required={required}
      error={fieldErr(id)}
      announceError
    />
  );
  return (
    <div class="lotse-stack">
      <h1 class="kern-heading-large">{tx(lang, 'yourData')}</h1>
      <Steps lang={lang} current={3} />
      <Notice kind="info" title={tx(lang, 'heldUntil', { time: localTime(b.expiresAt!, loc.timeZone) })} />
      <Summary lang={lang} b={b} loc={loc} setup={setup} />
      {error ? <ErrorBox title={tx(lang, 'errorsTitle')} message={error.message} fields={error.details?.fields} /> : null}
      <form method="post" action={`/termine/daten/${b.id}`} class="lotse-form" novalidate>
        <CsrfField token={csrfToken} />
        <input type="hidden" name="h" value={hold} />
        {input('name', tx(lang, 'name'), 'text', 'name', true)}
        {input('email', tx(lang, 'email'), 'email', 'email', true)}
        {input('phone', tx(lang, 'phone'), 'tel', 'tel', false)}
        <Checkbox
          name="consent"
          value="ja"
          label={tx(lang, 'consent')}
          checked={values.consent === 'ja'}
          required
          error={fieldErr('consent')}
        />
        <PowWidget c={c} eager />
        <Submit label={tx(lang, 'book')} />
      </form>
    </div>
  );
}

/** Citizen pages: /termine … (booking flow, confirm and manage links, waitlist, waiting-room display). */
export function mountPublicPages(app: AppRouter): void {
  app.get('/termine', async (c) => {
    const replaces = c.req.query('umbuchen') || undefined;
    if (replaces) await assertReschedulable(c.var.ctx, replaces); // a dead link answers 410 at once, not after choosing a time
    return renderBookingPage(c, { selected: c.req.queries('leistung') ?? [], week: c.req.query('ab'), replaces });
  });

  app.post('/termine/halten', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const selected = list(body.leistung);
    const replaces = str(body.umbuchen) || undefined;
    try {
      const { booking, holdToken } = await holdSlot(
        c.var.ctx,
        { slotId: str(body.slotId), serviceIds: selected, lang: c.var.lang, replaces: replaces ?? null },
        { ip: clientIp(c), requestId: c.var.requestId },
      );
      return c.redirect(`/termine/daten/${booking.id}?h=${encodeURIComponent(holdToken)}`, 303);
    } catch (e) {
      if (!isAppError(e) || !['validation', 'conflict'].includes(e.code)) throw e;
      c.status(e.code === 'conflict' ? 409 : 422);
      return renderBookingPage(c, { selected, replaces, error: e });
    }
  });

  app.get('/termine/daten/:id', async (c) => {
    const hold = c.req.query('h') ?? '';
    const { booking, location, setup } = await getHeldBooking(c.var.ctx, c.req.param('id'), hold);
    return renderPage(c, {
      title: tx(c.var.lang, 'yourData'),
      head: CSS,
      scripts: [POW],
      demo: location.demo,
      children: <DataForm c={c} b={booking} loc={location} setup={setup} hold={hold} values={{}} />,
    });
  });

  app.post('/termine/daten/:id', async (c) => {
    const body = await c.req.parseBody();
    const hold = str(body.h);
    const id = c.req.param('id');
    const values = { name: str(body.name), email: str(body.email), phone: str(body.phone), consent: str(body.consent) };
    try {
      const { booking, location } = await completeHold(
        c.var.ctx,
        id,
        hold,
        {
          name: values.name,
          email: values.email,
          phone: values.phone,
          consent: (values.consent === 'ja') as true,
          lang: c.var.lang,
          captcha: str(body.captcha) || undefined,
        },
        { ip: clientIp(c), requestId: c.var.requestId },
      );
      return c.redirect(`/termine/gesendet?bis=${encodeURIComponent(localTime(booking.expiresAt!, location.timeZone))}`, 303);
    } catch (e) {
      if (!isAppError(e) || !['validation', 'rate_limited'].includes(e.code)) throw e;
      const { booking, location, setup } = await getHeldBooking(c.var.ctx, id, hold);
      c.status(e.code === 'rate_limited' ? 429 : 422);
      return renderPage(c, {
        title: tx(c.var.lang, 'yourData'),
        head: CSS,
        scripts: [POW],
        children: <DataForm c={c} b={booking} loc={location} setup={setup} hold={hold} values={values} error={e} />,
      });
    }
  });

  app.get('/termine/gesendet', (c) => {
    const lang = c.var.lang;
    const until = (c.req.query('bis') ?? '').replace(/[^0-9:]/g, '').slice(0, 5);
    return flowPage(
      c,
      tx(lang, 'sentTitle'),
      <>
        <Steps lang={lang} current={4} />
        <Notice kind="info" title={tx(lang, 'sentText', { time: until })} />
      </>,
    );
  });

  app.get('/termine/bestaetigen', async (c) => {
    const lang = c.var.lang;
    const t = c.req.query('t') ?? '';
    const { booking, location } = await confirmAppointment(c.var.ctx, t, { requestId: c.var.requestId });
    const setup = await getSetup(c.var.ctx);
    const { manageLink } = await import('./mails.ts');
    const manage = await manageLink(c.var.ctx, booking);
    return flowPage(
      c,
      tx(lang, 'confirmedTitle'),
      <>
        <Notice kind="success" title={tx(lang, 'confirmedText')} />
        <Summary lang={lang} b={booking} loc={location} setup={setup} />
        <p class="lotse-actions">
          <a class="kern-link" href={`/termine/kalender.ics?t=${encodeURIComponent(new URL(manage).searchParams.get('t')!)}`}>
            {tx(lang, 'addToCalendar')}
          </a>
          <a class="kern-link" href={new URL(manage).pathname + new URL(manage).search}>
            {tx(lang, 'cancel')} / {tx(lang, 'reschedule')}
          </a>
        </p>
      </>,
    );
  });

  app.get('/termine/verwalten', async (c) => {
    const lang = c.var.lang;
    const t = c.req.query('t') ?? '';
    const { booking, location, setup } = await bookingByManageToken(c.var.ctx, t);
    const active = ['confirmed', 'pending'].includes(booking.status) && booking.startAt > c.var.ctx.now();
    return flowPage(
      c,
      tx(lang, 'manageTitle'),
      <>
        <Summary lang={lang} b={booking} loc={location} setup={setup} />
        {booking.status === 'cancelled' ? <Notice kind="info" title={tx(lang, 'cancelled')} /> : null}
        {active ? (
          <div class="lotse-actions">
            <form method="post" action="/termine/verwalten" class="lotse-inline-form">
              <CsrfField token={c.var.csrfToken} />
              <input type="hidden" name="t" value={t} />
              <Submit label={tx(lang, 'cancel')} kind="secondary" />
            </form>
            <a
              class="kern-btn kern-btn--tertiary"
              href={`/termine?${booking.serviceIds.map((s) => `leistung=${encodeURIComponent(s)}`).join('&')}&umbuchen=${encodeURIComponent(t)}`}
            >
              <span class="kern-label">{tx(lang, 'reschedule')}</span>
            </a>
            <a class="kern-link" href={`/termine/kalender.ics?t=${encodeURIComponent(t)}`}>
              {tx(lang, 'addToCalendar')}
            </a>
          </div>
        ) : null}
      </>,
    );
  });

  app.post('/termine/verwalten', async (c) => {
    const lang = c.var.lang;
    const body = await c.req.parseBody();
    const t = str(body.t);
    const id = t.split('.')[0] ?? '';
    await cancelByToken(c.var.ctx, id, t, { requestId: c.var.requestId });
    return flowPage(
      c,
      tx(lang, 'manageTitle'),
      <>
        <Notice kind="success" title={tx(lang, 'cancelled')} />
        <p>
          <a class="kern-link" href="/termine">
            {tx(lang, 'back')}
          </a>
        </p>
      </>,
    );
  });

  app.get('/termine/kalender.ics', async (c) => {
    const { booking, location, setup } = await bookingByManageToken(c.var.ctx, c.req.query('t'));
    return c.body(icsFor(c.var.ctx, booking, location, setup), 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': 'attachment; filename="termin.ics"',
    });
  });

  app.post('/termine/warteliste', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const selected = list(body.leistung);
    try {
      await joinWaitlist(
        c.var.ctx,
        {
          serviceIds: selected,
          email: str(body.email),
          before: str(body.before),
          lang: c.var.lang,
          captcha: str(body.captcha) || undefined,
        },
        { ip: clientIp(c) },
      );
      return renderBookingPage(c, { selected, notice: tx(c.var.lang, 'waitlistDone') });
    } catch (e) {
      if (!isAppError(e) || e.code !== 'validation') throw e;
      c.status(422);
      return renderBookingPage(c, { selected, error: e });
    }
  });

  // Large-screen waiting-room display: ticket numbers only, no personal data, reloads itself.
  app.get('/termine/aufruf/:locationId', async (c) => {
    const d = await waitingRoom(c.var.ctx, c.req.param('locationId'));
    const now = c.var.ctx.now();
    return c.html(
      '<!doctype html>' +
      (
        <html lang="de">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{`Aufruf – ${d.loc.name}`}</title>
            <link rel="stylesheet" href="/static/kern/fonts/fira-sans.css" />
            <link rel="stylesheet" href="/static/app/appointments.css" />
            <script src="/static/app/appointments-display.js" defer />
          </head>
          <body class="appt-display">
            <main>
              <h1>
                {d.loc.name} – Aufruf <span lang="en">/ Now serving</span>
              </h1>
              {d.called.length ? (
                <ul class="appt-board" aria-live="polite">
                  {d.called.slice(0, 6).map((t) => (
                    <li>
                      <span>Nr. {t.number}</span>
                      <span class="appt-counter">→ {t.counter}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="appt-waiting">Bitte warten Sie, Sie werden aufgerufen.</p>
              )}
              <h2>Wartende Nummern</h2>
              <p class="appt-waiting">{d.waiting.length ? d.waiting.join(' ') : '–'}</p>
            </main>
            <footer>
              Stand {localTime(now, d.loc.timeZone)} Uhr · Termin buchen: {c.var.ctx.config.baseUrl}/termine
            </footer>
          </body>
        </html>
      ),
    );
  });
}

export { AppError };
