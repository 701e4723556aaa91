import type { AppRouter } from '../../core/http/app.ts';

/** Citizen pages: /leistungen, /leistungen/:id, /lebenslagen, /mein-northeim. */
export function mountPortalPages(_app: AppRouter): void {}
