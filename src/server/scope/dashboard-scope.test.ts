import { describe, expect, it } from 'vitest';
import { testActor } from '../test/actors';
import { mayViewCityDashboard, mayViewDepartmentDashboard, mayViewDistrictDashboard } from './scope';

const actor = testActor;

describe('who may open which cockpit view', () => {
  it('the city view: city-level roles only — an inspector posted to a district is not one', () => {
    expect(mayViewCityDashboard(actor('city_officer'))).toBe(true);
    expect(mayViewCityDashboard(actor('inspector'))).toBe(true);
    expect(mayViewCityDashboard(actor('inspector', { districtCode: '310115' }))).toBe(false);
    for (const role of ['district_officer', 'street_officer', 'dept_officer', 'expert', 'enterprise'] as const) expect(mayViewCityDashboard(actor(role, { districtCode: '310115' }))).toBe(false);
  });

  it('a district view: city-level roles and that district’s own regional roles', () => {
    expect(mayViewDistrictDashboard(actor('city_admin'), '310101')).toBe(true);
    expect(mayViewDistrictDashboard(actor('district_officer', { districtCode: '310115' }), '310115')).toBe(true);
    expect(mayViewDistrictDashboard(actor('street_officer', { districtCode: '310115', streetCode: '310115005' }), '310115')).toBe(true);
    expect(mayViewDistrictDashboard(actor('district_officer', { districtCode: '310115' }), '310101')).toBe(false);
    expect(mayViewDistrictDashboard(actor('dept_officer', { departmentId: 'd1' }), '310115')).toBe(false);
    expect(mayViewDistrictDashboard(actor('enterprise', { enterpriseId: 'e1' }), '310115')).toBe(false);
  });

  it('a department view: city-level roles, its own officers, the officers of its district', () => {
    const dept = { id: 'd1', regionCode: '310115' };
    expect(mayViewDepartmentDashboard(actor('city_officer'), dept)).toBe(true);
    expect(mayViewDepartmentDashboard(actor('dept_officer', { departmentId: 'd1' }), dept)).toBe(true);
    expect(mayViewDepartmentDashboard(actor('dept_officer', { departmentId: 'd2' }), dept)).toBe(false);
    expect(mayViewDepartmentDashboard(actor('district_officer', { districtCode: '310115' }), dept)).toBe(true);
    expect(mayViewDepartmentDashboard(actor('district_officer', { districtCode: '310101' }), dept)).toBe(false);
    expect(mayViewDepartmentDashboard(actor('street_officer', { districtCode: '310115', streetCode: '310115005' }), dept)).toBe(false);
  });
});
