import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppRouter } from '../core/http/app.ts';
import type { AppEnv } from '../core/http/env.ts';
import { isLang, t } from '../core/i18n/index.ts';
import type { AiSystemInfo } from '../core/module.ts';
import { collectPrivacyRecords, resolvePrivacyRecords, type Localized, type ResolvedPrivacyRecord } from '../core/privacy.ts';
import { getSetting } from '../core/settings/index.ts';
import { modules } from '../modules/index.ts';
import { LEGAL_PAGES } from './legal-pages.ts';
import { renderPage } from './layout.tsx';

export function renderErrorPage(c: Context<AppEnv>, status: number, title: string, detail: string | null) {
  const lang = c.var.lang ?? 'de';
  c.status(status as 500);
  const heading = status === 404 ? (lang === 'en' ? 'Page not found' : 'Seite nicht gefunden') : t(lang, 'error.title');
  // Signed-in staff keep the staff navigation on errors inside the staff area.
  const staff = !!c.var.user && c.req.path.startsWith('/verwaltung');
  return renderPage(c, {
    title: heading,
    area: staff ? 'staff' : 'public',
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">{heading}</h1>
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
        <p class="lotse-actions">
          <a class="kern-link" href={staff ? '/verwaltung' : '/'}>
            {staff ? (lang === 'en' ? 'Back to the staff overview' : 'Zur Übersicht der Verwaltung') : t(lang, 'error.back')}
          </a>
          {status === 404 && !staff ? (
            <a class="kern-link" href="/leistungen">
              {lang === 'en' ? 'Services A–Z' : 'Leistungen A–Z'}
            </a>
          ) : null}
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
              {
                href: '/leistungen',
                title: t(lang, 'nav.services'),
                text:
                  lang === 'en'
                    ? 'All services from A to Z, with fees and required documents.'
                    : 'Alle Leistungen von A bis Z, mit Gebühren und Unterlagen.',
              },
              {
                href: '/assistent',
                title: t(lang, 'nav.assistant'),
                text:
                  lang === 'en'
                    ? 'Ask in your own words. Answers come from the town’s service pages, with sources.'
                    : 'Fragen Sie in eigenen Worten. Antworten aus den Leistungsseiten der Stadt, mit Quellen.',
              },
              {
                href: '/termine',
                title: t(lang, 'nav.appointments'),
                text: lang === 'en' ? 'Book an appointment at the Bürgerbüro online.' : 'Termin im Bürgerbüro online buchen.',
              },
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
    const en = lang === 'en';
    const de = en ? 'de' : undefined;
    const col = en
      ? { purpose: 'Purpose', technique: 'Technique', oversight: 'Human oversight' }
      : { purpose: 'Zweck', technique: 'Technik', oversight: 'Menschliche Aufsicht' };
    return renderPage(c, {
      title: t(lang, 'aboutAi.title'),
      children: (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">{t(lang, 'aboutAi.title')}</h1>
          {en ? (
            <>
              <p class="kern-body">
                {ctx.town.name} uses artificial intelligence (AI) systems in Lotse. As required by the European AI Act (Art. 50), we tell
                you when you are talking to an AI system or when a result was prepared by a machine. Decisions on applications are taken by
                a member of staff – fully automated only where a legal provision allows it and there is no discretion (§ 35a VwVfG).
              </p>
              <p class="kern-body">
                Lotse works without external AI services: search and classification run on the town’s servers. Every machine suggestion is
                recorded with its rule or model version and the reason. The descriptions of the systems below are available in German only.
              </p>
            </>
          ) : (
            <>
              <p class="kern-body">
                Die {ctx.town.name} setzt in Lotse Systeme der künstlichen Intelligenz (KI) ein. Nach der europäischen KI-Verordnung (Art.
                50) informieren wir Sie, wenn Sie mit einem KI-System sprechen oder ein Ergebnis maschinell vorbereitet wurde.
                Entscheidungen über Anträge trifft eine Sachbearbeiterin oder ein Sachbearbeiter – vollautomatisch nur dort, wo eine
                Rechtsvorschrift das erlaubt und kein Ermessen besteht (§ 35a VwVfG).
              </p>
              <p class="kern-body">
                Lotse arbeitet ohne externe KI-Dienste: Suche und Klassifikation laufen auf den Servern der Stadt. Jeder maschinelle
                Vorschlag wird mit Regel- bzw. Modellversion und Begründung protokolliert.
              </p>
            </>
          )}
          <h2 class="kern-heading-medium">{en ? 'Systems in use' : 'Eingesetzte Systeme'}</h2>
          {aiSystems.length === 0 ? (
            <p class="kern-body">{en ? 'No AI system is in operation at the moment.' : 'Derzeit ist kein KI-System in Betrieb.'}</p>
          ) : (
            <div class="lotse-table-wrap">
              <table class="kern-table lotse-table--stack">
                <caption class="kern-sr-only">{en ? 'AI systems in use' : 'Eingesetzte KI-Systeme'}</caption>
                <thead class="kern-table__header">
                  <tr class="kern-table__row">
                    <th scope="col" class="kern-table__header">
                      System
                    </th>
                    <th scope="col" class="kern-table__header">
                      {col.purpose}
                    </th>
                    <th scope="col" class="kern-table__header">
                      {col.technique}
                    </th>
                    <th scope="col" class="kern-table__header">
                      {col.oversight}
                    </th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {aiSystems.map((s) => (
                    <tr class="kern-table__row">
                      <th scope="row" class="kern-table__cell" lang={de}>
                        {s.name}
                      </th>
                      <td class="kern-table__cell" data-label={col.purpose} lang={de}>
                        {s.purpose}
                      </td>
                      <td class="kern-table__cell" data-label={col.technique} lang={de}>
                        {s.technique}
                      </td>
                      <td class="kern-table__cell" data-label={col.oversight} lang={de}>
                        {s.humanOversight}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2 class="kern-heading-medium">{en ? 'How to reach a person' : 'So erreichen Sie einen Menschen'}</h2>
          <p class="kern-body">
            <span lang={de}>
              {ctx.town.buergerbuero.name}, {ctx.town.buergerbuero.address}
            </span>{' '}
            · {en ? 'Phone' : 'Telefon'} {ctx.town.contact.phone} · E-Mail{' '}
            <a class="kern-link" href={`mailto:${ctx.town.contact.email}`}>
              {ctx.town.contact.email}
            </a>
          </p>
        </div>
      ),
    });
  });

  app.get('/datenschutz', async (c) => {
    const { lang, ctx } = c.var;
    const text = await getSetting(ctx.db, 'legal.datenschutz', LEGAL_PAGES.datenschutz.placeholder);
    const records = await resolvePrivacyRecords(ctx, collectPrivacyRecords(modules));
    return renderPage(c, {
      title: lang === 'en' ? 'Privacy policy' : LEGAL_PAGES.datenschutz.title,
      head: <link rel="stylesheet" href="/static/app/privacy.css" />,
      children: <PrivacyPage c={c} text={String(text)} records={records} aiSystems={aiSystems} />,
    });
  });

  for (const [slug, page] of Object.entries(LEGAL_PAGES)) {
    if (slug === 'datenschutz') continue;
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

const PRIVACY_FIELDS: {
  key: keyof Omit<ResolvedPrivacyRecord, 'id' | 'module' | 'processing' | 'aiSystems' | 'rights'>;
  de: string;
  en: string;
}[] = [
  { key: 'purpose', de: 'Zweck', en: 'Purpose' },
  { key: 'data', de: 'Welche Daten', en: 'Which data' },
  { key: 'subjects', de: 'Betroffene Personen', en: 'Data subjects' },
  { key: 'legalBasis', de: 'Rechtsgrundlage', en: 'Legal basis' },
  { key: 'storage', de: 'Speicherort', en: 'Where stored' },
  { key: 'retention', de: 'Speicherdauer', en: 'Retention' },
  { key: 'recipients', de: 'Empfänger', en: 'Recipients' },
];

function DlItem(props: { term: string; children: unknown }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key">{props.term}</dt>
      <dd class="kern-description-list-item__value">{props.children}</dd>
    </div>
  );
}

/** `/datenschutz`: the town's editable text, then the processings declared by the modules, then the rights. */
function PrivacyPage(props: { c: Context<AppEnv>; text: string; records: ResolvedPrivacyRecord[]; aiSystems: AiSystemInfo[] }) {
  const { lang, ctx } = props.c.var;
  const en = lang === 'en';
  const l = (x: Localized) => (en ? x.en : x.de);
  const town = ctx.town;
  const aiName = new Map(props.aiSystems.map((s) => [s.id, s.name]));
  const paragraphs = props.text.split(/\n{2,}/);
  return (
    <div class="lotse-stack lotse-privacy">
      <h1 class="kern-heading-large">{en ? 'Privacy policy' : LEGAL_PAGES.datenschutz.title}</h1>
      {en ? <p class="kern-body">The town’s privacy statement is maintained in German:</p> : null}
      <div lang={en ? 'de' : undefined} class="lotse-stack">
        {paragraphs.map((p) => (
          <p class="kern-body">{p}</p>
        ))}
      </div>

      <section aria-labelledby="dsgvo-verarbeitungen" class="lotse-stack">
        <h2 id="dsgvo-verarbeitungen" class="kern-heading-medium">
          {en ? 'Processing of personal data in Lotse' : 'Verarbeitungen in Lotse'}
        </h2>
        <p class="kern-body">
          {en
            ? `Controller: ${town.name}, ${town.rathaus.address}. The following list is generated from the software itself and states the periods configured in this installation.`
            : `Verantwortlich: ${town.name}, ${town.rathaus.address}. Die folgende Liste wird aus der Software selbst erzeugt und nennt die in dieser Installation eingestellten Fristen.`}
        </p>
        <nav aria-labelledby="dsgvo-inhalt" class="lotse-privacy__toc">
          <h3 id="dsgvo-inhalt" class="kern-heading-small">
            {en ? 'Contents' : 'Inhalt'}
          </h3>
          <ul class="kern-list kern-list--bullet">
            {props.records.map((r) => (
              <li>
                <a class="kern-link" href={`#v-${r.id}`}>
                  {l(r.processing)}
                </a>
              </li>
            ))}
            <li>
              <a class="kern-link" href="#dsgvo-rechte">
                {en ? 'Your rights' : 'Ihre Rechte'}
              </a>
            </li>
          </ul>
        </nav>
        {props.records.map((r) => (
          <section aria-labelledby={`v-${r.id}`} class="lotse-privacy__record">
            <h3 id={`v-${r.id}`} class="kern-heading-small">
              {l(r.processing)}
            </h3>
            <dl class="kern-description-list">
              {PRIVACY_FIELDS.map((f) => (
                <DlItem term={en ? f.en : f.de}>{l(r[f.key])}</DlItem>
              ))}
              <DlItem term={en ? 'AI system involved' : 'KI-System beteiligt'}>
                {r.aiSystems.length === 0 ? (
                  en ? (
                    'No'
                  ) : (
                    'Nein'
                  )
                ) : (
                  <>
                    {en ? 'Yes: ' : 'Ja: '}
                    <span lang="de">{r.aiSystems.map((id) => aiName.get(id) ?? id).join(', ')}</span>
                    {' – '}
                    <a class="kern-link" href="/ki">
                      {en ? 'About the AI' : 'Über die KI'}
                    </a>
                  </>
                )}
              </DlItem>
              {r.rights ? <DlItem term={en ? 'Your options' : 'Ihre Möglichkeiten'}>{l(r.rights)}</DlItem> : null}
            </dl>
          </section>
        ))}
      </section>

      <section aria-labelledby="dsgvo-rechte" class="lotse-stack">
        <h2 id="dsgvo-rechte" class="kern-heading-medium">
          {en ? 'Your rights' : 'Ihre Rechte'}
        </h2>
        <p class="kern-body">
          {en
            ? 'You have the right to access your data (Art. 15 GDPR), to rectification (Art. 16), erasure (Art. 17), restriction of processing (Art. 18), data portability (Art. 20) and to object to processing based on a public task (Art. 21). You can withdraw consent at any time with effect for the future (Art. 7(3)).'
            : 'Sie haben das Recht auf Auskunft über Ihre Daten (Art. 15 DSGVO), auf Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und auf Widerspruch gegen eine Verarbeitung im öffentlichen Interesse (Art. 21). Eine Einwilligung können Sie jederzeit mit Wirkung für die Zukunft widerrufen (Art. 7 Abs. 3).'}
        </p>
        <ul class="kern-list kern-list--bullet">
          <li>
            {en
              ? 'Appointments: view, reschedule or cancel with the link in your confirmation e-mail ('
              : 'Termine: ansehen, umbuchen oder absagen über den Link in Ihrer Bestätigungsmail ('}
            <a class="kern-link" href="/termine">
              {en ? 'Book an appointment' : 'Termin buchen'}
            </a>
            ).
          </li>
          <li>
            {en
              ? '“My Northeim”: download your data or delete the account immediately on the '
              : '„Mein Northeim“: Daten herunterladen oder das Konto sofort löschen auf der '}
            <a class="kern-link" href="/mein-northeim/konto">
              {en ? 'account page' : 'Kontoseite'}
            </a>
            {en ? '; data kept only in your browser can be deleted on ' : '; nur im Browser gespeicherte Daten löschen Sie auf '}
            <a class="kern-link" href="/mein-northeim">
              {en ? '“My Northeim”' : '„Mein Northeim“'}
            </a>
            .
          </li>
          <li>
            {en
              ? 'Everything else (e.g. letters, e-mails, callback requests): please contact us using the details below.'
              : 'Alles andere (z. B. Briefe, E-Mails, Rückrufwünsche): bitte wenden Sie sich an die Kontaktdaten unten.'}
          </li>
        </ul>
        <p class="kern-body">
          {en
            ? `You also have the right to lodge a complaint with the data protection supervisory authority (in ${town.state === 'Niedersachsen' ? 'Lower Saxony: Die Landesbeauftragte für den Datenschutz Niedersachsen' : town.state + ': the state data protection authority'}, Art. 77 GDPR).`
            : `Sie haben außerdem das Recht, sich bei der Datenschutz-Aufsichtsbehörde zu beschweren (${town.state === 'Niedersachsen' ? 'in Niedersachsen: Die Landesbeauftragte für den Datenschutz Niedersachsen' : `die Landesdatenschutzbehörde in ${town.state}`}, Art. 77 DSGVO).`}
        </p>
        <h3 class="kern-heading-small">{en ? 'Contact' : 'Kontakt'}</h3>
        <dl class="kern-description-list">
          <DlItem term={en ? 'Controller' : 'Verantwortlich'}>
            {town.name}, {town.rathaus.address}
          </DlItem>
          <DlItem term="E-Mail">
            <a class="kern-link" href={`mailto:${town.contact.email}`}>
              {town.contact.email}
            </a>
            {en ? ' (subject “Datenschutz”)' : ' (Betreff „Datenschutz“)'}
          </DlItem>
          <DlItem term={en ? 'Phone' : 'Telefon'}>{town.contact.phone}</DlItem>
          <DlItem term={en ? 'In person' : 'Persönlich'}>
            {town.buergerbuero.name}, {town.buergerbuero.address}
          </DlItem>
        </dl>
      </section>
    </div>
  );
}
