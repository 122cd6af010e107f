import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { EnterpriseInput, EnterprisePatch } from '../../../shared/contracts/enterprises';
import { isValidUscc, normalizeUscc } from '../../../shared/uscc';
import { audit, transact, type ActorCtx } from '../../context';
import { classifyDbError } from '../../db/dialect';
import type { DB, EnterpriseUpdate } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { canCreateEnterprises, ENTERPRISE_SELF_EDITABLE, rowInScope, type Actor } from '../../scope/scope';
import { findIndustry } from '../industries/repository';
import { findRegion } from '../regions/repository';
import { refreshHazardSearch } from '../hazards/repository';
import { auditedEnterprise, presentEnterprise } from './presenter';
import { findEnterprise, insertEnterprises, newEnterpriseRow, updateEnterprise, usccTaken } from './repository';

type Input = z.output<typeof EnterpriseInput>;
type Patch = z.output<typeof EnterprisePatch>;

export function checkUscc(raw: string): string {
  const uscc = normalizeUscc(raw);
  if (!isValidUscc(uscc)) {
    throw fieldError(
      'INVALID_USCC',
      'uscc',
      '统一社会信用代码无效：应为18位，且校验位正确（GB 32100-2015）',
      'Invalid unified social credit code: 18 characters with a correct check character (GB 32100-2015)',
    );
  }
  return uscc;
}

const duplicateUscc = () =>
  fieldError('DUPLICATE_USCC', 'uscc', '该统一社会信用代码的企业已存在', 'An enterprise with this unified social credit code already exists');

/** Checks that the district, street and industry (when given: an accident's may have none) exist and fit together. */
export async function checkPlacement(db: Kysely<DB>, cityCode: string, p: { districtCode: string; streetCode: string | null; industryCode: string | null }): Promise<void> {
  const district = await findRegion(db, p.districtCode);
  if (!district || district.level !== 'district' || district.parentCode !== cityCode) {
    throw fieldError('UNKNOWN_REGION', 'districtCode', `未知的区代码：${p.districtCode}`, `Unknown district code ${p.districtCode}`);
  }
  if (p.streetCode) {
    const street = await findRegion(db, p.streetCode);
    if (!street || street.level !== 'street') throw fieldError('UNKNOWN_REGION', 'streetCode', `未知的街道/乡镇代码：${p.streetCode}`, `Unknown street code ${p.streetCode}`);
    if (street.parentCode !== p.districtCode) {
      throw fieldError('STREET_NOT_IN_DISTRICT', 'streetCode', `${street.name}不属于${district.name}`, `${p.streetCode} is not in district ${p.districtCode}`);
    }
  }
  if (p.industryCode === null) return;
  const industry = await findIndustry(db, p.industryCode);
  if (!industry || industry.level !== 'division') {
    throw fieldError('UNKNOWN_INDUSTRY', 'industryCode', `未知的行业大类代码：${p.industryCode}`, `Unknown GB/T 4754 division ${p.industryCode}`);
  }
}

function assertPlacementInScope(actor: Actor, p: { districtCode: string; streetCode: string | null; industryCode: string }, id: string | null) {
  const ok = rowInScope(actor, { cityCode: actor.cityCode, districtCode: p.districtCode, streetCode: p.streetCode, industryCode: p.industryCode, enterpriseId: id });
  if (!ok) {
    throw new AppError('OUT_OF_SCOPE', '只能登记或调整本辖区、本行业范围内的企业', 'You can only place enterprises within your own region and industries');
  }
}

export async function createEnterprise(ctx: ActorCtx, input: Input) {
  if (!canCreateEnterprises(ctx.actor)) throw new AppError('FORBIDDEN', '当前角色不能新增企业', 'Your role cannot add enterprises');
  const uscc = checkUscc(input.uscc);
  const placement = { districtCode: input.districtCode, streetCode: input.streetCode ?? null, industryCode: input.industryCode };
  return transact(ctx, async (tx) => {
    await checkPlacement(tx.db, ctx.actor.cityCode, placement);
    assertPlacementInScope(ctx.actor, placement, null);
    if (await usccTaken(tx.db, uscc)) throw duplicateUscc();
    const now = ctx.now().toISOString();
    const row = newEnterpriseRow(ctx.actor, now, { ...input, ...placement, uscc });
    const id = row.id;
    try {
      await insertEnterprises(tx.db, [row]);
    } catch (err) {
      if (classifyDbError(err)?.kind === 'unique') throw duplicateUscc();
      throw err;
    }
    const created = presentEnterprise((await findEnterprise(tx.db, ctx.actor, id))!, ctx.actor);
    await audit(tx, { action: 'enterprise.created', entityType: 'enterprise', entityId: id, districtCode: created.districtCode, after: auditedEnterprise(created) });
    return created;
  });
}

const COLUMN_OF: Record<Exclude<keyof Patch, 'version'>, keyof EnterpriseUpdate> = {
  uscc: 'uscc',
  name: 'name',
  address: 'address',
  districtCode: 'district_code',
  streetCode: 'street_code',
  industryCode: 'industry_code',
  principalName: 'principal_name',
  principalPhone: 'principal_phone',
  safetyManagerName: 'safety_manager_name',
  safetyManagerPhone: 'safety_manager_phone',
  riskClass: 'risk_class',
  standardizationLevel: 'standardization_level',
  lng: 'lng',
  lat: 'lat',
};

export async function editEnterprise(ctx: ActorCtx, id: string, patch: Patch) {
  return transact(ctx, async (tx) => {
    const current = await findEnterprise(tx.db, ctx.actor, id);
    if (!current) throw notFound('企业', 'enterprise');
    const before = presentEnterprise(current, ctx.actor);
    if (!before.canEdit) throw new AppError('FORBIDDEN', '无权修改该企业信息', 'You may not change this enterprise');
    if (patch.version !== undefined && patch.version !== current.version) {
      throw new AppError('VERSION_CONFLICT', '该企业信息已被他人修改，请刷新后重试', 'Someone else changed this enterprise; reload and try again');
    }
    const fields = (Object.keys(patch) as (keyof Patch)[]).filter((k) => k !== 'version' && patch[k] !== undefined) as Exclude<keyof Patch, 'version'>[];
    if (ctx.actor.role === 'enterprise') {
      const locked = fields.filter((f) => !(ENTERPRISE_SELF_EDITABLE as readonly string[]).includes(f));
      if (locked.length) {
        throw new AppError('FORBIDDEN', `企业用户不能修改：${locked.join('、')}`, `Enterprise users cannot change: ${locked.join(', ')}`, {
          errors: locked.map((f) => ({ path: f, code: 'FORBIDDEN', message: '企业用户不能修改此项' })),
        });
      }
    }
    const changes: EnterpriseUpdate = {};
    for (const f of fields) (changes as Record<string, unknown>)[COLUMN_OF[f]] = patch[f] ?? null;
    if (patch.uscc !== undefined) {
      changes.uscc = checkUscc(patch.uscc);
      if (await usccTaken(tx.db, changes.uscc, id)) throw duplicateUscc();
    }
    const placement = {
      districtCode: patch.districtCode ?? current.district_code,
      // Moving to another district without naming a street leaves the old street behind.
      streetCode: patch.streetCode !== undefined ? (patch.streetCode ?? null) : patch.districtCode && patch.districtCode !== current.district_code ? null : current.street_code,
      industryCode: patch.industryCode ?? current.industry_code,
    };
    if (patch.districtCode !== undefined || patch.streetCode !== undefined || patch.industryCode !== undefined) {
      await checkPlacement(tx.db, ctx.actor.cityCode, placement);
      assertPlacementInScope(ctx.actor, placement, id);
      changes.street_code = placement.streetCode;
    }
    if (Object.keys(changes).length === 0) return before;
    changes.updated_at = ctx.now().toISOString();
    let updated: boolean;
    try {
      updated = await updateEnterprise(tx.db, id, current.version, changes);
    } catch (err) {
      if (classifyDbError(err)?.kind === 'unique') throw duplicateUscc();
      throw err;
    }
    if (!updated) throw new AppError('VERSION_CONFLICT', '该企业信息已被他人修改，请刷新后重试', 'Someone else changed this enterprise; reload and try again');
    if (changes.name !== undefined && changes.name !== current.name) await refreshHazardSearch(tx.db, tx.dialect, id, changes.name);
    const after = presentEnterprise((await findEnterprise(tx.db, ctx.actor, id)) ?? { ...current, ...changes, version: current.version + 1 } as never, ctx.actor);
    await audit(tx, {
      action: 'enterprise.updated',
      entityType: 'enterprise',
      entityId: id,
      districtCode: after.districtCode,
      before: auditedEnterprise(before),
      after: auditedEnterprise(after),
    });
    return after;
  });
}
