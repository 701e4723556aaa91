import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppContext } from '../../core/context.ts';
import { requirePermission, userActor } from '../../core/auth/index.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { CsrfField, Notice, SelectField, Submit, TableHead, TextArea, TextField } from '../../web/components.tsx';
import { MailroomNav, canConfigure, mailroomPage } from './nav.tsx';
import { mailboxRoutes } from './mailbox-routes.tsx';
import { ReplyDraftInfo } from './replies/reply-draft-info.tsx';
import { DocumentStatusBadge, KIND_LABELS, STATUS_LABELS } from './documents/routes.tsx';
import { MAX_UPLOAD_FILES, uploadDocuments, type UploadedFileResult } from './intake/upload-documents.ts';
import { AI_DISCLOSURE, draftReply, sendReply } from './review/reply.ts';
import { listReviewQueue, requestRetrain, resolveReview } from './review/review-queue.ts';
import { WhyList } from './review/why.tsx';

type C = Context<AppEnv>;

const berlin = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const pct = (x: unknown) => (typeof x === 'number' ? `${Math.round(x * 100)} %` : '–');

const page = (c: C, title: string, children: Child) => mailroomPage(c, title, children, ['/static/app/mailroom-intake.js']);

function uploadPage(c: C, results: UploadedFileResult[] | null, error: string | null = null) {
  return page(
    c,
    'Dateien hochladen – Posteingang',
    <div class="lotse-stack">
      <h1 class="kern-heading-large">Dateien hochladen</h1>
      <MailroomNav here="upload" canConfigure={canConfigure(c)} />
      <p class="kern-body">
        PDF, XRechnung/ZUGFeRD, Bilder (PNG, JPEG, TIFF) oder E-Mails (.eml), bis zu {MAX_UPLOAD_FILES} Dateien auf einmal. Jede Datei bekommt einen Status und einen Grund; die Originaldatei wird immer aufbewahrt.
      </p>
      {error ? <Notice kind="danger" title={error} /> : null}
      {results ? <UploadResults results={results} /> : null}
      <form method="post" action="/verwaltung/posteingang/hochladen" enctype="multipart/form-data" class="lotse-stack" data-mailroom-upload>
        <CsrfField token={c.var.csrfToken} />
        <TextField
          id="mr-files"
          name="files"
          type="file"
          multiple
          required
          label="Dateien auswählen oder hierher ziehen"
          hint="Mehrere Dateien möglich. Große Scans werden im Hintergrund gelesen (Texterkennung)."
          frameClass="lotse-dropzone"
          frameAttrs={{ 'data-dropzone': '' }}
          after={<p class="kern-body kern-body--small" data-dropzone-count aria-live="polite"></p>}
        />
        <Submit label="Hochladen" />
      </form>
    </div>,
  );
}

const UploadResults = ({ results }: { results: UploadedFileResult[] }) => (
  <section aria-labelledby="mr-results-h" class="lotse-stack">
    <h2 class="kern-heading-medium" id="mr-results-h">
      Ergebnis ({results.length} {results.length === 1 ? 'Datei' : 'Dateien'})
    </h2>
    <div class="kern-table-responsive" tabindex={0} role="region" aria-label="Ergebnis des Hochladens">
      <table class="kern-table kern-table--small">
        <TableHead columns={['Datei', 'Status', 'Kategorie', 'Fachbereich', 'Grund']} />
        <tbody class="kern-table__body">
          {results.map((r) => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">
                {r.documentId ? (
                  <a class="kern-link" href={`/verwaltung/posteingang/${r.documentId}`}>
                    {r.filename}
                  </a>
                ) : (
                  r.filename
                )}
              </td>
              <td class="kern-table__cell">
                <DocumentStatusBadge status={r.status} />
              </td>
              <td class="kern-table__cell">{r.category ?? '–'}</td>
              <td class="kern-table__cell">{r.department ?? '–'}</td>
              <td class="kern-table__cell">{r.reason ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </section>
);

async function reviewPage(c: C) {
  const ctx = c.var.ctx;
  const category = c.req.query('category') || undefined;
  const { rows, categories, model, top3, why } = await listReviewQueue(ctx, userActor(c.var.user!), { category });
  const done = c.req.query('done');
  const retrain = c.req.query('retrain');
  const f = (model?.figures ?? {}) as Record<string, unknown>;
  const deps = ctx.town.departments;
  return page(
    c,
    'Prüfwarteschlange – Posteingang',
    <div class="lotse-stack">
      <h1 class="kern-heading-large">Prüfwarteschlange</h1>
      <MailroomNav here="review" canConfigure={canConfigure(c)} />
      <p class="kern-body">Dokumente, bei denen die Maschine unsicher war oder eine Prüfung fehlschlug. Ihre Zuordnung wird gespeichert und dient als Trainingsbeispiel.</p>
      {done ? <Notice kind="success" title={`Dokument ${done} wurde zugeordnet.`} /> : null}
      {retrain ? <Notice kind="info" title={retrain === '1' ? 'Das Neutraining wurde in Auftrag gegeben.' : 'Ein Neutraining ist bereits in Auftrag.'} /> : null}
      <section class="kern-card lotse-mr-model" aria-labelledby="mr-model-h">
        <div class="kern-card__container">
          <h2 class="kern-heading-medium" id="mr-model-h">
            Klassifikationsmodell
          </h2>
          {model ? (
            <dl class="lotse-mr-dl">
              <dt>Aktive Version</dt>
              <dd>
                {model.name} v{model.version} ({berlin.format(new Date(model.createdAt))} Uhr, {model.trainingRows} Trainingsbeispiele)
              </dd>
              <dt>Genauigkeit (zurückgehaltene Daten)</dt>
              <dd>{pct(f.accuracy)}</dd>
              <dt>Makro-F1</dt>
              <dd>{pct(f.macroF1)}</dd>
              <dt>Richtige Kategorie unter den ersten drei</dt>
              <dd>{pct(f.top3)}</dd>
              <dt>Zielpräzision</dt>
              <dd>{pct(model.targetPrecision)}</dd>
              <dt>Erwarteter Anteil automatisch zugeordnet</dt>
              <dd>
                {pct(f.expectedCoverage)} (Präzision dabei {pct(f.expectedPrecision)})
              </dd>
            </dl>
          ) : (
            <p class="kern-body">Noch kein Modell trainiert: Alle Dokumente ohne Regelzuordnung kommen in diese Warteschlange.</p>
          )}
          <form method="post" action="/verwaltung/posteingang/pruefen/neu-trainieren">
            <CsrfField token={c.var.csrfToken} />
            <Submit label="Modell neu trainieren" kind="secondary" />
          </form>
        </div>
      </section>
      <form method="get" action="/verwaltung/posteingang/pruefen" class="lotse-mr-filter">
        <SelectField id="mr-cat-filter" name="category" label="Kategorie" value={category} options={[{ value: '', label: 'Alle' }, ...categories.map((k) => ({ value: k, label: k }))]} />
        <Submit label="Filtern" kind="secondary" />
      </form>
      <h2 class="kern-heading-medium">Offen ({rows.length})</h2>
      {rows.length === 0 ? <p class="kern-body">Nichts zu prüfen.</p> : null}
      <ul class="lotse-mr-queue">
        {rows.map((r) => (
          <li class="kern-card">
            <div class="kern-card__container lotse-stack">
              <h3 class="kern-heading-small">
                <a class="kern-link" href={`/verwaltung/posteingang/${r.id}`}>
                  Dokument {r.id}: {r.originalFilename}
                </a>
              </h3>
              <p class="kern-body">
                <DocumentStatusBadge status={r.status} /> {KIND_LABELS[r.kind] ?? r.kind}, eingegangen {berlin.format(r.createdAt)} Uhr
              </p>
              <dl class="lotse-mr-dl">
                <dt>Grund</dt>
                <dd>{r.reason ?? '–'}</dd>
                <dt>Vorschlag</dt>
                <dd>
                  {r.category ?? 'keiner'} (Sicherheit {pct(r.confidence)})
                </dd>
                {top3[r.id] ? (
                  <>
                    <dt>Die drei wahrscheinlichsten Kategorien</dt>
                    <dd>{top3[r.id]!.map((x) => `${x.category} ${pct(x.score)}`).join(' · ')}</dd>
                    {why[r.id] ? <dd><WhyList why={why[r.id]} /></dd> : null}
                  </>
                ) : null}
                <dt>Version</dt>
                <dd>{r.modelVersion ?? '–'}</dd>
              </dl>
              <form method="post" action={`/verwaltung/posteingang/pruefen/${r.id}`} class="lotse-mr-resolve">
                <CsrfField token={c.var.csrfToken} />
                <SelectField
                  id={`mr-cat-${r.id}`}
                  name="category"
                  label="Kategorie"
                  required
                  value={r.category}
                  options={[{ value: '', label: 'Bitte wählen' }, ...categories.map((k) => ({ value: k, label: k }))]}
                />
                <SelectField
                  id={`mr-dep-${r.id}`}
                  name="department"
                  label="Fachbereich"
                  required
                  value={r.department}
                  options={[{ value: '', label: 'Bitte wählen' }, ...deps.map((d) => ({ value: d.key, label: d.name }))]}
                />
                <Submit label="Zuordnen" />
                {r.kind === 'email' ? (
                  <a class="kern-link" href={`/verwaltung/posteingang/${r.id}/antwort`}>
                    Antwort entwerfen
                  </a>
                ) : null}
              </form>
            </div>
          </li>
        ))}
      </ul>
    </div>,
  );
}

async function replyPage(c: C, sent: string | null = null) {
  const id = Number(c.req.param('id'));
  const draft = await draftReply(c.var.ctx, userActor(c.var.user!), id);
  return page(
    c,
    'Antwort entwerfen – Posteingang',
    <div class="lotse-stack">
      <h1 class="kern-heading-large">Antwort auf Dokument {id}</h1>
      <MailroomNav here="reply" canConfigure={canConfigure(c)} />
      {sent ? <Notice kind="success" title="Die Antwort liegt im Postausgang." /> : null}
      <p class="kern-body">Nur informierende Antworten, keine Entscheidungen. Empfänger ist der Absender der E-Mail. Bitte den Vorschlag prüfen und bearbeiten.</p>
      <ReplyDraftInfo draft={draft} />
      <form method="post" action={`/verwaltung/posteingang/${id}/antwort`} class="lotse-stack">
        <CsrfField token={c.var.csrfToken} />
        <TextField id="mr-subject" name="subject" label="Betreff" value={draft.subject} required />
        <TextArea id="mr-text" name="text" label="Text" hint={`Der KI-Hinweis wird immer angehängt: „${AI_DISCLOSURE}“`} value={draft.text} rows={14} required class="" />
        <Submit label="Antwort senden" />
      </form>
    </div>,
  );
}

const fileOf = (v: unknown): v is File => typeof v === 'object' && v !== null && typeof (v as File).arrayBuffer === 'function' && typeof (v as File).name === 'string';

/** Upload, review queue and reply pages of the mailroom intake (the inbox list/detail live in documents/routes.tsx). */
export function intakeRoutes(app: AppRouter, _api: AppRouter, _ctx: AppContext): void {
  mailboxRoutes(app);
  const guard = requirePermission('mailroom.process');
  app.get('/verwaltung/posteingang/hochladen', guard, (c) => uploadPage(c, null));
  app.post('/verwaltung/posteingang/hochladen', guard, async (c) => {
    const body = await c.req.parseBody({ all: true });
    const raw = body['files'];
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(fileOf).filter((f) => f.name || f.size);
    if (!list.length) {
      c.status(400);
      return uploadPage(c, null, 'Bitte mindestens eine Datei auswählen.');
    }
    const files = await Promise.all(list.map(async (f) => ({ filename: f.name, buffer: Buffer.from(await f.arrayBuffer()) })));
    const results = await uploadDocuments(c.var.ctx, userActor(c.var.user!), files);
    return uploadPage(c, results);
  });
  app.get('/verwaltung/posteingang/pruefen', guard, (c) => reviewPage(c));
  app.post('/verwaltung/posteingang/pruefen/neu-trainieren', guard, async (c) => {
    const queued = await requestRetrain(c.var.ctx, userActor(c.var.user!));
    return c.redirect(`/verwaltung/posteingang/pruefen?retrain=${queued ? '1' : 'pending'}`, 303);
  });
  app.post('/verwaltung/posteingang/pruefen/:id{[0-9]+}', guard, async (c) => {
    const body = await c.req.parseBody();
    const id = Number(c.req.param('id'));
    await resolveReview(c.var.ctx, userActor(c.var.user!), { documentId: id, category: String(body.category ?? ''), department: String(body.department ?? '') });
    return c.redirect(`/verwaltung/posteingang/pruefen?done=${id}`, 303);
  });
  app.get('/verwaltung/posteingang/:id{[0-9]+}/antwort', guard, (c) => replyPage(c));
  app.post('/verwaltung/posteingang/:id{[0-9]+}/antwort', guard, async (c) => {
    const body = await c.req.parseBody();
    const r = await sendReply(c.var.ctx, userActor(c.var.user!), { documentId: Number(c.req.param('id')), subject: String(body.subject ?? ''), text: String(body.text ?? '') });
    return replyPage(c, r.outboxId);
  });
}

export { STATUS_LABELS };
