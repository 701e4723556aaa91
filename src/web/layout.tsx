import type { Child, FC } from 'hono/jsx';
import type { Context } from 'hono';
import type { AppEnv } from '../core/http/env.ts';
import { t, type Lang } from '../core/i18n/index.ts';
import { can, type Permission } from '../core/auth/permissions.ts';

import type { NavItem } from '../core/module.ts';

export type { NavItem };

/** Navigation entries contributed by modules (filled at boot from the module registry). */
export const navRegistry = { public: [] as NavItem[], staff: [] as NavItem[] };


export interface LayoutProps {
  title: string;
  area?: 'public' | 'staff';
  /** Show the "Beispieldaten" notice (demo content on this page). */
  demo?: boolean;
  children?: Child;
  /** Extra elements for <head> (e.g. JSON-LD). */
  head?: Child;
  /** Extra scripts (client islands), loaded deferred from /static. */
  scripts?: string[];
}

const KOPFZEILE_FLAG = (
  <span class="kern-kopfzeile__flagge" aria-hidden="true">
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 16" width="24" height="16" focusable="false">
      <rect width="24" height="5.34" y="0" fill="#000" />
      <rect width="24" height="5.33" y="5.33" fill="#D00" />
      <rect width="24" height="5.34" y="10.66" fill="#FFCE00" />
    </svg>
  </span>
);

/** Page skeleton: KERN header line, skip link, town header, navigation, main, footer. */
export function renderPage(c: Context<AppEnv>, props: LayoutProps) {
  const { ctx, lang, user, csrfToken } = c.var;
  const area = props.area ?? 'public';
  const town = ctx.town.name;
  const path = new URL(c.req.url).pathname;
  const nav = area === 'staff' ? navRegistry.staff.filter((n) => !n.permission || (user && can(user.roles, n.permission as Permission))) : navRegistry.public;
  const navItems: { href: string; label: string; labelEn?: string }[] =
    area === 'staff' ? [{ href: '/verwaltung', label: 'Übersicht' }, ...nav] : [{ href: '/', label: t(lang, 'nav.home') }, ...nav, { href: '/ki', label: t(lang, 'nav.aboutAi') }];
  // On a sub-page (e.g. /leistungen/xyz) the entry of its section is marked as current (aria-current="true"); the start pages only when exact.
  const section = navItems.some((n) => n.href === path)
    ? undefined
    : navItems
        .map((n) => n.href)
        .filter((h) => h !== '/' && h !== '/verwaltung' && path.startsWith(`${h}/`))
        .sort((a, b) => b.length - a.length)[0];
  const otherLang: Lang = lang === 'de' ? 'en' : 'de';
  const warnings: string[] = [];
  if (ctx.config.LOTSE_CAPTCHA === 'off') warnings.push(t(lang, 'warning.captchaOff'));
  if (ctx.config.LOTSE_RATE_LIMIT === 'off') warnings.push(t(lang, 'warning.rateLimitOff'));
  return c.html(
    '<!doctype html>' +
      (
        <html lang={lang}>
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="csrf-token" content={csrfToken} />
            {/* htmx would inject an inline <style>, which the CSP (style-src 'self') blocks. */}
            <meta name="htmx-config" content='{"includeIndicatorStyles":false}' />
            <title>{`${props.title} – ${town}`}</title>
            <link rel="stylesheet" href="/static/kern/fonts/fira-sans.css" />
            <link rel="stylesheet" href="/static/kern/kern.min.css" />
            <link rel="stylesheet" href="/static/app.css" />
            <script src="/static/htmx.min.js" defer />
            <script src="/static/app.js" defer />
            {(props.scripts ?? []).map((s) => (
              <script src={s} defer />
            ))}
            {props.head}
          </head>
          <body class={`lotse lotse--${area}`} hx-headers={JSON.stringify({ 'x-csrf-token': csrfToken })}>
            <a class="lotse-skip kern-link" href="#inhalt">
              {t(lang, 'nav.skip')}
            </a>
            <div class="kern-kopfzeile">
              <div class="kern-container">
                <div class="kern-kopfzeile__content">
                  {KOPFZEILE_FLAG}
                  <span class="kern-kopfzeile__label">{t(lang, 'official.site', { town })}</span>
                </div>
              </div>
            </div>
            {warnings.map((w) => (
              <div class="kern-alert kern-alert--danger lotse-banner" role="alert">
                <div class="kern-alert__header">
                  <span class="kern-icon kern-icon--danger" aria-hidden="true" />
                  <span class="kern-title">{w}</span>
                </div>
              </div>
            ))}
            <header class="lotse-header">
              <div class="kern-container lotse-header__inner">
                <a class="lotse-brand" href={area === 'staff' ? '/verwaltung' : '/'}>
                  <span class="lotse-brand__arms" role="img" aria-label={ctx.town.coatOfArms.alt}>
                    {ctx.town.shortName.slice(0, 1)}
                  </span>
                  <span>
                    <span class="lotse-brand__town">{town}</span>
                    <span class="lotse-brand__sub">{area === 'staff' ? 'Lotse – Verwaltung' : t(lang, 'app.tagline', { town })}</span>
                  </span>
                </a>
                <div class="lotse-header__tools">
                  <a class="kern-link" href={`/sprache/${otherLang}?zurueck=${encodeURIComponent(path)}`} lang={otherLang} hreflang={otherLang}>
                    <span class="kern-icon kern-icon--language" aria-hidden="true" />
                    {otherLang === 'en' ? 'English' : 'Deutsch'}
                  </a>
                  {user ? (
                    <span class="lotse-header__user">
                      <span class="kern-icon kern-icon--account-circle" aria-hidden="true" />
                      <span class="kern-sr-only">Angemeldet als </span>
                      {user.displayName}
                    </span>
                  ) : null}
                  {user ? (
                    <form method="post" action="/abmelden" class="lotse-inline-form">
                      <input type="hidden" name="_csrf" value={csrfToken} />
                      <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small">
                        <span class="kern-label">{t(lang, 'nav.logout')}</span>
                      </button>
                    </form>
                  ) : (
                    <a class="kern-link lotse-header__staff-login" href="/anmelden">
                      {/* Staff only: citizens sign in to "Mein Northeim" on its own page. */}
                      {lang === 'en' ? 'Staff sign-in' : 'Anmeldung für Mitarbeitende'}
                    </a>
                  )}
                </div>
              </div>
              <nav class="lotse-nav" aria-label={t(lang, 'nav.main')}>
                <div class="kern-container">
                  <button type="button" class="lotse-nav__toggle" aria-expanded="false" aria-controls="lotse-nav-list" hidden>
                    <span class="kern-icon kern-icon--dehaze" aria-hidden="true" />
                    {lang === 'en' ? 'Menu' : 'Menü'}
                  </button>
                  <ul class="lotse-nav__list" id="lotse-nav-list">
                    {navItems.map((n) => (
                      <li>
                        <a href={n.href} class="lotse-nav__link" aria-current={path === n.href ? 'page' : n.href === section ? 'true' : undefined}>
                          {lang === 'en' && n.labelEn ? n.labelEn : n.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </div>
              </nav>
            </header>
            <main id="inhalt" class="kern-container lotse-main" tabindex={-1}>
              {props.demo ? <DemoNotice lang={lang} /> : null}
              {props.children}
            </main>
            <footer class="lotse-footer">
              <div class="kern-container">
                <nav aria-label={t(lang, 'nav.footer')}>
                  <ul class="lotse-footer__list">
                    <li>
                      <a class="kern-link" href="/impressum">{t(lang, 'nav.imprint')}</a>
                    </li>
                    <li>
                      <a class="kern-link" href="/datenschutz">{t(lang, 'nav.privacy')}</a>
                    </li>
                    <li>
                      <a class="kern-link" href="/barrierefreiheit">{t(lang, 'nav.accessibility')}</a>
                    </li>
                    <li>
                      <a class="kern-link" href="/ki">{t(lang, 'nav.aboutAi')}</a>
                    </li>
                    {area === 'public' ? (
                      <li>
                        <a class="kern-link" href="/verwaltung">{t(lang, 'nav.staff')}</a>
                      </li>
                    ) : null}
                  </ul>
                </nav>
                <p class="kern-body kern-body--small">
                  {town} · {ctx.town.rathaus.address} · Lotse (EUPL-1.2)
                </p>
              </div>
            </footer>
          </body>
        </html>
      ),
  );
}

export const DemoNotice: FC<{ lang: Lang }> = ({ lang }) => (
  <div class="kern-alert kern-alert--info lotse-demo" role="note">
    <div class="kern-alert__header">
      <span class="kern-icon kern-icon--info" aria-hidden="true" />
      <span class="kern-title">{t(lang, 'demo.badge')}</span>
    </div>
    <div class="kern-alert__body">
      <p class="kern-body">{t(lang, 'demo.notice')}</p>
    </div>
  </div>
);

/** Small "Beispieldaten" badge to put next to demo content. */
export const DemoBadge: FC<{ lang?: Lang }> = ({ lang = 'de' }) => (
  <span class="kern-badge kern-badge--info">
    <span class="kern-label kern-label--small">{t(lang, 'demo.badge')}</span>
  </span>
);
