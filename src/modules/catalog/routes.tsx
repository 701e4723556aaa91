import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../../core/context.ts';
import type { AppRouter } from '../../core/http/app.ts';
import { listServices } from './get-service.ts';
import { mountMeinNortheim } from './mein-northeim-page.tsx';
import { mountPortalPages } from './portal-pages.tsx';
import { mountStaffPages } from './staff-pages.tsx';

const ServiceSummarySchema = z
  .object({ id: z.string(), title: z.string(), leika: z.string().nullable(), url: z.string().nullable() })
  .openapi('ServiceSummary');

const listRoute = createRoute({
  method: 'get',
  path: '/services',
  tags: ['Katalog'],
  summary: 'Veröffentlichte Leistungen (A–Z) oder – mit q – nach Relevanz',
  request: { query: z.object({ q: z.string().max(1000).optional().openapi({ example: 'Perso verloren' }) }) },
  responses: {
    200: { description: 'Leistungen', content: { 'application/json': { schema: z.object({ services: z.array(ServiceSummarySchema) }) } } },
  },
});

/** Catalog API and pages. */
export function mountCatalogRoutes(app: AppRouter, api: AppRouter, _ctx: AppContext): void {
  api.openapi(listRoute, async (c) => {
    const { q } = c.req.valid('query');
    const services = await listServices(c.var.ctx, { q });
    return c.json({ services }, 200);
  });
  mountPortalPages(app);
  mountMeinNortheim(app);
  mountStaffPages(app);
}
