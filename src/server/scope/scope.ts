/**
 * Data scope: who may see and change which rows. The one place that decides it.
 * Repositories call `scopeWhere` on every read and `canWriteRow` / `rowInScope` before
 * every write; routes never decide scope by hand.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Role } from '../../shared/roles';

export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  cityCode: string;
  districtCode: string | null;
  streetCode: string | null;
  departmentId: string | null;
  enterpriseId: string | null;
  /** Division codes (2-digit) a department supervises, expanded from its sections. */
  industryCodes: string[];
  /** An expert's enterprises: those of their visits not cancelled (啄木鸟 assignments). */
  assignedEnterpriseIds?: string[];
  via: 'session' | 'token' | 'system';
}

/** The scope-relevant columns of a business row. */
export interface ScopedRow {
  cityCode: string;
  districtCode: string | null;
  streetCode: string | null;
  industryCode?: string | null;
  enterpriseId?: string | null;
}

export interface ScopeColumns {
  city: string;
  district: string;
  street: string;
  industry?: string;
  enterpriseId?: string;
}

/** Region part of the scope: a city, district or street code narrows rows accordingly. */
function regionMatches(actor: Actor, row: ScopedRow): boolean {
  if (row.cityCode !== actor.cityCode) return false;
  if (actor.streetCode) return row.streetCode === actor.streetCode;
  if (actor.districtCode) return row.districtCode === actor.districtCode;
  return true;
}

/** Pure rule: may this actor see this row? Mirrors `scopeWhere` exactly (tested together). */
export function rowInScope(actor: Actor, row: ScopedRow): boolean {
  switch (actor.role) {
    case 'city_admin':
    case 'city_officer':
    case 'district_officer':
    case 'street_officer':
    case 'inspector':
      return regionMatches(actor, row);
    case 'dept_officer':
      return regionMatches(actor, row) && !!row.industryCode && actor.industryCodes.includes(row.industryCode);
    case 'enterprise':
      return !!actor.enterpriseId && row.enterpriseId === actor.enterpriseId && row.cityCode === actor.cityCode;
    case 'expert':
      // 啄木鸟: an expert sees the enterprises they are assigned to visit, and nothing else.
      return !!row.enterpriseId && row.cityCode === actor.cityCode && (actor.assignedEnterpriseIds ?? []).includes(row.enterpriseId);
    case 'tip_custodian':
      // 举报人信息保管员: keeps reporters' identities, and sees no business row.
      return false;
  }
}

const NOTHING = sql<SqlBool>`1 = 0`;

/** SQL form of `rowInScope`, for every read. */
export function scopeWhere<DB, TB extends keyof DB>(
  actor: Actor,
  cols: ScopeColumns,
): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  return (eb) => {
    const ref = (c: string) => sql.ref(c);
    // District and street codes are national (GB/T 2260) and so already name their city; checking
    // the city as well would only stop the database answering from an index alone.
    const region: Expression<SqlBool>[] = actor.streetCode
      ? [eb(ref(cols.street) as never, '=', actor.streetCode as never)]
      : actor.districtCode
        ? [eb(ref(cols.district) as never, '=', actor.districtCode as never)]
        : [eb(ref(cols.city) as never, '=', actor.cityCode as never)];
    switch (actor.role) {
      case 'city_admin':
      case 'city_officer':
      case 'district_officer':
      case 'street_officer':
      case 'inspector':
        return eb.and(region);
      case 'dept_officer':
        if (!cols.industry || actor.industryCodes.length === 0) return NOTHING;
        return eb.and([...region, eb(ref(cols.industry) as never, 'in', actor.industryCodes as never)]);
      case 'enterprise':
        if (!cols.enterpriseId || !actor.enterpriseId) return NOTHING;
        return eb.and([eb(ref(cols.city) as never, '=', actor.cityCode as never), eb(ref(cols.enterpriseId) as never, '=', actor.enterpriseId as never)]);
      case 'expert':
        if (!cols.enterpriseId || !actor.assignedEnterpriseIds?.length) return NOTHING;
        return eb.and([eb(ref(cols.city) as never, '=', actor.cityCode as never), eb(ref(cols.enterpriseId) as never, 'in', actor.assignedEnterpriseIds as never)]);
      case 'tip_custodian':
        return NOTHING;
    }
  };
}

/**
 * 检查表 (self-check checklists): officers see their city's organisations' checklists, and an
 * enterprise's own only when that enterprise is in their scope; an enterprise sees the city's,
 * its district's and street's (`home`, from its row), every department's, and its own.
 */
export function checklistScopeWhere<DB, TB extends keyof DB>(actor: Actor, home: { districtCode: string; streetCode: string | null } | null): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const col = (c: string) => sql.ref(`checklists.${c}`);
  const eq = (c: string, v: string) => sql<SqlBool>`${col(c)} = ${v}`;
  const city = eq('city_code', actor.cityCode);
  if (actor.role === 'enterprise') {
    if (!home || !actor.enterpriseId) return () => NOTHING;
    const owned = (level: string, id: string) => sql<SqlBool>`(${eq('owner_level', level)} and ${eq('owner_id', id)})`;
    return () =>
      sql<SqlBool>`(${city} and (${col('owner_level')} in ('city', 'department') or ${owned('district', home.districtCode)} or ${owned('street', home.streetCode ?? '')} or ${owned('enterprise', actor.enterpriseId!)}))`;
  }
  const inScope = scopeWhere<any, 'enterprises'>(actor, { city: 'enterprises.city_code', district: 'enterprises.district_code', street: 'enterprises.street_code', industry: 'enterprises.industry_code', enterpriseId: 'enterprises.id' });
  return (eb) => {
    const own = (eb as unknown as ExpressionBuilder<any, 'enterprises'>).selectFrom('enterprises').select('enterprises.id').where(inScope);
    return sql<SqlBool>`(${city} and (${col('owner_level')} <> 'enterprise' or ${col('owner_id')} in (${own})))`;
  };
}

/** 驾驶舱: the city view is for city-level roles (an inspector assigned to a district is not one). */
const CITY_LEVEL: ReadonlySet<Role> = new Set(['city_admin', 'city_officer', 'inspector']);
export function mayViewCityDashboard(actor: Actor): boolean {
  return CITY_LEVEL.has(actor.role) && !actor.districtCode;
}

/** A district's view: city-level roles, and the regional roles of that district (a street officer sees their street). */
const REGIONAL: ReadonlySet<Role> = new Set(['city_admin', 'city_officer', 'inspector', 'district_officer', 'street_officer']);
export function mayViewDistrictDashboard(actor: Actor, districtCode: string): boolean {
  return REGIONAL.has(actor.role) && (!actor.districtCode || actor.districtCode === districtCode);
}

/** A department's view: city-level roles, its own officers, and the officers of the district it belongs to. */
export function mayViewDepartmentDashboard(actor: Actor, dept: { id: string; regionCode: string }): boolean {
  return mayViewCityDashboard(actor) || (actor.role === 'dept_officer' && actor.departmentId === dept.id) || (actor.role === 'district_officer' && actor.districtCode === dept.regionCode);
}

/** Roles that may create and fully edit enterprise records (within their scope). */
const ENTERPRISE_EDITORS: ReadonlySet<Role> = new Set(['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer']);

export function canCreateEnterprises(actor: Actor): boolean {
  return ENTERPRISE_EDITORS.has(actor.role);
}

/** Fields an enterprise may keep current itself; identity and regulator-assessed fields are not among them. */
export const ENTERPRISE_SELF_EDITABLE = ['address', 'principalName', 'principalPhone', 'safetyManagerName', 'safetyManagerPhone', 'lng', 'lat'] as const;

export function canEditEnterprise(actor: Actor, row: ScopedRow): boolean {
  if (!rowInScope(actor, row)) return false;
  return ENTERPRISE_EDITORS.has(actor.role) || actor.role === 'enterprise';
}

export const isCityAdmin = (actor: Actor) => actor.role === 'city_admin';

export type Permission = 'users.manage' | 'audit.read' | 'standards.edit' | 'enterprises.create' | 'tokens.manage' | 'rules.edit';

export function permissionsOf(actor: Actor): Permission[] {
  const p: Permission[] = [];
  if (actor.role === 'city_admin') p.push('users.manage', 'audit.read', 'standards.edit', 'tokens.manage', 'rules.edit');
  if (canCreateEnterprises(actor)) p.push('enterprises.create');
  return p;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return permissionsOf(actor).includes(permission);
}

/** A hazard's scope facts: its place, plus who handles it after a transfer and who kept read access. */
export interface HazardScopeRow extends ScopedRow {
  departmentId: string | null;
  grants: { type: 'district' | 'department'; id: string }[];
}

/** Owns: the hazard lies in the actor's own scope (region, industries, enterprise) or was handed to their department. */
export function hazardOwnedBy(actor: Actor, row: HazardScopeRow): boolean {
  if (rowInScope(actor, row)) return true;
  return actor.role === 'dept_officer' && !!actor.departmentId && row.departmentId === actor.departmentId && row.cityCode === actor.cityCode;
}

/** Sees: owns it, or handed it over and kept read access. */
export function hazardVisibleTo(actor: Actor, row: HazardScopeRow): boolean {
  return hazardOwnedBy(actor, row) || row.grants.some((g) => grantMatches(actor, g));
}

function grantMatches(actor: Actor, g: { type: 'district' | 'department'; id: string }): boolean {
  if (g.type === 'district') return actor.role === 'district_officer' && actor.districtCode === g.id;
  return actor.role === 'dept_officer' && actor.departmentId === g.id;
}

const HAZARD_COLUMNS: ScopeColumns = {
  city: 'hazards.city_code',
  district: 'hazards.district_code',
  street: 'hazards.street_code',
  industry: 'hazards.industry_code',
  enterpriseId: 'hazards.enterprise_id',
};

/** SQL form of `hazardVisibleTo`, for every hazard read. */
export function hazardScopeWhere<DB, TB extends keyof DB>(actor: Actor, asked: { districtCode?: string } = {}): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  // A district officer asking for their own district's rows: the hazards handed on from it (read
  // through grants) are in other districts, so the grants add nothing — and without the OR the
  // planner can read the district's rows in an index's order.
  const ownDistrict = actor.role === 'district_officer' && !!asked.districtCode && asked.districtCode === actor.districtCode;
  return hazardWhere<DB, TB>(actor, !ownDistrict);
}

/** SQL form of `hazardOwnedBy`: the hazards an actor may act on (not those only kept for reading after a transfer). */
export function hazardOwnedWhere<DB, TB extends keyof DB>(actor: Actor): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  return hazardWhere<DB, TB>(actor, false);
}

function hazardWhere<DB, TB extends keyof DB>(actor: Actor, withGrants: boolean): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const base = scopeWhere<DB, TB>(actor, HAZARD_COLUMNS);
  return (eb) => {
    const parts: Expression<SqlBool>[] = [base(eb)];
    // `id in (…)` rather than a correlated EXISTS, so each branch of the OR can use its own index.
    if (actor.role === 'dept_officer' && actor.departmentId) {
      parts.push(sql<SqlBool>`(hazards.department_id = ${actor.departmentId} and hazards.city_code = ${actor.cityCode})`);
      if (withGrants) parts.push(sql<SqlBool>`hazards.id in (select ha.hazard_id from hazard_access ha where ha.grantee_type = 'department' and ha.grantee_id = ${actor.departmentId})`);
    }
    if (withGrants && actor.role === 'district_officer' && actor.districtCode) {
      parts.push(sql<SqlBool>`hazards.id in (select ha.hazard_id from hazard_access ha where ha.grantee_type = 'district' and ha.grantee_id = ${actor.districtCode})`);
    }
    return parts.length === 1 ? parts[0] : eb.or(parts);
  };
}

/**
 * 精准执法: who directs enforcement — sets the frequency matrix of their scope, makes plans and draws,
 * decides cases. Inspectors take part (record inspections, open cases from their own, declare their
 * conflicts); the officers who edit enterprises also arrange inspections.
 */
const ENFORCEMENT_DIRECTORS: ReadonlySet<Role> = new Set(['city_admin', 'city_officer', 'district_officer', 'dept_officer']);
export const directsEnforcement = (actor: Actor) => ENFORCEMENT_DIRECTORS.has(actor.role);
export const takesPartInEnforcement = (actor: Actor) => directsEnforcement(actor) || actor.role === 'inspector';
/** Enforcement's own records (inspections, cases): in scope as any row, but never an expert's, even of an enterprise they visit. */
export function enforcementScopeWhere<DB, TB extends keyof DB>(actor: Actor, cols: ScopeColumns): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  return actor.role === 'expert' ? () => NOTHING : scopeWhere<DB, TB>(actor, cols);
}
export const arrangesInspections = (actor: Actor) => ENTERPRISE_EDITORS.has(actor.role) || actor.role === 'inspector';

/**
 * What an enforcement office keeps for a district (an annual plan, a draw; a city-wide draw has no
 * district): the city's roles (and an inspector of the whole city) see all of their city's; a
 * department its own; a district's officers, streets and inspectors their district's; nobody else.
 */
export function officeRecordWhere<DB, TB extends keyof DB>(actor: Actor, cols: { city: string; district: string; department: string }): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const eq = (c: string, v: string | null) => sql<SqlBool>`${sql.ref(c)} = ${v ?? ''}`;
  return () => {
    switch (actor.role) {
      case 'city_admin':
      case 'city_officer':
        return eq(cols.city, actor.cityCode);
      case 'dept_officer':
        return sql<SqlBool>`(${eq(cols.city, actor.cityCode)} and ${eq(cols.department, actor.departmentId)})`;
      case 'district_officer':
      case 'street_officer':
      case 'inspector':
        return actor.districtCode ? eq(cols.district, actor.districtCode) : eq(cols.city, actor.cityCode);
      default:
        return NOTHING;
    }
  };
}

/**
 * 啄木鸟: who manages an expert pool, programmes and assignments — the officers who direct
 * enforcement, each for their own office (a district's officers their district, a department its own,
 * the city all).
 */
export const managesExperts = (actor: Actor) => ENFORCEMENT_DIRECTORS.has(actor.role);

/**
 * An expert pool as an office sees it: the city's roles every expert of the city; a district's
 * officers their district's and the city's own (no district); a department its own and the city's;
 * an expert themself; nobody else.
 */
export function expertPoolWhere<DB, TB extends keyof DB>(actor: Actor, cols: { city: string; district: string; department: string; user: string }): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const r = (c: string) => sql.ref(c);
  const city = sql<SqlBool>`${r(cols.city)} = ${actor.cityCode}`;
  const cityOwn = sql<SqlBool>`(${r(cols.district)} is null and ${r(cols.department)} is null)`;
  return () => {
    switch (actor.role) {
      case 'city_admin':
      case 'city_officer':
        return city;
      case 'district_officer':
        return actor.districtCode ? sql<SqlBool>`(${city} and (${r(cols.district)} = ${actor.districtCode} or ${cityOwn}))` : city;
      case 'dept_officer':
        return sql<SqlBool>`(${city} and (${r(cols.department)} = ${actor.departmentId ?? ''} or ${cityOwn}))`;
      case 'expert':
        return sql<SqlBool>`${r(cols.user)} = ${actor.userId}`;
      default:
        return NOTHING;
    }
  };
}

/**
 * An expert visit: as any row of its enterprise (officers by region and industry, the enterprise its
 * own), except that an expert sees only the visits they are on.
 */
export function expertVisitWhere<DB, TB extends keyof DB>(actor: Actor, cols: ScopeColumns & { id: string }): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  if (actor.role !== 'expert') return scopeWhere<DB, TB>(actor, cols);
  return () => sql<SqlBool>`${sql.ref(cols.id)} in (select ve.visit_id from expert_visit_experts ve where ve.user_id = ${actor.userId})`;
}

/**
 * The office a record an officer creates is filed under (an expert's appointment, an agency's entry):
 * a district's officers their district, a department its own, the city what it names (or the city's
 * own, neither). Answers null when a district officer names another district.
 */
export function officeFor(actor: Actor, named: { districtCode?: string; departmentId?: string }): { district_code: string | null; department_id: string | null } | null {
  if (actor.role === 'district_officer') return named.districtCode && named.districtCode !== actor.districtCode ? null : { district_code: actor.districtCode, department_id: null };
  if (actor.role === 'dept_officer') return { district_code: null, department_id: actor.departmentId };
  return { district_code: named.districtCode ?? null, department_id: named.departmentId ?? null };
}

/** Whether an officer keeps a record filed under an office: the city's roles every one; a district's officers their district's; a department its own. */
export function keepsOfficeRecord(actor: Actor, row: { district_code: string | null; department_id: string | null }): boolean {
  switch (actor.role) {
    case 'city_admin':
    case 'city_officer':
      return true;
    case 'district_officer':
      return row.district_code === actor.districtCode;
    case 'dept_officer':
      return row.department_id === actor.departmentId;
    default:
      return false;
  }
}

/**
 * 第三方服务机构 (measure 28): the registry is read by every account of the city (an enterprise
 * chooses an agency from it and sees its warnings); the offices that direct enforcement keep it
 * (谁审批谁负责 — each its own entries), record complaints and penalties, and list an agency as
 * untrustworthy. An enterprise records its own engagements; officers who edit enterprises record
 * them for the enterprises in their scope.
 */
export const managesAgencies = (actor: Actor) => ENFORCEMENT_DIRECTORS.has(actor.role);
export const recordsEngagements = (actor: Actor) => actor.role === 'enterprise' || ENTERPRISE_EDITORS.has(actor.role);

/**
 * 举报 (measure 24): who handles tips — the offices of the place and the supervising department
 * (and the inspectors and street officers who verify them); never an enterprise (a tip may be about
 * it) nor an expert. A department sees the tips of its industries in its region and those routed to
 * it. The custodian of reporters' identities (举报人信息保管员) sees the city's tips, to reveal one.
 */
const TIP_HANDLERS: ReadonlySet<Role> = new Set(['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer', 'inspector']);
export const handlesTips = (actor: Actor) => TIP_HANDLERS.has(actor.role);
/** The level above a district (the city) approves a verification's extension. */
export const approvesTipExtensions = (actor: Actor) => (actor.role === 'city_admin' || actor.role === 'city_officer') && !actor.districtCode;
/** Rewards are proposed by any handler, approved and paid by the offices that direct enforcement. */
export const approvesTipRewards = (actor: Actor) => ENFORCEMENT_DIRECTORS.has(actor.role);
export const keepsTipIdentities = (actor: Actor) => actor.role === 'tip_custodian';

export function tipScopeWhere<DB, TB extends keyof DB>(actor: Actor, cols: ScopeColumns & { department: string }): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  if (actor.role === 'tip_custodian') return () => sql<SqlBool>`${sql.ref(cols.city)} = ${actor.cityCode}`;
  if (!handlesTips(actor)) return () => NOTHING;
  if (actor.role !== 'dept_officer') return scopeWhere<DB, TB>(actor, cols);
  const byIndustry = scopeWhere<DB, TB>(actor, cols);
  return (eb) => eb.or([byIndustry(eb), sql<SqlBool>`(${sql.ref(cols.city)} = ${actor.cityCode} and ${sql.ref(cols.department)} = ${actor.departmentId ?? ''})`]);
}

/**
 * 治本攻坚 the plan's tasks (#18): a unit is the city, a district or a department, keyed by its code
 * or id. The city's roles see and direct every unit's records of their city; a district's officers,
 * streets and inspectors their district's; a department's officers their department's. Nobody else
 * (enterprises, experts, the custodian) sees plan records — an enterprise sees its own 五带头 only.
 */
const PLAN_CITY: ReadonlySet<Role> = new Set(['city_admin', 'city_officer']);
export function planUnitOf(actor: Actor): { kind: 'city' | 'district' | 'department'; key: string } | null {
  switch (actor.role) {
    case 'city_admin':
    case 'city_officer':
      return actor.districtCode ? { kind: 'district', key: actor.districtCode } : { kind: 'city', key: actor.cityCode };
    case 'inspector':
      return actor.districtCode ? { kind: 'district', key: actor.districtCode } : { kind: 'city', key: actor.cityCode };
    case 'district_officer':
    case 'street_officer':
      return actor.districtCode ? { kind: 'district', key: actor.districtCode } : null;
    case 'dept_officer':
      return actor.departmentId ? { kind: 'department', key: actor.departmentId } : null;
    default:
      return null;
  }
}
/** Sees every unit's plan records of the city. */
export const seesWholePlan = (actor: Actor) => planUnitOf(actor)?.kind === 'city';
/** Directs the plan: coordinates every unit's tasks (the city safety committee's office). */
export const directsPlan = (actor: Actor) => PLAN_CITY.has(actor.role) && !actor.districtCode;
/** Acts for a unit (reports, records its meetings and lists): the city's directors for the city, a district's or department's officers for their own. */
export function actsForUnit(actor: Actor, unitKey: string): boolean {
  if (directsPlan(actor)) return unitKey === actor.cityCode;
  if (actor.role === 'district_officer') return !!actor.districtCode && unitKey === actor.districtCode;
  if (actor.role === 'dept_officer') return !!actor.departmentId && unitKey === actor.departmentId;
  return false;
}

/** Keeps a unit's records (its tasks, meetings, lists): the unit itself, or the city's office on its behalf. */
export const keepsUnitRecords = (actor: Actor, unitKey: string) => directsPlan(actor) || actsForUnit(actor, unitKey);

/** A record a unit keeps (a sub-plan, a duty list, a meeting): the whole city for the city, else the unit's own. */
export function planRecordWhere<DB, TB extends keyof DB>(actor: Actor, cols: { city: string; unitKey: string }): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const unit = planUnitOf(actor);
  if (!unit) return () => NOTHING;
  if (unit.kind === 'city') return () => sql<SqlBool>`${sql.ref(cols.city)} = ${actor.cityCode}`;
  return () => sql<SqlBool>`(${sql.ref(cols.city)} = ${actor.cityCode} and ${sql.ref(cols.unitKey)} = ${unit.key})`;
}

/** A plan task: the whole city for the city; for a unit, the city's own tasks and those it leads or shares. */
export function planTaskWhere<DB, TB extends keyof DB>(actor: Actor, alias = 'plan_tasks'): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const unit = planUnitOf(actor);
  if (!unit) return () => NOTHING;
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const city = sql<SqlBool>`${col('city_code')} = ${actor.cityCode}`;
  if (unit.kind === 'city') return () => city;
  return () => sql<SqlBool>`(${city} and (${col('lead_kind')} = 'city' or ${col('id')} in (select tu.task_id from plan_task_units tu where tu.unit_key = ${unit.key})))`;
}

/** 五带头: recorded by the enterprise itself or an officer who edits enterprises in scope; checked by the street, district or city. */
const FIVE_LEAD_CHECKERS: ReadonlySet<Role> = new Set(['city_admin', 'city_officer', 'district_officer', 'street_officer']);
export const checksFiveLeads = (actor: Actor) => FIVE_LEAD_CHECKERS.has(actor.role);
export const recordsFiveLeads = (actor: Actor) => actor.role === 'enterprise' || ENTERPRISE_EDITORS.has(actor.role);
/** Who reads the list of enterprises without a record: the offices (not an enterprise, an expert or the custodian). */
export const reportsFiveLeads = (actor: Actor) => ENTERPRISE_EDITORS.has(actor.role) || actor.role === 'inspector';
/** A 五带头 record: as any row of its enterprise for the offices and the enterprise itself; never an expert's (even of an enterprise they visit) nor the custodian's. */
export function fiveLeadScopeWhere<DB, TB extends keyof DB>(actor: Actor, cols: ScopeColumns): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  return actor.role === 'expert' || actor.role === 'tip_custodian' ? () => NOTHING : scopeWhere<DB, TB>(actor, cols);
}

/**
 * 生产安全事故 (#19): recorded by the offices that edit enterprises (the district is told within the
 * hour; the city, streets and departments record in their scope); read as any row of its place by
 * the offices, by the enterprise its own; never by an expert or the custodian.
 */
export const recordsAccidents = (actor: Actor) => ENTERPRISE_EDITORS.has(actor.role);
export function accidentScopeWhere<DB, TB extends keyof DB>(actor: Actor, cols: ScopeColumns): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  return actor.role === 'expert' ? () => NOTHING : scopeWhere<DB, TB>(actor, cols);
}

/**
 * 考核评估 (#19): the city's office assesses — schemes, runs, publishing, the 季度点评 — and records
 * accountability against districts and enterprises; a district's office against its own enterprises.
 * Published runs are read by the city-level roles and every district's officers (the ranking is
 * published to all); drafts only by the office.
 */
export const assessesDistricts = (actor: Actor) => (actor.role === 'city_admin' || actor.role === 'city_officer') && !actor.districtCode;
export const readsPublishedRuns = (actor: Actor) => mayViewCityDashboard(actor) || actor.role === 'district_officer';
export const recordsAccountability = (actor: Actor, target: { kind: 'district' | 'enterprise'; districtCode: string }) =>
  assessesDistricts(actor) || (actor.role === 'district_officer' && target.kind === 'enterprise' && actor.districtCode === target.districtCode);
/** An accountability record: the city's roles all; a district's (and its streets' and inspectors') its district's; an enterprise its own; nobody else. */
export function accountabilityScopeWhere<DB, TB extends keyof DB>(actor: Actor, alias = 'accountability_records'): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const city = sql<SqlBool>`${col('city_code')} = ${actor.cityCode}`;
  if (mayViewCityDashboard(actor)) return () => city;
  if (actor.role === 'enterprise' && actor.enterpriseId) return () => sql<SqlBool>`(${city} and ${col('enterprise_id')} = ${actor.enterpriseId})`;
  if (actor.districtCode && (actor.role === 'district_officer' || actor.role === 'inspector')) return () => sql<SqlBool>`(${city} and ${col('district_code')} = ${actor.districtCode})`;
  if (actor.streetCode && actor.role === 'street_officer') return () => sql<SqlBool>`(${city} and ${col('enterprise_id')} in (select e.id from enterprises e where e.street_code = ${actor.streetCode}))`;
  return () => NOTHING;
}
/** Follow-up of a record is written by its target (the district's office, the enterprise) or by whoever may record it. */
export const followsUpAccountability = (actor: Actor, r: { kind: 'district' | 'enterprise'; districtCode: string; enterpriseId: string | null }) =>
  recordsAccountability(actor, r) || (r.kind === 'district' && actor.role === 'district_officer' && actor.districtCode === r.districtCode) || (r.kind === 'enterprise' && actor.role === 'enterprise' && actor.enterpriseId === r.enterpriseId);

/**
 * 城市安全风险清单 (#20): a risk item belongs to a district (and a street). The offices read their
 * region's — the city's roles and departments the city's, a district's officers and inspectors their
 * district's, a street its street's; an enterprise reads the items that concern it; an expert or the
 * custodian nothing. The city's office and a district's and street's officers write in their region.
 */
export function riskScopeWhere<DB, TB extends keyof DB>(actor: Actor, alias = 'risk_items'): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const city = sql<SqlBool>`${col('city_code')} = ${actor.cityCode}`;
  switch (actor.role) {
    case 'enterprise':
      if (!actor.enterpriseId) return () => NOTHING;
      return () => sql<SqlBool>`(${city} and ${col('id')} in (select re.risk_id from risk_item_enterprises re where re.enterprise_id = ${actor.enterpriseId}))`;
    case 'expert':
    case 'tip_custodian':
      return () => NOTHING;
    default:
      if (actor.streetCode) return () => sql<SqlBool>`${col('street_code')} = ${actor.streetCode}`;
      if (actor.districtCode) return () => sql<SqlBool>`${col('district_code')} = ${actor.districtCode}`;
      return () => city;
  }
}
const RISK_WRITERS: ReadonlySet<Role> = new Set(['city_admin', 'city_officer', 'district_officer', 'street_officer']);
/** May write a risk item of this place (a district's office its district's, a street its street's, the city's office any). */
export const writesRisk = (actor: Actor, place: { districtCode: string; streetCode: string | null }) =>
  RISK_WRITERS.has(actor.role) && (actor.streetCode ? place.streetCode === actor.streetCode : actor.districtCode ? place.districtCode === actor.districtCode : true);
/** Starts an assessment round (the city's office). */
export const startsRiskRounds = (actor: Actor) => (actor.role === 'city_admin' || actor.role === 'city_officer') && !actor.districtCode;
/** Submits a district's part of a round: its office, or the city's office on its behalf. */
export const submitsForDistrict = (actor: Actor, districtCode: string) => startsRiskRounds(actor) || (actor.role === 'district_officer' && actor.districtCode === districtCode);

/**
 * The platform itself, when it records what it found without a person's step (系统核验: a lapsed
 * certificate's hazard): the city's whole region, no user row (its events and records carry no user id).
 */
export function platformActor(cityCode: string): Actor {
  return { userId: '', username: 'system', displayName: '系统核验', role: 'city_admin', regionCode: cityCode, cityCode, districtCode: null, streetCode: null, departmentId: null, enterpriseId: null, industryCodes: [], via: 'system' };
}

/**
 * 持证上岗 (#20): certificates are recorded by the enterprise for itself and by the offices that edit
 * enterprises in their scope; read as any row of the enterprise (never by an expert or the custodian).
 * The standardization record and the benchmark list are the offices' to write; the enterprise reads its own.
 */
export const recordsCertificates = (actor: Actor) => actor.role === 'enterprise' || ENTERPRISE_EDITORS.has(actor.role);
export const recordsStandardization = (actor: Actor) => ENTERPRISE_EDITORS.has(actor.role);
export function certificateScopeWhere<DB, TB extends keyof DB>(actor: Actor, cols: ScopeColumns): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  return actor.role === 'expert' ? () => NOTHING : scopeWhere<DB, TB>(actor, cols);
}

/**
 * 培训 (#20): every role of the city but experts and the custodian reads courses (attendance as rows
 * of their enterprises); the offices record attendance; enterprise kinds
 * (the training focus's populations) are tagged by the offices that edit enterprises.
 */
export const trainingReaders = (actor: Actor) => actor.role !== 'expert' && actor.role !== 'tip_custodian';
/** Attendance is the organisers' record (the offices): an enterprise does not sign in, or pass, its own people. */
export const recordsTraining = (actor: Actor) => ENTERPRISE_EDITORS.has(actor.role);

/**
 * 综合整治 (#20): the city's office runs campaigns over any districts, a district's office over its
 * own; a target is read as any row of its place (an expert: the enterprises assigned to them; an
 * enterprise: itself). A check is recorded by the offices and inspectors (theirs or an expert team's),
 * by the expert assigned, or as the enterprise's own self-check.
 */
export const managesCampaign = (actor: Actor, districts: readonly string[]) =>
  ((actor.role === 'city_admin' || actor.role === 'city_officer') && !actor.districtCode) || (actor.role === 'district_officer' && districts.length > 0 && districts.every((d) => d === actor.districtCode));
export function campaignTargetWhere<DB, TB extends keyof DB>(actor: Actor, alias = 't'): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  return scopeWhere<DB, TB>(actor, { city: `${alias}.city_code`, district: `${alias}.district_code`, street: `${alias}.street_code`, industry: `${alias}.industry_code`, enterpriseId: `${alias}.enterprise_id` });
}
/** Why this actor may not record a check of this kind on the target, or null. */
export function checksCampaignTarget(actor: Actor, by: 'officer' | 'expert' | 'self_check', t: { enterprise_id: string | null }): string | null {
  const office = ENTERPRISE_EDITORS.has(actor.role) || actor.role === 'inspector';
  if (by === 'officer') return office ? null : '监管人员检查由属地、行业监管人员或执法人员记录';
  if (by === 'expert') return office || actor.role === 'expert' ? null : '专家检查由受指派的专家或监管人员记录';
  return actor.role === 'enterprise' && !!t.enterprise_id && actor.enterpriseId === t.enterprise_id ? null : '企业自查由企业本身记录';
}

/** A record kept per district (a risk round, a campaign): the districts of it this reader follows — the city's offices and departments all, a district's (or street's) people their own, enterprises, experts and the custodian none. */
export function districtsSeenBy(actor: Actor, districts: readonly string[]): string[] {
  if (actor.role === 'enterprise' || actor.role === 'expert' || actor.role === 'tip_custodian') return [];
  if (mayViewCityDashboard(actor) || (!actor.districtCode && ['city_admin', 'city_officer', 'dept_officer'].includes(actor.role))) return [...districts];
  return actor.districtCode ? districts.filter((d) => d === actor.districtCode) : [];
}
