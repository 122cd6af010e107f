import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';

// Mirrors scope.ts: the offices record accidents (recordsAccidents); every officer reads those of
// their region, an inspector too. An enterprise reads its own through its cockpit, an expert none.
const RECORDERS: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer'];

/** Who has the 事故 menu item and pages. */
export const hasAccidents = (me: Me) => RECORDERS.includes(me.role) || me.role === 'inspector';
/** Who may record an accident (the server checks again). */
export const recordsAccidents = (me: Me) => RECORDERS.includes(me.role);
