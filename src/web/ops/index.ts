import type { LotseModule } from '../../core/module.ts';
import { mountOpsPages } from './routes.tsx';

/**
 * Operations pages in the staff area: background jobs, e-mail outbox, audit log.
 * Registered like a module (see `src/modules/index.ts`) so its links join the staff navigation.
 */
export const module: LotseModule = {
  name: 'ops',
  routes: (app) => mountOpsPages(app),
  nav: {
    staff: [
      { href: '/verwaltung/auftraege', label: 'Aufträge', permission: 'admin.jobs' },
      { href: '/verwaltung/postausgang', label: 'Postausgang', permission: 'admin.jobs' },
      { href: '/verwaltung/protokoll', label: 'Prüfprotokoll', permission: 'audit.read' },
    ],
  },
};

export { mountOpsPages };
