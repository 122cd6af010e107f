/**
 * Who must know of a step, and who must act next: the enterprise when a rectification is assigned
 * or rejected, the officers who may accept when it is submitted, the receiving side of a transfer,
 * and the parties concerned of everything else. Recipients are found with the transition table
 * itself (who may take the next step), so the notices can never disagree with the buttons.
 */
import type { Kysely } from 'kysely';
import type { HazardAction } from '../../../shared/contracts/hazards';
import { GRADE_LABELS } from '../../../shared/contracts/hazards';
import type { ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { actorFromUser } from '../../auth/actor';
import { answerCalls, notify } from '../../notify/notify';
import { hazardOwnedBy, hazardVisibleTo, type Actor, type HazardScopeRow } from '../../scope/scope';
import { hazardFacts, hazardScopeRow, type HazardRow } from './repository';
import { decide, type LoopRules } from './workflow';

/** Roles that take part in the loop; administrators keep the system, not the ledger. */
/** Who receives a transferred hazard: the officers of the receiving side, not its inspectors or experts. */
const OFFICER_ROLES: ReadonlySet<string> = new Set(['city_officer', 'district_officer', 'street_officer', 'dept_officer']);
const PARTICIPANTS = ['city_officer', 'district_officer', 'street_officer', 'dept_officer', 'inspector', 'expert', 'enterprise'] as const;

interface People {
  scope: HazardScopeRow;
  actors: Actor[];
}

/** Everyone who might take part in this hazard's loop: its enterprise's users, officers of its city and district, and the people named on it. */
async function peopleAround(db: Kysely<DB>, h: HazardRow): Promise<People> {
  const named = [h.reported_by, h.submitted_by, h.first_accepted_by].filter((x): x is string => !!x);
  const users = await db
    .selectFrom('users')
    .selectAll()
    .where('status', '=', 'active')
    .where('city_code', '=', h.city_code)
    .where('role', 'in', [...PARTICIPANTS])
    .where((eb) =>
      eb.or([
        eb('enterprise_id', '=', h.enterprise_id),
        eb.and([eb('role', '!=', 'enterprise'), eb.or([eb('district_code', 'is', null), eb('district_code', '=', h.district_code)])]),
        ...(named.length ? [eb('id', 'in', named)] : []),
      ]),
    )
    .execute();
  const actors = await Promise.all(users.map((u) => actorFromUser(db, u, 'system')));
  return { scope: await hazardScopeRow(db, h), actors };
}

/** The people who may take `action` on the hazard as it now stands. */
function mayTake(p: People, h: HazardRow, action: HazardAction, rules: LoopRules, roles?: readonly string[]): string[] {
  const facts = hazardFacts(h);
  return p.actors
    .filter((a) => !roles || roles.includes(a.role))
    .filter((a) => decide(action, facts, { userId: a.userId, role: a.role, enterpriseId: a.enterpriseId, inScope: hazardVisibleTo(a, p.scope), owns: hazardOwnedBy(a, p.scope) }, rules).ok)
    .map((a) => a.userId);
}

/** The enterprise's own users, and whoever reported, submitted or first accepted — those who can still see the hazard. */
function concerned(p: People, h: HazardRow): string[] {
  const named = new Set([h.reported_by, h.submitted_by, h.first_accepted_by].filter(Boolean));
  return p.actors.filter((a) => (a.role === 'enterprise' ? a.enterpriseId === h.enterprise_id : named.has(a.userId)) && hazardVisibleTo(a, p.scope)).map((a) => a.userId);
}

const enterpriseUsers = (p: People, h: HazardRow) => p.actors.filter((a) => a.role === 'enterprise' && a.enterpriseId === h.enterprise_id).map((a) => a.userId);

/**
 * Tells whoever must act next, and the parties concerned, of a step just taken (in its transaction).
 * `before` is the hazard as it was, `after` as it is now; `comment` the step's note or reason.
 */
export async function noticeStep(tx: ActorCtx, action: HazardAction, before: HazardRow, after: HazardRow, comment: string | null, rules: LoopRules): Promise<void> {
  const p = await peopleAround(tx.db, after);
  // A step that moves the hazard on answers the calls to act before it; a transfer those of the side that let it go.
  if (before.status !== after.status || action === 'accept') await answerCalls(tx.db, after.id);
  else if (action === 'transfer') await answerCalls(tx.db, after.id, p.actors.filter((a) => hazardOwnedBy(a, p.scope) || a.role === 'enterprise').map((a) => a.userId));
  const code = after.code;
  const what = `${GRADE_LABELS[after.grade].zh} ${code}`;
  const base = { hazardId: after.id, link: `/hazards/${after.id}`, dedupeKey: `hazard.${action}:${after.id}:v${after.version}` };
  const send = (to: Iterable<string>, title: string, needsAction: boolean, kind = `hazard.${action}`) => notify(tx, { ...base, kind, to, title, body: comment, needsAction });
  const tail = comment ? `：${comment}` : '';

  switch (action) {
    case 'assign':
      await send(enterpriseUsers(p, after), `${what} 已下达限期整改，请于 ${after.deadline} 前完成整改并提交验收`, true);
      break;
    case 'fix_on_spot':
      await send(concerned(p, after), `${what} 已即查即改，整改完成销号`, false);
      break;
    case 'submit':
      await send(mayTake(p, after, 'accept', rules), `${what} 已提交整改，请验收`, true);
      break;
    case 'accept':
      if (after.status === 'pending_acceptance') {
        await send(mayTake(p, after, 'accept', rules), `${what} 已完成初验，请复核确认`, true, 'hazard.accept_first');
      } else {
        await send(concerned(p, after), `${what} 已验收销号`, false);
      }
      break;
    case 'reject':
      await send(new Set([...mayTake(p, after, 'submit', rules, ['enterprise']), ...concerned(p, after)]), `${what} 验收不通过，请继续整改${tail}`, true);
      break;
    case 'extend':
      await send(concerned(p, after), `${what} 整改期限由 ${before.deadline ?? '—'} 延至 ${after.deadline}`, false);
      break;
    case 'transfer': {
      // The receiving side now owns it: the officers who may take its next step there.
      const receivers = p.actors.filter((a) => OFFICER_ROLES.has(a.role) && hazardOwnedBy(a, p.scope) && !hazardOwnedBy(a, { ...p.scope, districtCode: before.district_code, departmentId: before.department_id, streetCode: before.street_code, grants: [] }));
      await send(receivers.map((a) => a.userId), `${what} 已移交给你方办理${tail}`, true);
      await send(enterpriseUsers(p, after), `${what} 已移交其他部门或区办理`, false, 'hazard.transfer_info');
      break;
    }
    case 'supervise':
      await send(concerned(p, after), `${what} 已列入${after.supervision_level === 'city' ? '市级' : '区级'}挂牌督办`, false);
      break;
    case 'void':
      await send(concerned(p, after), `${what} 已作废${tail}`, false);
      break;
  }
}
