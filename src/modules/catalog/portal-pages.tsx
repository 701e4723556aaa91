import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import type { Lang } from '../../core/i18n/index.ts';
import { DemoBadge, renderPage } from '../../web/layout.tsx';
import { getService, listServicesAZ } from './get-service.ts';
import { L } from './labels.ts';
import { getLifeSituation, listLifeSituations, nextSteps } from './life-situations.ts';
import { relatedServices } from './related-services.ts';
import { searchServices } from './search-services.ts';
import type { Service, ServiceSummary } from './types.ts';

// htmx would otherwise inject an inline <style> for indicators, which the CSP (style-src 'self') blocks.
const CSS = [<meta name="htmx-config" content='{"includeIndicatorStyles":false}' />, <link rel="stylesheet" href="/static/app/catalog.css" />];

/** Applies the visitor's Mein-Northeim preferences (larger text, Einfache Sprache first); browser-only. */
const MN_SCRIPT = '/static/app/mein-northeim.js';

/** German content inside an English page is marked so screen readers switch voice. */
const deLang = (lang: Lang) => (lang === 'en' ? 'de' : undefined);

function firstLetter(title: string): string {
  const ch = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .charAt(0)
    .toUpperCase();
  return /[A-Z]/.test(ch) ? ch : '#';
}

function SearchForm(props: { lang: Lang; q: string }) {
  const { lang, q } = props;
  return (
    <form class="lotse-search catalog-search" method="get" action="/leistungen" role="search">
      <div class="kern-form-input">
        <label class="kern-label" for="leistung-q">
          {L(lang, 'search')}
        </label>
        <div class="kern-hint" id="leistung-q-hint">
          {L(lang, 'searchHint')}
        </div>
        <input
          class="kern-form-input__input"
          id="leistung-q"
          name="q"
          type="search"
          value={q}
          autocomplete="off"
          aria-describedby="leistung-q-hint"
          aria-controls="vorschlaege"
          hx-get="/leistungen/vorschlaege"
          hx-trigger="input changed delay:250ms, search"
          hx-target="#vorschlaege"
          hx-swap="innerHTML"
        />
      </div>
      <button class="kern-btn kern-btn--primary" type="submit">
        <span class="kern-icon kern-icon--search" aria-hidden="true" />
        <span class="kern-label">{L(lang, 'searchButton')}</span>
      </button>
      <div id="vorschlaege" class="catalog-suggest" aria-live="polite" />
    </form>
  );
}

function ServiceLinkList(props: { items: ServiceSummary[]; lang: Lang }) {
  return (
    <ul class="kern-list catalog-list">
      {props.items.map((s) => (
        <li>
          <a class="kern-link" href={`/leistungen/${encodeURIComponent(s.id)}`} lang={deLang(props.lang)}>
            {s.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Name of a language in the UI language, plus its own name (endonym) when that differs. */
function languageLabel(code: string, lang: Lang): { name: string; endonym: string | null } {
  const name = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' }).of(code) ?? code;
  let endonym: string | null = null;
  try {
    endonym = new Intl.DisplayNames([code], { type: 'language', fallback: 'none' }).of(code) ?? null;
  } catch {
    endonym = null;
  }
  return { name, endonym: endonym && endonym.toLowerCase() !== name.toLowerCase() ? endonym : null };
}

/** "Englisch (English), Türkisch (Türkçe)" – each own-language name carries its `lang` attribute. */
function LanguageList(props: { codes: string[]; lang: Lang }) {
  return (
    <>
      {props.codes.map((code, i) => {
        const { name, endonym } = languageLabel(code, props.lang);
        return (
          <>
            {i > 0 ? ', ' : ''}
            {name}
            {endonym ? (
              <>
                {' ('}
                <span lang={code}>{endonym}</span>
                {')'}
              </>
            ) : null}
          </>
        );
      })}
    </>
  );
}

/** schema.org GovernmentService as JSON-LD (a data block: browsers never execute it). */
function jsonLd(c: Context<AppEnv>, s: Service): Child {
  const base = c.var.ctx.config.baseUrl;
  const data = {
    '@context': 'https://schema.org',
    '@type': 'GovernmentService',
    name: s.title,
    description: s.description.slice(0, 1000),
    url: `${base}/leistungen/${encodeURIComponent(s.id)}`,
    ...(s.leika ? { identifier: { '@type': 'PropertyValue', propertyID: 'LeiKa', value: s.leika } } : {}),
    serviceType: s.title,
    provider: { '@type': 'GovernmentOrganization', name: s.department ?? c.var.ctx.town.name },
    areaServed: { '@type': 'City', name: c.var.ctx.town.shortName },
    // schema.org has availableLanguage on the channel (not on the service); German is always offered.
    availableChannel: (s.locations.length ? s.locations : [null]).map((l) =>
      l
        ? {
            '@type': 'ServiceChannel',
            name: l.name,
            availableLanguage: ['de', ...s.languages],
            ...(l.address ? { serviceLocation: { '@type': 'Place', name: l.name, address: l.address } } : {}),
          }
        : { '@type': 'ServiceChannel', serviceUrl: `${base}/leistungen/${encodeURIComponent(s.id)}`, availableLanguage: ['de', ...s.languages] },
    ),
    ...(s.fees ? { offers: { '@type': 'Offer', description: s.fees } } : {}),
  };
  // "</" is escaped so the text can never close the element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: json }} />;
}

async function renderServicePage(c: Context<AppEnv>, s: Service) {
  const { lang, ctx } = c.var;
  const steps = await nextSteps(ctx, s.id);
  const related = await relatedServices(ctx, s.id).catch(() => []);
  const all = await listLifeSituations(ctx);
  const mine = all.filter((l) => s.lifeSituations.includes(l.slug));
  const de = deLang(lang);
  return renderPage(c, {
    title: s.title,
    demo: s.demo,
    head: [...CSS, jsonLd(c, s)],
    scripts: [MN_SCRIPT],
    children: (
      <article class="lotse-stack catalog-service" aria-labelledby="service-title">
        <nav aria-label="Brotkrumen" class="catalog-crumbs">
          <a class="kern-link" href="/leistungen">
            {L(lang, 'services')}
          </a>
        </nav>
        <h1 id="service-title" class="kern-heading-large" lang={de}>
          {s.title} {s.demo ? <DemoBadge lang={lang} /> : null}
        </h1>
        <div class="lotse-actions catalog-actions">
          {s.onlineUrl ? (
            <a class="kern-btn kern-btn--primary" href={s.onlineUrl} rel="noopener">
              <span class="kern-label">{L(lang, 'applyOnline')}</span>
            </a>
          ) : null}
          {s.bookable ? (
            <a class="kern-btn kern-btn--secondary" href={`/termine?leistung=${encodeURIComponent(s.id)}`}>
              <span class="kern-label">{L(lang, 'book')}</span>
            </a>
          ) : null}
          <a class="kern-btn kern-btn--tertiary" href={`/assistent?leistung=${encodeURIComponent(s.id)}`}>
            <span class="kern-label">{L(lang, 'ask')}</span>
          </a>
        </div>
        <section aria-labelledby="h-desc" lang={de}>
          <h2 id="h-desc" class="kern-heading-medium" lang={lang}>
            {L(lang, 'description')}
          </h2>
          {s.descriptionHtml ? <div class="kern-body catalog-text" dangerouslySetInnerHTML={{ __html: s.descriptionHtml }} /> : <p class="kern-body">–</p>}
        </section>
        {s.easyLanguage ? (
          <section aria-labelledby="h-easy" class="catalog-easy" lang="de">
            <h2 id="h-easy" class="kern-heading-medium" lang={lang}>
              {L(lang, 'easy')}
            </h2>
            {s.easyLanguage.split(/\n+/).map((p) => (
              <p class="kern-body">{p}</p>
            ))}
          </section>
        ) : null}
        <dl class="kern-description-list catalog-facts">
          {s.documents.length ? (
            <div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">{L(lang, 'documents')}</dt>
              <dd class="kern-description-list-item__value" lang={de}>
                <ul class="kern-list kern-list--bullet">
                  {s.documents.map((d) => (
                    <li>{d}</li>
                  ))}
                </ul>
              </dd>
            </div>
          ) : null}
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{L(lang, 'fees')}</dt>
            <dd class="kern-description-list-item__value catalog-multiline" lang={s.fees ? de : undefined}>
              {s.fees ?? L(lang, 'unknownFee')}
            </dd>
          </div>
          {s.languages.length ? (
            <div class="kern-description-list-item catalog-languages">
              <dt class="kern-description-list-item__key">{lang === 'en' ? 'Advice also in' : 'Beratung auch in'}</dt>
              <dd class="kern-description-list-item__value">
                <LanguageList codes={s.languages} lang={lang} />
              </dd>
            </div>
          ) : null}
          {s.processingTime ? (
            <div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">{L(lang, 'processingTime')}</dt>
              <dd class="kern-description-list-item__value catalog-multiline" lang={de}>
                {s.processingTime}
              </dd>
            </div>
          ) : null}
          {s.legalBasis ? (
            <div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">{L(lang, 'legalBasis')}</dt>
              <dd class="kern-description-list-item__value catalog-multiline" lang={de}>
                {s.legalBasis}
              </dd>
            </div>
          ) : null}
          {s.department ? (
            <div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">{L(lang, 'department')}</dt>
              <dd class="kern-description-list-item__value" lang={de}>
                {s.department}
              </dd>
            </div>
          ) : null}
        </dl>
        {s.locations.length ? (
          <section aria-labelledby="h-loc">
            <h2 id="h-loc" class="kern-heading-medium">
              {L(lang, 'locations')}
            </h2>
            <div class="lotse-grid catalog-locations">
              {s.locations.map((l) => (
                <div class="kern-card">
                  <div class="kern-card__container">
                    <div class="kern-card__header">
                      <h3 class="kern-title" lang={de}>
                        {l.name}
                      </h3>
                    </div>
                    <div class="kern-card__body">
                      {l.address ? (
                        <p class="kern-body">
                          <span class="kern-body--bold">{L(lang, 'address')}:</span> <span lang={de}>{l.address}</span>
                        </p>
                      ) : null}
                      {l.openingHours ? (
                        <p class="kern-body">
                          <span class="kern-body--bold">{L(lang, 'openingHours')}:</span> <span lang={de}>{l.openingHours}</span>
                        </p>
                      ) : null}
                    </div>
                  </div>
                </div>
              ))}
            </div>
          </section>
        ) : null}
        {steps.length ? (
          <section aria-labelledby="h-next">
            <h2 id="h-next" class="kern-heading-medium">
              {L(lang, 'nextSteps')}
            </h2>
            {steps.map((st) => (
              <div>
                <p class="kern-body" lang={de}>
                  {st.lifeSituation}:
                </p>
                <ServiceLinkList items={st.services} lang={lang} />
              </div>
            ))}
          </section>
        ) : null}
        {related.length ? (
          <section aria-labelledby="h-co-use">
            <h2 id="h-co-use" class="kern-heading-medium">
              {lang === 'en' ? 'Others also did' : 'Andere erledigten auch'}
            </h2>
            <ServiceLinkList items={related} lang={lang} />
            <p class="kern-body kern-body--small">
              {lang === 'en'
                ? 'Anonymous statistics: services used together at least 5 times in the last 12 months (appointments, assistant). No personal data.'
                : 'Anonyme Statistik: Leistungen, die in den letzten 12 Monaten mindestens 5-mal zusammen genutzt wurden (Termine, Assistent). Ohne personenbezogene Daten.'}
            </p>
          </section>
        ) : null}
        {mine.length ? (
          <p class="kern-body">
            {L(lang, 'inLifeSituation')}:{' '}
            {mine.map((l, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a class="kern-link" href={`/lebenslagen/${l.slug}`}>
                  {lang === 'en' && l.titleEn ? l.titleEn : l.title}
                </a>
              </>
            ))}
          </p>
        ) : null}
        <footer class="catalog-meta kern-body kern-body--small">
          {s.attribution ? (
            <p>
              {L(lang, 'attribution')}: <span lang={de}>{s.attribution}</span>
            </p>
          ) : null}
          {s.sources.length ? (
            <p>
              {L(lang, 'sources')}:{' '}
              {s.sources.map((u, i) => (
                <>
                  {i > 0 ? ' · ' : ''}
                  <a class="kern-link" href={u} rel="noopener">
                    {u.replace(/^https?:\/\//, '').slice(0, 60)}
                  </a>
                </>
              ))}
            </p>
          ) : null}
          {s.url ? (
            <p>
              <a class="kern-link" href={s.url} rel="noopener">
                {s.url.replace(/^https?:\/\//, '').slice(0, 80)}
              </a>
            </p>
          ) : null}
          <p>
            {L(lang, 'updated')}: {new Date(s.updatedAt).toLocaleDateString('de-DE', { timeZone: 'Europe/Berlin' })}
          </p>
        </footer>
      </article>
    ),
  });
}

/** Citizen pages: /leistungen, /leistungen/:id, /lebenslagen, /mein-northeim. */
export function mountPortalPages(app: AppRouter): void {
  app.get('/leistungen/vorschlaege', async (c) => {
    const q = (c.req.query('q') ?? '').slice(0, 200);
    if (q.trim().length < 2) return c.html('');
    const hits = await searchServices(c.var.ctx, q, { lang: c.var.lang, limit: 6 });
    if (!hits.length) return c.html('');
    return c.html(
      <div>
        <p class="kern-body kern-body--small" id="vorschlaege-titel">
          {L(c.var.lang, 'suggestions')} ({hits.length})
        </p>
        <ul class="kern-list catalog-suggest__list" aria-labelledby="vorschlaege-titel">
          {hits.map((h) => (
            <li>
              <a class="kern-link" href={`/leistungen/${encodeURIComponent(h.service.id)}`}>
                {h.service.title}
              </a>
            </li>
          ))}
        </ul>
      </div>,
    );
  });

  app.get('/leistungen', async (c) => {
    const { lang, ctx } = c.var;
    const q = (c.req.query('q') ?? '').slice(0, 1000).trim();
    const all = await listServicesAZ(ctx);
    const demo = all.some((s) => s.demo);
    if (q) {
      // Weak tail hits (a quarter of the best score or less) would only distract.
      const found = await searchServices(ctx, q, { lang, limit: 20 });
      const hits = found.filter((h) => h.score >= 0.25 * (found[0]?.score ?? 0)).slice(0, 10);
      return renderPage(c, {
        title: L(lang, 'results', { q }),
        demo,
        head: CSS,
        scripts: [MN_SCRIPT],
        children: (
          <div class="lotse-stack">
            <h1 class="kern-heading-large">{L(lang, 'results', { q })}</h1>
            <SearchForm lang={lang} q={q} />
            {hits.length ? (
              <ol class="kern-list catalog-results">
                {hits.map((h) => (
                  <li>
                    <a class="kern-link" href={`/leistungen/${encodeURIComponent(h.service.id)}`} lang={deLang(lang)}>
                      {h.service.title}
                    </a>
                    {h.passages[0] ? (
                      <p class="kern-body kern-body--small" lang={deLang(lang)}>
                        {h.passages[0].text.slice(0, 220)}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ol>
            ) : (
              <div class="kern-alert kern-alert--info" role="status">
                <div class="kern-alert__header">
                  <span class="kern-icon kern-icon--info" aria-hidden="true" />
                  <span class="kern-title">{lang === 'en' ? 'No matching service' : 'Keine passende Leistung'}</span>
                </div>
                <div class="kern-alert__body">
                  <p class="kern-body">{L(lang, 'noResults', { q })}</p>
                </div>
              </div>
            )}
            <p>
              <a class="kern-link" href={`/assistent?frage=${encodeURIComponent(q)}`}>
                {L(lang, 'ask')}
              </a>{' '}
              ·{' '}
              <a class="kern-link" href="/leistungen">
                {L(lang, 'services')}
              </a>
            </p>
          </div>
        ),
      });
    }
    const groups = new Map<string, typeof all>();
    for (const s of all) {
      const k = firstLetter(s.title);
      groups.set(k, [...(groups.get(k) ?? []), s]);
    }
    const letters = [...groups.keys()];
    return renderPage(c, {
      title: L(lang, 'services'),
      demo,
      head: CSS,
      scripts: [MN_SCRIPT],
      children: (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">{L(lang, 'services')}</h1>
          <p class="kern-body">{L(lang, 'servicesLead')}</p>
          <SearchForm lang={lang} q="" />
          <nav aria-label={L(lang, 'letters')} class="catalog-letters">
            <ul>
              {'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((ch) => (
                <li>{groups.has(ch) ? <a class="kern-link" href={`#buchstabe-${ch}`}>{ch}</a> : <span aria-hidden="true">{ch}</span>}</li>
              ))}
            </ul>
          </nav>
          {letters.map((ch) => (
            <section aria-labelledby={`buchstabe-${ch}`}>
              <h2 id={`buchstabe-${ch}`} class="kern-heading-medium catalog-letter">
                {ch}
              </h2>
              <ServiceLinkList items={groups.get(ch)!} lang={lang} />
            </section>
          ))}
        </div>
      ),
    });
  });

  app.get('/leistungen/:id', async (c) => {
    const s = await getService(c.var.ctx, c.req.param('id'));
    if (!s) {
      c.status(404);
      return renderPage(c, {
        title: L(c.var.lang, 'notFound'),
        children: (
          <div class="lotse-stack">
            <h1 class="kern-heading-large">{L(c.var.lang, 'notFound')}</h1>
            <p>
              <a class="kern-link" href="/leistungen">
                {L(c.var.lang, 'services')}
              </a>
            </p>
          </div>
        ),
      });
    }
    return renderServicePage(c, s);
  });

  app.get('/lebenslagen', async (c) => {
    const { lang, ctx } = c.var;
    const list = await listLifeSituations(ctx);
    return renderPage(c, {
      title: L(lang, 'lifeSituations'),
      demo: ctx.config.LOTSE_DEMO === 'on',
      head: CSS,
      children: (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">{L(lang, 'lifeSituations')}</h1>
          <p class="kern-body">{L(lang, 'lifeSituationsLead')}</p>
          <div class="lotse-grid">
            {list
              .filter((l) => l.services.length > 0)
              .map((l) => (
                <div class="kern-card kern-card--interactive">
                  <div class="kern-card__container">
                    <div class="kern-card__header">
                      <h2 class="kern-title">
                        <a class="kern-link kern-link--stretched" href={`/lebenslagen/${l.slug}`}>
                          {lang === 'en' && l.titleEn ? l.titleEn : l.title}
                        </a>
                      </h2>
                    </div>
                    <div class="kern-card__body">
                      <p class="kern-body" lang={deLang(lang)}>
                        {l.intro}
                      </p>
                    </div>
                  </div>
                </div>
              ))}
          </div>
        </div>
      ),
    });
  });

  app.get('/lebenslagen/:slug', async (c) => {
    const { lang, ctx } = c.var;
    const l = await getLifeSituation(ctx, c.req.param('slug'));
    if (!l) return c.notFound();
    const title = lang === 'en' && l.titleEn ? l.titleEn : l.title;
    return renderPage(c, {
      title,
      demo: ctx.config.LOTSE_DEMO === 'on',
      head: CSS,
      children: (
        <div class="lotse-stack">
          <nav aria-label="Brotkrumen" class="catalog-crumbs">
            <a class="kern-link" href="/lebenslagen">
              {L(lang, 'lifeSituations')}
            </a>
          </nav>
          <h1 class="kern-heading-large">{title}</h1>
          <p class="kern-body" lang={deLang(lang)}>
            {l.intro}
          </p>
          <ol class="kern-list kern-list--number catalog-steps">
            {l.services.map((s) => (
              <li>
                <a class="kern-link" href={`/leistungen/${encodeURIComponent(s.id)}`} lang={deLang(lang)}>
                  {s.title}
                </a>
              </li>
            ))}
          </ol>
        </div>
      ),
    });
  });
}
