import type { Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import { listAudit, verifyAuditChain, type AuditVerifyResult } from '../../core/audit/index.ts';
import { requirePermission, userActor } from '../../core/auth/index.ts';
import { AppError } from '../../core/errors.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { jobCounts, JOB_STATUSES, listJobs, retryJob, type JobStatus } from '../../core/jobs/index.ts';
import { listOutbox, outboxCounts, OUTBOX_RETENTION, OUTBOX_STATUSES, retryMail, type OutboxStatus } from '../../core/mail-out/index.ts';
import { renderPage as renderLayout, type LayoutProps } from '../layout.tsx';
import { CsrfField, Notice, Submit } from '../components.tsx';

type C = Context<AppEnv>;

const renderPage = (c: C, props: LayoutProps) =>
  renderLayout(c, {
    ...props,
    area: 'staff',
    head: (
      <>
        <link rel="stylesheet" href="/static/app/staff.css" />
        <link rel="stylesheet" href="/static/app/ops.css" />
        {props.head}
      </>
    ),
  });

const berlin = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
/** A UTC instant as Europe/Berlin wall-clock time with seconds. */
export const formatTime = (d: Date | null): string => (d ? berlin.format(d) : '–');

const JOB_STATUS_LABELS: Record<JobStatus, string> = { queued: 'Wartend', running: 'Läuft', done: 'Erledigt', dead: 'Endgültig fehlgeschlagen' };
const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = { queued: 'Wartet auf Versand', sent: 'Versendet', dead: 'Endgültig fehlgeschlagen' };
const BADGE: Record<string, string> = { queued: 'info', running: 'info', done: 'success', sent: 'success', dead: 'danger' };
/** Background job queues in words (the code stays visible for technicians; unknown queues show only the code). */
const JOB_LABELS: Record<string, string> = {
  'mail.send': 'E-Mail versenden',
  'maintenance.daily': 'Tägliche Wartung',
  'mailroom.imap-poll': 'Postfächer abrufen',
  'mailroom.inbox-scan': 'Scanner-Ordner prüfen',
  'mailroom.retention': 'Posteingang: Löschfristen',
  'mailroom.triage-retrain': 'Zuordnung neu trainieren',
  'documents.ocr': 'Texterkennung (OCR)',
  'appointments.tick': 'Termine: Reservierungen und Erinnerungen',
  'appointments.retention': 'Termine: Löschfristen',
  'appointments.waitlist': 'Termine: Warteliste',
  'catalog.embed': 'Leistungskatalog: Bedeutungssuche',
  'insights.aggregate': 'Auswertung: Tageszahlen',
  'profile.retention': 'Mein Northeim: Löschfristen',
};
/** Kinds of outgoing mail in words (unknown kinds are shown as their code). */
const MAIL_KIND_LABELS: Record<string, string> = {
  'appointment-confirm-request': 'Termin: bitte bestätigen',
  'appointment-confirmed': 'Termin: Bestätigung',
  'appointment-reminder': 'Termin: Erinnerung',
  'appointment-cancelled': 'Termin: Absage',
  'appointment-waitlist': 'Termin: Warteliste',
  'profile-signin': 'Mein Northeim: Anmeldelink',
  'profile-notice': 'Mein Northeim: Löschhinweis',
  'mailroom-reply': 'Posteingang: Antwort',
  'mailroom-acknowledgement': 'Posteingang: Eingangsbestätigung',
};
const ACTOR_LABELS: Record<string, string> = { user: 'Benutzer', system: 'System', citizen: 'Bürger/in', cli: 'Kommandozeile' };

/** Status as text in a KERN badge (the colour is never the only information). */
const StatusBadge: FC<{ status: string; label: string }> = ({ status, label }) => (
  <span class={`kern-badge kern-badge--${BADGE[status] ?? 'info'}`}>
    <span class="kern-label kern-label--small">{label}</span>
  </span>
);

/** Filter links with counts, as a list of links (current one marked with aria-current). */
const StatusFilter: FC<{ base: string; current: string | undefined; counts: Record<string, number>; labels: Record<string, string>; label: string }> = (p) => {
  const total = Object.values(p.counts).reduce((a, b) => a + b, 0);
  const items = [{ key: undefined as string | undefined, label: 'Alle', n: total }, ...Object.keys(p.labels).map((k) => ({ key: k, label: p.labels[k]!, n: p.counts[k] ?? 0 }))];
  return (
    <nav aria-label={p.label}>
      <ul class="lotse-ops-filter">
        {items.map((i) => (
          <li>
            <a class="lotse-ops-filter__link" href={i.key ? `${p.base}?status=${i.key}` : p.base} aria-current={p.current === i.key ? 'page' : undefined}>
              {i.label} <span class="lotse-ops-filter__count">({i.n})</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
};

const Pager: FC<{ base: string; params: Record<string, string | undefined>; page: number; pageSize: number; total: number; newerLabel?: string; olderLabel?: string }> = (p) => {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  if (pages <= 1) return null;
  const href = (page: number) => {
    const q = new URLSearchParams(Object.entries({ ...p.params, seite: String(page) }).filter((e): e is [string, string] => e[1] !== undefined));
    return `${p.base}?${q}`;
  };
  return (
    <nav aria-label="Seiten" class="lotse-actions">
      {p.page > 1 ? (
        <a class="kern-link" href={href(p.page - 1)} rel="prev">
          {p.newerLabel ?? 'Vorige Seite'}
        </a>
      ) : null}
      <span class="kern-body">
        Seite {p.page} von {pages}
      </span>
      {p.page < pages ? (
        <a class="kern-link" href={href(p.page + 1)} rel="next">
          {p.olderLabel ?? 'Nächste Seite'}
        </a>
      ) : null}
    </nav>
  );
};

/** "Refresh" link, and an opt-in automatic refresh of the list region (WCAG 2.2.2: the user switches it on and off). */
const RefreshControls: FC<{ base: string; params: Record<string, string | undefined>; auto: boolean }> = (p) => {
  const q = (auto: boolean) => {
    const s = new URLSearchParams(Object.entries({ ...p.params, auto: auto ? '1' : undefined }).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return s ? `${p.base}?${s}` : p.base;
  };
  return (
    <p class="lotse-actions">
      <a class="kern-link" href={q(p.auto)}>
        Jetzt aktualisieren
      </a>
      <a class="kern-link" href={q(!p.auto)}>
        {p.auto ? 'Automatisches Aktualisieren ausschalten' : 'Alle 15 Sekunden automatisch aktualisieren'}
      </a>
    </p>
  );
};

/** The region that htmx reloads every 15 s when the user switched automatic refresh on. */
const LiveRegion: FC<{ id: string; url: string; auto: boolean; children?: Child }> = (p) => (
  <div id={p.id} {...(p.auto ? { 'hx-get': p.url, 'hx-trigger': 'every 15s', 'hx-select': `#${p.id}`, 'hx-swap': 'outerHTML' } : {})}>
    {p.children}
  </div>
);

const query = (c: C, key: string) => c.req.query(key) || undefined;
const statusParam = <T extends string>(c: C, allowed: readonly T[]): T | undefined => {
  const s = c.req.query('status');
  return (allowed as readonly string[]).includes(s ?? '') ? (s as T) : undefined;
};

// ---------------------------------------------------------------- jobs

const JOB_NOTICES: Record<string, { kind: 'success' | 'danger'; title: string }> = {
  erneut: { kind: 'success', title: 'Der Auftrag wurde erneut eingeplant.' },
};

async function jobsPage(c: C, error?: AppError) {
  const ctx = c.var.ctx;
  const actor = userActor(c.var.user!);
  const status = statusParam(c, JOB_STATUSES);
  const auto = c.req.query('auto') === '1';
  const [counts, list] = await Promise.all([jobCounts(ctx.db, actor), listJobs(ctx.db, actor, { status, page: query(c, 'seite') })]);
  const params = { status, auto: auto ? '1' : undefined };
  const notice = JOB_NOTICES[c.req.query('hinweis') ?? ''];
  const url = new URL(c.req.url);
  return renderPage(c, {
    title: 'Hintergrundaufträge',
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">Hintergrundaufträge</h1>
        {notice ? <Notice kind={notice.kind} title={notice.title} /> : null}
        {error ? <Notice kind="danger" title={error.message} /> : null}
        <p class="kern-body">
          Aufträge wie der E-Mail-Versand laufen im Hintergrund. Fehlgeschlagene Aufträge werden mit wachsendem Abstand wiederholt (5 s, 25 s, 2 min …); nach der letzten Wiederholung
          gelten sie als endgültig fehlgeschlagen und können hier erneut gestartet werden.
        </p>
        <StatusFilter base="/verwaltung/auftraege" current={status} counts={counts} labels={JOB_STATUS_LABELS} label="Aufträge nach Status" />
        <RefreshControls base="/verwaltung/auftraege" params={{ status }} auto={auto} />
        <LiveRegion id="auftraege-liste" url={url.pathname + url.search} auto={auto}>
          {list.items.length === 0 ? (
            <p class="kern-body">Keine Aufträge{status ? ` mit dem Status „${JOB_STATUS_LABELS[status]}“` : ''}.</p>
          ) : (
            <div class="lotse-table-wrap" role="region" tabindex={0} aria-labelledby="auftraege-tabelle">
              <table class="kern-table lotse-ops-table">
                <caption class="kern-title" id="auftraege-tabelle">
                  {status ? JOB_STATUS_LABELS[status] : 'Alle Aufträge'} ({list.total}), neueste zuerst
                </caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th scope="col" class="kern-table__header">Nr.</th>
                    <th scope="col" class="kern-table__header">Art</th>
                    <th scope="col" class="kern-table__header">Status</th>
                    <th scope="col" class="kern-table__header">Versuche</th>
                    <th scope="col" class="kern-table__header">Angelegt</th>
                    <th scope="col" class="kern-table__header">Nächster Lauf / beendet</th>
                    <th scope="col" class="kern-table__header">Letzter Fehler</th>
                    <th scope="col" class="kern-table__header">Aktion</th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {list.items.map((j) => (
                    <tr class="kern-table__row">
                      <th scope="row" class="kern-table__header">
                        {j.id}
                      </th>
                      <td class="kern-table__cell">
                        {JOB_LABELS[j.queue] ? (
                          <>
                            {JOB_LABELS[j.queue]} <code class="lotse-ops-id">{j.queue}</code>
                          </>
                        ) : (
                          <code>{j.queue}</code>
                        )}
                      </td>
                      <td class="kern-table__cell">
                        <StatusBadge status={j.status} label={JOB_STATUS_LABELS[j.status]} />
                      </td>
                      <td class="kern-table__cell">
                        {j.attempts} von {j.maxAttempts}
                      </td>
                      <td class="kern-table__cell">{formatTime(j.createdAt)}</td>
                      <td class="kern-table__cell">{j.status === 'done' || j.status === 'dead' ? formatTime(j.finishedAt) : formatTime(j.runAt)}</td>
                      <td class="kern-table__cell lotse-ops-error">{j.lastError ?? '–'}</td>
                      <td class="kern-table__cell">
                        {j.status === 'dead' ? (
                          <form method="post" action={`/verwaltung/auftraege/${j.id}/erneut`} class="lotse-inline-form">
                            <CsrfField token={c.var.csrfToken} />
                            <button type="submit" class="kern-btn kern-btn--secondary kern-btn--x-small" aria-label={`Auftrag ${j.id} erneut versuchen`}>
                              <span class="kern-label">erneut versuchen</span>
                            </button>
                          </form>
                        ) : (
                          '–'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager base="/verwaltung/auftraege" params={params} page={list.page} pageSize={list.pageSize} total={list.total} />
        </LiveRegion>
      </div>
    ),
  });
}

// ---------------------------------------------------------------- outbox

async function outboxPage(c: C, error?: AppError) {
  const ctx = c.var.ctx;
  const actor = userActor(c.var.user!);
  const status = statusParam(c, OUTBOX_STATUSES);
  const auto = c.req.query('auto') === '1';
  const [counts, list] = await Promise.all([outboxCounts(ctx.db, actor), listOutbox(ctx.db, actor, { status, page: query(c, 'seite') })]);
  const url = new URL(c.req.url);
  return renderPage(c, {
    title: 'Postausgang',
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">Postausgang</h1>
        {c.req.query('hinweis') === 'erneut' ? <Notice kind="success" title="Die E-Mail wird erneut versendet." /> : null}
        {error ? <Notice kind="danger" title={error.message} /> : null}
        {ctx.config.LOTSE_SMTP_URL ? (
          <p class="kern-body">E-Mails werden über den eingerichteten SMTP-Server versendet.</p>
        ) : (
          <Notice kind="info" title="Kein SMTP-Server eingerichtet" announce={false}>
            <p class="kern-body">
              Solange LOTSE_SMTP_URL nicht gesetzt ist, werden E-Mails nicht verschickt, sondern als Datei (.eml) im Datenverzeichnis unter „outbox“ abgelegt.
            </p>
          </Notice>
        )}
        <p class="kern-body">
          Zum Schutz der Empfängerinnen und Empfänger sind Adressen gekürzt, Inhalte werden nicht angezeigt. Versendete E-Mails werden nach {OUTBOX_RETENTION.sentDays} Tagen
          gelöscht, endgültig fehlgeschlagene nach {OUTBOX_RETENTION.deadDays} Tagen. Endgültig fehlgeschlagene E-Mails können Sie nach Behebung der Ursache
          (siehe „Letzter Fehler“) erneut senden.
        </p>
        <StatusFilter base="/verwaltung/postausgang" current={status} counts={counts} labels={OUTBOX_STATUS_LABELS} label="E-Mails nach Status" />
        <RefreshControls base="/verwaltung/postausgang" params={{ status }} auto={auto} />
        <LiveRegion id="postausgang-liste" url={url.pathname + url.search} auto={auto}>
          {list.items.length === 0 ? (
            <p class="kern-body">Keine E-Mails{status ? ` mit dem Status „${OUTBOX_STATUS_LABELS[status]}“` : ''}.</p>
          ) : (
            <div class="lotse-table-wrap" role="region" tabindex={0} aria-labelledby="postausgang-tabelle">
              <table class="kern-table lotse-ops-table">
                <caption class="kern-title" id="postausgang-tabelle">
                  {status ? OUTBOX_STATUS_LABELS[status] : 'Alle E-Mails'} ({list.total}), neueste zuerst
                </caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th scope="col" class="kern-table__header">Betreff</th>
                    <th scope="col" class="kern-table__header">Art</th>
                    <th scope="col" class="kern-table__header">Empfänger</th>
                    <th scope="col" class="kern-table__header">Status</th>
                    <th scope="col" class="kern-table__header">Versuche</th>
                    <th scope="col" class="kern-table__header">Angelegt</th>
                    <th scope="col" class="kern-table__header">Versendet / nächster Versuch</th>
                    <th scope="col" class="kern-table__header">Letzter Fehler</th>
                    <th scope="col" class="kern-table__header">Aktion</th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {list.items.map((m) => (
                    <tr class="kern-table__row">
                      <th scope="row" class="kern-table__header">
                        {m.subject}
                        {m.attachmentCount ? <span class="lotse-muted"> ({m.attachmentCount} Anhang{m.attachmentCount > 1 ? 'e' : ''})</span> : null}
                      </th>
                      <td class="kern-table__cell">{MAIL_KIND_LABELS[m.kind] ?? <code>{m.kind}</code>}</td>
                      <td class="kern-table__cell">{m.recipient}</td>
                      <td class="kern-table__cell">
                        <StatusBadge status={m.status} label={OUTBOX_STATUS_LABELS[m.status]} />
                      </td>
                      <td class="kern-table__cell">{m.attempts}</td>
                      <td class="kern-table__cell">{formatTime(m.createdAt)}</td>
                      <td class="kern-table__cell">
                        {m.status === 'sent'
                          ? `${formatTime(m.sentAt)} (${m.transport === 'file' ? 'als Datei' : 'SMTP'})`
                          : m.status === 'queued'
                            ? formatTime(m.nextAttemptAt)
                            : '–'}
                      </td>
                      <td class="kern-table__cell lotse-ops-error">{m.lastError ?? '–'}</td>
                      <td class="kern-table__cell">
                        {m.status === 'dead' ? (
                          <form method="post" action={`/verwaltung/postausgang/${m.id}/erneut`} class="lotse-inline-form">
                            <CsrfField token={c.var.csrfToken} />
                            <button type="submit" class="kern-btn kern-btn--secondary kern-btn--x-small" aria-label={`E-Mail „${m.subject}“ erneut senden`}>
                              <span class="kern-label">erneut senden</span>
                            </button>
                          </form>
                        ) : (
                          '–'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager base="/verwaltung/postausgang" params={{ status, auto: auto ? '1' : undefined }} page={list.page} pageSize={list.pageSize} total={list.total} />
        </LiveRegion>
      </div>
    ),
  });
}

// ---------------------------------------------------------------- audit log

const VerifyResult: FC<{ result: AuditVerifyResult }> = ({ result }) =>
  result.ok ? (
    <Notice kind="success" title={`Die Kette ist unverändert: ${result.checked} Einträge geprüft.`}>
      <p class="kern-body">
        Kettenende: Eintrag Nr. {result.head.seq} (Position {result.head.chainPos}), Prüfsumme <code class="lotse-ops-hash">{result.head.hash}</code>
        {result.pending ? ` · ${result.pending} Einträge werden gerade versiegelt.` : ''}
      </p>
    </Notice>
  ) : (
    <Notice kind="danger" title="Das Prüfprotokoll wurde verändert.">
      <p class="kern-body">
        {result.firstBroken!.message} Intakt bis Eintrag Nr. {result.head.seq} (Position {result.head.chainPos}). Bitte informieren Sie die Informationssicherheit und sichern Sie die Datenbank unverändert.
      </p>
    </Notice>
  );

/** The change as "key: value · key: value" (nested values as compact JSON), at most 200 characters. */
const summaryText = (s: unknown): string => {
  if (!s || (typeof s === 'object' && Object.keys(s).length === 0)) return '–';
  const text =
    typeof s === 'object' && !Array.isArray(s)
      ? Object.entries(s as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' · ')
      : JSON.stringify(s);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

async function auditPage(c: C) {
  const ctx = c.var.ctx;
  const actor = userActor(c.var.user!);
  const list = await listAudit(ctx.db, actor, { page: query(c, 'seite') ?? 1, pageSize: 50 });
  const result = c.req.query('pruefen') === '1' ? await verifyAuditChain(ctx.db) : null;
  return renderPage(c, {
    title: 'Prüfprotokoll',
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">Prüfprotokoll</h1>
        <p class="kern-body">
          Jede Änderung in Lotse wird hier fortlaufend vermerkt: wer (Kennung, keine Namen), was, wann und an welchem Objekt. Jeder Eintrag ist über eine Prüfsumme mit dem vorigen
          verkettet; die Datenbank lässt Änderungen und Löschungen nicht zu. „Kette prüfen“ rechnet alle Prüfsummen nach.
        </p>
        <form method="get" action="/verwaltung/protokoll" class="lotse-actions">
          <input type="hidden" name="pruefen" value="1" />
          <Submit label="Kette prüfen" kind="secondary" />
        </form>
        <div id="pruefergebnis">{result ? <VerifyResult result={result} /> : null}</div>
        {list.items.length === 0 ? (
          <p class="kern-body">Noch keine Einträge.</p>
        ) : (
          <div class="lotse-table-wrap" role="region" tabindex={0} aria-labelledby="protokoll-tabelle">
            <table class="kern-table lotse-ops-table">
              <caption class="kern-title" id="protokoll-tabelle">Einträge {list.total ? `(${list.total})` : ''}, neueste zuerst</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th scope="col" class="kern-table__header">Nr.</th>
                  <th scope="col" class="kern-table__header">Zeit</th>
                  <th scope="col" class="kern-table__header">Akteur</th>
                  <th scope="col" class="kern-table__header">Aktion</th>
                  <th scope="col" class="kern-table__header">Objekt</th>
                  <th scope="col" class="kern-table__header">Änderung</th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {list.items.map((e) => (
                  <tr class="kern-table__row">
                    <th scope="row" class="kern-table__header">
                      {e.seq}
                    </th>
                    <td class="kern-table__cell lotse-ops-nowrap">{formatTime(e.at)}</td>
                    <td class="kern-table__cell">
                      {ACTOR_LABELS[e.actorType] ?? e.actorType}
                      {e.actorId ? (
                        <>
                          {' '}
                          <code class="lotse-ops-id">{e.actorId}</code>
                        </>
                      ) : null}
                    </td>
                    <td class="kern-table__cell">
                      <code>{e.action}</code>
                    </td>
                    <td class="kern-table__cell">
                      {e.objectType}
                      {e.objectId ? (
                        <>
                          {' '}
                          <code class="lotse-ops-id">{e.objectId}</code>
                        </>
                      ) : null}
                    </td>
                    <td class="kern-table__cell">
                      <code class="lotse-ops-summary">{summaryText(e.summary)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager base="/verwaltung/protokoll" params={{}} page={list.page} pageSize={list.pageSize} total={list.total} newerLabel="Neuere Einträge" olderLabel="Ältere Einträge" />
      </div>
    ),
  });
}

/**
 * POST handler for "erneut versuchen/senden": runs the retry use case, answers a stale or unknown
 * entry with 409/404 and the list page showing the reason, else redirects back to the list.
 */
function retryHandler(
  retry: (db: C['var']['ctx']['db'], actor: ReturnType<typeof userActor>, id: string, requestId: string) => Promise<unknown>,
  page: (c: C, error?: AppError) => Promise<Response>,
  listPath: string,
) {
  return async (c: C) => {
    try {
      await retry(c.var.ctx.db, userActor(c.var.user!), c.req.param('id')!, c.var.requestId);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'conflict' || e.code === 'not_found')) {
        c.status(e.code === 'conflict' ? 409 : 404);
        return page(c, e);
      }
      throw e;
    }
    return c.redirect(`${listPath}?hinweis=erneut`, 303);
  };
}

/** Admin pages for background jobs, outbox and audit log. */
export function mountOpsPages(app: AppRouter): void {
  const jobsGuard = requirePermission('admin.jobs');
  app.get('/verwaltung/auftraege', jobsGuard, (c) => jobsPage(c));
  app.post('/verwaltung/auftraege/:id/erneut', jobsGuard, retryHandler(retryJob, jobsPage, '/verwaltung/auftraege'));
  app.get('/verwaltung/postausgang', jobsGuard, (c) => outboxPage(c));
  app.post('/verwaltung/postausgang/:id/erneut', jobsGuard, retryHandler(retryMail, outboxPage, '/verwaltung/postausgang'));
  app.get('/verwaltung/protokoll', requirePermission('audit.read'), (c) => auditPage(c));
}
