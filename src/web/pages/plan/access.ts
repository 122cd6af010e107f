import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';

// The plan's work is the offices' (the city's, the districts', the departments', the streets'); the
// server's scope says which tasks, lists and meetings each one reads and edits. An enterprise has only
// its own 五带头 records; experts and the custodian of tip reporters have none of it.
const OFFICERS: readonly Role[] = ['city_admin', 'city_officer', 'dept_officer', 'district_officer', 'street_officer', 'inspector'];
// The units that hold leaders' meetings and keep duty lists: the city, the districts, the departments.
const UNIT_OFFICES: readonly Role[] = ['city_admin', 'city_officer', 'dept_officer', 'district_officer'];
// 五带头 records are entered by the enterprise (or an office that edits enterprises, for one) and
// checked by the street or district (the city too).
const FIVE_LEAD_RECORDERS: readonly Role[] = ['enterprise', 'city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer'];
const FIVE_LEAD_CHECKERS: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'street_officer'];

/** Who has the plan's menu group (tasks, meetings, duty lists). */
export const hasPlan = (me: Me) => OFFICERS.includes(me.role);
export const keepsUnitRecords = (me: Me) => UNIT_OFFICES.includes(me.role);
export const isCityLevel = (me: Me) => me.role === 'city_admin' || me.role === 'city_officer';
/** Who has the 五带头 menu item: the offices and enterprises. */
export const hasFiveLeads = (me: Me) => hasPlan(me) || me.role === 'enterprise';
export const recordsFiveLeads = (me: Me) => FIVE_LEAD_RECORDERS.includes(me.role);
export const checksFiveLeads = (me: Me) => FIVE_LEAD_CHECKERS.includes(me.role);

/** A district's or a department's officer: speaks for one unit, has its page (本单位) and publishes its sub-plan. */
export function ownUnitPath(me: Me): string | null {
  if (me.role === 'district_officer' && /^\d{6}$/.test(me.regionCode)) return `/plan/units/district/${me.regionCode}`;
  if (me.role === 'dept_officer' && me.departmentId) return `/plan/units/department/${encodeURIComponent(me.departmentId)}`;
  return null;
}
export const publishesSubplan = (me: Me) => ownUnitPath(me) !== null;
