import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';
import { scopeOf } from '../../format';

// Mirrors scope.ts: every office reads the items of its region and an enterprise those concerning it
// (riskScopeWhere); the city's, districts' and streets' offices record them in their place
// (writesRisk); the city office starts rounds, a district office submits its district's part.
const WRITERS: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'street_officer'];

/** Who has the 风险清单 menu item and pages (an expert and the custodian have none). */
export const hasRisks = (me: Me) => me.role !== 'expert' && me.role !== 'tip_custodian';
/** Who may record risk items (in their own region; the server checks again). */
export const writesRisks = (me: Me) => WRITERS.includes(me.role);
/** Who reads the assessment rounds: the offices, not an enterprise. */
export const seesRounds = (me: Me) => hasRisks(me) && me.role !== 'enterprise';
/** The city office (市安委办, its staff without a district) starts a round. */
export const startsRounds = (me: Me) => (me.role === 'city_admin' || me.role === 'city_officer') && scopeOf(me.regionCode).level === 'city';
/** A district office submits its own district's part; the city office may on a district's behalf. */
export const submitsFor = (me: Me, districtCode: string) => startsRounds(me) || (me.role === 'district_officer' && scopeOf(me.regionCode).districtCode === districtCode);
/** Who records a consultation (会商): the units of the plan (the city office, a district office, a department) for themselves. */
export const recordsConsultations = (me: Me) => ['city_admin', 'city_officer', 'district_officer', 'dept_officer'].includes(me.role);
