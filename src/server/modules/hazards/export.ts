/**
 * 台账导出: the ledger exactly as the current filters select it (all pages), streamed to .xlsx —
 * Chinese headers, frozen header row, set widths, real dates, one row per hazard.
 */
import type { Writable } from 'node:stream';
import { GRADE_LABELS, SOURCE_LABELS, STATUS_LABELS, type HazardQuery, type HazardSource } from '../../../shared/contracts/hazards';
import { audit, transact, type ActorCtx } from '../../context';
import { shanghaiWallClock, XlsxStreamWriter, type XlsxColumn } from '../../http/xlsx-stream';
import { stepDatesAndClauses, walkHazards } from './repository';
import { isOverdue } from './workflow';

const SUPERVISION = { none: '', district: '区级督办', city: '市级督办' } as const;

const COLUMNS = [
  { header: '隐患编号', key: 'code', width: 24 },
  { header: '企业名称', key: 'enterprise', width: 32 },
  { header: '所属区', key: 'district', width: 10 },
  { header: '街道/乡镇', key: 'street', width: 16 },
  { header: '行业代码', key: 'industry', width: 9 },
  { header: '隐患描述', key: 'description', width: 40 },
  { header: '隐患部位', key: 'location', width: 16 },
  { header: '隐患级别', key: 'grade', width: 10 },
  { header: '判定依据', key: 'clauses', width: 40 },
  { header: '隐患来源', key: 'source', width: 12 },
  { header: '整改状态', key: 'status', width: 10 },
  { header: '是否逾期', key: 'overdue', width: 9 },
  { header: '整改期限', key: 'deadline', width: 12, date: 'date' },
  { header: '督办级别', key: 'supervision', width: 10 },
  { header: '整改责任人', key: 'responsible', width: 12 },
  { header: '发现时间', key: 'foundAt', width: 18, date: 'datetime' },
  { header: '下达整改时间', key: 'assignedAt', width: 18, date: 'datetime' },
  { header: '提交整改时间', key: 'submittedAt', width: 18, date: 'datetime' },
  { header: '验收不通过次数', key: 'rejections', width: 9 },
  { header: '销号时间', key: 'closedAt', width: 18, date: 'datetime' },
] as const satisfies readonly XlsxColumn[];

const excelDate = (ymd: string | null) => (ymd ? new Date(`${ymd}T00:00:00Z`) : null);

export const EXPORT_MAX_ROWS = 1_000_000;

export async function exportHazards(ctx: ActorCtx, filters: HazardQuery, out: Writable, onProgress?: (rows: number) => void): Promise<number> {
  const xlsx = new XlsxStreamWriter(out, { sheet: '隐患台账', columns: COLUMNS, creator: 'Zhiben 治本', now: ctx.now() });
  const now = ctx.now();
  let written = 0;
  await walkHazards(ctx.db, ctx.dialect, ctx.actor, filters, now, 2000, async (rows) => {
    if (written + rows.length > EXPORT_MAX_ROWS) throw new Error(`export larger than ${EXPORT_MAX_ROWS} rows`);
    const { steps, cited } = await stepDatesAndClauses(ctx.db, rows.map((r) => r.id));
    for (const r of rows) {
      const s = steps.get(r.id);
      xlsx.addRow({
        code: r.code,
        enterprise: r.enterprise_name,
        district: r.district_name,
        street: r.street_name,
        industry: r.industry_code,
        description: r.description,
        location: r.location,
        grade: GRADE_LABELS[r.grade].zh,
        clauses: (cited.get(r.id) ?? []).join('；'),
        source: SOURCE_LABELS[r.source as HazardSource]?.zh ?? r.source,
        status: STATUS_LABELS[r.status].zh,
        overdue: isOverdue(r, now) ? '是' : '否',
        deadline: excelDate(r.deadline),
        supervision: SUPERVISION[r.supervision_level],
        responsible: r.responsible_name,
        foundAt: shanghaiWallClock(r.found_at),
        assignedAt: shanghaiWallClock(s?.assignedAt),
        submittedAt: shanghaiWallClock(s?.submittedAt),
        rejections: s?.rejections ?? 0,
        closedAt: shanghaiWallClock(r.closed_at),
      });
    }
    written += rows.length;
    onProgress?.(written);
    await xlsx.flush();
  });
  await xlsx.finish();
  // Taking the ledger out of the system is recorded, like every change.
  await transact(ctx, (tx) => audit(tx, { action: 'hazard.exported', entityType: 'hazard', entityId: null, after: { filters, rows: written } }));
  return written;
}
