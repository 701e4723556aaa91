import type { FC } from 'hono/jsx';
import { formatBerlin } from '../../../web/components.tsx';
import type { OriginalMessage } from './original-message.ts';

/** Longer than this (characters or lines): a preview and the whole text in a collapsible <details>. */
const LONG_CHARS = 1200;
const LONG_LINES = 20;
const PREVIEW_CHARS = 600;

function preview(text: string): string {
  const lines = text.split('\n').slice(0, 10).join('\n');
  const cut = lines.length > PREVIEW_CHARS ? lines.slice(0, PREVIEW_CHARS) : lines;
  const space = cut.lastIndexOf(' ');
  return `${cut.length < lines.length && space > PREVIEW_CHARS / 2 ? cut.slice(0, space) : cut} …`;
}

/** The citizen's e-mail above the reply draft: sender, date, subject and text (long ones collapsible). */
export const OriginalMessageView: FC<{ message: OriginalMessage }> = ({ message: m }) => {
  const long = m.text.length > LONG_CHARS || m.text.split('\n').length > LONG_LINES;
  const body = (
    <div class="kern-body mr-original__text" data-testid="original-text">
      {m.text || '(kein Text)'}
      {m.truncated ? (
        <p class="kern-body kern-body--small lotse-muted">(gekürzt – die vollständige Nachricht steht in der Originaldatei)</p>
      ) : null}
    </div>
  );
  return (
    <section class="mr-original" aria-labelledby="mr-original-h">
      <link rel="stylesheet" href="/static/app/mailroom-replies.css" />
      <h2 class="kern-heading-medium" id="mr-original-h">
        Nachricht, auf die Sie antworten
      </h2>
      <dl class="kern-body mr-original__meta">
        <dt>Von</dt>
        <dd>{m.fromName ? `${m.fromName} <${m.from}>` : m.from || '–'}</dd>
        <dt>Gesendet</dt>
        <dd>{m.date ? formatBerlin(m.date) : '–'}</dd>
        <dt>Betreff</dt>
        <dd>{m.subject || '–'}</dd>
      </dl>
      {long ? (
        <>
          <div class="kern-body mr-original__text mr-original__preview">{preview(m.text)}</div>
          <details class="mr-original__details">
            <summary>Ganze Nachricht anzeigen ({m.text.split('\n').length} Zeilen)</summary>
            {body}
          </details>
        </>
      ) : (
        body
      )}
    </section>
  );
};
