import type { Context } from 'hono';
import { requirePermission, userActor } from '../../core/auth/guard.ts';
import { can } from '../../core/auth/permissions.ts';
import { AppError, type FieldError } from '../../core/errors.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { Checkbox, CsrfField, ErrorSummary, Notice, Submit, TableHead, TextArea, TextField } from '../../web/components.tsx';
import { DemoBadge, renderPage } from '../../web/layout.tsx';
import { createService, discardServiceDraft, getServiceForEditing, listServicesForEditing, publishService, saveServiceDraft } from './edit-service.ts';
import { deleteSynonym, listSynonyms, saveSynonym } from './manage-synonyms.ts';
import type { EditableService } from './types.ts';

const CSS = [<meta name="htmx-config" content='{"includeIndicatorStyles":false}' />, <link rel="stylesheet" href="/static/app/catalog.css" />];
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function actorOf(c: Context<AppEnv>) {
  if (!c.var.user) throw new AppError('unauthenticated', 'Bitte melden Sie sich an.');
  return userActor(c.var.user);
}
const canEdit = (c: Context<AppEnv>) => !!c.var.user && can(c.var.user.roles, 'catalog.edit');

function Csrf(props: { c: Context<AppEnv> }) {
  return <CsrfField token={props.c.var.csrfToken} />;
}

/** Result of an action; on validation errors the problems are listed (linked to their fields with `linkFields`). */
function Msg(props: { kind: 'success' | 'danger' | 'info'; text: string; fields?: FieldError[] | undefined; linkFields?: boolean }) {
  if (props.kind === 'danger') {
    return <ErrorSummary title={props.text} errors={props.fields?.map((f) => ({ message: `${f.field}: ${f.message}`, href: props.linkFields ? `#f-${f.field}` : undefined }))} />;
  }
  return <Notice kind={props.kind} title={props.text} />;
}

/** One field of the service editor (id `f-<name>`); `multiline` renders a textarea. */
function Field(props: { name: keyof EditableService; label: string; value: string; multiline?: boolean; rows?: number; hint?: string; error?: string | undefined; disabled?: boolean }) {
  const { multiline, rows, ...field } = props;
  return multiline ? <TextArea {...field} rows={rows ?? 4} class="" /> : <TextField {...field} />;
}

const ACTOR_LABEL: Record<string, string> = { user: 'Benutzer', system: 'System', cli: 'Kommandozeile', citizen: 'Bürger/in' };
const ACTION_LABEL: Record<string, string> = { import: 'Import', seed: 'Demo-Daten geladen', draft: 'Entwurf gespeichert', publish: 'Veröffentlicht', discard: 'Entwurf verworfen', create: 'Angelegt' };

async function editPage(c: Context<AppEnv>, id: string, msg?: { kind: 'success' | 'danger' | 'info'; text: string; fields?: FieldError[] }, posted?: Record<string, unknown>) {
  const data = await getServiceForEditing(c.var.ctx, actorOf(c), id);
  const v = (posted as unknown as EditableService | undefined) ?? data.draft ?? data.published;
  const list = (x: unknown) => (Array.isArray(x) ? x.join('\n') : str(x));
  const err = (f: string) => msg?.fields?.find((e) => e.field === f)?.message;
  const editable = canEdit(c);
  return renderPage(c, {
    title: `Leistung bearbeiten: ${data.row.title}`,
    area: 'staff',
    head: CSS,
    children: (
      <div class="lotse-stack">
        <p>
          <a class="kern-link" href="/verwaltung/katalog">
            Zurück zum Leistungskatalog
          </a>
        </p>
        <h1 class="kern-heading-large">
          {data.row.title} {data.row.demo ? <DemoBadge /> : null}
        </h1>
        <p class="kern-body">
          ID <code>{data.row.id}</code> · Status: <strong>{data.row.status === 'published' ? 'veröffentlicht' : 'Entwurf (nicht öffentlich)'}</strong> · Version {data.row.version}
          {data.draft ? ' · unveröffentlichte Änderungen liegen als Entwurf vor' : ''}
          {data.row.status === 'published' ? (
            <>
              {' '}
              ·{' '}
              <a class="kern-link" href={`/leistungen/${encodeURIComponent(data.row.id)}`}>
                Öffentliche Seite
              </a>
            </>
          ) : null}
        </p>
        {msg ? <Msg kind={msg.kind} text={msg.text} fields={msg.fields} linkFields /> : null}
        {data.draft ? <Msg kind="info" text="Es gibt einen Entwurf. Bürgerinnen und Bürger sehen weiter die veröffentlichte Fassung, bis Sie veröffentlichen." /> : null}
        <form method="post" action={`/verwaltung/katalog/${encodeURIComponent(id)}`} class="lotse-form lotse-stack">
          <Csrf c={c} />
          <Field name="title" label="Titel" value={v.title} error={err('title')} disabled={!editable} />
          <Field name="descriptionHtml" label="Beschreibung (einfaches HTML erlaubt: p, ul, li, strong, a)" value={v.descriptionHtml} multiline rows={10} hint="Skripte, Stile und unbekannte Elemente werden beim Speichern entfernt." disabled={!editable} />
          <Field name="documents" label="Erforderliche Unterlagen (eine pro Zeile)" value={list(v.documents)} multiline disabled={!editable} />
          <Field name="fees" label="Gebühren" value={v.fees ?? ''} hint="Nur belegte Gebühren eintragen; sonst leer lassen (es erscheint „bitte beim Bürgerbüro erfragen“)." multiline rows={2} disabled={!editable} />
          <Field name="processingTime" label="Bearbeitungsdauer" value={v.processingTime ?? ''} disabled={!editable} />
          <Field name="legalBasis" label="Rechtsgrundlage" value={v.legalBasis ?? ''} disabled={!editable} />
          <Field name="department" label="Zuständige Stelle" value={v.department ?? ''} disabled={!editable} />
          <Field name="leika" label="LeiKa-Schlüssel (14 Ziffern)" value={v.leika ?? ''} error={err('leika')} disabled={!editable} />
          <Field name="url" label="Weitere Informationen (URL)" value={v.url ?? ''} error={err('url')} disabled={!editable} />
          <Field name="onlineUrl" label="Online-Antrag (URL)" value={v.onlineUrl ?? ''} error={err('onlineUrl')} disabled={!editable} />
          <Field name="keywords" label="Suchbegriffe (durch Komma getrennt)" value={list(v.keywords).replace(/\n/g, ', ')} hint="Umgangssprachliche Wörter, die Bürgerinnen und Bürger benutzen." disabled={!editable} />
          <Field name="easyLanguage" label="Text in Einfacher Sprache (optional)" value={v.easyLanguage ?? ''} multiline rows={5} disabled={!editable} />
          <Field
            name="languages"
            label="Beratung auch in (Sprachen)"
            value={list(v.languages ?? data.published.languages).replace(/\n/g, ', ')}
            hint="Weitere Sprachen außer Deutsch als ISO-639-1-Codes, durch Komma getrennt, z. B. „en, tr, uk“. Deutsch ist immer dabei."
            error={err('languages')}
            disabled={!editable}
          />
          <Checkbox name="bookable" label="Online-Termin buchbar" checked={!!v.bookable} disabled={!editable} />
          {editable ? (
            <div class="lotse-actions">
              <Submit label="Als Entwurf speichern" />
            </div>
          ) : (
            <p class="kern-body">Sie haben nur Leserechte.</p>
          )}
        </form>
        {editable && (data.draft || data.row.status === 'draft') ? (
          <div class="lotse-actions">
            <form method="post" action={`/verwaltung/katalog/${encodeURIComponent(id)}/veroeffentlichen`} class="lotse-inline-form">
              <Csrf c={c} />
              <Submit label="Veröffentlichen" />
            </form>
            {data.draft ? (
              <form method="post" action={`/verwaltung/katalog/${encodeURIComponent(id)}/verwerfen`} class="lotse-inline-form">
                <Csrf c={c} />
                <Submit label="Entwurf verwerfen" kind="secondary" />
              </form>
            ) : null}
          </div>
        ) : null}
        <section aria-labelledby="h-hist">
          <h2 id="h-hist" class="kern-heading-medium">
            Verlauf
          </h2>
          <div class="lotse-table-wrap">
            <table class="kern-table">
              <caption class="kern-body">Letzte Änderungen (neueste zuerst)</caption>
              <TableHead class="kern-table__head" columns={['Zeit', 'Aktion', 'Version', 'Wer']} />
              <tbody class="kern-table__body">
                {data.history.map((h) => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">{new Date(h.at).toLocaleString('de-DE', { timeZone: 'Europe/Berlin' })}</td>
                    <td class="kern-table__cell">{ACTION_LABEL[h.action] ?? h.action}</td>
                    <td class="kern-table__cell">{h.version}</td>
                    <td class="kern-table__cell">
                      {ACTOR_LABEL[h.actorType] ?? h.actorType}
                      {h.actorId ? (
                        <>
                          {' '}
                          <code>{h.actorId.slice(0, 12)}</code>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
    ),
  });
}

async function synonymsPage(c: Context<AppEnv>, msg?: { kind: 'success' | 'danger'; text: string; fields?: FieldError[] }) {
  const list = await listSynonyms(c.var.ctx);
  const editable = canEdit(c);
  return renderPage(c, {
    title: 'Synonyme der Suche',
    area: 'staff',
    head: CSS,
    children: (
      <div class="lotse-stack">
        <p>
          <a class="kern-link" href="/verwaltung/katalog">
            Zurück zum Leistungskatalog
          </a>
        </p>
        <h1 class="kern-heading-large">Synonyme der Suche</h1>
        <p class="kern-body">
          Umgangssprachliche Wörter und die amtlichen Begriffe, unter denen die Suche und der Assistent zusätzlich suchen (z. B. „Knöllchen“ → „Verwarnungsgeld“). Eigene Einträge der Stadt haben Vorrang vor der eingebauten Liste. Änderungen wirken sofort.
        </p>
        {msg ? <Msg kind={msg.kind} text={msg.text} fields={msg.fields} /> : null}
        {editable ? (
          <form method="post" action="/verwaltung/katalog/synonyme" class="lotse-form lotse-stack">
            <Csrf c={c} />
            <TextField id="syn-term" name="term" label="Begriff (wie Bürgerinnen und Bürger ihn schreiben)" required />
            <TextField id="syn-exp" name="expansions" label="Gemeint ist (mehrere durch Komma getrennt)" required />
            <div>
              <Submit label="Synonym speichern" />
            </div>
          </form>
        ) : null}
        <div class="lotse-table-wrap">
          <table class="kern-table kern-table--small">
            <caption class="kern-body">Synonyme ({list.length})</caption>
            <TableHead class="kern-table__head" columns={['Begriff', 'Gemeint ist', 'Herkunft', { label: 'Aktion', srOnly: true }]} />
            <tbody class="kern-table__body">
              {list.map((s) => (
                <tr class="kern-table__row">
                  <td class="kern-table__cell">{s.term}</td>
                  <td class="kern-table__cell">{s.expansions.join(', ')}</td>
                  <td class="kern-table__cell">{s.source === 'town' ? 'Stadt' : 'eingebaut'}</td>
                  <td class="kern-table__cell">
                    {editable && s.source === 'town' ? (
                      <form method="post" action="/verwaltung/katalog/synonyme/loeschen" class="lotse-inline-form">
                        <Csrf c={c} />
                        <input type="hidden" name="term" value={s.term} />
                        <button class="kern-btn kern-btn--tertiary kern-btn--x-small" type="submit">
                          <span class="kern-label">Löschen: {s.term}</span>
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    ),
  });
}

/** Staff pages under /verwaltung/katalog (catalog.read to view, catalog.edit to change). */
export function mountStaffPages(app: AppRouter): void {
  app.get('/verwaltung/katalog', requirePermission('catalog.read'), async (c) => {
    const rows = await listServicesForEditing(c.var.ctx, actorOf(c));
    const q = (c.req.query('q') ?? '').trim().toLowerCase();
    const shown = q ? rows.filter((r) => r.title.toLowerCase().includes(q) || r.id.toLowerCase().includes(q)) : rows;
    const created = c.req.query('angelegt');
    return renderPage(c, {
      title: 'Leistungskatalog',
      area: 'staff',
      head: CSS,
      children: (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">Leistungskatalog</h1>
          <p class="kern-body">
            {rows.length} Leistungen, davon {rows.filter((r) => r.status === 'draft').length} unveröffentlicht und {rows.filter((r) => r.hasDraft).length} mit offenem Entwurf. Import per Kommandozeile:{' '}
            <code>lotse catalog import DATEI [--replace]</code>.
          </p>
          {created ? <Msg kind="success" text={`Leistung ${created} angelegt (Entwurf).`} /> : null}
          <p>
            <a class="kern-link" href="/verwaltung/katalog/synonyme">
              Synonyme der Suche bearbeiten
            </a>
          </p>
          <form method="get" action="/verwaltung/katalog" role="search" class="lotse-search">
            <TextField id="kat-q" name="q" type="search" label="Filtern nach Titel oder ID" value={q} />
            <Submit label="Filtern" kind="secondary" />
          </form>
          {canEdit(c) ? (
            <details>
              <summary class="kern-body">Neue Leistung anlegen</summary>
              <form method="post" action="/verwaltung/katalog/neu" class="lotse-form lotse-stack">
                <Csrf c={c} />
                <TextField id="neu-id" name="id" label="ID (Buchstaben, Ziffern, Bindestrich)" required />
                <TextField id="neu-title" name="title" label="Titel" required />
                <div>
                  <Submit label="Anlegen" />
                </div>
              </form>
            </details>
          ) : null}
          <div class="lotse-table-wrap">
            <table class="kern-table kern-table--small">
              <caption class="kern-body">Leistungen ({shown.length})</caption>
              <TableHead class="kern-table__head" columns={['Titel', 'ID', 'Status', 'Hinweise']} />
              <tbody class="kern-table__body">
                {shown.map((r) => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">
                      <a class="kern-link" href={`/verwaltung/katalog/${encodeURIComponent(r.id)}`}>
                        {r.title}
                      </a>
                    </td>
                    <td class="kern-table__cell">
                      <code>{r.id}</code>
                    </td>
                    <td class="kern-table__cell">{r.status === 'published' ? 'veröffentlicht' : 'Entwurf'}</td>
                    <td class="kern-table__cell">{[r.hasDraft ? 'offener Entwurf' : '', r.demo ? 'Beispieldaten' : '', r.internal ? 'intern (Terminsystem)' : ''].filter(Boolean).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ),
    });
  });

  app.get('/verwaltung/katalog/synonyme', requirePermission('catalog.read'), (c) => synonymsPage(c));
  app.post('/verwaltung/katalog/synonyme', requirePermission('catalog.edit'), async (c) => {
    const body = await c.req.parseBody();
    try {
      const r = await saveSynonym(c.var.ctx, actorOf(c), { term: str(body['term']), expansions: str(body['expansions']) });
      return synonymsPage(c, { kind: 'success', text: `Synonym „${r.term}“ gespeichert.` });
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') {
        c.status(422);
        return synonymsPage(c, { kind: 'danger', text: e.message, fields: e.details?.fields ?? [] });
      }
      throw e;
    }
  });
  app.post('/verwaltung/katalog/synonyme/loeschen', requirePermission('catalog.edit'), async (c) => {
    const body = await c.req.parseBody();
    await deleteSynonym(c.var.ctx, actorOf(c), str(body['term']));
    return synonymsPage(c, { kind: 'success', text: 'Synonym gelöscht.' });
  });

  app.post('/verwaltung/katalog/neu', requirePermission('catalog.edit'), async (c) => {
    const body = await c.req.parseBody();
    const id = await createService(c.var.ctx, actorOf(c), { id: str(body['id']), title: str(body['title']) });
    return c.redirect(`/verwaltung/katalog/${encodeURIComponent(id)}`, 303);
  });

  app.get('/verwaltung/katalog/:id', requirePermission('catalog.read'), (c) => editPage(c, c.req.param('id')));
  app.post('/verwaltung/katalog/:id', requirePermission('catalog.edit'), async (c) => {
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const input = {
      title: str(body['title']),
      descriptionHtml: str(body['descriptionHtml']),
      documents: str(body['documents']),
      fees: str(body['fees']),
      processingTime: str(body['processingTime']),
      legalBasis: str(body['legalBasis']),
      department: str(body['department']),
      leika: str(body['leika']),
      url: str(body['url']),
      onlineUrl: str(body['onlineUrl']),
      keywords: str(body['keywords']),
      easyLanguage: str(body['easyLanguage']),
      // Only when the form has the field: otherwise the service keeps its languages.
      ...(body['languages'] !== undefined ? { languages: str(body['languages']) } : {}),
      bookable: body['bookable'] === 'on',
    };
    try {
      await saveServiceDraft(c.var.ctx, actorOf(c), id, input);
      return editPage(c, id, { kind: 'success', text: 'Entwurf gespeichert. Er wird erst nach „Veröffentlichen“ öffentlich sichtbar.' });
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') {
        c.status(422);
        return editPage(c, id, { kind: 'danger', text: 'Bitte prüfen Sie die markierten Felder.', fields: e.details?.fields ?? [] }, { ...input, documents: input.documents.split('\n'), keywords: input.keywords.split(',') });
      }
      throw e;
    }
  });
  app.post('/verwaltung/katalog/:id/veroeffentlichen', requirePermission('catalog.edit'), async (c) => {
    const id = c.req.param('id');
    const r = await publishService(c.var.ctx, actorOf(c), id);
    return editPage(c, id, { kind: 'success', text: `Veröffentlicht (Version ${r.version}).` });
  });
  app.post('/verwaltung/katalog/:id/verwerfen', requirePermission('catalog.edit'), async (c) => {
    const id = c.req.param('id');
    await discardServiceDraft(c.var.ctx, actorOf(c), id);
    return editPage(c, id, { kind: 'info', text: 'Entwurf verworfen.' });
  });
}
