import type { AppRouter } from '../../core/http/app.ts';
import { renderPage } from '../../web/layout.tsx';
import { listLifeSituations } from './life-situations.ts';
import { PROFILE_SYNC_SCRIPT, ServerProfileSection } from '../profile/index.ts';

const T = {
  de: {
    title: 'Mein Northeim',
    lead: 'Stellen Sie sich Ihre Startseite zusammen: Lebenslagen, Vorlieben und Erinnerungen. Alles bleibt nur in diesem Browser gespeichert (localStorage) – nichts wird an die Stadt übertragen, es gibt kein Tracking. Nur wenn Sie es ausdrücklich wollen, können Sie Ihr Profil mit einem Konto auf dem Server speichern (siehe unten).',
    noscript: 'Für „Mein Northeim“ wird JavaScript benötigt, weil Ihre Angaben nur in Ihrem Browser gespeichert werden. Alle Leistungen finden Sie auch ohne JavaScript unter „Leistungen A–Z“.',
    situations: 'Meine Lebenslagen',
    prefs: 'Einstellungen',
    easy: 'Texte in Einfacher Sprache bevorzugen (wo vorhanden)',
    large: 'Größere Schrift',
    english: 'Englische Oberfläche bevorzugen',
    reminders: 'Erinnerungen (freiwillig)',
    idExpiry: 'Mein Personalausweis läuft ab am',
    passExpiry: 'Mein Reisepass läuft ab am',
    save: 'Speichern',
    saved: 'Gespeichert – nur in diesem Browser.',
    mine: 'Meine Leistungen',
    empty: 'Wählen Sie unten Ihre Lebenslagen aus, dann erscheinen hier Ihre Leistungen.',
    export: 'Meine Daten herunterladen (JSON)',
    del: 'Alles löschen',
    deleted: 'Ihre Angaben wurden aus diesem Browser gelöscht.',
  },
  en: {
    title: 'My Northeim',
    lead: 'Put together your own start page: life situations, preferences and reminders. Everything stays in this browser only (localStorage) – nothing is sent to the town, there is no tracking. Only if you explicitly want it, you can keep your profile on the server with an account (see below).',
    noscript: '“My Northeim” needs JavaScript because your choices are stored only in your browser. All services are also listed under “Services A–Z”.',
    situations: 'My life situations',
    prefs: 'Preferences',
    easy: 'Prefer texts in plain German (Einfache Sprache) where available',
    large: 'Larger text',
    english: 'Prefer the English interface',
    reminders: 'Reminders (optional)',
    idExpiry: 'My ID card expires on',
    passExpiry: 'My passport expires on',
    save: 'Save',
    saved: 'Saved – in this browser only.',
    mine: 'My services',
    empty: 'Choose your life situations below and your services will appear here.',
    export: 'Download my data (JSON)',
    del: 'Delete everything',
    deleted: 'Your choices were deleted from this browser.',
  },
} as const;

/** /mein-northeim: personal start page stored in the browser (no tracking); optionally synced with a server account (modules/profile). */
export function mountMeinNortheim(app: AppRouter): void {
  app.get('/mein-northeim', async (c) => {
    const { lang, ctx } = c.var;
    const t = T[lang];
    const situations = (await listLifeSituations(ctx)).filter((l) => l.services.length > 0);
    const data = {
      lang,
      texts: { saved: t.saved, deleted: t.deleted, empty: t.empty, next: lang === 'en' ? 'Next step' : 'Als Nächstes', done: lang === 'en' ? 'done' : 'erledigt', expires: lang === 'en' ? 'expires in {d} days' : 'läuft in {d} Tagen ab', expired: lang === 'en' ? 'has expired' : 'ist abgelaufen', renew: lang === 'en' ? 'Renew now' : 'Jetzt verlängern', idCard: lang === 'en' ? 'ID card' : 'Personalausweis', passport: lang === 'en' ? 'Passport' : 'Reisepass' },
      reminderServices: { id: 'nom-personalausweis', pass: 'nom-reisepass' },
      situations: situations.map((l) => ({ slug: l.slug, title: lang === 'en' && l.titleEn ? l.titleEn : l.title, services: l.services.map((s) => ({ id: s.id, title: s.title })) })),
    };
    const json = JSON.stringify(data).replace(/</g, '\\u003c');
    return renderPage(c, {
      title: t.title,
      head: [<meta name="htmx-config" content='{"includeIndicatorStyles":false}' />, <link rel="stylesheet" href="/static/app/catalog.css" />, <script type="application/json" id="mn-data" dangerouslySetInnerHTML={{ __html: json }} />],
      scripts: ['/static/app/mein-northeim.js', PROFILE_SYNC_SCRIPT],
      children: (
        <div class="lotse-stack mein-northeim">
          <h1 class="kern-heading-large">{t.title}</h1>
          <p class="kern-body">{t.lead}</p>
          <noscript>
            <p class="kern-body kern-body--bold">{t.noscript}</p>
          </noscript>
          <div id="mn-status" role="status" class="kern-body mn-status" />
          <section aria-labelledby="mn-mine-h">
            <h2 id="mn-mine-h" class="kern-heading-medium">
              {t.mine}
            </h2>
            <div id="mn-reminders" />
            <div id="mn-mine">
              <p class="kern-body">{t.empty}</p>
            </div>
          </section>
          <form id="mn-form" class="lotse-form">
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{t.situations}</legend>
              <div class="kern-fieldset__body mn-options">
                {data.situations.map((l) => (
                  <div class="kern-form-check">
                    <input class="kern-form-check__checkbox" type="checkbox" id={`mn-ls-${l.slug}`} name="situations" value={l.slug} />
                    <label class="kern-label" for={`mn-ls-${l.slug}`}>
                      {l.title}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{t.prefs}</legend>
              <div class="kern-fieldset__body">
                <div class="kern-form-check">
                  <input class="kern-form-check__checkbox" type="checkbox" id="mn-easy" name="easy" />
                  <label class="kern-label" for="mn-easy">
                    {t.easy}
                  </label>
                </div>
                <div class="kern-form-check">
                  <input class="kern-form-check__checkbox" type="checkbox" id="mn-large" name="large" />
                  <label class="kern-label" for="mn-large">
                    {t.large}
                  </label>
                </div>
                <div class="kern-form-check">
                  <input class="kern-form-check__checkbox" type="checkbox" id="mn-english" name="english" />
                  <label class="kern-label" for="mn-english">
                    {t.english}
                  </label>
                </div>
              </div>
            </fieldset>
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{t.reminders}</legend>
              <div class="kern-fieldset__body">
                <div class="kern-form-input">
                  <label class="kern-label" for="mn-id-expiry">
                    {t.idExpiry}
                  </label>
                  <input class="kern-form-input__input" type="date" id="mn-id-expiry" name="idExpiry" />
                </div>
                <div class="kern-form-input">
                  <label class="kern-label" for="mn-pass-expiry">
                    {t.passExpiry}
                  </label>
                  <input class="kern-form-input__input" type="date" id="mn-pass-expiry" name="passExpiry" />
                </div>
              </div>
            </fieldset>
            <div class="lotse-actions">
              <button class="kern-btn kern-btn--primary" type="submit">
                <span class="kern-label">{t.save}</span>
              </button>
              <button class="kern-btn kern-btn--secondary" type="button" id="mn-export">
                <span class="kern-label">{t.export}</span>
              </button>
              <button class="kern-btn kern-btn--tertiary" type="button" id="mn-delete">
                <span class="kern-label">{t.del}</span>
              </button>
            </div>
          </form>
          <ServerProfileSection lang={lang} />
        </div>
      ),
    });
  });
}
