/** An actor for tests that need no user row (scope rules, query plans): city-wide unless told otherwise. */
import type { Role } from '../../shared/roles';
import type { Actor } from '../scope/scope';

export const testActor = (role: Role, over: Partial<Actor> = {}): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'u',
  role,
  regionCode: '310000',
  cityCode: '310000',
  districtCode: null,
  streetCode: null,
  departmentId: null,
  enterpriseId: null,
  industryCodes: [],
  via: 'session',
  ...over,
});
