import { Progress, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Programme } from '../../../shared/contracts/experts';
import { api, ApiError } from '../../api';
import type { ListResult } from '../../api';
import { ChartCard } from '../../components/ChartCard';
import { ErrorState } from '../../components/Feedback';
import { formatDate } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';

/** 啄木鸟覆盖 on a cockpit: each programme of the view's district (or the city's), covered of its targets, and when full coverage comes at the pace so far. */
export function ExpertsCockpitCard({ districtCode }: { districtCode?: string }) {
  const t = useT();
  const list = useAsync((signal) => api.get<ListResult<Programme>>('/api/expert-programmes', undefined, signal), []);
  if (list.error instanceof ApiError && (list.error.status === 403 || list.error.status === 404)) return null;
  const items = (list.data?.items ?? []).filter((p) => !districtCode || p.districtCode === districtCode);
  if (list.data && !items.length) return null;
  return (
    <ChartCard title={t('exp.cockpit.title')} extra={<Link to="/experts">{t('exp.cockpit.open')}</Link>} testId="cockpit-experts">
      {list.error && !list.loading ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        items.map((p) => (
          <div key={p.id} style={{ marginBottom: 12 }} data-testid="exp-cockpit-programme">
            <Link to={`/experts?view=programmes&programme=${encodeURIComponent(p.id)}`}>{p.title}</Link>
            <Progress percent={p.targets ? Math.round((p.covered * 1000) / p.targets) / 10 : 0} size="small" />
            <Typography.Text type="secondary">
              {t('exp.cockpit.covered', { covered: p.covered, targets: p.targets })} ·{' '}
              {p.projectedFullCoverage ? (
                <>
                  {t('exp.cockpit.projected', { date: formatDate(p.projectedFullCoverage) })} <Tag color={p.onTrack ? 'green' : 'red'}>{p.onTrack ? t('exp.prog.onTrack') : t('exp.prog.late')}</Tag>
                </>
              ) : (
                t('exp.prog.projectedNone')
              )}
            </Typography.Text>
          </div>
        ))
      )}
    </ChartCard>
  );
}
