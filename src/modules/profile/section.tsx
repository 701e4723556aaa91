import type { FC } from 'hono/jsx';
import type { Lang } from '../../core/i18n/index.ts';
import { TX } from './texts.ts';

/** Script that syncs the browser profile with the server account (only active when signed in). */
export const PROFILE_SYNC_SCRIPT = '/static/app/profile-sync.js';

/**
 * The optional "Profil auf dem Server speichern" section of the Mein-Northeim page. Without JS
 * (or when not signed in) it explains the choice and links to the account page; with JS and a
 * citizen session, `profile-sync.js` fills `#mn-server` with upload/download buttons.
 */
export const ServerProfileSection: FC<{ lang: Lang }> = ({ lang }) => {
  const t = TX[lang];
  const texts = {
    signedIn: t.jsSignedIn,
    serverState: t.jsServerState,
    serverEmpty: t.jsServerEmpty,
    upload: t.jsUpload,
    download: t.jsDownload,
    uploaded: t.jsUploaded,
    downloaded: t.jsDownloaded,
    failed: t.jsFailed,
    consent: t.jsConsent,
    account: t.sectionAccount,
    locale: lang === 'en' ? 'en-GB' : 'de-DE',
  };
  return (
    <section aria-labelledby="mn-server-h" class="mn-server">
      <h2 id="mn-server-h" class="kern-heading-medium">
        {t.sectionTitle}
      </h2>
      <p class="kern-body">{t.sectionBody}</p>
      <div id="mn-server" data-texts={JSON.stringify(texts)}>
        <p class="kern-body">
          <a class="kern-link" href="/mein-northeim/konto" id="mn-server-link">
            {t.sectionLink}
          </a>
        </p>
      </div>
    </section>
  );
};
