import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/boot.ts';
import type { AppContext } from '../src/core/context.ts';
import { createTestContext } from './helpers/context.ts';

describe('web app on a migrated database', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.database.close());

  it('is ready once migrations are applied', async () => {
    const res = await buildApp(ctx).request('/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
  });

  it('serves the German start page with the town name and a skip link', async () => {
    const res = await buildApp(ctx).request('/');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="de"');
    expect(html).toContain('Stadt Northeim');
    expect(html).toContain('href="#inhalt"');
  });

  it('lists every AI system of every module on the public "Über die KI" page (EU AI Act transparency)', async () => {
    const { modules } = await import('../src/modules/index.ts');
    const systems = modules.flatMap((m) => m.aiSystems ?? []);
    expect(systems.length).toBeGreaterThanOrEqual(3);
    const html = await (await buildApp(ctx).request('/ki')).text();
    for (const s of systems) expect(html).toContain(s.name.replace(/&/g, '&amp;'));
  });

  it('answers unknown API paths with problem+json', async () => {
    const res = await buildApp(ctx).request('/api/v1/gibt-es-nicht');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
