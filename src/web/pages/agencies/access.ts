import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';

// The offices that keep the registry and list agencies; the officers who edit enterprises record
// engagements for them; an enterprise records its own and reads the registry.
const MANAGERS: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'dept_officer'];
const ENGAGERS: readonly Role[] = [...MANAGERS, 'street_officer', 'enterprise'];

export const managesAgencies = (me: Me) => MANAGERS.includes(me.role);
export const recordsEngagements = (me: Me) => ENGAGERS.includes(me.role);

/** Who has the 第三方机构 menu item. */
export const hasAgencies = (me: Me) => recordsEngagements(me) || me.role === 'inspector';
