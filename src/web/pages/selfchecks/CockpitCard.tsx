import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { SelfCheckMonth } from '../../../shared/contracts/dashboard';
import { ChartCard } from '../../components/ChartCard';
import { formatPercent } from '../../format';
import { useT } from '../../i18n';

/** 企业自查（本月）on a cockpit: each count opens the round list that totals it (the month's due dates, the view's region or enterprise). */
export function SelfCheckCockpitCard({ figures: f, base }: { figures: SelfCheckMonth; base: { districtCode?: string; departmentId?: string; enterpriseId?: string } }) {
  const t = useT();
  const href = (status?: string) => `/selfchecks?${new URLSearchParams({ ...(status ? { status } : {}), from: f.from, to: f.to, ...base })}`;
  const dueByNow = f.rounds - f.pending;
  const cell = (label: string, value: ReactNode, testId: string) => (
    <div className="zb-sc-figure" data-testid={testId}>
      <div className="zb-figure-label">{label}</div>
      <div className="zb-sc-figure-value">{value}</div>
    </div>
  );
  const link = (n: number, status: string | undefined, testId: string) => (
    <Link to={href(status)} className="zb-count-link" data-testid={testId} data-value={n}>
      {n.toLocaleString('zh-CN')}
    </Link>
  );
  return (
    <ChartCard title={`${t('sc.cockpit.title')} ${f.month}`} testId="cockpit-selfchecks">
      <div className="zb-sc-figures">
        {cell(t('sc.f.enterprises'), f.enterprises.toLocaleString('zh-CN'), 'sc-fig-enterprises')}
        {cell(t('sc.f.rounds'), link(f.rounds, undefined, 'sc-fig-rounds'), 'sc-card-rounds')}
        {cell(t('sc.status.done'), link(f.onTime + f.late, 'done', 'sc-fig-done'), 'sc-card-done')}
        {cell(t('sc.f.overdue'), link(f.overdue, 'overdue', 'sc-fig-overdue'), 'sc-card-overdue')}
        {cell(t('sc.f.coverage'), dueByNow > 0 ? formatPercent(f.onTime / dueByNow) : '—', 'sc-fig-coverage')}
        {cell(t('sc.f.hazards'), f.hazards.toLocaleString('zh-CN'), 'sc-fig-hazards')}
      </div>
    </ChartCard>
  );
}
