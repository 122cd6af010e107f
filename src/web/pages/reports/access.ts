import type { Me } from '../../../shared/contracts/users';

/** The district monthly report is for the city office (any district) and district offices (their own). */
export function canReadMonthlyReport(me: Me): boolean {
  return me.role === 'city_admin' || me.role === 'city_officer' || me.role === 'district_officer';
}
