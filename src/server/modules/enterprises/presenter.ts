import type { Enterprise } from '../../../shared/contracts/enterprises';
import { canEditEnterprise, type Actor } from '../../scope/scope';
import type { EnterpriseView } from './repository';

export function presentEnterprise(r: EnterpriseView, actor: Actor | null): Enterprise {
  return {
    id: r.id,
    uscc: r.uscc,
    name: r.name,
    address: r.address,
    cityCode: r.city_code,
    districtCode: r.district_code,
    districtName: r.district_name,
    streetCode: r.street_code,
    streetName: r.street_name,
    industryCode: r.industry_code,
    industryName: r.industry_name,
    principalName: r.principal_name,
    principalPhone: r.principal_phone,
    safetyManagerName: r.safety_manager_name,
    safetyManagerPhone: r.safety_manager_phone,
    riskClass: r.risk_class,
    standardizationLevel: r.standardization_level,
    lng: r.lng,
    lat: r.lat,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    canEdit: actor ? canEditEnterprise(actor, { cityCode: r.city_code, districtCode: r.district_code, streetCode: r.street_code, industryCode: r.industry_code, enterpriseId: r.id }) : false,
  };
}

/** The audited picture of an enterprise: its stored fields, without joined names or per-user flags. */
export function auditedEnterprise(e: Enterprise) {
  const { canEdit: _c, districtName: _d, streetName: _s, industryName: _i, ...rest } = e;
  return rest;
}
