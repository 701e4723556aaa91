import type { AppContext } from '../../core/context.ts';
import type { ServiceSummary } from './types.ts';

/** Absolute URL of the service's page in this portal (`<baseUrl>/leistungen/<id>`). */
export function publicServiceUrl(ctx: Pick<AppContext, 'config'>, id: string): string {
  return `${ctx.config.baseUrl}/leistungen/${encodeURIComponent(id)}`;
}

/**
 * The summary with a usable `url`: the service's own external page (e.g. Munich's DLDB link)
 * when it has one, otherwise its page in this portal – so API clients and cited sources always
 * get a link.
 */
export function withPublicUrl<T extends ServiceSummary>(ctx: Pick<AppContext, 'config'>, s: T): T {
  return s.url ? s : { ...s, url: publicServiceUrl(ctx, s.id) };
}
