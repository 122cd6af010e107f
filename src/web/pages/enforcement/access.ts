import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';
import { shanghaiDate } from '../../../shared/dates';

// District and department officers (and the city) plan, draw and decide; inspectors record the
// inspections they are assigned to; an enterprise reads its own inspections and cases.
const OFFICERS: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'dept_officer'];

export function mayManageEnforcement(me: Me): boolean {
  return OFFICERS.includes(me.role);
}

/** Who has the 执法检查 menu item: everyone but experts (an enterprise, read-only). */
export function hasEnforcement(me: Me): boolean {
  return me.role !== 'expert';
}

/** The quarter a day falls in, as the bulletin names it: 2026Q4. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

export function currentQuarter(): string {
  return quarterOf(shanghaiDate(new Date()));
}

export const thisYear = () => Number(shanghaiDate(new Date()).slice(0, 4));

/** The years one plans for: two back, this one, the next. */
export const yearOptions = () => [-2, -1, 0, 1].map((d) => ({ value: thisYear() + d, label: String(thisYear() + d) }));
