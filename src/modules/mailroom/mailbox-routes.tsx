import type { Context } from 'hono';
import { requirePermission, userActor } from '../../core/auth/index.ts';
import { AppError } from '../../core/errors.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { Checkbox, CsrfField, ErrorSummary, formatBerlin, Notice, Submit, TableHead, TextField } from '../../web/components.tsx';
import { configureMailbox, listMailboxSummaries, setMailboxActive } from './intake/configure-mailbox.ts';
import { MailroomNav, mailroomPage } from './nav.tsx';
import { AckSettingsSection } from './replies/ack-settings.tsx';
import { getAckSettings, setAckSettings } from './replies/acknowledge.ts';

type C = Context<AppEnv>;


interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  message: string | null;
  ok: string | null;
}

const FIELDS: { name: string; label: string; hint?: string; type?: string; value?: string; required?: boolean }[] = [
  { name: 'name', label: 'Kurzname', hint: 'Kleinbuchstaben, z. B. poststelle', required: true },
  { name: 'host', label: 'IMAP-Server', hint: 'z. B. imap.example.org', required: true },
  { name: 'port', label: 'Port', type: 'number', value: '993', required: true },
  { name: 'username', label: 'Benutzername', required: true },
  {
    name: 'passwordEnv',
    label: 'Umgebungsvariable mit dem Passwort',
    hint: 'Nur der Name, z. B. LOTSE_IMAP_POSTSTELLE_PASSWORD. Das Passwort selbst wird hier nie eingegeben oder angezeigt; es wird in der Dienstumgebung gesetzt.',
    required: true,
  },
  { name: 'folder', label: 'Ordner', value: 'INBOX', required: true },
  { name: 'processedFolder', label: 'Ordner für verarbeitete Mails', value: 'Lotse/Verarbeitet', required: true },
];

async function mailboxesPage(c: C, state: FormState = { values: {}, errors: {}, message: null, ok: null }, status: 200 | 400 = 200) {
  const boxes = await listMailboxSummaries(c.var.ctx, userActor(c.var.user!));
  const errorList = Object.entries(state.errors);
  c.status(status);
  return mailroomPage(
    c,
    'IMAP-Postfächer – Posteingang',
    <div class="lotse-stack">
      <h1 class="kern-heading-large">IMAP-Postfächer</h1>
      <MailroomNav here="mailboxes" canConfigure />
      <p class="kern-body">
        Lotse ruft diese Postfächer jede Minute ab, legt jede Mail als Dokument an und verschiebt sie erst danach in den Ordner für verarbeitete Mails.
        Passwörter stehen nur in Umgebungsvariablen der Dienstumgebung.
      </p>
      {state.ok ? <Notice kind="success" title={state.ok} /> : null}
      <h2 class="kern-heading-medium">Eingerichtete Postfächer ({boxes.length})</h2>
      {boxes.length === 0 ? (
        <p class="kern-body">Noch kein Postfach eingerichtet.</p>
      ) : (
        <div class="kern-table-responsive" tabindex={0} role="region" aria-label="IMAP-Postfächer">
          <table class="kern-table kern-table--small lotse-mr-mailboxes">
            <caption class="kern-sr-only">Eingerichtete IMAP-Postfächer mit Abrufstatus</caption>
            <TableHead columns={['Name', 'Server', 'Benutzer', 'Ordner', 'Passwort aus', 'Status', 'Letzter Abruf', 'Aktion']} />
            <tbody class="kern-table__body">
              {boxes.map((b) => (
                <tr class="kern-table__row">
                  <th scope="row" class="kern-table__cell">
                    {b.name}
                  </th>
                  <td class="kern-table__cell">
                    {b.host}:{b.port} {b.secure ? '(TLS)' : '(STARTTLS)'}
                  </td>
                  <td class="kern-table__cell">{b.username}</td>
                  <td class="kern-table__cell">
                    {b.folder} → {b.processedFolder}
                  </td>
                  <td class="kern-table__cell">{b.passwordEnv ? <code>{b.passwordEnv}</code> : 'in der Datenbank gespeichert'}</td>
                  <td class="kern-table__cell">
                    <span class={`kern-badge kern-badge--${!b.active ? 'info' : b.lastError ? 'danger' : 'success'}`}>
                      <span class="kern-label kern-label--small">{!b.active ? 'Abgeschaltet' : b.lastError ? 'Fehler' : 'Aktiv'}</span>
                    </span>
                    {b.active && b.lastError ? <div class="kern-body kern-body--small">{b.lastError}</div> : null}
                  </td>
                  <td class="kern-table__cell">{b.lastPollAt ? formatBerlin(b.lastPollAt) : 'noch nie'}</td>
                  <td class="kern-table__cell">
                    <form method="post" action={`/verwaltung/posteingang/postfaecher/${b.id}/${b.active ? 'abschalten' : 'einschalten'}`}>
                      <CsrfField token={c.var.csrfToken} />
                      <Submit
                        kind="secondary"
                        size="small"
                        label={
                          <>
                            {b.active ? 'Abschalten' : 'Einschalten'}
                            <span class="kern-sr-only"> ({b.name})</span>
                          </>
                        }
                      />
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 class="kern-heading-medium" id="mb-add-h">Postfach hinzufügen</h2>
      {state.message ? (
        <ErrorSummary
          title={state.message}
          errors={errorList.map(([k, m]) => ({ message: `${FIELDS.find((f) => f.name === k)?.label ?? k}: ${m.replace(/^[^:]{1,30}: /, '')}`, href: `#mb-${k}` }))}
        />
      ) : null}
      <form method="post" action="/verwaltung/posteingang/postfaecher" class="lotse-form" aria-labelledby="mb-add-h">
        <CsrfField token={c.var.csrfToken} />
        {FIELDS.map((f) => (
          <TextField
            id={`mb-${f.name}`}
            name={f.name}
            label={f.label}
            hint={f.hint}
            error={state.errors[f.name]}
            type={f.type ?? 'text'}
            value={state.values[f.name] ?? f.value ?? ''}
            required={f.required}
            autocomplete="off"
          />
        ))}
        <Checkbox
          id="mb-secure"
          name="secure"
          value="on"
          checked={(state.values.secure ?? 'on') === 'on'}
          label="Verschlüsselt über TLS verbinden (Port 993); ohne Haken: STARTTLS, wenn der Server es anbietet"
        />
        <div>
          <Submit label="Postfach speichern" />
        </div>
      </form>
      <AckSettingsSection settings={await getAckSettings(c.var.ctx)} csrf={c.var.csrfToken} />
    </div>,
  );
}

/** Staff page to list, add and switch off IMAP mailboxes (permission `mailroom.configure`). */
export function mailboxRoutes(app: AppRouter): void {
  const guard = requirePermission('mailroom.configure');
  app.get('/verwaltung/posteingang/postfaecher', guard, (c) => mailboxesPage(c));
  app.post('/verwaltung/posteingang/postfaecher', guard, async (c) => {
    const body = await c.req.parseBody();
    const values: Record<string, string> = {};
    for (const f of [...FIELDS.map((x) => x.name), 'secure']) values[f] = typeof body[f] === 'string' ? (body[f] as string).trim() : '';
    try {
      const box = await configureMailbox(c.var.ctx, userActor(c.var.user!), {
        name: values.name!,
        host: values.host!,
        port: values.port || 993,
        secure: values.secure === 'on',
        username: values.username!,
        // The page never takes a password, only the name of the environment variable holding it.
        passwordEnv: values.passwordEnv || null,
        password: null,
        folder: values.folder || 'INBOX',
        processedFolder: values.processedFolder || 'Lotse/Verarbeitet',
      });
      return mailboxesPage(c, { values: {}, errors: {}, message: null, ok: `Postfach „${box.name}“ gespeichert; der erste Abruf ist eingeplant.` });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'validation') throw e;
      const errors: Record<string, string> = {};
      for (const f of (e.details?.fields ?? []) as { field: string; message: string }[]) errors[f.field] ??= f.message;
      return mailboxesPage(c, { values, errors, message: 'Bitte die markierten Angaben prüfen.', ok: null }, 400);
    }
  });
  app.post('/verwaltung/posteingang/postfaecher/eingangsbestaetigung', guard, async (c) => {
    const body = await c.req.parseBody();
    const s = await setAckSettings(c.var.ctx, userActor(c.var.user!), { enabled: body.enabled === 'on' });
    return mailboxesPage(c, { values: {}, errors: {}, message: null, ok: `Automatische Eingangsbestätigung ${s.enabled ? 'eingeschaltet' : 'ausgeschaltet'}.` });
  });
  for (const [path, active] of [
    ['abschalten', false],
    ['einschalten', true],
  ] as const) {
    app.post(`/verwaltung/posteingang/postfaecher/:id{[0-9]+}/${path}`, guard, async (c) => {
      await setMailboxActive(c.var.ctx, userActor(c.var.user!), Number(c.req.param('id')), active);
      return c.redirect('/verwaltung/posteingang/postfaecher', 303);
    });
  }
}
