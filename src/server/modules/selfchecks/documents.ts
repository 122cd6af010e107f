/**
 * 自查文书 (#14, documents): an enterprise's quarterly self-check summary (.docx, 仿宋/黑体 like the
 * other official documents) for its principal person to sign, and the round list as .xlsx. Both
 * take their rounds from `listRounds`, so they hold exactly the rows the list shows to the same
 * caller under the same filters; the hazards found are read from the ledger, under its own scope,
 * as they stand now.
 */
import type { Writable } from 'node:stream';
import { AlignmentType, Document, Packer, Paragraph } from 'docx';
import type { Round, RoundQuery } from '../../../shared/contracts/checklists';
import { GRADE_LABELS, OPEN_STATUSES, STATUS_LABELS, type HazardGrade, type HazardStatus } from '../../../shared/contracts/hazards';
import { shanghaiDate } from '../../../shared/dates';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { shanghaiWallClock, XlsxStreamWriter, type XlsxColumn } from '../../http/xlsx-stream';
import { hazardScopeWhere } from '../../scope/scope';
import { findEnterprise } from '../enterprises/repository';
import { isOverdue } from '../hazards/workflow';
import { chineseDate, para, run, SIZE, table, title } from '../reports/docx-kit';
import { listRounds, periodOf } from './rounds';

/** More rounds than this in one enterprise's quarter is not a summary anyone signs. */
export const SUMMARY_MAX_ROUNDS = 1000;
/** The round list is streamed at once; a larger selection is refused before a byte is sent. */
export const ROUND_EXPORT_MAX_ROWS = 20_000;

const CN_NUMBERS = ['一', '二', '三', '四'];
const CHUNK = 500;

/** 2026-Q4 → its key, first and last day. */
export function quarterSpan(quarter: string) {
  const [y, q] = [quarter.slice(0, 4), Number(quarter.slice(-1))];
  return periodOf('quarterly', `${y}-${String(q * 3 - 2).padStart(2, '0')}-01`);
}

/** A period key as people read it: 2026年10月, 2026年第四季度, 2026年11月30日起当周, 2026年下半年. */
export function periodLabel(key: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^W(\d{4}-\d{2}-\d{2})$/.exec(key))) return `${chineseDate(m[1])}起当周`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return chineseDate(key);
  if ((m = /^(\d{4})-(\d{2})$/.exec(key))) return `${m[1]}年${Number(m[2])}月`;
  if ((m = /^(\d{4})-Q([1-4])$/.exec(key))) return `${m[1]}年第${CN_NUMBERS[Number(m[2]) - 1]}季度`;
  if ((m = /^(\d{4})-H([12])$/.exec(key))) return `${m[1]}年${m[2] === '1' ? '上' : '下'}半年`;
  return key;
}

/** How a round stands against its due date: done on time or late (Shanghai dates), overdue, or not yet due. */
export type Completion = 'on_time' | 'late' | 'overdue' | 'pending';
export const COMPLETION_LABELS: Record<Completion, string> = { on_time: '按时完成', late: '逾期完成', overdue: '逾期未完成', pending: '待完成（未到期）' };

function completionOf(r: Round): Completion {
  if (r.submittedAt) return shanghaiDate(new Date(r.submittedAt)) <= r.dueDate ? 'on_time' : 'late';
  return r.status === 'overdue' ? 'overdue' : 'pending';
}

export interface RoundRow extends Round {
  districtName: string;
  checklistTitle: string;
  completion: Completion;
  signedByName: string | null;
  signedByRole: string | null;
  findings: number | null;
}

async function inChunks<T>(ids: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

/** The listed rounds with their district, checklist and sign-off (read by id: the rows the scoped list just answered). */
async function withSignOff(ctx: ActorCtx, rounds: readonly Round[]): Promise<RoundRow[]> {
  const extra = await inChunks(
    rounds.map((r) => r.id),
    (ids) =>
      ctx.db
        .selectFrom('selfcheck_rounds as r')
        .innerJoin('checklists as c', 'c.id', 'r.checklist_id')
        .leftJoin('regions as d', 'd.code', 'r.district_code')
        .select(['r.id', 'r.signed_by_name', 'r.signed_by_role', 'r.findings', 'c.title', 'd.name as district_name'])
        .where('r.id', 'in', ids)
        .execute(),
  );
  const byId = new Map(extra.map((x) => [x.id, x]));
  return rounds.map((r) => {
    const x = byId.get(r.id);
    // A round is signed once, when submitted: the sign-off counts only where the list saw it submitted.
    const done = !!r.submittedAt;
    return {
      ...r,
      districtName: x?.district_name ?? '',
      checklistTitle: x?.title ?? '',
      completion: completionOf(r),
      signedByName: done ? (x?.signed_by_name ?? null) : null,
      signedByRole: done ? (x?.signed_by_role ?? null) : null,
      findings: done ? (x?.findings ?? null) : null,
    };
  });
}

export interface SummaryHazard {
  code: string;
  period: string;
  description: string;
  grade: HazardGrade;
  status: HazardStatus;
  deadline: string | null;
  overdue: boolean;
}

export interface QuarterlySummary {
  enterprise: { id: string; name: string; uscc: string; place: string; principalName: string };
  quarter: string;
  start: string;
  end: string;
  asOf: string;
  rounds: RoundRow[];
  hazards: SummaryHazard[];
  /** Hazards the rounds found that the caller does not see on the ledger (handed to another region or department). */
  hidden: number;
}

/** 季度自查汇总: the rounds of one enterprise due in a quarter, with the hazards they found as the ledger holds them now. */
export async function quarterlySummary(ctx: ActorCtx, q: { enterpriseId?: string; quarter: string }): Promise<QuarterlySummary> {
  const a = ctx.actor;
  if (!q.enterpriseId && a.role !== 'enterprise') throw fieldError('VALIDATION_FAILED', 'enterpriseId', '请指定企业（enterpriseId）', 'Name the enterprise (enterpriseId)');
  const enterpriseId = q.enterpriseId ?? a.enterpriseId;
  const ent = enterpriseId ? await findEnterprise(ctx.db, a, enterpriseId) : undefined;
  if (!ent) throw notFound('企业', 'enterprise');
  const span = quarterSpan(q.quarter);
  const list = await listRounds(ctx, { enterpriseId: ent.id, from: span.start, to: span.due, page: 1, pageSize: SUMMARY_MAX_ROUNDS });
  if (list.total > SUMMARY_MAX_ROUNDS) {
    throw new AppError('EXPORT_TOO_LARGE', `该企业本季度共有 ${list.total} 次自查，超过汇总上限 ${SUMMARY_MAX_ROUNDS} 次，请导出自查记录表格`, `${list.total} rounds in the quarter; a summary holds at most ${SUMMARY_MAX_ROUNDS}`);
  }
  // A summary reads in time order (the list shows the latest first).
  const chronological = [...list.items].sort((x, y) => x.dueDate.localeCompare(y.dueDate) || x.period.localeCompare(y.period) || x.id.localeCompare(y.id));
  const rounds = await withSignOff(ctx, chronological);
  const order = new Map(rounds.map((r, i) => [r.id, i]));
  const links = await inChunks(
    rounds.filter((r) => r.findings).map((r) => r.id),
    (ids) => ctx.db.selectFrom('selfcheck_results').select(['round_id', 'hazard_id']).where('round_id', 'in', ids).where('hazard_id', 'is not', null).execute(),
  );
  const roundOf = new Map(links.map((l) => [l.hazard_id!, l.round_id]));
  const seen = await inChunks([...roundOf.keys()], (ids) =>
    ctx.db.selectFrom('hazards').select(['id', 'code', 'description', 'grade', 'status', 'deadline']).where(hazardScopeWhere<DB, 'hazards'>(a)).where('hazards.id', 'in', ids).execute(),
  );
  const now = ctx.now();
  const periodOfRound = new Map(rounds.map((r) => [r.id, r.period]));
  const hazards = seen
    .sort((x, y) => order.get(roundOf.get(x.id)!)! - order.get(roundOf.get(y.id)!)! || x.code.localeCompare(y.code))
    .map((h) => ({ code: h.code, period: periodOfRound.get(roundOf.get(h.id)!)!, description: h.description, grade: h.grade, status: h.status, deadline: h.deadline, overdue: isOverdue(h, now) }));
  return {
    enterprise: { id: ent.id, name: ent.name, uscc: ent.uscc, place: `${ent.district_name ?? ''}${ent.street_name ?? ''}`, principalName: ent.principal_name },
    quarter: q.quarter,
    start: span.start,
    end: span.due,
    asOf: shanghaiDate(now),
    rounds,
    hazards,
    hidden: roundOf.size - seen.length,
  };
}

function totalsText(s: QuarterlySummary): string {
  const n = (c: Completion) => s.rounds.filter((r) => r.completion === c).length;
  const zero = s.rounds.filter((r) => r.findings === 0).length;
  const found = s.rounds.reduce((sum, r) => sum + (r.findings ?? 0), 0);
  const h = s.hazards;
  const open = h.filter((x) => OPEN_STATUSES.includes(x.status));
  const voided = h.filter((x) => x.status === 'voided').length;
  return (
    `本季度应完成自查${s.rounds.length}次：按时完成${n('on_time')}次，逾期完成${n('late')}次，逾期未完成${n('overdue')}次，尚未到期${n('pending')}次；其中零隐患自查${zero}次。` +
    `自查共发现事故隐患${found}项（其中重大事故隐患${h.filter((x) => x.grade === 'major').length}项），截至${chineseDate(s.asOf)}已整改销号${h.filter((x) => x.status === 'closed').length}项，尚未销号${open.length}项（其中逾期${open.filter((x) => x.overdue).length}项）` +
    `${voided ? `，作废${voided}项` : ''}。`
  );
}

function completionText(r: RoundRow): string {
  return r.submittedAt ? `${COMPLETION_LABELS[r.completion]}（${chineseDate(shanghaiDate(new Date(r.submittedAt)))}提交）` : COMPLETION_LABELS[r.completion];
}

export async function buildQuarterlySummary(ctx: ActorCtx, q: { enterpriseId?: string; quarter: string }): Promise<{ file: Buffer; name: string; summary: QuarterlySummary }> {
  const s = await quarterlySummary(ctx, q);
  const quarterName = periodLabel(s.quarter);
  const e = s.enterprise;
  const doc = new Document({
    creator: 'Zhiben 治本',
    title: `${e.name}${quarterName}事故隐患自查自改汇总表`,
    sections: [
      {
        properties: { page: { margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 } } },
        children: [
          title('事故隐患自查自改季度汇总表'),
          title(`（${quarterName}）`, SIZE.subtitle),
          para(`企业名称：${e.name}`, { indent: false }),
          para(`统一社会信用代码：${e.uscc}`, { indent: false }),
          para(`所在地区：${e.place || '—'}`, { indent: false }),
          para(`主要负责人：${e.principalName}`, { indent: false }),
          para(`汇总期间：${chineseDate(s.start)}至${chineseDate(s.end)}（应完成日期在本季度内的自查）`, { indent: false }),
          para('一、总体情况', { indent: false }),
          para(totalsText(s)),
          para('二、自查完成情况', { indent: false }),
          s.rounds.length
            ? table(
                ['序号', '自查周期', '检查表', '应完成日期', '完成情况', '签字人', '发现隐患（项）'],
                s.rounds.map((r, i) => [i + 1, periodLabel(r.period), r.checklistTitle, chineseDate(r.dueDate), completionText(r), r.signedByName ? `${r.signedByName}（${r.signedByRole ?? ''}）` : '—', r.findings ?? '—']),
              )
            : para('本季度无应完成的自查。'),
          para('三、发现隐患及整改情况', { indent: false }),
          ...(s.hazards.length
            ? [
                table(
                  ['序号', '隐患编号', '自查周期', '隐患描述', '隐患级别', '当前状态', '整改期限'],
                  s.hazards.map((h, i) => [i + 1, h.code, periodLabel(h.period), h.description, GRADE_LABELS[h.grade].zh, `${STATUS_LABELS[h.status].zh}${h.overdue ? '（已逾期）' : ''}`, h.deadline ? chineseDate(h.deadline) : '—']),
                ),
              ]
            : s.hidden
              ? []
              : [para('本季度自查未发现事故隐患。')]),
          ...(s.hidden ? [para(`另有${s.hidden}项隐患已移交其他地区或部门办理，不在当前账号的查看范围内，未列入${s.hazards.length ? '上表及' : ''}状态统计。`)] : []),
          para(`说明：完成情况按提交时间（北京时间）与应完成日期比较；隐患状态为截至${chineseDate(s.asOf)}系统台账的状态。`, { indent: false, size: SIZE.small }),
          para('以上情况属实。'),
          para(''),
          para(`主要负责人（${e.principalName}）签字：＿＿＿＿＿＿＿＿    日期：　　　　年　　月　　日`, { indent: false }),
          para('企业（盖章）', { indent: false }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(`生成日期：${chineseDate(s.asOf)}`, { size: SIZE.small })] }),
        ],
      },
    ],
  });
  return { file: await Packer.toBuffer(doc), name: `${e.name}${quarterName}自查汇总.docx`, summary: s };
}

const COLUMNS = [
  { header: '企业名称', key: 'enterprise', width: 32 },
  { header: '所属区', key: 'district', width: 10 },
  { header: '自查周期', key: 'period', width: 20 },
  { header: '检查表', key: 'checklist', width: 28 },
  { header: '应完成日期', key: 'dueDate', width: 12, date: 'date' },
  { header: '完成情况', key: 'completion', width: 16 },
  { header: '提交时间', key: 'submittedAt', width: 18, date: 'datetime' },
  { header: '签字人', key: 'signedBy', width: 12 },
  { header: '签字人身份', key: 'signedByRole', width: 12 },
  { header: '发现隐患（项）', key: 'findings', width: 10 },
] as const satisfies readonly XlsxColumn[];

export type RoundFilters = Omit<RoundQuery, 'page' | 'pageSize'>;

/**
 * 自查记录导出: reads the rounds the list's filters select (refusing more than `maxRows` before a
 * byte is sent) and answers the writer that streams them to .xlsx, in the list's order.
 */
export async function roundListExport(ctx: ActorCtx, filters: RoundFilters, opts: { maxRows?: number } = {}): Promise<(out: Writable) => Promise<number>> {
  const max = opts.maxRows ?? ROUND_EXPORT_MAX_ROWS;
  const list = await listRounds(ctx, { ...filters, page: 1, pageSize: max });
  if (list.total > max) {
    throw new AppError('EXPORT_TOO_LARGE', `筛选结果共 ${list.total.toLocaleString('zh-CN')} 行，超过单次导出上限 ${max.toLocaleString('zh-CN')} 行，请按区、状态或应完成日期缩小筛选范围后分批导出`, `${list.total} rows selected; an export holds at most ${max}. Narrow the filters.`);
  }
  const rows = await withSignOff(ctx, list.items);
  return async (out) => {
    const xlsx = new XlsxStreamWriter(out, { sheet: '自查记录', columns: COLUMNS, creator: 'Zhiben 治本', now: ctx.now() });
    for (const [i, r] of rows.entries()) {
      xlsx.addRow({
        enterprise: r.enterpriseName,
        district: r.districtName,
        period: periodLabel(r.period),
        checklist: r.checklistTitle,
        dueDate: new Date(`${r.dueDate}T00:00:00Z`),
        completion: COMPLETION_LABELS[r.completion],
        submittedAt: shanghaiWallClock(r.submittedAt),
        signedBy: r.signedByName,
        signedByRole: r.signedByRole,
        findings: r.findings,
      });
      if (i % 1000 === 999) await xlsx.flush();
    }
    const written = await xlsx.finish();
    await transact(ctx, (tx) => audit(tx, { action: 'selfcheck.exported', entityType: 'selfcheck_round', entityId: null, after: { filters, rows: written } }));
    return written;
  };
}
