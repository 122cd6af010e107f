import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';

// The offices that keep a pool, set programmes and assign experts; experts do their visits; an
// enterprise reads the visits to it and rates them.
const MANAGERS: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'dept_officer'];

export const managesExperts = (me: Me) => MANAGERS.includes(me.role);

/** Who has the 啄木鸟 menu item. */
export const hasExperts = (me: Me) => managesExperts(me) || me.role === 'expert' || me.role === 'enterprise';
