import { Col, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { ChartCard } from '../../components/ChartCard';
import { ErrorState } from '../../components/Feedback';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { hasAccidents } from './access';
import type { Trends } from './charts';
import { VerdictTag } from './tags';
import { accidentsHref } from './TrendsView';

/** 事故 on a cockpit: this year's accidents and deaths against the same period last year (the server's year and day), the verdict, the larger-or-above count. */
export function AccidentsCockpitCard({ districtCode }: { districtCode?: string }) {
  const me = useMe();
  return hasAccidents(me) ? <AccidentFigures districtCode={districtCode} /> : null;
}

function AccidentFigures({ districtCode }: { districtCode?: string }) {
  const t = useT();
  const trends = useAsync((signal) => api.get<Trends>('/api/accidents/trends', { districtCode }, signal), [districtCode]);
  const tr = trends.data;
  const trendsHref = `/accidents?${new URLSearchParams({ view: 'trends', ...(districtCode ? { districtCode } : {}) }).toString()}`;
  return (
    <ChartCard
      title={tr ? t('acc.cockpit.title', { year: tr.year }) : t('nav.accidents')}
      extra={<Link to={trendsHref}>{t('acc.cockpit.open')}</Link>}
      testId="cockpit-accidents"
    >
      {trends.error && !trends.loading ? (
        <ErrorState error={trends.error} onRetry={trends.reload} />
      ) : (
        <Row gutter={[12, 16]}>
          <Col xs={12} md={6}>
            <Statistic title={t('acc.tr.verdict')} loading={!tr} valueRender={() => tr && <span className="zb-acc-verdict"><VerdictTag verdict={tr.total.verdict} /></span>} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('acc.tr.accidents')}
              loading={!tr}
              valueRender={() => tr && <Link to={accidentsHref(tr, { districtCode })} data-testid="cockpit-accidents-count">{tr.total.accidents.toLocaleString()}</Link>}
            />
            {tr && <Typography.Text type="secondary">{t('acc.tr.lastYear', { n: tr.total.lastYear.accidents.toLocaleString() })}</Typography.Text>}
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('acc.tr.deaths')} loading={!tr} value={tr?.total.deaths} />
            {tr && <Typography.Text type="secondary">{t('acc.tr.lastYear', { n: tr.total.lastYear.deaths.toLocaleString() })}</Typography.Text>}
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('acc.tr.largerOrAbove')} loading={!tr} value={tr?.total.largerOrAbove} styles={{ content: tr?.total.largerOrAbove ? { color: '#cf1322' } : undefined }} />
          </Col>
        </Row>
      )}
    </ChartCard>
  );
}
