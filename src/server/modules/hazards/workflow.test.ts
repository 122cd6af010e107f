import { describe, expect, it } from 'vitest';
import { HAZARD_ACTIONS, HAZARD_GRADES, HAZARD_STATUSES, type HazardAction, type HazardGrade, type HazardStatus } from '../../../shared/contracts/hazards';
import type { Role } from '../../../shared/roles';
import { allowedActions, decide, heldBackActions, isOverdue, missingFields, shanghaiDate, supervisionLevelsFor, type ActorFacts, type HazardFacts } from './workflow';

/** The loop as the issue states it, written independently of the table under test. */
const SPEC: Record<HazardAction, { from: HazardStatus[]; to: HazardStatus | null; grades: HazardGrade[] }> = {
  assign: { from: ['reported'], to: 'rectifying', grades: ['general', 'major'] },
  fix_on_spot: { from: ['reported'], to: 'closed', grades: ['general'] },
  submit: { from: ['rectifying'], to: 'pending_acceptance', grades: ['general', 'major'] },
  accept: { from: ['pending_acceptance'], to: 'closed', grades: ['general', 'major'] },
  reject: { from: ['pending_acceptance'], to: 'rectifying', grades: ['general', 'major'] },
  extend: { from: ['rectifying', 'pending_acceptance'], to: null, grades: ['general', 'major'] },
  transfer: { from: ['reported', 'rectifying', 'pending_acceptance'], to: null, grades: ['general', 'major'] },
  supervise: { from: ['reported', 'rectifying', 'pending_acceptance'], to: null, grades: ['major'] },
  void: { from: ['reported', 'rectifying', 'pending_acceptance'], to: 'voided', grades: ['general', 'major'] },
};

const hazard = (over: Partial<HazardFacts> = {}): HazardFacts => ({
  status: 'reported',
  grade: 'general',
  source: 'routine_inspection',
  supervisionLevel: 'none',
  enterpriseId: 'ent-1',
  reportedBy: 'inspector-1',
  submittedBy: null,
  firstAcceptedBy: null,
  ...over,
});
const actor = (role: Role, over: Partial<ActorFacts> = {}): ActorFacts => ({ userId: `${role}-1`, role, enterpriseId: role === 'enterprise' ? 'ent-1' : null, inScope: true, owns: true, ...over });

describe('hazard transition table', () => {
  // A city administrator owning the hazard may take every step the loop allows, so it isolates status and grade rules.
  const superActor = actor('city_admin');
  for (const action of HAZARD_ACTIONS) {
    for (const status of HAZARD_STATUSES) {
      for (const grade of HAZARD_GRADES) {
        const allowed = SPEC[action].from.includes(status) && SPEC[action].grades.includes(grade);
        it(`${action} from ${status} (${grade}) is ${allowed ? 'allowed' : 'refused'}`, () => {
          // Under city supervision so a city administrator may accept a major hazard; not yet supervised so it may list one.
          const d = decide(action, hazard({ status, grade, supervisionLevel: action === 'supervise' ? 'none' : 'city' }), superActor);
          if (allowed) {
            expect(d.ok).toBe(true);
            if (d.ok) expect(d.transition.to).toBe(SPEC[action].to);
          } else {
            expect(d).toMatchObject({ ok: false, reason: 'INVALID_TRANSITION' });
          }
        });
      }
    }
  }
});

describe('who may take each step', () => {
  const can = (action: HazardAction, h: Partial<HazardFacts>, a: ActorFacts) => decide(action, hazard(h), a).ok;

  it('assign / fix on the spot: the enterprise for its own self-checks, the reporter, or an officer in scope', () => {
    expect(can('assign', { source: 'self_check' }, actor('enterprise'))).toBe(true);
    expect(can('assign', { source: 'routine_inspection' }, actor('enterprise'))).toBe(false);
    expect(can('assign', { source: 'self_check' }, actor('enterprise', { enterpriseId: 'ent-2' }))).toBe(false);
    expect(can('assign', {}, actor('inspector', { userId: 'inspector-1' }))).toBe(true);
    expect(can('assign', {}, actor('inspector', { userId: 'inspector-2' }))).toBe(false);
    expect(can('assign', {}, actor('expert', { userId: 'inspector-1' }))).toBe(true);
    for (const r of ['city_officer', 'district_officer', 'street_officer', 'dept_officer'] as Role[]) {
      expect(can('assign', {}, actor(r)), r).toBe(true);
      expect(can('assign', {}, actor(r, { owns: false })), `${r} as transfer sender`).toBe(false);
    }
    expect(can('fix_on_spot', { source: 'self_check' }, actor('enterprise'))).toBe(true);
  });

  it('submit: the enterprise itself or an officer on its behalf', () => {
    const h = { status: 'rectifying' as const };
    expect(can('submit', h, actor('enterprise'))).toBe(true);
    expect(can('submit', h, actor('enterprise', { enterpriseId: 'ent-9' }))).toBe(false);
    expect(can('submit', h, actor('district_officer'))).toBe(true);
    expect(can('submit', h, actor('inspector'))).toBe(false);
  });

  it('accept / reject a general hazard: its enterprise for self-checks, otherwise officers in scope', () => {
    for (const action of ['accept', 'reject'] as const) {
      const pending = { status: 'pending_acceptance' as const };
      expect(can(action, { ...pending, source: 'self_check' }, actor('enterprise'))).toBe(true);
      expect(can(action, { ...pending, source: 'routine_inspection' }, actor('enterprise'))).toBe(false);
      expect(can(action, pending, actor('street_officer'))).toBe(true);
      expect(can(action, pending, actor('inspector', { userId: 'inspector-1' }))).toBe(false);
    }
  });

  it('accept a major hazard: only its district or supervising department, or the city under city supervision', () => {
    const major = { status: 'pending_acceptance' as const, grade: 'major' as const, source: 'self_check' as const };
    expect(can('accept', major, actor('enterprise'))).toBe(false);
    expect(can('accept', major, actor('street_officer'))).toBe(false);
    expect(can('accept', major, actor('district_officer'))).toBe(true);
    expect(can('accept', major, actor('dept_officer'))).toBe(true);
    expect(can('accept', major, actor('district_officer', { owns: false }))).toBe(false);
    expect(can('accept', major, actor('city_officer'))).toBe(false);
    expect(can('accept', { ...major, supervisionLevel: 'district' }, actor('city_officer'))).toBe(false);
    expect(can('accept', { ...major, supervisionLevel: 'city' }, actor('city_officer'))).toBe(true);
  });

  it('extend, transfer, supervise and void are for officers with the right level', () => {
    const rect = { status: 'rectifying' as const, grade: 'major' as const };
    expect(can('extend', rect, actor('street_officer'))).toBe(true);
    expect(can('extend', rect, actor('enterprise'))).toBe(false);
    expect(can('transfer', rect, actor('district_officer'))).toBe(true);
    expect(can('transfer', rect, actor('street_officer'))).toBe(false);
    expect(can('supervise', rect, actor('district_officer'))).toBe(true);
    expect(can('supervise', rect, actor('dept_officer'))).toBe(false);
    expect(can('supervise', { ...rect, supervisionLevel: 'district' }, actor('district_officer'))).toBe(false);
    expect(can('supervise', { ...rect, supervisionLevel: 'district' }, actor('city_officer'))).toBe(true);
    expect(can('void', rect, actor('district_officer'))).toBe(true);
    expect(can('void', rect, actor('street_officer'))).toBe(false);
    expect(can('void', rect, actor('inspector', { userId: 'inspector-1' }))).toBe(false);
    expect(supervisionLevelsFor('district_officer')).toEqual(['district']);
    expect(supervisionLevelsFor('city_officer')).toEqual(['city']);
    expect(supervisionLevelsFor('street_officer')).toEqual([]);
  });

  it('a refused actor learns why, and allowedActions lists exactly what decide permits', () => {
    const d = decide('void', hazard(), actor('enterprise'));
    expect(d).toMatchObject({ ok: false, reason: 'FORBIDDEN', message: expect.stringMatching(/无权/) });
    expect(allowedActions(hazard({ status: 'rectifying', source: 'self_check' }), actor('enterprise'))).toEqual(['submit']);
    expect(allowedActions(hazard({ status: 'closed' }), actor('city_admin'))).toEqual([]);
    expect(allowedActions(hazard(), actor('district_officer'))).toEqual(['assign', 'fix_on_spot', 'transfer', 'void']);
  });
});

describe('deadlines in Asia/Shanghai', () => {
  it('a deadline ends at 24:00 Shanghai time that day', () => {
    const h = { status: 'rectifying' as const, deadline: '2026-03-31' };
    expect(isOverdue(h, new Date('2026-03-31T15:59:59.999Z'))).toBe(false); // 23:59:59.999 in Shanghai
    expect(isOverdue(h, new Date('2026-03-31T16:00:00.000Z'))).toBe(true); // 00:00 on 1 April in Shanghai
    expect(shanghaiDate(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
  });
  it('closed or voided hazards, and hazards without a deadline, are never overdue', () => {
    const late = new Date('2030-01-01T00:00:00Z');
    expect(isOverdue({ status: 'closed', deadline: '2026-01-01' }, late)).toBe(false);
    expect(isOverdue({ status: 'voided', deadline: '2026-01-01' }, late)).toBe(false);
    expect(isOverdue({ status: 'reported', deadline: null }, late)).toBe(false);
    expect(isOverdue({ status: 'pending_acceptance', deadline: '2026-01-01' }, late)).toBe(true);
  });
});

describe('separation of duties and what acceptance needs', () => {
  const pending = (over: Partial<HazardFacts> = {}) => hazard({ status: 'pending_acceptance', ...over });
  const officers: Role[] = ['district_officer', 'street_officer', 'dept_officer', 'city_officer', 'city_admin'];

  it('whoever submitted a rectification never accepts it, whatever their role; anyone else allowed still may', () => {
    for (const role of officers) {
      const me = actor(role, { userId: 'u-submitter' });
      const other = actor(role, { userId: 'u-other' });
      const h = pending({ submittedBy: 'u-submitter', supervisionLevel: 'city' });
      expect(decide('accept', h, me)).toMatchObject({ ok: false, reason: 'SEPARATION_OF_DUTIES', message: expect.stringMatching(/不能由您本人验收.*其他有验收权限的人员/) });
      expect(decide('accept', h, other).ok).toBe(true);
      expect(allowedActions(h, me)).not.toContain('accept');
      expect(heldBackActions(h, me)).toEqual([
        { action: 'accept', reason: expect.stringMatching(/不能由您本人验收/) },
        { action: 'reject', reason: expect.stringMatching(/验收（含退回）须由其他/) },
      ]);
    }
  });

  it('an enterprise user accepts only its own self-check hazards, and not the rectification it submitted itself', () => {
    const ent = actor('enterprise', { userId: 'ent-user-1' });
    const colleague = actor('enterprise', { userId: 'ent-user-2' });
    expect(decide('accept', pending({ source: 'routine_inspection' }), ent)).toMatchObject({ ok: false, reason: 'FORBIDDEN' });
    expect(decide('accept', pending({ source: 'self_check', submittedBy: 'ent-user-1' }), ent)).toMatchObject({ ok: false, reason: 'SEPARATION_OF_DUTIES' });
    expect(decide('accept', pending({ source: 'self_check', submittedBy: 'ent-user-1' }), colleague).ok).toBe(true);
  });

  it('a major acceptance needs an opinion and evidence; a general one needs neither', () => {
    expect(missingFields('accept', pending({ grade: 'major' }), {})).toEqual([
      { field: 'note', message: '重大隐患验收须填写验收意见' },
      { field: 'attachmentIds', message: expect.stringMatching(/至少一份验收材料/) },
    ]);
    expect(missingFields('accept', pending({ grade: 'major' }), { note: '  ', attachmentIds: ['f'] })).toEqual([{ field: 'note', message: '重大隐患验收须填写验收意见' }]);
    expect(missingFields('accept', pending({ grade: 'major' }), { note: '整改到位', attachmentIds: ['f'] })).toEqual([]);
    expect(missingFields('accept', pending({ grade: 'general' }), {})).toEqual([]);
  });

  it('with two acceptors, the first records (the hazard stays pending) and a second person confirms', () => {
    const rules = { majorAcceptors: 2 as const };
    const first = actor('district_officer', { userId: 'u-first' });
    const second = actor('district_officer', { userId: 'u-second' });
    const h = pending({ grade: 'major', submittedBy: 'u-ent' });
    expect(decide('accept', h, first, rules)).toMatchObject({ ok: true, to: null });
    const recorded = { ...h, firstAcceptedBy: 'u-first' };
    expect(decide('accept', recorded, first, rules)).toMatchObject({ ok: false, reason: 'SEPARATION_OF_DUTIES', message: expect.stringMatching(/另一名/) });
    expect(decide('accept', recorded, second, rules)).toMatchObject({ ok: true, to: 'closed' });
    // The confirmation needs an opinion; the evidence came with the first acceptance.
    expect(missingFields('accept', recorded, {}, rules).map((m) => m.field)).toEqual(['note']);
    // General hazards and the one-acceptor rule close at once.
    expect(decide('accept', pending({ grade: 'general' }), first, rules)).toMatchObject({ ok: true, to: 'closed' });
    expect(decide('accept', h, first)).toMatchObject({ ok: true, to: 'closed' });
  });
});
