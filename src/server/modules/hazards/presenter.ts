import type { Hazard, HazardSource, RectificationPlan } from '../../../shared/contracts/hazards';
import { isoInstant, isoInstantOrNull } from '../../db/instants';
import type { PresentedHazard } from './repository';
import { isOverdue } from './workflow';

export function presentHazard(r: PresentedHazard, clauseIds: string[], now: Date): Hazard {
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    grade: r.grade,
    source: r.source as HazardSource,
    version: r.version,
    overdue: isOverdue(r, now),
    deadline: r.deadline,
    supervisionLevel: r.supervision_level,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    cityCode: r.city_code,
    districtCode: r.district_code,
    districtName: r.district_name,
    streetCode: r.street_code,
    streetName: r.street_name,
    industryCode: r.industry_code,
    departmentId: r.department_id,
    description: r.description,
    location: r.location,
    lng: r.lng,
    lat: r.lat,
    category: r.category,
    foundByName: r.found_by_name,
    foundAt: isoInstant(r.found_at),
    responsibleName: r.responsible_name,
    responsiblePhone: r.responsible_phone,
    plan: r.plan_json ? (JSON.parse(r.plan_json) as RectificationPlan) : null,
    clauseIds,
    closedAt: isoInstantOrNull(r.closed_at),
    createdAt: isoInstant(r.created_at),
    updatedAt: isoInstant(r.updated_at),
  };
}

/** The audited picture: stored fields only. */
export function auditedHazard(h: Hazard) {
  const { enterpriseName: _e, districtName: _d, streetName: _s, overdue: _o, ...rest } = h;
  return rest;
}
