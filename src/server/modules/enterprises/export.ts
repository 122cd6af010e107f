/** 企业名录导出: the enterprises the filters select (all pages), streamed to .xlsx like the ledger. */
import type { Writable } from 'node:stream';
import type { EnterpriseQuery } from '../../../shared/contracts/enterprises';
import { RISK_CLASS_LABELS, STANDARDIZATION_LABELS } from '../../../shared/roles';
import { audit, transact, type ActorCtx } from '../../context';
import { shanghaiWallClock, XlsxStreamWriter, type XlsxColumn } from '../../http/xlsx-stream';
import { walkEnterprises } from './repository';

const COLUMNS = [
  { header: '统一社会信用代码', key: 'uscc', width: 22 },
  { header: '企业名称', key: 'name', width: 32 },
  { header: '地址', key: 'address', width: 36 },
  { header: '所属区', key: 'district', width: 10 },
  { header: '街道/乡镇', key: 'street', width: 16 },
  { header: '行业代码', key: 'industryCode', width: 9 },
  { header: '行业', key: 'industry', width: 24 },
  { header: '主要负责人', key: 'principalName', width: 12 },
  { header: '负责人电话', key: 'principalPhone', width: 16 },
  { header: '安全管理人员', key: 'safetyManagerName', width: 12 },
  { header: '安全管理人员电话', key: 'safetyManagerPhone', width: 16 },
  { header: '风险等级', key: 'risk', width: 16 },
  { header: '标准化等级', key: 'level', width: 10 },
  { header: '登记时间', key: 'createdAt', width: 18, date: 'datetime' },
] as const satisfies readonly XlsxColumn[];

export async function exportEnterprises(ctx: ActorCtx, filters: EnterpriseQuery, out: Writable, onProgress?: (rows: number) => void): Promise<number> {
  const xlsx = new XlsxStreamWriter(out, { sheet: '企业名录', columns: COLUMNS, creator: 'Zhiben 治本', now: ctx.now() });
  let done = 0;
  const written = await walkEnterprises(ctx.db, ctx.dialect, ctx.actor, filters, 2000, async (rows) => {
    done += rows.length;
    onProgress?.(done);
    for (const e of rows) {
      xlsx.addRow({
        uscc: e.uscc,
        name: e.name,
        address: e.address,
        district: e.district_name,
        street: e.street_name,
        industryCode: e.industry_code,
        industry: e.industry_name,
        principalName: e.principal_name,
        principalPhone: e.principal_phone,
        safetyManagerName: e.safety_manager_name,
        safetyManagerPhone: e.safety_manager_phone,
        risk: RISK_CLASS_LABELS[e.risk_class].zh,
        level: STANDARDIZATION_LABELS[e.standardization_level].zh,
        createdAt: shanghaiWallClock(e.created_at),
      });
    }
    await xlsx.flush();
  });
  await xlsx.finish();
  await transact(ctx, (tx) => audit(tx, { action: 'enterprise.exported', entityType: 'enterprise', entityId: null, after: { filters, rows: written } }));
  return written;
}
