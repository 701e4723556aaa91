import type { Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import type { AppContext } from '../../../core/context.ts';
import { requirePermission, userActor } from '../../../core/auth/index.ts';
import type { AppRouter } from '../../../core/http/app.ts';
import type { AppEnv } from '../../../core/http/env.ts';
import { berlinDateTime, formatBerlin, TableHead } from '../../../web/components.tsx';
import { InvoiceView } from '../invoices/invoice-view.tsx';
import type { InvoiceJson, InvoiceModel } from '../invoices/types.ts';
import { documentApi } from './api.ts';
import { MailroomNav, canConfigure, mailroomPage } from '../nav.tsx';
import { documentTop3 } from '../review/review-queue.ts';
import { WhyList } from '../review/why.tsx';
import { RelatedCase } from '../replies/related-case.tsx';
import { findTicketOf } from '../replies/repository.ts';
import type { RelatedDocument } from '../replies/case-links.ts';
import { DOCUMENT_STATUSES, getDocument, listInbox, openOriginal } from './list-inbox.ts';
import type { DocumentRow } from './schema.ts';

type C = Context<AppEnv>;

export const STATUS_LABELS: Record<string, string> = {
  received: 'Eingegangen',
  processing: 'In Bearbeitung (OCR)',
  routed: 'Zugeordnet',
  review: 'Zur Prüfung',
  rejected: 'Abgelehnt',
  duplicate: 'Doppelt',
  automatic: 'Automatische Nachricht',
};
const SOURCE_LABELS: Record<string, string> = { upload: 'Hochgeladen', imap: 'E-Mail-Postfach (IMAP)', folder: 'Scanner-Ordner', 'email-attachment': 'Anhang einer E-Mail' };
const STATUS_BADGE: Record<string, string> = { received: 'info', processing: 'info', routed: 'success', review: 'warning', rejected: 'danger', duplicate: 'warning', automatic: 'info' };
export const KIND_LABELS: Record<string, string> = {
  'xrechnung-ubl': 'XRechnung (UBL)',
  'xrechnung-cii': 'XRechnung (CII)',
  zugferd: 'ZUGFeRD',
  pdf: 'PDF',
  scan: 'Scan',
  image: 'Bild',
  email: 'E-Mail',
  unknown: 'Unbekannt',
};


/** Status in words inside a badge (colour is never the only information). */
export const DocumentStatusBadge: FC<{ status: string }> = ({ status }) => (
  <span class={`kern-badge kern-badge--${STATUS_BADGE[status] ?? 'info'}`}>
    <span class="kern-label kern-label--small">{STATUS_LABELS[status] ?? status}</span>
  </span>
);

const staffPage = (c: C, title: string, children: Child) => mailroomPage(c, title, children);

async function inboxPage(c: C) {
  const status = c.req.query('status') || undefined;
  const { rows, counts } = await listInbox(c.var.ctx, userActor(c.var.user!), { status });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return staffPage(
    c,
    'Posteingang',
    <div class="lotse-stack">
      <h1 class="kern-heading-large">Posteingang</h1>
      <MailroomNav here="list" canConfigure={canConfigure(c)} />
      <p class="kern-body">Eingegangene Dokumente mit Status und Grund. Die Originaldatei wird immer aufbewahrt.</p>
      <p class="lotse-mr-actions">
        <a class="kern-btn kern-btn--primary" href="/verwaltung/posteingang/hochladen">
          <span class="kern-label">Dateien hochladen</span>
        </a>
        <a class="kern-btn kern-btn--secondary" href="/verwaltung/posteingang/pruefen">
          <span class="kern-label">Prüfwarteschlange ({counts.review ?? 0})</span>
        </a>
      </p>
      <nav aria-label="Nach Status filtern">
        <ul class="lotse-ops-filter">
          {[{ key: undefined as string | undefined, n: total }, ...DOCUMENT_STATUSES.map((k) => ({ key: k as string | undefined, n: counts[k] ?? 0 }))].map((i) => (
            <li>
              <a class="lotse-ops-filter__link" href={i.key ? `/verwaltung/posteingang?status=${i.key}` : '/verwaltung/posteingang'} aria-current={status === i.key ? 'page' : undefined}>
                {i.key ? STATUS_LABELS[i.key] : 'Alle'} ({i.n})
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p class="kern-body">
          Keine Dokumente{status ? ` mit Status „${STATUS_LABELS[status] ?? status}“` : ''}.
          {total === 0 ? ' Dokumente kommen hier an, sobald jemand Dateien hochlädt, ein IMAP-Postfach abgerufen wird oder der Scanner-Ordner (LOTSE_INBOX_DIR) neue Dateien enthält.' : ''}
        </p>
      ) : (
        <div class="kern-table-responsive" tabindex={0} role="region" aria-label="Dokumente">
          <table class="kern-table kern-table--small lotse-table--stack">
            <caption class="kern-sr-only">Eingegangene Dokumente, neueste zuerst</caption>
            <TableHead columns={['Nr.', 'Eingang', 'Datei', 'Art', 'Status', 'Kategorie', { label: 'Sicherheit', numeric: true }, 'Grund']} />
            <tbody class="kern-table__body">
              {rows.map((r) => (
                <tr class="kern-table__row">
                  <td class="kern-table__cell" data-label="Nr.">
                    <a class="kern-link" href={`/verwaltung/posteingang/${r.id}`}>
                      {r.id}
                    </a>
                  </td>
                  <td class="kern-table__cell" data-label="Eingang">{berlinDateTime.format(r.createdAt)}</td>
                  <td class="kern-table__cell" data-label="Datei">{r.originalFilename}</td>
                  <td class="kern-table__cell" data-label="Art">{KIND_LABELS[r.kind] ?? r.kind}</td>
                  <td class="kern-table__cell" data-label="Status">
                    <DocumentStatusBadge status={r.status} />
                  </td>
                  <td class="kern-table__cell" data-label="Kategorie">{r.category ?? '–'}</td>
                  <td class="kern-table__cell kern-table__cell--numeric" data-label="Sicherheit">{r.confidence === null ? '–' : `${Math.round(r.confidence * 100)} %`}</td>
                  <td class="kern-table__cell" data-label="Grund">{r.reason ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>,
  );
}

/** What the mail triage stored on an e-mail document (`fields.mail`). */
interface MailInfo {
  isReply?: boolean;
  isAutoReply?: boolean;
  isBounce?: boolean;
  decidedBy?: string;
  top?: { category: string; score: number }[];
}

function invoiceOf(row: DocumentRow): { model: InvoiceModel; json: InvoiceJson } | null {
  const f = row.fields as { model?: InvoiceModel; invoice?: InvoiceJson };
  return f?.model && f.invoice ? { model: f.model, json: f.invoice } : null;
}

async function detailPage(c: C) {
  const row = await getDocument(c.var.ctx, userActor(c.var.user!), Number(c.req.param('id')));
  const inv = invoiceOf(row);
  const f = row.fields as { mail?: MailInfo; relatedDocuments?: RelatedDocument[] };
  const mailInfo = f?.mail;
  const related = f?.relatedDocuments ?? [];
  const top3 = await documentTop3(c.var.ctx, row);
  const caseNumber = await findTicketOf(c.var.ctx.db, row.id);
  const canReply = row.kind === 'email' && row.status !== 'automatic' && !mailInfo?.isAutoReply && !mailInfo?.isBounce;
  const dl: [string, string][] = [
    ['Datei', row.originalFilename],
    ['Eingang', formatBerlin(row.createdAt)],
    ['Quelle', SOURCE_LABELS[row.source] ?? row.source],
    ['Art', KIND_LABELS[row.kind] ?? row.kind],
    ...(typeof (row.fields as { subject?: unknown })?.subject === 'string' && (row.fields as { subject: string }).subject.trim() ? ([['Betreff', (row.fields as { subject: string }).subject]] as [string, string][]) : []),
    ['Erkannter Dateityp', row.mime],
    ['Größe', `${new Intl.NumberFormat('de-DE').format(row.size)} Byte`],
    ['Seiten', row.pages ? String(row.pages) : '–'],
    ['Texterkennung (OCR)', row.ocr ? 'ja' : 'nein'],
    ['Kategorie', row.category ?? '–'],
    ['Fachbereich', c.var.ctx.town.departments.find((d) => d.key === row.department)?.name ?? row.department ?? '–'],
    ['Sicherheit', row.confidence === null ? '–' : `${Math.round(row.confidence * 100)} %`],
    ['Regel-/Modellversion', row.modelVersion ?? '–'],
    ...(caseNumber ? ([['Vorgangsnummer', `${caseNumber} (in Antworten und Eingangsbestätigungen als [#${caseNumber}])`]] as [string, string][]) : []),
    ['Aufbewahren bis', row.retentionUntil ? new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin' }).format(row.retentionUntil) : '–'],
    ['SHA-256', row.sha256],
  ];
  return staffPage(
    c,
    `Dokument ${row.id}`,
    <div class="lotse-stack">
      <h1 class="kern-heading-large">Dokument {row.id}</h1>
      <MailroomNav here="document" canConfigure={canConfigure(c)} />
      <p class="kern-body">
        Status: <DocumentStatusBadge status={row.status} />
        {row.reason ? ` – ${row.reason}` : ''}
        {row.duplicateOf ? (
          <>
            {' '}
            (
            <a class="kern-link" href={`/verwaltung/posteingang/${row.duplicateOf}`}>
              Dokument {row.duplicateOf}
            </a>
            )
          </>
        ) : null}
      </p>
      <RelatedCase related={related} isReply={!!mailInfo?.isReply} />
      <dl class="kern-description-list">
        {dl.map(([k, v]) => (
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{k}</dt>
            <dd class="kern-description-list-item__value">{v}</dd>
          </div>
        ))}
      </dl>
      {top3 ? (
        <section aria-labelledby="doc-top3-h">
          <h2 class="kern-heading-medium" id="doc-top3-h">
            Wahrscheinlichste Kategorien
          </h2>
          <ol class="lotse-mr-top3">
            {top3.top.map((t) => (
              <li>
                {t.category}: {Math.round(t.score * 100)} %
              </li>
            ))}
          </ol>
          <WhyList why={top3.why} />
          <p class="kern-body kern-body--small">
            Quelle: {top3.source}. Regel-/Modellversion des Ergebnisses: {row.modelVersion ?? '–'}
          </p>
        </section>
      ) : null}
      <p class="lotse-mr-actions">
        {canReply ? (
          <a class="kern-btn kern-btn--primary" href={`/verwaltung/posteingang/${row.id}/antwort`}>
            <span class="kern-label">Antwort entwerfen</span>
          </a>
        ) : null}
        <a class="kern-link" href={`/verwaltung/posteingang/${row.id}/original`} download>
          Originaldatei herunterladen ({row.originalFilename})
        </a>
      </p>
      {inv ? <InvoiceView model={inv.model} json={inv.json} /> : null}
    </div>,
  );
}

/** Staff pages of the document inbox (permission `mailroom.process`). */
export function documentRoutes(app: AppRouter, api: AppRouter, _ctx: AppContext): void {
  documentApi(api);
  app.get('/verwaltung/posteingang', requirePermission('mailroom.process'), (c) => inboxPage(c));
  app.get('/verwaltung/posteingang/:id{[0-9]+}', requirePermission('mailroom.process'), (c) => detailPage(c));
  app.get('/verwaltung/posteingang/:id{[0-9]+}/original', requirePermission('mailroom.process'), async (c) => {
    const { row, buffer } = await openOriginal(c.var.ctx, userActor(c.var.user!), Number(c.req.param('id')));
    // Always a download with the detected type and nosniff: an uploaded HTML/SVG must never render in our origin.
    const safeName = row.originalFilename.replace(/[^\w.\- äöüÄÖÜß]/g, '_');
    return c.body(new Uint8Array(buffer), 200, {
      'content-type': row.mime === 'text/plain' ? 'text/plain; charset=utf-8' : row.mime,
      'content-disposition': `attachment; filename="${safeName}"; filename*=UTF-8''${encodeURIComponent(row.originalFilename)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
  });
}
