/**
 * 专家检查报告 (#16): what an expert visit found and advised, in the typography of the other official
 * documents — the enterprise, the window, the experts, the findings on the ledger (no deadlines: the
 * district orders the rectification) and the advice, with the experts' signature lines.
 */
import type { VisitDetail } from '../../../shared/contracts/experts';
import type { ActorCtx } from '../../context';
import { AppError } from '../../errors/app-error';
import { chineseDate, field, findingsTable, heading, line, officialDocx, para, title } from '../reports/docx-kit';
import { findRegion } from '../regions/repository';
import { visitDetail } from './visits';

const BLANK_DATE = '      年    月    日';

export async function expertReportDocx(v: VisitDetail, o: { districtName: string; enterprise: { uscc: string; address: string; principalName: string } }): Promise<Buffer> {
  return officialDocx(`专家检查报告 ${v.code}`, [
    {
      children: [
        title(`${o.districtName}“啄木鸟”专家检查报告`),
        para(`编号：${v.code}`, { indent: false, alignment: 'center' }),
        field('受检单位', v.enterpriseName),
        field('统一社会信用代码', o.enterprise.uscc),
        field('地址', o.enterprise.address || '—'),
        field('主要负责人', o.enterprise.principalName),
        field('所属计划', v.programmeTitle),
        field('检查期限', `${chineseDate(v.from)}至${chineseDate(v.to)}`),
        field('检查专家', v.expertNames.join('、')),
        ...(v.submittedAt ? [field('报告提交时间', chineseDate(v.submittedAt.slice(0, 10)))] : []),
        heading('发现的事故隐患：'),
        v.findingsList.length ? findingsTable(v.findingsList, { deadlines: false }) : para('本次检查未发现事故隐患。'),
        heading('帮扶建议：'),
        para(v.advice || '无。'),
        para(''),
        ...v.expertNames.map((name) => line(`检查专家：${name}    签字：              ${BLANK_DATE}`)),
        line(`受检单位负责人签字：              ${BLANK_DATE}`),
      ],
    },
  ]);
}

/** The report of a submitted visit, read under the caller's scope and named for download. */
export async function expertReportFile(ctx: ActorCtx, id: string) {
  const v = await visitDetail(ctx, id);
  if (v.status !== 'submitted') throw new AppError('INVALID_TRANSITION', '专家提交报告后才能下载检查报告', 'The report exists once submitted');
  const e = await ctx.db.selectFrom('enterprises').select(['uscc', 'address', 'principal_name']).where('id', '=', v.enterpriseId).executeTakeFirstOrThrow();
  const districtName = (await findRegion(ctx.db, v.districtCode))?.name ?? v.districtCode;
  const file = await expertReportDocx(v, { districtName, enterprise: { uscc: e.uscc, address: e.address, principalName: e.principal_name } });
  return { file, ascii: `expert-report-${v.code}.docx`, name: `专家检查报告-${v.code}.docx` };
}
