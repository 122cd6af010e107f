import type { Me } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';

// Mirrors scope.ts: certificates are read as any row of their enterprise (never by an expert or the
// custodian of tips); the enterprise records its own, the offices that edit enterprises those in scope.
const OFFICES: readonly Role[] = ['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer'];

/** Who has the 持证上岗 menu item and pages, and the enterprise page's certificates panel. */
export const hasCertificates = (me: Me) => me.role !== 'expert' && me.role !== 'tip_custodian';
/** Who may record a certificate (the server checks the enterprise's scope again). */
export const recordsCertificates = (me: Me) => (me.role === 'enterprise' ? !!me.enterpriseId : OFFICES.includes(me.role));
