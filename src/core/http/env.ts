import type { AppContext } from '../context.ts';
import type { Lang } from '../i18n/index.ts';

/** The logged-in staff member, as pages and use cases see it. */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  department: string | null;
  mustChangePassword: boolean;
}

/** Hono environment shared by every route. */
export interface AppEnv {
  Variables: {
    ctx: AppContext;
    requestId: string;
    lang: Lang;
    user: SessionUser | null;
    /** CSRF token of the current session (or of the anonymous pre-session cookie). */
    csrfToken: string;
  };
}
