import type { AppRouter } from '../../core/http/app.ts';
import { mountAppointmentsApi } from './api.ts';
import { mountPublicPages } from './pages-public.tsx';
import { mountStaffPages } from './pages-staff.tsx';

/** Pages (citizen + staff) and API of the appointments module. */
export function appointmentRoutes(app: AppRouter, api: AppRouter): void {
  mountPublicPages(app);
  mountStaffPages(app);
  mountAppointmentsApi(api);
}
