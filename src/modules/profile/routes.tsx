import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child, FC } from 'hono/jsx';
import { clientIp, cookieSecure, CSRF_COOKIE, CSRF_MESSAGE } from '../../core/auth/index.ts';
import { randomToken, safeEqual } from '../../core/auth/tokens.ts';
import { AppError, isAppError, type FieldError } from '../../core/errors.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { ERROR_MAP } from '../../core/http/error-map.ts';
import type { Lang } from '../../core/i18n/index.ts';
import { renderPage } from '../../web/layout.tsx';
import { Checkbox, CsrfField, ErrorSummary, Notice, Submit, TextField } from '../../web/components.tsx';
import { str } from '../../web/form-values.ts';
import { endCitizenSession, resolveCitizenSession, type CitizenSession } from './citizen-session.ts';
import { completeSignIn, inspectSignInLink, type SignInLinkInfo } from './complete-sign-in.ts';
import { deleteAccount } from './delete-account.ts';
import { exportAccount } from './export-account.ts';
import { giveConsent } from './give-consent.ts';
import { loadProfile, saveProfile } from './save-profile.ts';
import { CITIZEN_SESSION_DAYS, CONSENT, CONSENT_VERSION, MAX_PROFILE_BYTES } from './profile-data.ts';
import { requestSignIn } from './request-sign-in.ts';
import type { AccountRow } from './repository.ts';
import { LINK_MESSAGES, type LinkProblem } from './security.ts';
import { PROFILE_SYNC_SCRIPT } from './section.tsx';
import { formatWhen, TX } from './texts.ts';

/** The citizen session cookie: separate from the staff session, only sent to /mein-northeim. */
export const CITIZEN_COOKIE = 'lotse_citizen';
const BASE = '/mein-northeim/konto';

const citizenCookieOptions = (c: Context<AppEnv>) =>
  ({ path: '/mein-northeim', httpOnly: true, sameSite: 'Lax', secure: cookieSecure(c.var.ctx.config) }) as const;
const csrfCookieOptions = (c: Context<AppEnv>) =>
  ({ path: '/', httpOnly: true, sameSite: 'Lax', secure: cookieSecure(c.var.ctx.config) }) as const;

async function currentSession(c: Context<AppEnv>): Promise<CitizenSession | null> {
  const token = getCookie(c, CITIZEN_COOKIE);
  const s = await resolveCitizenSession(c.var.ctx, token);
  if (token && !s) deleteCookie(c, CITIZEN_COOKIE, citizenCookieOptions(c));
  return s;
}

/**
 * Binds the anonymous CSRF cookie to the citizen session (so a planted `lotse_csrf` cookie does
 * not help an attacker). Without a staff session the page's token is re-pinned on GET; on POST
 * the (already double-submit checked) token must be the session's own.
 */
function pinCsrf(c: Context<AppEnv>, s: CitizenSession): void {
  if (c.var.user || c.var.csrfToken === s.csrfToken) return;
  setCookie(c, CSRF_COOKIE, s.csrfToken, csrfCookieOptions(c));
  c.set('csrfToken', s.csrfToken);
}
function checkBoundCsrf(c: Context<AppEnv>, s: CitizenSession): void {
  if (c.var.user) return;
  if (!safeEqual(c.var.csrfToken, s.csrfToken)) throw new AppError('forbidden', CSRF_MESSAGE, { reason: 'csrf' });
}

const noStore = (c: Context<AppEnv>) => c.header('cache-control', 'no-store');
const CSS = <link rel="stylesheet" href="/static/app/profile.css" />;

/** The consent text version (an ISO date) as people read dates: 25.11.2026 / 25 November 2026. */
const versionDate = (lang: Lang, version: string = CONSENT_VERSION): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(version)
    ? new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
        timeZone: 'UTC',
        day: lang === 'en' ? 'numeric' : '2-digit',
        month: lang === 'en' ? 'long' : '2-digit',
        year: 'numeric',
      }).format(new Date(`${version}T00:00:00Z`))
    : version;

/** What is stored, why, how long, how to delete – shown before sign-in and before consent. */
export const ConsentInfo: FC<{ lang: Lang; months: number; headingLevel?: 2 | 3 }> = ({ lang, months, headingLevel = 2 }) => {
  const k = CONSENT[lang];
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="profile-consent" aria-labelledby="profile-consent-h">
      <H id="profile-consent-h" class={headingLevel === 2 ? 'kern-heading-medium' : 'kern-heading-small'}>
        {TX[lang].whatHeading}
      </H>
      <p class="kern-body">{k.what}</p>
      <p class="kern-body">{k.why}</p>
      <p class="kern-body">{k.retention(months)}</p>
      <p class="kern-body">{k.deletion}</p>
      <p class="kern-body">{k.voluntary}</p>
      <p class="kern-body kern-body--small">
        {lang === 'en' ? 'Version of this text' : 'Fassung dieses Textes'}: <time datetime={CONSENT_VERSION}>{versionDate(lang)}</time>
      </p>
    </section>
  );
};

const BackLink: FC<{ lang: Lang }> = ({ lang }) => (
  <p class="kern-body">
    <a class="kern-link" href="/mein-northeim">
      {TX[lang].back}
    </a>
  </p>
);

/**
 * A page of the citizen account: never cached, the profile stylesheet, the page heading; with
 * `session` the sync script runs and learns whether a citizen session exists.
 */
function profilePage(c: Context<AppEnv>, title: string, session: 'on' | 'off' | undefined, children: Child) {
  noStore(c);
  return renderPage(c, {
    title,
    head: CSS,
    ...(session ? { scripts: [PROFILE_SYNC_SCRIPT] } : {}),
    children: (
      <div class="lotse-stack profile-page" data-profile-session={session}>
        <h1 class="kern-heading-large">{title}</h1>
        {children}
      </div>
    ),
  });
}

function signInPage(c: Context<AppEnv>, o: { email?: string; errors?: FieldError[]; error?: string; sent?: boolean; notice?: string }) {
  const { lang, ctx } = c.var;
  const t = TX[lang];
  return profilePage(
    c,
    t.signInTitle,
    'off',
    <>
      {o.notice ? <Notice kind="success" title={o.notice} /> : null}
      {o.sent ? (
        <Notice kind="success" title={t.sentTitle}>
          <p class="kern-body">{t.sentBody}</p>
        </Notice>
      ) : null}
      {o.error ? (
        o.errors?.length ? (
          <ErrorSummary title={t.errorTitle} errors={o.errors.map((e) => ({ message: e.message, href: `#f-${e.field}` }))} />
        ) : (
          <Notice kind="danger" title={t.errorTitle} id="fehler">
            <p class="kern-body">{o.error}</p>
          </Notice>
        )
      ) : null}
      <p class="kern-body">{t.signInLead}</p>
      <form method="post" action={`${BASE}/anmelden`} class="lotse-form profile-form" novalidate>
        <CsrfField token={c.var.csrfToken} />
        <TextField
          name="email"
          type="email"
          label={t.emailLabel}
          hint={t.emailHint}
          value={o.email ?? ''}
          autocomplete="email"
          required
          error={o.errors?.find((e) => e.field === 'email')?.message}
        />
        <div class="lotse-actions">
          <Submit label={t.sendLink} />
        </div>
      </form>
      <ConsentInfo lang={lang} months={ctx.config.LOTSE_PROFILE_INACTIVE_MONTHS} />
      <BackLink lang={lang} />
    </>,
  );
}

function linkPage(c: Context<AppEnv>, token: string, info: SignInLinkInfo, consentError?: string) {
  const { lang, ctx } = c.var;
  const t = TX[lang];
  return profilePage(
    c,
    t.linkTitle,
    undefined,
    <>
      {consentError ? (
        <Notice kind="danger" title={t.errorTitle} id="fehler">
          <p class="kern-body">{consentError}</p>
        </Notice>
      ) : null}
      <p class="kern-body">
        {t.linkFor} <strong>{info.maskedEmail}</strong>
      </p>
      {info.needsConsent ? <p class="kern-body">{info.isNew ? t.linkNew : t.linkRenew}</p> : null}
      {info.needsConsent ? <ConsentInfo lang={lang} months={ctx.config.LOTSE_PROFILE_INACTIVE_MONTHS} /> : null}
      <form method="post" action={`${BASE}/link`} class="lotse-form profile-form">
        <CsrfField token={c.var.csrfToken} />
        <input type="hidden" name="t" value={token} />
        {info.needsConsent ? <Checkbox name="consent" value="ja" required label={CONSENT[lang].checkbox} error={consentError} /> : null}
        <div class="lotse-actions">
          <Submit label={info.needsConsent ? (info.isNew ? t.createAndSignIn : t.renewAndSignIn) : t.signIn} />
        </div>
      </form>
      <BackLink lang={lang} />
    </>,
  );
}

const LINK_MESSAGES_EN: Record<LinkProblem, string> = {
  invalid: 'The sign-in link is invalid or incomplete. Please copy the whole link from the e-mail or request a new sign-in link.',
  expired: 'The sign-in link has expired. For security each link is valid only for a short time – please request a new sign-in link.',
  used: 'This sign-in link has already been used. Each link works once only – please request a new sign-in link.',
};

function linkProblemPage(c: Context<AppEnv>, e: AppError) {
  const { lang } = c.var;
  const t = TX[lang];
  const reason = (e.details?.['reason'] as LinkProblem | undefined) ?? 'invalid';
  const msg = lang === 'en' ? LINK_MESSAGES_EN[reason] : (LINK_MESSAGES[reason] ?? e.message);
  c.status(410);
  return profilePage(
    c,
    t.linkProblemTitle,
    undefined,
    <>
      <Notice kind="danger" title={t.linkProblemAlert}>
        <p class="kern-body" data-reason={reason}>
          {msg}
        </p>
      </Notice>
      <p class="kern-body">
        <a class="kern-link" href={BASE}>
          {t.requestNew}
        </a>
      </p>
      <BackLink lang={lang} />
    </>,
  );
}

const prefsOf = (a: AccountRow, lang: Lang): string => {
  const t = TX[lang];
  const p = a.profile;
  if (!p) return t.none;
  const list = [p.easy ? t.prefEasy : null, p.large ? t.prefLarge : null, p.english ? t.prefEnglish : null].filter(Boolean);
  return list.length ? list.join(', ') : t.none;
};

function accountPage(c: Context<AppEnv>, s: CitizenSession, o: { notice?: string; deleteError?: string; consentError?: string }) {
  const { lang, ctx } = c.var;
  const t = TX[lang];
  const a = s.account;
  const consentCurrent = a.consentVersion === CONSENT_VERSION;
  return profilePage(
    c,
    t.accountTitle,
    'on',
    <>
      {o.notice ? <Notice kind="success" title={o.notice} /> : null}
      {o.deleteError || o.consentError ? (
        <Notice kind="danger" title={t.errorTitle} id="fehler">
          <p class="kern-body">{o.deleteError ?? o.consentError}</p>
        </Notice>
      ) : null}
      <p class="kern-body">
        {t.signedInAs} <strong>{a.email}</strong>
      </p>

      <section aria-labelledby="profile-stored-h" class="kern-card profile-card">
        <div class="kern-card__container">
          <div class="kern-card__body">
            <h2 id="profile-stored-h" class="kern-heading-medium">
              {t.profileHeading}
            </h2>
            {a.profile ? (
              <dl class="profile-dl">
                <dt>{t.profileUpdated}</dt>
                <dd>{a.profileUpdatedAt ? formatWhen(a.profileUpdatedAt, lang) : '–'}</dd>
                <dt>{t.situationsCount}</dt>
                <dd>{a.profile.situations.length}</dd>
                <dt>{t.doneCount}</dt>
                <dd>{a.profile.done.length}</dd>
                <dt>{t.remindersSet}</dt>
                <dd>{[a.profile.idExpiry, a.profile.passExpiry].filter(Boolean).length}</dd>
                <dt>{t.prefsSet}</dt>
                <dd>{prefsOf(a, lang)}</dd>
              </dl>
            ) : (
              <p class="kern-body">{t.noProfile}</p>
            )}
            <p class="kern-body">{t.syncHint}</p>
            <p class="kern-body">
              <a class="kern-link" href="/mein-northeim">
                {t.toMein}
              </a>
            </p>
          </div>
        </div>
      </section>

      <section aria-labelledby="profile-consent-state-h">
        <h2 id="profile-consent-state-h" class="kern-heading-medium">
          {t.consentHeading}
        </h2>
        <p class="kern-body">
          {t.consentGiven}: {formatWhen(a.consentAt, lang)} ({t.consentVersion} {versionDate(lang, a.consentVersion)})
        </p>
        {consentCurrent ? null : (
          <>
            <Notice kind="warning" title={t.consentOutdated} announce={false} />
            <ConsentInfo lang={lang} months={ctx.config.LOTSE_PROFILE_INACTIVE_MONTHS} headingLevel={3} />
            <form method="post" action={`${BASE}/einwilligung`} class="lotse-form profile-form">
              <CsrfField token={c.var.csrfToken} />
              <Checkbox name="consent" value="ja" required label={CONSENT[lang].checkbox} error={o.consentError} />
              <div class="lotse-actions">
                <Submit label={t.renew} />
              </div>
            </form>
          </>
        )}
        {consentCurrent ? (
          <details class="profile-details">
            <summary class="kern-body">{CONSENT[lang].title}</summary>
            <ConsentInfo lang={lang} months={ctx.config.LOTSE_PROFILE_INACTIVE_MONTHS} headingLevel={3} />
          </details>
        ) : null}
      </section>

      <section aria-labelledby="profile-data-h">
        <h2 id="profile-data-h" class="kern-heading-medium">
          {t.dataHeading}
        </h2>
        <p class="kern-body">{t.downloadHint}</p>
        <div class="lotse-actions">
          <a class="kern-btn kern-btn--secondary" href={`${BASE}/export`} download="mein-northeim-konto.json">
            <span class="kern-label">{t.download}</span>
          </a>
          <form method="post" action={`${BASE}/abmelden`} class="profile-inline-form">
            <CsrfField token={c.var.csrfToken} />
            <Submit label={t.signOut} kind="tertiary" />
          </form>
        </div>
      </section>

      <section aria-labelledby="profile-delete-h" class="profile-delete">
        <h2 id="profile-delete-h" class="kern-heading-medium">
          {t.deleteHeading}
        </h2>
        <p class="kern-body">{t.deleteBody}</p>
        <form method="post" action={`${BASE}/loeschen`} class="lotse-form profile-form">
          <CsrfField token={c.var.csrfToken} />
          <Checkbox name="confirm" value="ja" required label={t.deleteConfirm} error={o.deleteError} />
          <div class="lotse-actions">
            <button class="kern-btn kern-btn--secondary profile-danger" type="submit">
              <span class="kern-label">{t.deleteButton}</span>
            </button>
          </div>
        </form>
      </section>
    </>,
  );
}

function deletedPage(c: Context<AppEnv>) {
  const { lang } = c.var;
  const t = TX[lang];
  return profilePage(
    c,
    t.deletedTitle,
    'off',
    <>
      <Notice kind="success" title={t.deletedAlert}>
        <p class="kern-body">{t.deletedBody}</p>
      </Notice>
      <BackLink lang={lang} />
    </>,
  );
}

const fieldsOf = (e: AppError): FieldError[] => e.details?.fields ?? [];
const EN_EMAIL_INVALID = 'Please enter a valid e-mail address, e.g. name@example.org.';

/** Pages and the JSON endpoints the "Mein Northeim" script uses (CSRF-checked, so not under /api/v1). */
export function profileRoutes(app: AppRouter): void {
  app.get(BASE, async (c) => {
    const s = await currentSession(c);
    const t = TX[c.var.lang];
    if (!s) return signInPage(c, { notice: c.req.query('abgemeldet') ? t.signedOut : undefined });
    pinCsrf(c, s);
    const q = c.req.query('hinweis');
    return accountPage(c, s, {
      notice: q === 'neu' ? t.created : q === 'angemeldet' ? t.signedIn : q === 'einwilligung' ? t.signedIn : undefined,
    });
  });

  app.post(`${BASE}/anmelden`, async (c) => {
    const body = await c.req.parseBody();
    const email = str(body['email']);
    const ip = clientIp(c);
    try {
      await requestSignIn(c.var.ctx, { email, ip: ip === 'unknown' ? null : ip, lang: c.var.lang });
    } catch (e) {
      if (isAppError(e) && (e.code === 'validation' || e.code === 'rate_limited')) {
        c.status(e.code === 'validation' ? 400 : 429);
        if (e.code === 'rate_limited') c.header('retry-after', String(e.details?.['retryAfter'] ?? 60));
        const en = c.var.lang === 'en';
        const minutes = Math.ceil(Number(e.details?.['retryAfter'] ?? 60) / 60);
        const msg = !en
          ? e.message
          : e.code === 'validation'
            ? EN_EMAIL_INVALID
            : `Too many sign-in links were requested. Please try again in ${minutes} minutes.`;
        const errors = fieldsOf(e).map((f) => (en ? { ...f, message: EN_EMAIL_INVALID } : f));
        return signInPage(c, { email, errors, error: msg });
      }
      throw e;
    }
    return signInPage(c, { sent: true });
  });

  app.get(`${BASE}/link`, async (c) => {
    const token = c.req.query('t') ?? '';
    try {
      const info = await inspectSignInLink(c.var.ctx, token);
      return linkPage(c, token, info);
    } catch (e) {
      if (isAppError(e) && e.code === 'gone') return linkProblemPage(c, e);
      throw e;
    }
  });

  app.post(`${BASE}/link`, async (c) => {
    const body = await c.req.parseBody();
    const token = str(body['t']);
    const consent = str(body['consent']) === 'ja';
    try {
      const r = await completeSignIn(c.var.ctx, { token, consent });
      setCookie(c, CITIZEN_COOKIE, r.token, { ...citizenCookieOptions(c), maxAge: CITIZEN_SESSION_DAYS * 86400 });
      if (!c.var.user) setCookie(c, CSRF_COOKIE, r.csrfToken, csrfCookieOptions(c));
      return c.redirect(`${BASE}?hinweis=${r.created ? 'neu' : 'angemeldet'}`, 303);
    } catch (e) {
      if (isAppError(e) && e.code === 'gone') return linkProblemPage(c, e);
      if (isAppError(e) && e.code === 'validation') {
        let info: SignInLinkInfo;
        try {
          info = await inspectSignInLink(c.var.ctx, token);
        } catch (again) {
          if (isAppError(again) && again.code === 'gone') return linkProblemPage(c, again);
          throw again;
        }
        c.status(400);
        return linkPage(
          c,
          token,
          info,
          c.var.lang === 'en' ? 'Please tick the consent box so your profile may be stored on the server.' : e.message,
        );
      }
      throw e;
    }
  });

  app.post(`${BASE}/einwilligung`, async (c) => {
    const s = await currentSession(c);
    if (!s) return c.redirect(BASE, 303);
    checkBoundCsrf(c, s);
    const body = await c.req.parseBody();
    try {
      await giveConsent(c.var.ctx, s.account.id, str(body['consent']) === 'ja');
    } catch (e) {
      if (isAppError(e) && e.code === 'validation') {
        c.status(400);
        return accountPage(c, s, { consentError: c.var.lang === 'en' ? 'Please tick the consent box.' : e.message });
      }
      throw e;
    }
    return c.redirect(`${BASE}?hinweis=einwilligung`, 303);
  });

  app.post(`${BASE}/abmelden`, async (c) => {
    const s = await currentSession(c);
    if (s) checkBoundCsrf(c, s);
    await endCitizenSession(c.var.ctx, getCookie(c, CITIZEN_COOKIE));
    deleteCookie(c, CITIZEN_COOKIE, citizenCookieOptions(c));
    if (!c.var.user) setCookie(c, CSRF_COOKIE, randomToken(), csrfCookieOptions(c));
    return c.redirect(`${BASE}?abgemeldet=1`, 303);
  });

  app.post(`${BASE}/loeschen`, async (c) => {
    const s = await currentSession(c);
    if (!s) return c.redirect(BASE, 303);
    checkBoundCsrf(c, s);
    const body = await c.req.parseBody();
    if (str(body['confirm']) !== 'ja') {
      c.status(400);
      return accountPage(c, s, { deleteError: TX[c.var.lang].deleteConfirmMissing });
    }
    await deleteAccount(c.var.ctx, s.account.id);
    deleteCookie(c, CITIZEN_COOKIE, citizenCookieOptions(c));
    if (!c.var.user) {
      const fresh = randomToken();
      setCookie(c, CSRF_COOKIE, fresh, csrfCookieOptions(c));
      c.set('csrfToken', fresh);
    }
    return deletedPage(c);
  });

  app.get(`${BASE}/export`, async (c) => {
    const s = await currentSession(c);
    if (!s) return c.redirect(BASE, 303);
    const data = await exportAccount(c.var.ctx, s.account.id);
    noStore(c);
    c.header('content-disposition', 'attachment; filename="mein-northeim-konto.json"');
    return c.body(JSON.stringify(data, null, 2), 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  app.get(`${BASE}/profil.json`, async (c) => {
    const s = await currentSession(c);
    noStore(c);
    if (!s) return c.json({ signedIn: false });
    pinCsrf(c, s);
    const p = await loadProfile(c.var.ctx, s.account.id);
    return c.json({
      signedIn: true,
      consentCurrent: p.consentCurrent,
      profile: p.profile,
      updatedAt: p.updatedAt?.toISOString() ?? null,
      csrfToken: s.csrfToken,
    });
  });

  app.post(`${BASE}/profil.json`, async (c) => {
    const s = await currentSession(c);
    noStore(c);
    if (!s) throw new AppError('unauthenticated', ERROR_MAP.unauthenticated.title);
    checkBoundCsrf(c, s);
    const raw = await c.req.text();
    if (raw.length > MAX_PROFILE_BYTES) throw new AppError('payload_too_large', 'Das Profil ist zu groß (höchstens 32 KB).');
    let input: unknown;
    try {
      input = JSON.parse(raw);
    } catch {
      throw new AppError('bad_request', 'Das Profil ist kein gültiges JSON.');
    }
    const r = await saveProfile(c.var.ctx, s.account.id, input);
    return c.json({ ok: true, updatedAt: r.updatedAt.toISOString() });
  });
}
