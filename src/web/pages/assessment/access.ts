import type { Me } from '../../../shared/contracts/users';
import { scopeOf } from '../../format';

// Mirrors the assessment routes: the city office (市安委办, its staff without a district) keeps the
// scheme, runs, publishes and reviews; a district office reads the published runs and its district's
// accountability records, records some against its enterprises and follows up its own; an enterprise
// reads and follows up the records against it.
export const isCityOffice = (me: Me) => (me.role === 'city_admin' || me.role === 'city_officer') && scopeOf(me.regionCode).level === 'city';
export const isDistrictOffice = (me: Me) => me.role === 'district_officer';

/** Who has the 考核评估 menu item with its runs and scheme. */
export const hasAssessment = (me: Me) => isCityOffice(me) || isDistrictOffice(me);
/** Who sees accountability records (an enterprise: its own). */
export const seesAccountability = (me: Me) => hasAssessment(me) || me.role === 'enterprise';
/** Who keeps the scheme, starts and publishes runs, enters values and writes the 季度点评. */
export const runsAssessment = isCityOffice;
/** Who records 点名、通报、约谈、移交 (a district: against its own enterprises). */
export const recordsAccountability = hasAssessment;
