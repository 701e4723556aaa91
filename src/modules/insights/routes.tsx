import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requirePermission } from '../../core/auth/index.ts';
import { AppError } from '../../core/errors.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { TableHead } from '../../web/components.tsx';
import { renderPage } from '../../web/layout.tsx';
import { getService } from '../catalog/index.ts';
import { coUseSuggestions, topServicePairs } from './co-use-suggestions.ts';
import { MIN_COUNT, WINDOW_MONTHS } from './pairs.ts';
import { lastAggregatedDays } from './repository.ts';

const RelatedSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    leika: z.string().nullable(),
    url: z.string().nullable(),
    count: z.number().int().openapi({ description: `Wie oft zusammen genutzt (letzte ${WINDOW_MONTHS} Monate, mindestens ${MIN_COUNT})` }),
  })
  .openapi('RelatedService');

const relatedRoute = createRoute({
  method: 'get',
  path: '/services/{id}/related',
  tags: ['Katalog'],
  summary: 'Leistungen, die andere oft zusammen mit dieser erledigten (anonyme Statistik, nur Paare mit mindestens 5 Fällen)',
  request: {
    params: z.object({ id: z.string().min(1).max(200).openapi({ example: 'nom-wohnsitz-anmelden' }) }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(20).optional().openapi({ example: 3 }) }),
  },
  responses: {
    200: {
      description: 'Verwandte Leistungen',
      content: {
        'application/json': {
          schema: z.object({ serviceId: z.string(), minCount: z.number().int(), windowMonths: z.number().int(), related: z.array(RelatedSchema) }),
        },
      },
    },
    404: { description: 'Leistung nicht gefunden' },
  },
});

const berlinDay = new Intl.DateTimeFormat('de-DE', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
const SOURCE_LABELS: Record<string, string> = { appointments: 'Termine mit mehreren Leistungen', assistant: 'Gespräche mit dem Assistenten' };

async function evaluationPage(c: Context<AppEnv>) {
  const ctx = c.var.ctx;
  const [pairs, days] = await Promise.all([topServicePairs(ctx, { limit: 50 }), lastAggregatedDays(ctx.db)]);
  return renderPage(c, {
    title: 'Auswertung: gemeinsam genutzte Leistungen',
    area: 'staff',
    head: <link rel="stylesheet" href="/static/app/staff.css" />,
    children: (
      <div class="lotse-stack">
        <h1 class="kern-heading-large">Auswertung: gemeinsam genutzte Leistungen</h1>
        <p class="kern-body">
          Welche Leistungen werden häufig zusammen erledigt? Die Zahlen speisen den Hinweis „Andere erledigten auch“ auf den Leistungsseiten.
          Gezeigt werden die häufigsten Paare der letzten {WINDOW_MONTHS} Monate.
        </p>
        <section aria-labelledby="h-paare">
          <h2 id="h-paare" class="kern-heading-medium">
            Häufigste Paare
          </h2>
          {pairs.length ? (
            <div class="lotse-table-wrap" role="region" tabindex={0} aria-labelledby="h-paare">
              <table class="kern-table">
                <caption class="kern-sr-only">Leistungspaare mit Anzahl, häufigste zuerst, nur ab {MIN_COUNT} Fällen</caption>
                <TableHead class="kern-table__head" columns={['Leistung', 'zusammen mit', { label: 'Anzahl', numeric: true }]} />
                <tbody class="kern-table__body">
                  {pairs.map((p) => (
                    <tr class="kern-table__row">
                      <td class="kern-table__cell">
                        <a class="kern-link" href={`/leistungen/${encodeURIComponent(p.a.id)}`}>
                          {p.a.title}
                        </a>
                      </td>
                      <td class="kern-table__cell">
                        <a class="kern-link" href={`/leistungen/${encodeURIComponent(p.b.id)}`}>
                          {p.b.title}
                        </a>
                      </td>
                      <td class="kern-table__cell kern-table__cell--numeric">{p.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="kern-body">Noch kein Leistungspaar wurde mindestens {MIN_COUNT}-mal gemeinsam genutzt.</p>
          )}
        </section>
        <section aria-labelledby="h-datenschutz" class="lotse-stack">
          <h2 id="h-datenschutz" class="kern-heading-medium">
            So entstehen die Zahlen (Datenschutz)
          </h2>
          <ul class="kern-list kern-list--bullet">
            <li>
              Einmal täglich (02:15 Uhr) zählt Lotse für den Vortag, welche Leistungen zusammen in einem bestätigten Termin gebucht oder im selben Gespräch mit dem
              Assistenten erfragt wurden.
            </li>
            <li>Gespeichert wird nur die Anzahl je Leistungspaar und Monat – keine Namen, keine Termin- oder Gesprächsnummern, keine Uhrzeiten, keine Fragetexte.</li>
            <li>
              Ein Paar erscheint hier und auf den Leistungsseiten erst, wenn es in {WINDOW_MONTHS} Monaten mindestens {MIN_COUNT}-mal vorkam (k ≥ {MIN_COUNT}). Seltene
              Kombinationen, die auf einzelne Personen schließen lassen könnten, bleiben verborgen.
            </li>
            <li>Es gibt kein zusätzliches Tracking: ausgewertet werden nur Daten, die für Termine und den Assistenten ohnehin anfallen.</li>
          </ul>
          <p class="kern-body">
            Zuletzt ausgewertet:{' '}
            {days.length ? days.map((d, i) => `${i ? '; ' : ''}${SOURCE_LABELS[d.source] ?? d.source}: ${berlinDay.format(new Date(`${d.day}T00:00:00Z`))}`).join('') : 'noch nie'}
          </p>
        </section>
      </div>
    ),
  });
}

/** Related-services API and the staff evaluation page. */
export function mountInsightsRoutes(app: AppRouter, api: AppRouter): void {
  api.openapi(relatedRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    const ctx = c.var.ctx;
    if (!(await getService(ctx, id))) throw new AppError('not_found', 'Die Leistung wurde nicht gefunden.');
    const related = await coUseSuggestions(ctx, id, { limit: limit ?? 3 });
    return c.json({ serviceId: id, minCount: MIN_COUNT, windowMonths: WINDOW_MONTHS, related }, 200);
  });
  app.get('/verwaltung/auswertung', requirePermission('governance.read'), (c) => evaluationPage(c));
}
