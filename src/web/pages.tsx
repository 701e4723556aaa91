import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppRouter } from '../core/http/app.ts';
import type { AppEnv } from '../core/http/env.ts';
import { isLang, t } from '../core/i18n/index.ts';
import type { AiSystemInfo } from '../core/module.ts';
import { getSetting } from '../core/settings/index.ts';
import { renderPage } from './layout.tsx';

/** Default texts for the legal pages until the town fills them in the admin settings. */
export const LEGAL_PAGES = {
  impressum: { title: 'Impressum', placeholder: 'Das Impressum wird von der Stadtverwaltung in den Einstellungen gepflegt (Platzhalter).' },
  datenschutz: {
    title: 'Datenschutzerklärung',
    placeholder:
      'Die Datenschutzerklärung wird von der Stadtverwaltung in den Einstellungen gepflegt (Platzhalter). Lotse setzt keine Tracking-Werkzeuge und keine Skripte Dritter ein; Cookies dienen nur der Anmeldung, der Sprachwahl und dem Schutz vor Missbrauch.',
  },
  barrierefreiheit: {
    title: 'Erklärung zur Barrierefreiheit',
    placeholder:
      'Dieses Angebot soll die Anforderungen der BITV 2.0 / WCAG 2.1 AA erfüllen. Barrieren können Sie der Stadtverwaltung melden. Die Erklärung wird in den Einstellungen gepflegt (Platzhalter).',
  },
} as const;

export function renderErrorPage(c: Context<AppEnv>, status: number, title: string, detail: string | null) {
  const lang = c.var.lang ?? 'de';
  c.status(status as 500);
  return renderPage(c, {
    title: t(lang, 'error.title'),
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">{t(lang, 'error.title')}</h1>
        <div class="kern-alert kern-alert--danger" role="alert">
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--danger" aria-hidden="true" />
            <span class="kern-title">{title}</span>
          </div>
          {detail ? (
            <div class="kern-alert__body">
              <p class="kern-body">{detail}</p>
            </div>
          ) : null}
        </div>
        <p class="kern-body kern-body--small">
          {t(lang, 'error.requestId')}: <code>{c.var.requestId}</code>
        </p>
        <p>
          <a class="kern-link" href="/">
            {t(lang, 'error.back')}
          </a>
        </p>
      </div>
    ),
  });
}

/** Core public pages: start page, AI transparency page, legal pages, language switch. */
export function mountCorePages(app: AppRouter, aiSystems: AiSystemInfo[]): void {
  app.get('/', (c) => {
    const { lang, ctx } = c.var;
    const town = ctx.town.name;
    const bb = ctx.town.buergerbuero;
    return renderPage(c, {
      title: t(lang, 'nav.home'),
      demo: ctx.config.LOTSE_DEMO === 'on',
      children: (
        <div>
          <section class="lotse-hero" aria-labelledby="hero-title">
            <h1 id="hero-title" class="kern-heading-display">
              {t(lang, 'home.title', { town })}
            </h1>
            <p class="kern-body kern-body--large">{t(lang, 'home.lead')}</p>
            <form class="lotse-search" method="get" action="/leistungen" role="search">
              <div class="kern-form-input">
                <label class="kern-label" for="q">
                  {t(lang, 'home.search.label')}
                </label>
                <input class="kern-form-input__input" id="q" name="q" type="search" autocomplete="off" />
              </div>
              <button class="kern-btn kern-btn--primary" type="submit">
                <span class="kern-icon kern-icon--search" aria-hidden="true" />
                <span class="kern-label">{t(lang, 'home.search.button')}</span>
              </button>
            </form>
          </section>
          <div class="lotse-grid">
            {[
              { href: '/leistungen', title: t(lang, 'nav.services'), text: lang === 'en' ? 'All services from A to Z, with fees and required documents.' : 'Alle Leistungen von A bis Z, mit Gebühren und Unterlagen.' },
              { href: '/assistent', title: t(lang, 'nav.assistant'), text: lang === 'en' ? 'Ask in your own words. Answers come from the town’s service pages, with sources.' : 'Fragen Sie in eigenen Worten. Antworten aus den Leistungsseiten der Stadt, mit Quellen.' },
              { href: '/termine', title: t(lang, 'nav.appointments'), text: lang === 'en' ? 'Book an appointment at the Bürgerbüro online.' : 'Termin im Bürgerbüro online buchen.' },
            ].map((card) => (
              <div class="kern-card kern-card--interactive">
                <div class="kern-card__container">
                  <div class="kern-card__header">
                    <h2 class="kern-title">
                      <a class="kern-link kern-link--stretched" href={card.href}>
                        {card.title}
                      </a>
                    </h2>
                  </div>
                  <div class="kern-card__body">
                    <p class="kern-body">{card.text}</p>
                  </div>
                </div>
              </div>
            ))}
          </div>
          <section aria-labelledby="contact-title" class="lotse-stack">
            <h2 id="contact-title" class="kern-heading-medium">
              {t(lang, 'home.contact')}
            </h2>
            <dl class="kern-description-list">
              <div class="kern-description-list-item">
                <dt class="kern-description-list-item__key">{bb.name}</dt>
                <dd class="kern-description-list-item__value">{bb.address}</dd>
              </div>
              <div class="kern-description-list-item">
                <dt class="kern-description-list-item__key">{lang === 'en' ? 'Phone' : 'Telefon'}</dt>
                <dd class="kern-description-list-item__value">{ctx.town.contact.phone}</dd>
              </div>
              <div class="kern-description-list-item">
                <dt class="kern-description-list-item__key">E-Mail</dt>
                <dd class="kern-description-list-item__value">
                  <a class="kern-link" href={`mailto:${ctx.town.contact.email}`}>
                    {ctx.town.contact.email}
                  </a>
                </dd>
              </div>
            </dl>
          </section>
        </div>
      ),
    });
  });

  app.get('/ki', (c) => {
    const { lang, ctx } = c.var;
    return renderPage(c, {
      title: t(lang, 'aboutAi.title'),
      children: (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">{t(lang, 'aboutAi.title')}</h1>
          <p class="kern-body">
            Die {ctx.town.name} setzt in Lotse Systeme der künstlichen Intelligenz (KI) ein. Nach der europäischen KI-Verordnung (Art. 50) informieren
            wir Sie, wenn Sie mit einem KI-System sprechen oder ein Ergebnis maschinell vorbereitet wurde. Entscheidungen über Anträge trifft eine
            Sachbearbeiterin oder ein Sachbearbeiter – vollautomatisch nur dort, wo eine Rechtsvorschrift das erlaubt und kein Ermessen besteht
            (§ 35a VwVfG).
          </p>
          <p class="kern-body">
            Lotse arbeitet ohne externe KI-Dienste: Suche und Klassifikation laufen auf den Servern der Stadt. Jeder maschinelle Vorschlag wird mit
            Regel- bzw. Modellversion und Begründung protokolliert.
          </p>
          <h2 class="kern-heading-medium">Eingesetzte Systeme</h2>
          {aiSystems.length === 0 ? (
            <p class="kern-body">Derzeit ist kein KI-System in Betrieb.</p>
          ) : (
            <div class="lotse-table-wrap">
              <table class="kern-table">
                <caption class="kern-sr-only">Eingesetzte KI-Systeme</caption>
                <thead class="kern-table__header">
                  <tr class="kern-table__row">
                    <th scope="col" class="kern-table__header">System</th>
                    <th scope="col" class="kern-table__header">Zweck</th>
                    <th scope="col" class="kern-table__header">Technik</th>
                    <th scope="col" class="kern-table__header">Menschliche Aufsicht</th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {aiSystems.map((s) => (
                    <tr class="kern-table__row">
                      <th scope="row" class="kern-table__cell">{s.name}</th>
                      <td class="kern-table__cell">{s.purpose}</td>
                      <td class="kern-table__cell">{s.technique}</td>
                      <td class="kern-table__cell">{s.humanOversight}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2 class="kern-heading-medium">So erreichen Sie einen Menschen</h2>
          <p class="kern-body">
            {ctx.town.buergerbuero.name}, {ctx.town.buergerbuero.address} · Telefon {ctx.town.contact.phone} · E-Mail{' '}
            <a class="kern-link" href={`mailto:${ctx.town.contact.email}`}>
              {ctx.town.contact.email}
            </a>
          </p>
        </div>
      ),
    });
  });

  for (const [slug, page] of Object.entries(LEGAL_PAGES)) {
    app.get(`/${slug}`, async (c) => {
      const text = await getSetting(c.var.ctx.db, `legal.${slug}`, page.placeholder);
      return renderPage(c, {
        title: page.title,
        children: (
          <div class="lotse-stack">
            <h1 class="kern-heading-large">{page.title}</h1>
            {String(text)
              .split(/\n{2,}/)
              .map((p) => (
                <p class="kern-body">{p}</p>
              ))}
          </div>
        ),
      });
    });
  }

  app.get('/sprache/:lang', (c) => {
    const lang = c.req.param('lang');
    const back = c.req.query('zurueck') ?? '/';
    if (isLang(lang)) setCookie(c, 'lotse_lang', lang, { path: '/', sameSite: 'Lax', maxAge: 60 * 60 * 24 * 365, httpOnly: true });
    // Only same-site relative paths, never an open redirect.
    return c.redirect(back.startsWith('/') && !back.startsWith('//') ? back : '/', 303);
  });
}
