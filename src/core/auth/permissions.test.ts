import { describe, expect, it } from 'vitest';
import { can, MATRIX, PERMISSIONS, ROLES, type Permission, type Role } from './permissions.ts';

/**
 * The permission matrix, written out by hand. A change to `permissions.ts` must change this
 * table too – on purpose, so that every widening of rights is a reviewed decision.
 *   admin | department_lead | clerk | working_group | council
 */
const X = true;
const _ = false;
const EXPECTED: Record<Permission, [admin: boolean, departmentLead: boolean, clerk: boolean, workingGroup: boolean, council: boolean]> = {
  'staff.access': [X, X, X, X, X],
  'admin.users': [X, _, _, _, _],
  'admin.settings': [X, _, _, _, _],
  'admin.jobs': [X, _, _, _, _],
  'audit.read': [X, X, _, X, _],
  'catalog.read': [X, X, X, X, _],
  'catalog.edit': [X, X, _, _, _],
  'assistant.review': [X, X, X, _, _],
  'appointments.manage': [X, X, X, _, _],
  'appointments.configure': [X, X, _, _, _],
  'mailroom.process': [X, X, X, _, _],
  'mailroom.configure': [X, X, _, _, _],
  'governance.read': [X, X, X, X, X],
  'governance.edit': [X, _, _, X, _],
};
const ROLE_ORDER: Role[] = ['admin', 'department_lead', 'clerk', 'working_group', 'council'];

describe('permission matrix', () => {
  it('lists exactly the known roles and permissions', () => {
    expect([...ROLES]).toEqual(ROLE_ORDER);
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  for (const permission of Object.keys(EXPECTED) as Permission[]) {
    ROLE_ORDER.forEach((role, i) => {
      const expected = EXPECTED[permission][i]!;
      it(`${role} ${expected ? 'may' : 'may not'} ${permission}`, () => {
        expect(can([role], permission)).toBe(expected);
        expect(MATRIX[role].includes(permission)).toBe(expected);
      });
    });
  }

  it('combines roles (union) and ignores unknown or empty roles', () => {
    expect(can(['council', 'clerk'], 'mailroom.process')).toBe(true);
    expect(can(['council', 'clerk'], 'admin.users')).toBe(false);
    expect(can([], 'staff.access')).toBe(false);
    expect(can(['superuser'], 'staff.access')).toBe(false);
    expect(can(['__proto__', 'constructor', 'toString'], 'staff.access')).toBe(false);
  });
});
