/**
 * The hazard closed loop as data (plan actions 4–6: 判定, 动态清零). Each row says from which
 * statuses an action may be taken, where it leads, which hazards it applies to, and who may
 * take it. Pure: no I/O; commands consult it, the detail view lists `allowedActions` from it.
 */
import { OPEN_STATUSES, type HazardAction, type HazardGrade, type HazardSource, type HazardStatus, type SupervisionLevel } from '../../../shared/contracts/hazards';
import type { Role } from '../../../shared/roles';

/** What the rules need to know about a hazard. */
export interface HazardFacts {
  status: HazardStatus;
  grade: HazardGrade;
  source: HazardSource;
  supervisionLevel: SupervisionLevel;
  enterpriseId: string;
  reportedBy: string | null;
}

/** What the rules need to know about the actor, given that the data layer already found the hazard in their scope. */
export interface ActorFacts {
  userId: string;
  role: Role;
  enterpriseId: string | null;
  /** The hazard lies in the actor's read scope (region, industries, or access granted by a transfer). */
  inScope: boolean;
  /** The actor's scope covers the hazard as owner, not only as the sender of a transfer. */
  owns: boolean;
}

type Who = (h: HazardFacts, a: ActorFacts) => boolean;

const OFFICERS: ReadonlySet<Role> = new Set(['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer']);
const isOfficerOwner: Who = (_h, a) => OFFICERS.has(a.role) && a.owns;
const isOwnEnterprise: Who = (h, a) => a.role === 'enterprise' && a.enterpriseId === h.enterpriseId;
const isOwnSelfCheck: Who = (h, a) => isOwnEnterprise(h, a) && h.source === 'self_check';
const isReporter: Who = (h, a) => a.owns && h.reportedBy === a.userId && a.role !== 'enterprise';
const any = (...rules: Who[]): Who => (h, a) => rules.some((r) => r(h, a));

/**
 * Acceptance (验收销号): a general hazard from a self-check may be accepted by its enterprise;
 * any other by an officer whose scope covers it; a major one only by its district or its
 * supervising department — or by the city when the city supervises it.
 */
const canAccept: Who = (h, a) => {
  if (h.grade === 'general') return isOwnSelfCheck(h, a) || isOfficerOwner(h, a);
  if (!a.owns) return false;
  if (a.role === 'district_officer' || a.role === 'dept_officer') return true;
  return (a.role === 'city_officer' || a.role === 'city_admin') && h.supervisionLevel === 'city';
};

export interface Transition {
  action: HazardAction;
  from: readonly HazardStatus[];
  /** `null`: the status stays as it is (extend, transfer, supervise). */
  to: HazardStatus | null;
  grades?: readonly HazardGrade[];
  who: Who;
  /** Shown when `who` refuses, so the user learns why. */
  whoText: string;
}

const OPEN = OPEN_STATUSES;

export const TRANSITIONS: readonly Transition[] = [
  {
    action: 'assign',
    from: ['reported'],
    to: 'rectifying',
    who: any(isOwnSelfCheck, isReporter, isOfficerOwner),
    whoText: '由自查企业、隐患登记人或属地/行业监管人员下达整改',
  },
  {
    action: 'fix_on_spot',
    from: ['reported'],
    to: 'closed',
    grades: ['general'],
    who: any(isOwnSelfCheck, isReporter, isOfficerOwner),
    whoText: '由自查企业、隐患登记人或属地/行业监管人员登记即查即改',
  },
  {
    action: 'submit',
    from: ['rectifying'],
    to: 'pending_acceptance',
    who: any(isOwnEnterprise, isOfficerOwner),
    whoText: '由企业（或监管人员代为）提交整改情况',
  },
  { action: 'accept', from: ['pending_acceptance'], to: 'closed', who: canAccept, whoText: '重大隐患由属地区或行业主管部门验收（市级督办的由市级验收）' },
  { action: 'reject', from: ['pending_acceptance'], to: 'rectifying', who: canAccept, whoText: '由有验收权限的人员退回' },
  { action: 'extend', from: ['rectifying', 'pending_acceptance'], to: null, who: isOfficerOwner, whoText: '由属地/行业监管人员批准延期' },
  {
    action: 'transfer',
    from: OPEN,
    to: null,
    who: (h, a) => a.owns && ['city_admin', 'city_officer', 'district_officer', 'dept_officer'].includes(a.role),
    whoText: '由区、市或行业部门移交',
  },
  {
    action: 'supervise',
    from: OPEN,
    to: null,
    grades: ['major'],
    // Offered only when the actor has a level to set that differs from the current one.
    who: (h, a) => a.owns && supervisionLevelsFor(a.role).some((l) => l !== h.supervisionLevel),
    whoText: '区级督办由区安委办、市级督办由市级挂牌',
  },
  {
    action: 'void',
    from: OPEN,
    to: 'voided',
    who: (h, a) => a.owns && ['district_officer', 'city_officer', 'city_admin'].includes(a.role),
    whoText: '由区或市级人员作废误录隐患',
  },
];

export type Refusal = { ok: false; reason: 'INVALID_TRANSITION' | 'FORBIDDEN'; message: string };
export type Decision = { ok: true; transition: Transition } | Refusal;

const GRADE_TEXT: Record<HazardGrade, string> = { general: '一般隐患', major: '重大隐患' };

/** Decides one step: is it allowed from this status and grade, and may this actor take it? */
export function decide(action: HazardAction, hazard: HazardFacts, actor: ActorFacts): Decision {
  const t = TRANSITIONS.find((x) => x.action === action);
  if (!t) return { ok: false, reason: 'INVALID_TRANSITION', message: `未知的操作：${action}` };
  if (!t.from.includes(hazard.status)) {
    return { ok: false, reason: 'INVALID_TRANSITION', message: `当前状态（${hazard.status}）不能执行该操作（${action}）` };
  }
  if (t.grades && !t.grades.includes(hazard.grade)) {
    return { ok: false, reason: 'INVALID_TRANSITION', message: `${GRADE_TEXT[hazard.grade]}不能执行该操作（${action}）` };
  }
  if (!t.who(hazard, actor)) return { ok: false, reason: 'FORBIDDEN', message: `无权执行该操作：${t.whoText}` };
  return { ok: true, transition: t };
}

/** The actions this actor may take now, for the detail view's buttons. */
export function allowedActions(hazard: HazardFacts, actor: ActorFacts): HazardAction[] {
  return TRANSITIONS.filter((t) => decide(t.action, hazard, actor).ok).map((t) => t.action);
}

/** Supervision levels an actor may set (挂牌督办): district officers the district level, city officers the city level. */
export function supervisionLevelsFor(role: Role): SupervisionLevel[] {
  if (role === 'district_officer') return ['district'];
  if (role === 'city_officer' || role === 'city_admin') return ['city'];
  return [];
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Today's date in Asia/Shanghai (UTC+8, no daylight saving), as YYYY-MM-DD. */
export function shanghaiDate(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Overdue: still open and its deadline (which ends at 24:00 that day in Shanghai) has passed. Derived, never stored. */
export function isOverdue(h: { status: HazardStatus; deadline: string | null }, now: Date): boolean {
  return !!h.deadline && OPEN.includes(h.status) && h.deadline < shanghaiDate(now);
}
