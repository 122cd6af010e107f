import type { CourseMode } from '../../../shared/contracts/training';
import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';
import { scopeOf } from '../../format';

// Mirrors scope.ts (trainingReaders, recordsTraining) and courses.ts: the city office and the city's
// departments set up any classroom, a district office its own branch classroom; the offices record
// attendance. Coverage is the offices' view: an enterprise has no 培训 menu.
const OFFICES: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer'];

/** Who has the 培训 menu item and pages: the offices and inspectors, not an enterprise, an expert or the custodian. */
export const hasTraining = (me: Me) => !['expert', 'tip_custodian', 'enterprise'].includes(me.role);
/** Who records attendance (the server checks the enterprise's scope again). */
export const recordsAttendance = (me: Me) => OFFICES.includes(me.role);
/** Who may record kinds of an enterprise (企业类别): the offices that edit it. */
export const tagsKinds = recordsAttendance;
/** The classroom modes this reader may set up a course in (none: no create button). */
export function courseModes(me: Me): CourseMode[] {
  const level = scopeOf(me.regionCode).level;
  if (((me.role === 'city_admin' || me.role === 'city_officer') && level === 'city') || (me.role === 'dept_officer' && level === 'city')) return ['main', 'city_branch', 'district_branch', 'other'];
  if (me.role === 'district_officer' && level === 'district') return ['district_branch'];
  return [];
}
