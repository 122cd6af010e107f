/**
 * The hazard closed loop as data (plan actions 4–6: 判定, 动态清零). Each row says from which
 * statuses an action may be taken, where it leads, which hazards it applies to, and who may
 * take it. Pure: no I/O; commands consult it, the detail view lists `allowedActions` from it.
 */
import { OPEN_STATUSES, type HazardAction, type HazardGrade, type HazardSource, type HazardStatus, type SupervisionLevel } from '../../../shared/contracts/hazards';
import { shanghaiDate } from '../../../shared/dates';
import type { Role } from '../../../shared/roles';

export { shanghaiDate };

/** What the rules need to know about a hazard. */
export interface HazardFacts {
  status: HazardStatus;
  grade: HazardGrade;
  source: HazardSource;
  supervisionLevel: SupervisionLevel;
  enterpriseId: string;
  reportedBy: string | null;
  /** Who submitted the rectification now awaiting acceptance. */
  submittedBy: string | null;
  /** Who recorded the first of two acceptances, when the rule asks for two. */
  firstAcceptedBy: string | null;
}

/** The loop's configurable rules (see `rules.ts` in this module), as they stand on the day of the step. */
export interface LoopRules {
  /** People needed to accept a major hazard: 1, or 2 (the first records, a second confirms). */
  majorAcceptors: 1 | 2;
}
export const DEFAULT_LOOP_RULES: LoopRules = { majorAcceptors: 1 };

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
  // An inspector accepts a general hazard an enforcement inspection found (复查, #15).
  if (h.grade === 'general') return isOwnSelfCheck(h, a) || isOfficerOwner(h, a) || (a.role === 'inspector' && a.owns && h.source === 'enforcement_inspection');
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
  /** Separation of duties: who may not take the step although `who` allows them, and what to tell them. */
  apart?: (h: HazardFacts, a: ActorFacts) => string | null;
  /** What the step needs beyond its body's schema for this hazard: field → the message when it is missing. */
  needs?: (h: HazardFacts, rules: LoopRules) => Partial<Record<'note' | 'attachmentIds', string>>;
  /** The step is recorded but the status holds (the first of two acceptances). */
  holds?: (h: HazardFacts, rules: LoopRules) => boolean;
}

const ACCEPTORS_TEXT = '重大隐患由属地区安委办或行业主管部门验收（市级督办的由市级验收）';

/**
 * 验收 is a second pair of eyes: nobody accepts a rectification they submitted themselves, and of
 * two acceptors the second is someone else than the first. (An enterprise's own user never accepts
 * a hazard the authorities found: `canAccept` already leaves it out.)
 */
const acceptApart = (h: HazardFacts, a: ActorFacts): string | null => {
  if (h.submittedBy && h.submittedBy === a.userId) {
    const who = h.grade === 'major' ? ACCEPTORS_TEXT : h.source === 'self_check' ? '企业其他人员或属地、行业监管人员可以验收' : '属地或行业监管人员可以验收';
    return `整改由您提交，不能由您本人验收：请由其他有验收权限的人员验收（${who}）`;
  }
  if (h.firstAcceptedBy && h.firstAcceptedBy === a.userId) return '您已完成初次验收，须由另一名有验收权限的人员复核确认';
  return null;
};

/** A first acceptance of a major hazard, when two are required, leaves it pending. */
const firstOfTwo = (h: HazardFacts, rules: LoopRules) => h.grade === 'major' && rules.majorAcceptors === 2 && !h.firstAcceptedBy;

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
  {
    action: 'accept',
    from: ['pending_acceptance'],
    to: 'closed',
    who: canAccept,
    whoText: ACCEPTORS_TEXT,
    apart: acceptApart,
    needs: (h, rules) =>
      h.grade !== 'major'
        ? {}
        : {
            note: '重大隐患验收须填写验收意见',
            ...(firstOfTwo(h, rules) || rules.majorAcceptors === 1 ? { attachmentIds: '重大隐患验收须上传至少一份验收材料（现场照片或验收文件）' } : {}),
          },
    holds: firstOfTwo,
  },
  {
    action: 'reject',
    from: ['pending_acceptance'],
    to: 'rectifying',
    who: canAccept,
    whoText: '由有验收权限的人员退回',
    // Rejecting is the acceptor's step too: not for whoever submitted the rectification.
    apart: (h, a) => (h.submittedBy && h.submittedBy === a.userId ? '整改由您提交，验收（含退回）须由其他有验收权限的人员进行' : null),
  },
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

export type Refusal = { ok: false; reason: 'INVALID_TRANSITION' | 'FORBIDDEN' | 'SEPARATION_OF_DUTIES'; message: string };
/** `to`: where the step leads this time (null: the status holds). */
export type Decision = { ok: true; transition: Transition; to: HazardStatus | null } | Refusal;

const GRADE_TEXT: Record<HazardGrade, string> = { general: '一般隐患', major: '重大隐患' };

/** Decides one step: is it allowed from this status and grade, may this actor take it, and is it someone else's to take? */
export function decide(action: HazardAction, hazard: HazardFacts, actor: ActorFacts, rules: LoopRules = DEFAULT_LOOP_RULES): Decision {
  const t = TRANSITIONS.find((x) => x.action === action);
  if (!t) return { ok: false, reason: 'INVALID_TRANSITION', message: `未知的操作：${action}` };
  if (!t.from.includes(hazard.status)) {
    return { ok: false, reason: 'INVALID_TRANSITION', message: `当前状态（${hazard.status}）不能执行该操作（${action}）` };
  }
  if (t.grades && !t.grades.includes(hazard.grade)) {
    return { ok: false, reason: 'INVALID_TRANSITION', message: `${GRADE_TEXT[hazard.grade]}不能执行该操作（${action}）` };
  }
  if (!t.who(hazard, actor)) return { ok: false, reason: 'FORBIDDEN', message: `无权执行该操作：${t.whoText}` };
  const apart = t.apart?.(hazard, actor);
  if (apart) return { ok: false, reason: 'SEPARATION_OF_DUTIES', message: apart };
  return { ok: true, transition: t, to: t.holds?.(hazard, rules) ? null : t.to };
}

/** The actions this actor may take now, for the detail view's buttons. */
export function allowedActions(hazard: HazardFacts, actor: ActorFacts, rules: LoopRules = DEFAULT_LOOP_RULES): HazardAction[] {
  return TRANSITIONS.filter((t) => decide(t.action, hazard, actor, rules).ok).map((t) => t.action);
}

/**
 * 待我处理: the hazard waits for this actor's next step — assigning what was found (officers in scope
 * for what inspections found, the enterprise for its own self-checks, an inspector for what they
 * reported), rectifying (the enterprise), accepting (whoever may accept, never the submitter).
 * Transfer, extension and voiding are always possible and so wait for nobody. City-level officers
 * are waited for only by hazards under city supervision: the rest is the districts' to move.
 * `hazardTodoWhere` in the repository is its SQL form (tested together).
 */
export function awaitsActor(h: HazardFacts, a: ActorFacts, rules: LoopRules = DEFAULT_LOOP_RULES): boolean {
  const cityLevel = a.role === 'city_officer' || a.role === 'city_admin';
  switch (h.status) {
    case 'reported':
      return !cityLevel && decide('assign', h, a, rules).ok && (a.role === 'enterprise' || h.source !== 'self_check');
    case 'rectifying':
      return a.role === 'enterprise' && decide('submit', h, a, rules).ok;
    case 'pending_acceptance':
      // An inspector's acceptances come with the follow-up inspections on their own list, not here.
      return decide('accept', h, a, rules).ok && (!cityLevel || h.supervisionLevel === 'city') && a.role !== 'inspector';
    default:
      return false;
  }
}

/** Steps this actor could take but for separation of duties, with the reason (the detail view explains the missing button). */
export function heldBackActions(hazard: HazardFacts, actor: ActorFacts, rules: LoopRules = DEFAULT_LOOP_RULES): { action: HazardAction; reason: string }[] {
  return TRANSITIONS.flatMap((t) => {
    const d = decide(t.action, hazard, actor, rules);
    return !d.ok && d.reason === 'SEPARATION_OF_DUTIES' ? [{ action: t.action, reason: d.message }] : [];
  });
}

/** The fields a step is missing for this hazard (major acceptance: an opinion and evidence), field → message. */
export function missingFields(action: HazardAction, hazard: HazardFacts, body: { note?: string | null; attachmentIds?: readonly string[] | null }, rules: LoopRules = DEFAULT_LOOP_RULES) {
  const needs = TRANSITIONS.find((t) => t.action === action)?.needs?.(hazard, rules) ?? {};
  const missing: { field: 'note' | 'attachmentIds'; message: string }[] = [];
  if (needs.note && !body.note?.trim()) missing.push({ field: 'note', message: needs.note });
  if (needs.attachmentIds && !body.attachmentIds?.length) missing.push({ field: 'attachmentIds', message: needs.attachmentIds });
  return missing;
}

/** Supervision levels an actor may set (挂牌督办): district officers the district level, city officers the city level. */
export function supervisionLevelsFor(role: Role): SupervisionLevel[] {
  if (role === 'district_officer') return ['district'];
  if (role === 'city_officer' || role === 'city_admin') return ['city'];
  return [];
}


/** Overdue: still open and its deadline (which ends at 24:00 that day in Shanghai) has passed. Derived, never stored. */
export function isOverdue(h: { status: HazardStatus; deadline: string | null }, now: Date): boolean {
  return !!h.deadline && OPEN.includes(h.status) && h.deadline < shanghaiDate(now);
}
