import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppContext } from '../../core/context.ts';
import { requirePermission, userActor } from '../../core/auth/index.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { CsrfField, formatBerlin, Notice, SelectField, Submit, TableHead, TextArea, TextField } from '../../web/components.tsx';
import { MailroomNav, canConfigure, mailroomPage } from './nav.tsx';
import { mailboxRoutes } from './mailbox-routes.tsx';
import { ReplyDraftInfo } from './replies/reply-draft-info.tsx';
import { OriginalMessageView } from './replies/original-message.tsx';
import { DocumentStatusBadge, KIND_LABELS, STATUS_LABELS } from './documents/routes.tsx';
import { MAX_UPLOAD_FILES, uploadDocuments, type UploadedFileResult } from './intake/upload-documents.ts';
import { AI_DISCLOSURE, draftReply, sendReply } from './review/reply.ts';
import { listReviewQueue, MAIL_REVIEW_MODEL, requestRetrain, resolveReview, REVIEW_MODEL } from './review/review-queue.ts';
import { activateModel, listTriageModels, type ModelSummary } from './triage/index.ts';
import { WhyList } from './review/why.tsx';

type C = Context<AppEnv>;

/** The subject the reading stored for a document (e-mails and letters with a subject line), if any. */
const subjectOf = (r: { fields: unknown }): string | null => {
  const s = (r.fields as { subject?: unknown } | null)?.subject;
  return typeof s === 'string' && s.trim() ? s.trim() : null;
};
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
      {results ? <UploadResults results={results} departments={c.var.ctx.town.departments} /> : null}
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

const UploadResults = ({ results, departments }: { results: UploadedFileResult[]; departments: readonly { key: string; name: string }[] }) => (
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
              <td class="kern-table__cell">{r.department ? (departments.find((d) => d.key === r.department)?.name ?? r.department) : '–'}</td>
              <td class="kern-table__cell">{r.reason ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </section>
);

/** The two triage models the review queue feeds, in the order the intake asks them for e-mails. */
const MODEL_PANELS = [
  { name: MAIL_REVIEW_MODEL, title: 'E-Mail-Modell' },
  { name: REVIEW_MODEL, title: 'Allgemeines Modell' },
] as const;

/** Shown in the version table; at most this many versions per model (newest first). */
const MAX_VERSIONS = 10;

/** Held-out figures of one model version as a short German text. */
const figuresText = (m: ModelSummary): string => {
  const f = m.figures as Record<string, unknown>;
  return `Genauigkeit ${pct(f.accuracy)}, Makro-F1 ${pct(f.macroF1)}, automatisch ${pct(f.expectedCoverage)}`;
};

/** One model: active version with held-out figures, and (with `mailroom.configure`) its versions with "Diese Version aktivieren". */
const ModelPanel = ({ c, name, title, active, versions, configure }: { c: C; name: string; title: string; active: ModelSummary | null; versions: ModelSummary[]; configure: boolean }) => {
  const f = (active?.figures ?? {}) as Record<string, unknown>;
  const hid = `mr-model-${name}-h`;
  return (
    <section class="kern-card lotse-mr-model" aria-labelledby={hid} data-model={name}>
      <div class="kern-card__container lotse-stack">
        <h3 class="kern-heading-small" id={hid}>
          {title} „{name}“
        </h3>
        {active ? (
          <dl class="lotse-mr-dl">
            <dt>Aktive Version</dt>
            <dd>
              {active.name} v{active.version} ({formatBerlin(active.createdAt)}, {active.trainingRows} Trainingsbeispiele)
            </dd>
            <dt>Genauigkeit (zurückgehaltene Daten)</dt>
            <dd>{pct(f.accuracy)}</dd>
            <dt>Makro-F1</dt>
            <dd>{pct(f.macroF1)}</dd>
            <dt>Richtige Kategorie unter den ersten drei</dt>
            <dd>{pct(f.top3)}</dd>
            <dt>Zielpräzision</dt>
            <dd>{pct(active.targetPrecision)}</dd>
            <dt>Erwarteter Anteil automatisch zugeordnet</dt>
            <dd>
              {pct(f.expectedCoverage)} (Präzision dabei {pct(f.expectedPrecision)})
            </dd>
          </dl>
        ) : (
          <p class="kern-body">
            {versions.length
              ? 'Keine Version aktiv.'
              : name === MAIL_REVIEW_MODEL
                ? 'Noch kein E-Mail-Modell trainiert: E-Mails ordnen das allgemeine Modell und die Stichwortliste zu.'
                : 'Noch kein Modell trainiert: Alle Dokumente ohne Regelzuordnung kommen in diese Warteschlange.'}
          </p>
        )}
        {configure && versions.length > 0 ? (
          <div class="kern-table-responsive" tabindex={0} role="region" aria-label={`Versionen des Modells ${name}`}>
            <table class="kern-table kern-table--small lotse-mr-versions">
              <caption class="kern-title">Versionen von „{name}“</caption>
              <TableHead columns={['Version', 'Trainiert', 'Zurückgehaltene Daten', 'Status']} />
              <tbody class="kern-table__body">
                {versions.slice(0, MAX_VERSIONS).map((v) => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">v{v.version}</td>
                    <td class="kern-table__cell">
                      {formatBerlin(v.createdAt)}, {v.trainingRows} Beispiele
                    </td>
                    <td class="kern-table__cell">{figuresText(v)}</td>
                    <td class="kern-table__cell">
                      {v.active ? (
                        <strong>Aktiv</strong>
                      ) : (
                        <form method="post" action="/verwaltung/posteingang/pruefen/modell-aktivieren">
                          <CsrfField token={c.var.csrfToken} />
                          <input type="hidden" name="name" value={v.name} />
                          <input type="hidden" name="version" value={String(v.version)} />
                          <button type="submit" class="kern-btn kern-btn--secondary kern-btn--small" aria-label={`Diese Version aktivieren (${v.name} v${v.version})`}>
                            <span class="kern-label">Diese Version aktivieren</span>
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </section>
  );
};

async function reviewPage(c: C) {
  const ctx = c.var.ctx;
  const category = c.req.query('category') || undefined;
  const { rows, categories, model, mailModel, top3, why } = await listReviewQueue(ctx, userActor(c.var.user!), { category });
  const done = c.req.query('done');
  const retrain = c.req.query('retrain');
  const activated = /^[a-z0-9_-]+@\d+$/.test(c.req.query('aktiviert') ?? '') ? c.req.query('aktiviert') : null;
  const configure = canConfigure(c);
  const versions: Record<string, ModelSummary[]> = {};
  for (const p of MODEL_PANELS) versions[p.name] = await listTriageModels(ctx, p.name);
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
      {activated ? <Notice kind="success" title={`Modell ${activated} ist jetzt aktiv.`} /> : null}
      <section class="lotse-stack" aria-labelledby="mr-models-h">
        <h2 class="kern-heading-medium" id="mr-models-h">
          Klassifikationsmodelle
        </h2>
        <p class="kern-body">E-Mails ordnet zuerst das E-Mail-Modell zu, dann das allgemeine Modell, dann die Stichwortliste. Briefe, Scans und hochgeladene Dateien ordnet das allgemeine Modell zu.</p>
        {MODEL_PANELS.map((p) => (
          <ModelPanel c={c} name={p.name} title={p.title} active={p.name === MAIL_REVIEW_MODEL ? mailModel : model} versions={versions[p.name] ?? []} configure={configure} />
        ))}
        <form method="post" action="/verwaltung/posteingang/pruefen/neu-trainieren">
          <CsrfField token={c.var.csrfToken} />
          <Submit label="Modelle neu trainieren" kind="secondary" />
        </form>
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
                <DocumentStatusBadge status={r.status} /> {KIND_LABELS[r.kind] ?? r.kind}, eingegangen {formatBerlin(r.createdAt)}
              </p>
              <dl class="lotse-mr-dl">
                {subjectOf(r) ? (
                  <>
                    <dt>Betreff</dt>
                    <dd>{subjectOf(r)}</dd>
                  </>
                ) : null}
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
      <OriginalMessageView message={draft.original} />
      <ReplyDraftInfo draft={draft} />
      <form method="post" action={`/verwaltung/posteingang/${id}/antwort`} class="lotse-stack">
        <CsrfField token={c.var.csrfToken} />
        <TextField id="mr-subject" name="subject" label="Betreff" value={draft.subject} required />
        <TextArea id="mr-text" name="text" label="Text" hint={`Der KI-Hinweis wird immer angehängt: „${AI_DISCLOSURE}“`} value={draft.text} rows={18} required class="lotse-textarea lotse-mr-reply-text" />
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
  app.post('/verwaltung/posteingang/pruefen/modell-aktivieren', requirePermission('mailroom.configure'), async (c) => {
    const body = await c.req.parseBody();
    const r = await activateModel(c.var.ctx, userActor(c.var.user!), { name: String(body.name ?? ''), version: String(body.version ?? '') });
    return c.redirect(`/verwaltung/posteingang/pruefen?aktiviert=${encodeURIComponent(`${r.name}@${r.version}`)}`, 303);
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
