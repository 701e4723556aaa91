/**
 * "Warum?" – shows which words, phrases and intake data made the triage model prefer a
 * category (from `explainWith`, stored as `why` with a classification). Renders nothing
 * without an explanation, so pages can include it unconditionally.
 *
 * @example <WhyList why={classification.why} />
 */
import type { FC } from 'hono/jsx';
import type { Contribution, Explanation } from '../triage/index.ts';

const KIND_LABELS: Record<Contribution['kind'], string> = {
  word: 'Wort',
  phrase: 'Wortpaar',
  subject: 'Betreff',
  meta: 'Angabe',
  form: 'Textform',
};

const META_LABELS: Record<string, string> = { district: 'Bezirk' };

/** "district: Neukölln" → "Bezirk: Neukölln"; words are quoted. */
export function featureLabel(c: Contribution): string {
  if (c.kind === 'meta') {
    const i = c.feature.indexOf(': ');
    const field = i > 0 ? c.feature.slice(0, i) : c.feature;
    return i > 0 ? `${META_LABELS[field] ?? field}: ${c.feature.slice(i + 2)}` : c.feature;
  }
  if (c.kind === 'form') return c.feature;
  return `„${c.feature}“`;
}

const weight = (w: number) =>
  (w > 0 ? '+' : '−') + Math.abs(w).toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const WhyList: FC<{ why?: Explanation | null }> = ({ why }) => {
  if (!why || (!why.features.length && !why.against.length)) return null;
  return (
    <details class="lotse-mr-why">
      <summary>Warum „{why.category}“? Die stärksten Merkmale</summary>
      <p class="kern-body kern-body--small">
        Beitrag jedes Merkmals zur Bewertung dieser Kategorie durch das Modell (positiv = spricht dafür, negativ = dagegen; Wortstämme und
        Wortteile sind je Wort zusammengefasst).
      </p>
      <div class="kern-table-responsive">
        <table class="kern-table kern-table--small">
          <caption class="kern-sr-only">Merkmale für und gegen „{why.category}“</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__header">
                Merkmal
              </th>
              <th scope="col" class="kern-table__header">
                Art
              </th>
              <th scope="col" class="kern-table__header">
                Richtung
              </th>
              <th scope="col" class="kern-table__header kern-table__header--numeric">
                Gewicht
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {[...why.features, ...why.against].map((c) => (
              <tr class="kern-table__row">
                <td class="kern-table__cell">{featureLabel(c)}</td>
                <td class="kern-table__cell">{KIND_LABELS[c.kind]}</td>
                <td class="kern-table__cell">{c.weight > 0 ? 'dafür' : 'dagegen'}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{weight(c.weight)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
};
