import type { FC } from 'hono/jsx';
import type { RelatedDocument } from './case-links.ts';

/** Why a document belongs to an earlier one, in words (older rows have only `aktenzeichen`). */
export function relatedLabel(r: RelatedDocument, isReply: boolean): string {
  if (r.via === 'message-id') return r.townMail ? 'Antwort auf eine E-Mail der Stadt' : 'im selben E-Mail-Verlauf';
  if (r.via === 'ticket') return `Vorgangsnummer ${r.ticket ?? ''}`.trim();
  return `${isReply ? 'Antwort zu' : 'Bezug zu'} Vorgang ${r.aktenzeichen ?? ''}`.trim();
}

/** "Gehört zu Dokument n (Grund)" on the document page: the case this mail or letter attaches to. */
export const RelatedCase: FC<{ related: RelatedDocument[]; isReply: boolean }> = ({ related, isReply }) =>
  related.length ? (
    <p class="kern-body" data-testid="related">
      <strong>Gehört zu: </strong>
      {related.map((r, i) => (
        <>
          {i ? '; ' : ''}
          <a class="kern-link" href={`/verwaltung/posteingang/${r.documentId}`}>
            Dokument {r.documentId}
          </a>{' '}
          ({relatedLabel(r, isReply)})
        </>
      ))}
    </p>
  ) : null;
