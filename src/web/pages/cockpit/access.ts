import type { Me } from '../../../shared/contracts/users';
import { scopeOf } from '../../format';

/**
 * The cockpit a user lands on: the city's for city-level staff, their district's (a street
 * officer's shows their street) for regional staff, their department's, their enterprise's.
 * null for those without one (experts).
 */
export function cockpitPath(me: Me): string | null {
  switch (me.role) {
    case 'city_admin':
    case 'city_officer':
    case 'inspector':
    case 'district_officer':
    case 'street_officer': {
      const { districtCode } = scopeOf(me.regionCode);
      return districtCode ? `/cockpit/districts/${districtCode}` : '/cockpit';
    }
    case 'dept_officer':
      return me.departmentId ? `/cockpit/departments/${encodeURIComponent(me.departmentId)}` : null;
    case 'enterprise':
      return me.enterpriseId ? `/cockpit/enterprises/${encodeURIComponent(me.enterpriseId)}` : null;
    case 'expert':
    case 'tip_custodian':
      return null;
  }
}
