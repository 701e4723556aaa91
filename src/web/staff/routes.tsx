import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import {
  can,
  changePassword,
  clearSessionCookies,
  clientIp,
  createUser,
  endSession,
  findUserById,
  listUsers,
  login,
  MIN_PASSWORD_LENGTH,
  requirePermission,
  resetPassword,
  ROLE_LABELS,
  ROLES,
  SESSION_COOKIE,
  setSessionCookies,
  setUserActive,
  setUserRoles,
  userActor,
  type Permission,
  type Role,
} from '../../core/auth/index.ts';
import { sha256Hex } from '../../core/auth/tokens.ts';
import { AppError, type FieldError } from '../../core/errors.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { navRegistry, renderPage as renderLayout, type LayoutProps } from '../layout.tsx';
import { list, singleStr } from '../form-values.ts';
import { LEGAL_PAGES } from '../legal-pages.ts';
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary as SharedErrorSummary,
  fieldError,
  formatBerlin,
  Notice,
  SelectField,
  Submit,
  TextArea,
  TextField,
} from '../components.tsx';
import { getLegalTexts, LEGAL_KEYS, updateLegalTexts } from './legal-texts.ts';

type C = Context<AppEnv>;

/** Every core staff page: staff area plus the small staff stylesheet. */
const renderPage = (c: C, props: LayoutProps) =>
  renderLayout(c, {
    ...props,
    area: 'staff',
    head: (
      <>
        <link rel="stylesheet" href="/static/app/staff.css" />
        {props.head}
      </>
    ),
  });

/** Core staff links shown on the overview (module links come from `navRegistry.staff`). */
export const CORE_STAFF_LINKS: { href: string; label: string; text: string; permission?: Permission }[] = [
  {
    href: '/verwaltung/benutzer',
    label: 'Konten und Rollen',
    text: 'Konten anlegen, Rollen vergeben, Konten deaktivieren.',
    permission: 'admin.users',
  },
  {
    href: '/verwaltung/einstellungen',
    label: 'Einstellungen',
    text: 'Impressum, Datenschutzerklärung und Erklärung zur Barrierefreiheit pflegen.',
    permission: 'admin.settings',
  },
  { href: '/verwaltung/passwort', label: 'Passwort ändern', text: 'Ihr eigenes Passwort ändern.' },
];

const hasControlOrBackslash = (s: string) => [...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\\');

/** Only same-site relative paths, never an open redirect (`//evil`, `/\evil`, absolute URLs). */
export function safeReturnPath(raw: string | undefined | null, fallback = '/verwaltung'): string {
  if (!raw || typeof raw !== 'string' || raw.length > 500) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || hasControlOrBackslash(raw)) return fallback;
  if (raw.startsWith('/anmelden') || raw.startsWith('/abmelden')) return fallback;
  return raw;
}

/** Runs a form action; validation/conflict errors come back as field errors for re-rendering. */
async function formAction<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: AppError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof AppError && (e.code === 'validation' || e.code === 'conflict' || e.code === 'not_found'))
      return { ok: false, error: e };
    throw e;
  }
}
const statusOf = (e: AppError) => (e.code === 'conflict' ? 409 : e.code === 'not_found' ? 404 : 422);

const currentSessionId = (c: C): string | undefined => {
  const t = getCookie(c, SESSION_COOKIE);
  return t ? sha256Hex(t) : undefined;
};

const departmentOptions = (c: C) => [
  { value: '', label: '– kein Fachbereich –' },
  ...c.var.ctx.town.departments.map((d) => ({ value: d.key, label: d.name })),
];
const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const roleLabel = (r: string) => ROLE_LABELS[r as Role] ?? r;
const departmentName = (c: C, key: string | null) => (key ? (c.var.ctx.town.departments.find((d) => d.key === key)?.name ?? key) : '–');

/** Error summary at the top of a form: announced, lists every field error as a link. */
function ErrorSummary({ error }: { error: AppError }) {
  const fields = error.details?.fields ?? [];
  return <SharedErrorSummary title={error.message} listClass="kern-list" errors={fields.map((f) => ({ message: f.message, href: `#f-${f.field}` }))} />;
}

// ---------------------------------------------------------------- login / logout

function loginPage(c: C, opts: { email?: string; back: string; error?: string; fields?: FieldError[]; info?: string }) {
  return renderPage(c, {
    title: 'Anmelden',
    area: 'staff',
    children: (
      <div class="lotse-form">
        <h1 class="kern-heading-large">Anmelden</h1>
        <p class="kern-body">Anmeldung für Beschäftigte der {c.var.ctx.town.name}. Bürgerinnen und Bürger brauchen kein Konto.</p>
        {opts.info ? <Notice kind="success" title={opts.info} /> : null}
        {opts.error ? <Notice kind="danger" title={opts.error} id="fehler" /> : null}
        <form method="post" action="/anmelden" class="lotse-form" novalidate>
          <CsrfField token={c.var.csrfToken} />
          <input type="hidden" name="zurueck" value={opts.back} />
          <TextField
            name="email"
            label="E-Mail-Adresse"
            type="email"
            autocomplete="username"
            value={opts.email ?? ''}
            required
            error={fieldError(opts.fields, 'email')}
          />
          <TextField
            name="password"
            label="Passwort"
            type="password"
            autocomplete="current-password"
            required
            error={fieldError(opts.fields, 'password')}
          />
          <Submit label="Anmelden" />
        </form>
        <p class="kern-body kern-body--small lotse-muted">
          Passwort vergessen? Wenden Sie sich an die Administration Ihrer Verwaltung; sie vergibt ein neues Einmal-Passwort.
        </p>
      </div>
    ),
  });
}

function mountLogin(app: AppRouter): void {
  app.get('/anmelden', (c) => {
    const back = safeReturnPath(c.req.query('zurueck'));
    if (c.var.user) return c.redirect(c.var.user.mustChangePassword ? '/verwaltung/passwort' : back, 303);
    const info = c.req.query('abgemeldet') !== undefined ? 'Sie wurden abgemeldet.' : undefined;
    return loginPage(c, { back, ...(info ? { info } : {}) });
  });

  app.post('/anmelden', async (c) => {
    const ctx = c.var.ctx;
    const body = await c.req.parseBody();
    const email = singleStr(body['email']).trim();
    const password = singleStr(body['password']);
    const back = safeReturnPath(singleStr(body['zurueck']));
    const fields: FieldError[] = [];
    if (!email) fields.push({ field: 'email', message: 'Bitte geben Sie Ihre E-Mail-Adresse ein.' });
    if (!password) fields.push({ field: 'password', message: 'Bitte geben Sie Ihr Passwort ein.' });
    if (fields.length) {
      c.status(422);
      return loginPage(c, { email, back, error: 'Bitte füllen Sie beide Felder aus.', fields });
    }
    try {
      const result = await login(ctx, { email, password, ip: clientIp(c) }, c.var.requestId);
      // A new session per login (no fixation); an older session in this browser ends.
      const old = getCookie(c, SESSION_COOKIE);
      if (old) await endSession(ctx.db, old);
      setSessionCookies(c, result.token, result.csrfToken);
      return c.redirect(result.mustChangePassword ? '/verwaltung/passwort' : back, 303);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'unauthenticated' || e.code === 'rate_limited')) {
        c.status(e.code === 'rate_limited' ? 429 : 401);
        if (e.code === 'rate_limited') c.header('retry-after', '900');
        return loginPage(c, { email, back, error: e.message });
      }
      throw e;
    }
  });

  app.get('/abmelden', (c) => (c.var.user ? c.redirect('/verwaltung', 303) : c.redirect('/anmelden', 303)));

  app.post('/abmelden', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await endSession(c.var.ctx.db, token);
    clearSessionCookies(c);
    return c.redirect('/anmelden?abgemeldet', 303);
  });
}

// ---------------------------------------------------------------- overview

function mountOverview(app: AppRouter): void {
  app.get('/verwaltung', requirePermission('staff.access'), (c) => {
    const user = c.var.user!;
    const visible = (p?: string) => !p || can(user.roles, p as Permission);
    const moduleLinks = navRegistry.staff.filter((n) => visible(n.permission) && !CORE_STAFF_LINKS.some((l) => l.href === n.href));
    const coreLinks = CORE_STAFF_LINKS.filter((l) => visible(l.permission));
    const notice = c.req.query('hinweis') === 'passwort' ? 'Ihr Passwort wurde geändert.' : null;
    return renderPage(c, {
      title: 'Übersicht',
      area: 'staff',
      children: (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">Guten Tag, {user.displayName}</h1>
          {notice ? <Notice kind="success" title={notice} /> : null}
          <p class="kern-body">
            Angemeldet als {user.email} · Rollen: {user.roles.map(roleLabel).join(', ') || 'keine'}
            {user.department ? ` · Fachbereich: ${departmentName(c, user.department)}` : ''}
          </p>
          <section aria-labelledby="aufgaben" class="lotse-stack">
            <h2 id="aufgaben" class="kern-heading-medium">
              Ihre Bereiche
            </h2>
            {moduleLinks.length === 0 ? (
              <p class="kern-body">Für Ihre Rollen sind noch keine Fachbereiche freigeschaltet.</p>
            ) : (
              <ul class="lotse-link-grid">
                {moduleLinks.map((n) => (
                  <li>
                    <a class="kern-link" href={n.href}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="verwaltung-kern" class="lotse-stack">
            <h2 id="verwaltung-kern" class="kern-heading-medium">
              Konto und Verwaltung
            </h2>
            <ul class="lotse-link-grid">
              {coreLinks.map((l) => (
                <li>
                  <a class="kern-link" href={l.href}>
                    {l.label}
                  </a>
                  <span class="kern-body kern-body--small lotse-muted"> – {l.text}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      ),
    });
  });
}

// ---------------------------------------------------------------- own password

function passwordPage(c: C, opts: { error?: AppError }) {
  const user = c.var.user!;
  const forced = user.mustChangePassword;
  const fields = opts.error?.details?.fields;
  return renderPage(c, {
    title: 'Passwort ändern',
    area: 'staff',
    children: (
      <div class="lotse-form">
        <h1 class="kern-heading-large">{forced ? 'Neues Passwort festlegen' : 'Passwort ändern'}</h1>
        {forced ? (
          <Notice kind="info" title="Sie haben sich mit einem Einmal-Passwort angemeldet." announce={!opts.error}>
            <p class="kern-body">Bitte legen Sie jetzt ein eigenes Passwort fest. Erst danach können Sie den Verwaltungsbereich nutzen.</p>
          </Notice>
        ) : null}
        {opts.error ? <ErrorSummary error={opts.error} /> : null}
        <form method="post" action="/verwaltung/passwort" class="lotse-form" novalidate>
          <CsrfField token={c.var.csrfToken} />
          <input type="text" name="username" autocomplete="username" value={user.email} hidden />
          {forced ? null : (
            <TextField
              name="currentPassword"
              label="Bisheriges Passwort"
              type="password"
              autocomplete="current-password"
              required
              error={fieldError(fields, 'currentPassword')}
            />
          )}
          <TextField
            name="newPassword"
            label="Neues Passwort"
            type="password"
            autocomplete="new-password"
            required
            minlength={MIN_PASSWORD_LENGTH}
            hint={`Mindestens ${MIN_PASSWORD_LENGTH} Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und sicher.`}
            error={fieldError(fields, 'newPassword')}
          />
          <TextField
            name="confirmPassword"
            label="Neues Passwort wiederholen"
            type="password"
            autocomplete="new-password"
            required
            error={fieldError(fields, 'confirmPassword')}
          />
          <Submit label="Passwort speichern" />
        </form>
      </div>
    ),
  });
}

function mountPassword(app: AppRouter): void {
  app.get('/verwaltung/passwort', requirePermission('staff.access'), (c) => passwordPage(c, {}));
  app.post('/verwaltung/passwort', requirePermission('staff.access'), async (c) => {
    const body = await c.req.parseBody();
    const keep = currentSessionId(c);
    const r = await formAction(() =>
      changePassword(
        c.var.ctx,
        userActor(c.var.user!),
        {
          currentPassword: singleStr(body['currentPassword']) || undefined,
          newPassword: singleStr(body['newPassword']),
          confirmPassword: singleStr(body['confirmPassword']),
        },
        { ...(keep ? { keepSessionId: keep } : {}), requestId: c.var.requestId },
      ),
    );
    if (!r.ok) {
      c.status(statusOf(r.error) as 422);
      return passwordPage(c, { error: r.error });
    }
    return c.redirect('/verwaltung?hinweis=passwort', 303);
  });
}

// ---------------------------------------------------------------- accounts (admin)

function usersPage(
  c: C,
  opts: {
    users: Awaited<ReturnType<typeof listUsers>>;
    error?: AppError;
    form?: Record<string, unknown>;
    created?: { email: string; oneTimePassword: string };
  },
) {
  const f = opts.form ?? {};
  const fields = opts.error?.details?.fields;
  return renderPage(c, {
    title: 'Konten und Rollen',
    area: 'staff',
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">Konten und Rollen</h1>
        {opts.created ? (
          <Notice kind="success" title="Das Konto wurde angelegt.">
            <p class="kern-body">
              Einmal-Passwort für {opts.created.email}: <code class="lotse-otp">{opts.created.oneTimePassword}</code>
            </p>
            <p class="kern-body">
              Geben Sie es der Person auf sicherem Weg weiter. Es wird nur jetzt angezeigt; bei der ersten Anmeldung muss ein eigenes
              Passwort gewählt werden.
            </p>
          </Notice>
        ) : null}
        <div class="lotse-table-wrap">
          <table class="kern-table">
            <caption class="kern-title">Alle Konten ({opts.users.length})</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">
                  Name
                </th>
                <th scope="col" class="kern-table__header">
                  E-Mail
                </th>
                <th scope="col" class="kern-table__header">
                  Rollen
                </th>
                <th scope="col" class="kern-table__header">
                  Fachbereich
                </th>
                <th scope="col" class="kern-table__header">
                  Status
                </th>
                <th scope="col" class="kern-table__header">
                  Letzte Anmeldung
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {opts.users.map((u) => (
                <tr class="kern-table__row">
                  <th scope="row" class="kern-table__cell">
                    <a class="kern-link" href={`/verwaltung/benutzer/${u.id}`}>
                      {u.displayName}
                      <span class="kern-sr-only"> bearbeiten</span>
                    </a>
                  </th>
                  <td class="kern-table__cell">{u.email}</td>
                  <td class="kern-table__cell">{u.roles.map(roleLabel).join(', ')}</td>
                  <td class="kern-table__cell">{departmentName(c, u.department)}</td>
                  <td class="kern-table__cell">
                    {u.active ? u.mustChangePassword ? 'aktiv, Einmal-Passwort offen' : 'aktiv' : <strong>deaktiviert</strong>}
                  </td>
                  <td class="kern-table__cell">{formatBerlin(u.lastLoginAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <section aria-labelledby="neu" class="lotse-stack">
          <h2 id="neu" class="kern-heading-medium">
            Neues Konto anlegen
          </h2>
          {opts.error ? <ErrorSummary error={opts.error} /> : null}
          <form method="post" action="/verwaltung/benutzer" class="lotse-form" novalidate>
            <CsrfField token={c.var.csrfToken} />
            <TextField
              name="displayName"
              label="Name"
              autocomplete="off"
              value={singleStr(f['displayName'])}
              required
              error={fieldError(fields, 'displayName')}
            />
            <TextField
              name="email"
              label="Dienstliche E-Mail-Adresse"
              type="email"
              autocomplete="off"
              value={singleStr(f['email'])}
              required
              error={fieldError(fields, 'email')}
            />
            <CheckboxGroup
              name="roles"
              legend="Rollen"
              options={roleOptions}
              checked={list(f['roles'])}
              error={fieldError(fields, 'roles') ?? fieldError(fields, 'roles.0')}
            />
            <SelectField
              name="department"
              label="Fachbereich (optional)"
              options={departmentOptions(c)}
              value={singleStr(f['department'])}
              error={fieldError(fields, 'department')}
            />
            <Submit label="Konto anlegen" />
          </form>
        </section>
      </div>
    ),
  });
}

function userDetailPage(
  c: C,
  opts: { user: NonNullable<Awaited<ReturnType<typeof findUserById>>>; error?: AppError; notice?: string; oneTimePassword?: string },
) {
  const u = opts.user;
  const fields = opts.error?.details?.fields;
  const self = c.var.user!.id === u.id;
  return renderPage(c, {
    title: `Konto: ${u.displayName}`,
    area: 'staff',
    children: (
      <div class="lotse-stack">
        <p>
          <a class="kern-link" href="/verwaltung/benutzer">
            <span class="kern-icon kern-icon--arrow-back" aria-hidden="true" />
            Zurück zu allen Konten
          </a>
        </p>
        <h1 class="kern-heading-large">Konto: {u.displayName}</h1>
        {opts.notice ? <Notice kind="success" title={opts.notice} /> : null}
        {opts.oneTimePassword ? (
          <Notice kind="success" title="Neues Einmal-Passwort vergeben.">
            <p class="kern-body">
              Einmal-Passwort: <code class="lotse-otp">{opts.oneTimePassword}</code> – wird nur jetzt angezeigt. Alle Sitzungen des Kontos
              wurden beendet.
            </p>
          </Notice>
        ) : null}
        {opts.error ? <ErrorSummary error={opts.error} /> : null}
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">E-Mail</dt>
            <dd class="kern-description-list-item__value">{u.email}</dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Status</dt>
            <dd class="kern-description-list-item__value">{u.active ? 'aktiv' : 'deaktiviert'}</dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Angelegt</dt>
            <dd class="kern-description-list-item__value">{formatBerlin(u.createdAt)}</dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Letzte Anmeldung</dt>
            <dd class="kern-description-list-item__value">{formatBerlin(u.lastLoginAt)}</dd>
          </div>
        </dl>
        <section aria-labelledby="rollen" class="lotse-stack">
          <h2 id="rollen" class="kern-heading-medium">
            Rollen und Fachbereich
          </h2>
          <form method="post" action={`/verwaltung/benutzer/${u.id}/rollen`} class="lotse-form" novalidate>
            <CsrfField token={c.var.csrfToken} />
            <CheckboxGroup
              name="roles"
              legend="Rollen"
              options={roleOptions}
              checked={u.roles}
              error={fieldError(fields, 'roles') ?? fieldError(fields, 'roles.0')}
            />
            <SelectField
              name="department"
              label="Fachbereich (optional)"
              options={departmentOptions(c)}
              value={u.department}
              error={fieldError(fields, 'department')}
            />
            <Submit label="Rollen speichern" />
          </form>
        </section>
        <section aria-labelledby="zugang" class="lotse-stack">
          <h2 id="zugang" class="kern-heading-medium">
            Zugang
          </h2>
          <div class="lotse-actions">
            <form method="post" action={`/verwaltung/benutzer/${u.id}/passwort-zuruecksetzen`} class="lotse-inline-form">
              <CsrfField token={c.var.csrfToken} />
              <Submit label="Einmal-Passwort neu vergeben" kind="secondary" />
            </form>
            {self ? (
              <p class="kern-body kern-body--small lotse-muted">Ihr eigenes Konto können Sie nicht deaktivieren.</p>
            ) : (
              <form method="post" action={`/verwaltung/benutzer/${u.id}/status`} class="lotse-inline-form">
                <CsrfField token={c.var.csrfToken} />
                <input type="hidden" name="active" value={u.active ? '0' : '1'} />
                <Submit label={u.active ? 'Konto deaktivieren' : 'Konto wieder aktivieren'} kind="secondary" />
              </form>
            )}
          </div>
        </section>
      </div>
    ),
  });
}

const USER_NOTICES: Record<string, string> = {
  rollen: 'Rollen und Fachbereich wurden gespeichert.',
  deaktiviert: 'Das Konto wurde deaktiviert; seine Sitzungen wurden beendet.',
  aktiviert: 'Das Konto wurde wieder aktiviert.',
};

async function loadUserOr404(c: C) {
  const u = await findUserById(c.var.ctx.db, c.req.param('id') ?? '');
  if (!u) throw new AppError('not_found', 'Das Konto wurde nicht gefunden.');
  return u;
}

function mountUsers(app: AppRouter): void {
  const guard = requirePermission('admin.users');
  app.get('/verwaltung/benutzer', guard, async (c) => usersPage(c, { users: await listUsers(c.var.ctx, userActor(c.var.user!)) }));

  app.post('/verwaltung/benutzer', guard, async (c) => {
    const ctx = c.var.ctx;
    const actor = userActor(c.var.user!);
    const body = await c.req.parseBody({ all: true });
    const form = {
      displayName: singleStr(body['displayName']),
      email: singleStr(body['email']),
      roles: list(body['roles']),
      department: singleStr(body['department']),
    };
    const r = await formAction(() => createUser(ctx, actor, form, c.var.requestId));
    if (!r.ok) {
      c.status(statusOf(r.error) as 422);
      return usersPage(c, { users: await listUsers(ctx, actor), error: r.error, form });
    }
    return usersPage(c, {
      users: await listUsers(ctx, actor),
      created: { email: r.value.email, oneTimePassword: r.value.oneTimePassword },
    });
  });

  app.get('/verwaltung/benutzer/:id', guard, async (c) => {
    const notice = USER_NOTICES[c.req.query('hinweis') ?? ''];
    return userDetailPage(c, { user: await loadUserOr404(c), ...(notice ? { notice } : {}) });
  });

  app.post('/verwaltung/benutzer/:id/rollen', guard, async (c) => {
    const user = await loadUserOr404(c);
    const body = await c.req.parseBody({ all: true });
    const r = await formAction(() =>
      setUserRoles(
        c.var.ctx,
        userActor(c.var.user!),
        user.id,
        { roles: list(body['roles']), department: singleStr(body['department']) },
        c.var.requestId,
      ),
    );
    if (!r.ok) {
      c.status(statusOf(r.error) as 422);
      return userDetailPage(c, { user, error: r.error });
    }
    return c.redirect(`/verwaltung/benutzer/${user.id}?hinweis=rollen`, 303);
  });

  app.post('/verwaltung/benutzer/:id/status', guard, async (c) => {
    const user = await loadUserOr404(c);
    const active = singleStr((await c.req.parseBody())['active']) === '1';
    const r = await formAction(() => setUserActive(c.var.ctx, userActor(c.var.user!), user.id, active, c.var.requestId));
    if (!r.ok) {
      c.status(statusOf(r.error) as 422);
      return userDetailPage(c, { user, error: r.error });
    }
    return c.redirect(`/verwaltung/benutzer/${user.id}?hinweis=${active ? 'aktiviert' : 'deaktiviert'}`, 303);
  });

  app.post('/verwaltung/benutzer/:id/passwort-zuruecksetzen', guard, async (c) => {
    const user = await loadUserOr404(c);
    const { oneTimePassword } = await resetPassword(c.var.ctx, userActor(c.var.user!), user.id, c.var.requestId);
    return userDetailPage(c, { user: (await findUserById(c.var.ctx.db, user.id))!, oneTimePassword });
  });
}

// ---------------------------------------------------------------- settings (admin)

async function settingsPage(c: C, opts: { values?: Record<string, string>; error?: AppError; saved?: boolean }) {
  const current = await getLegalTexts(c.var.ctx);
  const fields = opts.error?.details?.fields;
  return renderPage(c, {
    title: 'Einstellungen',
    area: 'staff',
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">Einstellungen</h1>
        {opts.saved ? <Notice kind="success" title="Die Texte wurden gespeichert." /> : null}
        {opts.error ? <ErrorSummary error={opts.error} /> : null}
        <p class="kern-body">
          Diese Texte erscheinen auf den öffentlichen Seiten (Links in der Fußzeile). Leerzeilen trennen Absätze. Jede Änderung wird im
          Prüfprotokoll vermerkt.
        </p>
        <form method="post" action="/verwaltung/einstellungen" class="lotse-form lotse-form--wide" novalidate>
          <CsrfField token={c.var.csrfToken} />
          {LEGAL_KEYS.map((k) => (
            <TextArea
              name={k}
              label={LEGAL_PAGES[k].title}
              value={opts.values?.[k] ?? current[k].text}
              rows={k === 'impressum' ? 8 : 12}
              {...(current[k].isPlaceholder ? { hint: 'Noch nicht festgelegt – angezeigt wird der Platzhalter.' } : {})}
              error={fieldError(fields, k)}
            />
          ))}
          <Submit label="Texte speichern" />
        </form>
      </div>
    ),
  });
}

function mountSettings(app: AppRouter): void {
  const guard = requirePermission('admin.settings');
  app.get('/verwaltung/einstellungen', guard, (c) => settingsPage(c, { saved: c.req.query('hinweis') === 'gespeichert' }));
  app.post('/verwaltung/einstellungen', guard, async (c) => {
    const body = await c.req.parseBody();
    const values = Object.fromEntries(LEGAL_KEYS.map((k) => [k, singleStr(body[k])]));
    const r = await formAction(() => updateLegalTexts(c.var.ctx, userActor(c.var.user!), values, c.var.requestId));
    if (!r.ok) {
      c.status(statusOf(r.error) as 422);
      return settingsPage(c, { values, error: r.error });
    }
    return c.redirect('/verwaltung/einstellungen?hinweis=gespeichert', 303);
  });
}

/** Mounts login/logout and the core staff pages. */
export function mountStaffPages(app: AppRouter): void {
  mountLogin(app);
  mountOverview(app);
  mountPassword(app);
  mountUsers(app);
  mountSettings(app);
}
