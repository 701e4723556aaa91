import type { LotseModule } from '../../core/module.ts';
import { mountStaffPages } from './routes.tsx';

/**
 * Core staff area (login, overview, own password, accounts, legal texts), registered like a
 * module so it mounts with the others and adds its admin entries to the staff navigation.
 */
export const module: LotseModule = {
  name: 'staff',
  routes: (app) => mountStaffPages(app),
  nav: {
    staff: [
      { href: '/verwaltung/benutzer', label: 'Konten', permission: 'admin.users' },
      { href: '/verwaltung/einstellungen', label: 'Einstellungen', permission: 'admin.settings' },
    ],
  },
};

export { safeReturnPath, CORE_STAFF_LINKS } from './routes.tsx';
