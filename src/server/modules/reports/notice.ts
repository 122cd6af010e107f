/**
 * 隐患整改通知书: the notice an office issues to an enterprise for one hazard — issuing office,
 * enterprise, the hazard, the judgement clauses it meets, the deadline and what is required,
 * with a document number. No law article is quoted that the catalogue does not hold.
 */
import { AlignmentType, Document, Packer, Paragraph } from 'docx';
import type { HazardStatus } from '../../../shared/contracts/hazards';
import type { ActorCtx } from '../../context';
import { AppError } from '../../errors/app-error';
import { findDepartment } from '../departments/repository';
import { hazardDetail } from '../hazards/commands';
import { shanghaiDate } from '../hazards/workflow';
import { chineseDate, para, run, SIZE, title } from './docx-kit';

async function issuingOffice(ctx: ActorCtx, districtName: string | null): Promise<string> {
  const a = ctx.actor;
  if (a.role === 'dept_officer' && a.departmentId) return (await findDepartment(ctx.db, a.departmentId))?.name ?? '行业主管部门';
  if (a.role === 'street_officer' && a.streetCode) {
    const s = await ctx.db.selectFrom('regions').select('name').where('code', '=', a.streetCode).executeTakeFirst();
    return `${s?.name ?? ''}安全生产工作机构`;
  }
  if (a.districtCode) {
    const d = await ctx.db.selectFrom('regions').select('name').where('code', '=', a.districtCode).executeTakeFirst();
    return `${d?.name ?? districtName ?? ''}安全生产委员会办公室`;
  }
  return '上海市安全生产委员会办公室';
}

/** Document number from the hazard's code: 〔year〕sequence, prefixed with the office's short name. */
export function documentNumber(code: string, office: string): string {
  const m = /^YH-\d{6}-(\d{4})-(\d+)$/.exec(code);
  const short = office.replace(/(安全生产委员会办公室|安全生产工作机构)$/, '').replace(/^上海市/, '沪') || '沪';
  return m ? `${short}隐改〔${m[1]}〕${Number(m[2])}号` : `${short}隐改〔${code}〕`;
}

/** The statuses in which a hazard is under rectification (整改中, 待验收). */
export const NOTICE_STATUSES: readonly HazardStatus[] = ['rectifying', 'pending_acceptance'];

export async function buildNotice(ctx: ActorCtx, hazardId: string): Promise<{ file: Buffer; name: string }> {
  const h = await hazardDetail(ctx, hazardId);
  // A notice orders a rectification by a deadline: it exists for a hazard under rectification only.
  if (!NOTICE_STATUSES.includes(h.status)) {
    throw new AppError('INVALID_TRANSITION', '只有整改中或待验收的隐患可出具整改通知书（已上报未下达整改、即查即改、已销号或已作废的隐患不出具）', 'A rectification notice is issued only for a hazard under rectification');
  }
  const office = await issuingOffice(ctx, h.districtName);
  const today = shanghaiDate(ctx.now());
  const requirements = [
    h.deadline ? `于${chineseDate(h.deadline)}前完成整改。` : '立即组织整改，并在规定期限内完成。',
    '整改期间采取有效的防范和监控措施，确保安全；无法保证安全的，应当从危险区域内撤出作业人员，暂时停产停业或者停止使用相关设施、设备。',
    h.grade === 'major' ? '制定并落实重大事故隐患治理方案，做到整改措施、责任、资金、时限和预案“五到位”。' : '落实整改责任人，明确整改措施。',
    `整改完成后，将整改情况连同佐证材料书面报告${office}，申请验收。`,
  ];
  const doc = new Document({
    creator: 'Zhiben 治本',
    title: `安全生产事故隐患整改通知书 ${h.code}`,
    sections: [
      {
        properties: { page: { margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 } } },
        children: [
          title(office),
          title('安全生产事故隐患整改通知书', SIZE.title),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 300 }, children: [run(documentNumber(h.code, office), { size: SIZE.body })] }),
          para(`${h.enterpriseName ?? ''}：`, { indent: false }),
          para(`经检查，你单位存在下列${h.grade === 'major' ? '重大' : ''}事故隐患（隐患编号：${h.code}）：`),
          para(`${h.description}${h.location ? `（部位：${h.location}）` : ''}。`),
          ...(h.clauses.length
            ? [para('判定依据：'), ...h.clauses.map((c) => para(`《${c.standardTitle}》${c.no}：${c.text}`))]
            : []),
          para('请你单位按照以下要求限期整改：'),
          ...requirements.map((r, i) => para(`${['一', '二', '三', '四', '五'][i]}、${r}`)),
          para(''),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(`${office}（盖章）`)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(chineseDate(today))] }),
          para(''),
          para(`被检查单位签收：              签收日期：`, { indent: false, size: SIZE.small }),
        ],
      },
    ],
  });
  return { file: await Packer.toBuffer(doc), name: `隐患整改通知书-${h.code}.docx` };
}
