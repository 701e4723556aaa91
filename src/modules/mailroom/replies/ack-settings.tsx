import type { FC } from 'hono/jsx';
import { CsrfField, Submit } from '../../../web/components.tsx';
import { ACK_DISCLOSURE, type AckSettings } from './acknowledge.ts';

/** Section of the mailbox page: automatic acknowledgements on/off (permission `mailroom.configure`). */
export const AckSettingsSection: FC<{ settings: AckSettings; csrf: string }> = ({ settings, csrf }) => (
  <section aria-labelledby="mb-ack-h" class="lotse-stack">
    <h2 class="kern-heading-medium" id="mb-ack-h">
      Automatische Eingangsbestätigung
    </h2>
    <p class="kern-body">
      Status: <strong>{settings.enabled ? 'eingeschaltet' : 'ausgeschaltet'}</strong>. Eingeschaltet erhält, wer der Stadt eine E-Mail schreibt, die automatisch einem Fachbereich zugeordnet
      wurde, eine Bestätigung mit Vorgangsnummer und zuständiger Stelle – höchstens eine je Absender und Tag, nie auf automatische Antworten,
      Unzustellbar-Meldungen, Verteiler oder „no-reply“-Adressen. Sie enthält keine Entscheidung und den Hinweis: „{ACK_DISCLOSURE}“
    </p>
    <form method="post" action="/verwaltung/posteingang/postfaecher/eingangsbestaetigung">
      <CsrfField token={csrf} />
      <input type="hidden" name="enabled" value={settings.enabled ? 'off' : 'on'} />
      <Submit label={settings.enabled ? 'Eingangsbestätigung ausschalten' : 'Eingangsbestätigung einschalten'} kind="secondary" />
    </form>
  </section>
);
