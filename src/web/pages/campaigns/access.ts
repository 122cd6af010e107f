import type { Checker } from '../../../shared/contracts/campaigns';
import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';
import { scopeOf } from '../../format';

// Mirrors scope.ts (managesCampaign, checksCampaignTarget): the city office runs campaigns over any
// districts, a district office over its own; the offices and inspectors record officers' and experts'
// checks, an enterprise only its own self-check. The server checks each again.
const OFFICES: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer', 'inspector'];

/** Who has the 综合整治 menu item and pages (an enterprise sees the campaigns it is a target of). */
export const hasCampaigns = (me: Me) => me.role !== 'expert' && me.role !== 'tip_custodian';
/** The city office (its staff without a district) or a district office sets up a campaign. */
export const setsUpCampaigns = (me: Me) =>
  ((me.role === 'city_admin' || me.role === 'city_officer') && scopeOf(me.regionCode).level === 'city') || (me.role === 'district_officer' && scopeOf(me.regionCode).level === 'district');
export const isCityOffice = (me: Me) => setsUpCampaigns(me) && me.role !== 'district_officer';
/** The kinds of check this reader may record on a target (an enterprise: the self-check of its own). */
export function checkerKinds(me: Me, target: { enterpriseId: string | null }): Checker[] {
  if (me.role === 'enterprise') return target.enterpriseId && target.enterpriseId === me.enterpriseId ? ['self_check'] : [];
  return OFFICES.includes(me.role) ? ['officer', 'expert'] : [];
}
