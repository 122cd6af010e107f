/** The enforcement documents for a caller: the record read under their scope, built by `documents.ts`, named for download. */
import type { z } from 'zod';
import type { StatsQuery } from '../../../shared/contracts/enforcement';
import type { ActorCtx } from '../../context';
import { findDepartment } from '../departments/repository';
import { findRegion } from '../regions/repository';
import { caseDetail } from './cases';
import { bulletinDocx, inspectionRecordDocx, penaltyDecisionDocx, rectificationOrderDocx } from './documents';
import { inspectionDetail } from './inspections';
import { enforcementBulletin } from './stats';

/** The body that issues a document: the caller's department, else the district's emergency management bureau. */
async function issuer(ctx: ActorCtx, districtCode: string) {
  const district = (await findRegion(ctx.db, districtCode))?.name ?? districtCode;
  const dept = ctx.actor.departmentId ? await findDepartment(ctx.db, ctx.actor.departmentId) : undefined;
  return { districtName: district, issuingBody: dept?.name ?? `上海市${district}应急管理局` };
}

export async function recordFile(ctx: ActorCtx, id: string) {
  const d = await inspectionDetail(ctx, id);
  const { districtName } = await issuer(ctx, d.districtCode);
  return { file: await inspectionRecordDocx(d, { districtName }), ascii: `inspection-record-${d.code}.docx`, name: `现场检查记录-${d.code}.docx` };
}

export async function orderFile(ctx: ActorCtx, id: string) {
  const d = await inspectionDetail(ctx, id);
  return { file: await rectificationOrderDocx(d, await issuer(ctx, d.districtCode)), ascii: `rectification-order-${d.code}.docx`, name: `责令限期整改指令书-${d.code}.docx` };
}

export async function decisionFile(ctx: ActorCtx, id: string) {
  const c = await caseDetail(ctx, id);
  const e = await ctx.db.selectFrom('enterprises').select(['name', 'uscc', 'address', 'principal_name']).where('id', '=', c.enterpriseId).executeTakeFirstOrThrow();
  const file = await penaltyDecisionDocx(c, { ...(await issuer(ctx, c.districtCode)), enterprise: { name: e.name, uscc: e.uscc, address: e.address, principalName: e.principal_name } });
  return { file, ascii: `penalty-decision-${c.code}.docx`, name: `行政处罚决定书-${c.code}.docx` };
}

export async function bulletinFile(ctx: ActorCtx, q: z.output<typeof StatsQuery>) {
  const b = await enforcementBulletin(ctx, q);
  return { file: await bulletinDocx(b), ascii: `enforcement-bulletin-${b.quarter}.docx`, name: `执法通报-${b.name}-${b.quarter}.docx` };
}
