import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Bulletin } from '../../../shared/contracts/enforcement';
import { api, ApiError } from '../../api';
import { ChartCard } from '../../components/ChartCard';
import { ErrorState } from '../../components/Feedback';
import { useAsync } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { currentQuarter } from './access';
import { yuanText } from './tags';
import { bulletinLinks, enforcementHref } from './viewParams';

/** 执法检查（本季度）on a cockpit: the quarter's inspections, findings and cases of the view's scope, each count opening its list, and the bulletin. */
export function EnforcementCockpitCard({ districtCode }: { districtCode?: string }) {
  const t = useT();
  const { lang } = useLang();
  const quarter = currentQuarter();
  const stats = useAsync((signal) => api.get<Bulletin>('/api/enforcement/stats', { quarter, districtCode }, signal), [quarter, districtCode]);
  // A role the bulletin is not for sees no card rather than a refusal.
  if (stats.error instanceof ApiError && (stats.error.status === 403 || stats.error.status === 404)) return null;
  const f = stats.data?.totals;
  const links = stats.data ? bulletinLinks(stats.data) : null;
  const cell = (label: string, value: ReactNode, testId: string) => (
    <div className="zb-sc-figure" data-testid={testId}>
      <div className="zb-figure-label">{label}</div>
      <div className="zb-sc-figure-value">{value}</div>
    </div>
  );
  const link = (n: number, to: string, testId: string) => (
    <Link to={to} className="zb-count-link" data-testid={testId} data-value={n}>
      {n.toLocaleString('zh-CN')}
    </Link>
  );
  return (
    <ChartCard
      title={`${t('enf.cockpit.title')} ${quarter}`}
      extra={<Link to={enforcementHref('bulletin', { quarter, districtCode })} data-testid="enf-cockpit-bulletin">{t('enf.cockpit.bulletin')}</Link>}
      testId="cockpit-enforcement"
    >
      {stats.error && !stats.loading ? (
        <ErrorState error={stats.error} onRetry={stats.reload} />
      ) : (
        f &&
        links && (
          <div className="zb-sc-figures">
            {cell(t('enf.bul.inspections'), link(f.inspections, links.inspections, 'enf-fig-inspections'), 'enf-card-inspections')}
            {cell(t('enf.bul.unannounced'), link(f.unannounced, links.unannounced, 'enf-fig-unannounced'), 'enf-card-unannounced')}
            {cell(t('enf.bul.hazards'), link(f.hazards, links.hazards, 'enf-fig-hazards'), 'enf-card-hazards')}
            {cell(t('enf.bul.major'), link(f.majorHazards, links.majorHazards, 'enf-fig-major'), 'enf-card-major')}
            {cell(t('enf.bul.cases'), link(f.cases, links.cases, 'enf-fig-cases'), 'enf-card-cases')}
            {cell(t('enf.bul.fines'), yuanText(f.fineYuan, lang), 'enf-fig-fines')}
          </div>
        )
      )}
    </ChartCard>
  );
}
