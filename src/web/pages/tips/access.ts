import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';

// Mirrors scope.ts: the offices of a tip's place and its supervising department handle it (inspectors
// and streets verify); the city's offices approve an extension; the directors approve and pay rewards;
// the custodian reads the tips to reveal a reporter and takes no step. Never an enterprise or an expert.
const HANDLERS: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer', 'inspector'];

export const handlesTips = (me: Me) => HANDLERS.includes(me.role);
export const isCustodian = (me: Me) => me.role === 'tip_custodian';
/** Who has the 举报奖励 menu item. */
export const hasTips = (me: Me) => handlesTips(me) || isCustodian(me);
/** The figures: the city's and the districts' offices (the server decides the district). */
export const seesTipStats = (me: Me) => ['city_admin', 'city_officer', 'district_officer', 'inspector'].includes(me.role);
