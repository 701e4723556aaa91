import type { LotseModule } from '../../core/module.ts';
import { appointmentJobs, appointmentRecurring } from './jobs.ts';
import { appointmentRoutes } from './routes.tsx';
import { seedAppointments } from './seed.ts';
import { catalogTitles } from './rules.ts';
import { listServices } from '../catalog/index.ts';
import { appointmentsPrivacy } from './privacy.ts';

// Catalog titles win over our own seed titles (booking settings stay keyed by catalog id).
catalogTitles.lookup = async (ctx) => new Map((await listServices(ctx)).map((s) => [s.id, s.title]));

export { findSlots } from './find-slots.ts';
export { bookAppointment, holdSlot, completeHold, staffBook } from './book-appointment.ts';
export { confirmAppointment, cancelByToken, cancelByStaff, setAppointmentStatus } from './manage-appointment.ts';
export { expireHolds, sendReminders, notifyWaitlist } from './jobs.ts';
export { applyRetention } from './apply-retention.ts';
export { seedAppointments } from './seed.ts';

/** Link target for "Termin buchen" from service pages and assistant answers. */
export const bookingUrl = (serviceId: string): string => `/termine?leistung=${encodeURIComponent(serviceId)}`;

export const module: LotseModule = {
  name: 'appointments',
  privacy: appointmentsPrivacy,
  routes(app, api) {
    appointmentRoutes(app, api);
  },
  nav: {
    public: [{ href: '/termine', label: 'Termin buchen', labelEn: 'Book an appointment' }],
    staff: [
      { href: '/verwaltung/termine', label: 'Termine', permission: 'appointments.manage' },
      { href: '/verwaltung/termine/einstellungen', label: 'Termin-Einstellungen', permission: 'appointments.configure' },
    ],
  },
  jobs: appointmentJobs,
  recurring: appointmentRecurring,
  seedDemo: seedAppointments,
};
