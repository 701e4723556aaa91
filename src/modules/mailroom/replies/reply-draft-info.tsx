import type { FC } from 'hono/jsx';
import { Notice } from '../../../web/components.tsx';
import type { ReplyDraft } from '../review/reply.ts';

const REASONS: Record<string, string> = {
  weak_evidence: 'keine ausreichend passende Leistung im Katalog gefunden',
  no_topic: 'kein erkennbares Anliegen',
  too_long: 'Nachricht zu lang für den Assistenten',
};

/** What the assistant based the draft on (sources) or why the draft is neutral. */
export const ReplyDraftInfo: FC<{ draft: ReplyDraft }> = ({ draft }) =>
  draft.mode === 'answer' ? (
    <Notice kind="info" title="Vorschlag aus dem Leistungskatalog (Lotse-Assistent)" announce={false}>
      <p class="kern-body">
        Sicherheit der Suche: {Math.round(draft.confidence * 100)} %. Vorgangsnummer im Betreff: [#{draft.caseNumber}]. Gefundene Leistungen (die ersten beiden stehen als Quelle im Text):
      </p>
      <ul class="kern-list">
        {draft.sources.map((s) => (
          <li>
            <a class="kern-link" href={s.url} target="_blank" rel="noopener">
              {s.title}
            </a>
          </li>
        ))}
      </ul>
    </Notice>
  ) : (
    <Notice kind="warning" title="Neutraler Entwurf ohne Inhalt" announce={false}>
      <p class="kern-body">
        Der Assistent hat keine belastbare Antwort gefunden ({REASONS[draft.refusalReason ?? ''] ?? 'Frage außerhalb seines Auftrags'}). Der Entwurf sagt nur, dass eine Kollegin oder ein Kollege antwortet – bitte selbst ergänzen.
      </p>
    </Notice>
  );
