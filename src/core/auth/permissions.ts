/**
 * Roles and the permission matrix. Tested cell by cell in `permissions.test.ts`:
 * changing a cell here must change that test too (on purpose).
 */
export const ROLES = ['admin', 'department_lead', 'clerk', 'working_group', 'council'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administration',
  department_lead: 'Fachbereichsleitung',
  clerk: 'Sachbearbeitung',
  working_group: 'Arbeitsgruppe Digitalisierung',
  council: 'Rat (nur lesen)',
};

/** Every permission, grouped by area. Modules check these, never role names. */
export const PERMISSIONS = {
  'staff.access': 'Verwaltungsbereich öffnen',
  'admin.users': 'Konten und Rollen verwalten',
  'admin.settings': 'Einstellungen der Kommune ändern (Impressum, Datenschutz …)',
  'admin.jobs': 'Hintergrundaufträge einsehen und neu starten',
  'audit.read': 'Prüfprotokoll einsehen',
  'catalog.read': 'Leistungskatalog (Entwürfe) einsehen',
  'catalog.edit': 'Leistungskatalog bearbeiten und veröffentlichen',
  'assistant.review': 'Fragen, Bewertungen und Rückrufwünsche des Assistenten bearbeiten',
  'appointments.manage': 'Termine verwalten (Kalender, Anwesenheit, Wartenummern)',
  'appointments.configure': 'Standorte, Schalter, Öffnungszeiten und Buchungsregeln einstellen',
  'mailroom.process': 'Posteingang und Prüfwarteschlange bearbeiten',
  'mailroom.configure': 'Kategorien, Schwellen, Postfächer und Modelle verwalten',
  'governance.read': 'Haushalt, Maßnahmen und KI-Register einsehen',
  'governance.edit': 'Haushalt, Maßnahmen, Sitzungen und KI-Register pflegen',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const ALL = Object.keys(PERMISSIONS) as Permission[];

export const MATRIX: Record<Role, readonly Permission[]> = {
  admin: ALL,
  department_lead: [
    'staff.access',
    'audit.read',
    'catalog.read',
    'catalog.edit',
    'assistant.review',
    'appointments.manage',
    'appointments.configure',
    'mailroom.process',
    'mailroom.configure',
    'governance.read',
  ],
  clerk: ['staff.access', 'catalog.read', 'assistant.review', 'appointments.manage', 'mailroom.process', 'governance.read'],
  working_group: ['staff.access', 'catalog.read', 'governance.read', 'governance.edit', 'audit.read'],
  council: ['staff.access', 'governance.read'],
};

/** True if any of the roles grants the permission. Unknown roles grant nothing. */
export function can(roles: readonly string[], permission: Permission): boolean {
  // Own-property check: role names come from the database and must not reach Object.prototype.
  return roles.some((r) => Object.hasOwn(MATRIX, r) && MATRIX[r as Role].includes(permission));
}
