import type { AppRouter } from '../../core/http/app.ts';

/** Staff pages under /verwaltung/katalog. */
export function mountStaffPages(_app: AppRouter): void {}
