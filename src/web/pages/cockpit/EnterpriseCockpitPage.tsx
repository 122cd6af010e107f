import { Col, Row, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { EnterpriseDashboard } from '../../../shared/contracts/dashboard';
import { HAZARD_STATUSES, OPEN_STATUSES } from '../../../shared/contracts/hazards';
import type { HazardStatus } from '../../../shared/contracts/hazards';
import { Chart } from '../../components/Chart';
import { ChartCard } from '../../components/ChartCard';
import { Clip } from '../../components/Clip';
import { useIsPhone } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { GradeTag, OverdueTag, StatusTag } from '../hazards/HazardTags';
import { historyChart } from './charts';
import { CockpitFrame } from './CockpitPage';
import { CountLink, FigureCard, ledgerHref } from './figures';
import { SelfCheckCockpitCard } from '../selfchecks/CockpitCard';

type Upcoming = EnterpriseDashboard['upcoming'][number];

const DUE_SOON_DAYS = 7;

/** The day `days` after a YYYY-MM-DD date. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 企业驾驶舱: an enterprise's own hazards — what is open, what is due, what is late, and its year. */
export default function EnterpriseCockpitPage() {
  const { id = '' } = useParams();
  const url = `/api/dashboard/enterprises/${encodeURIComponent(id)}`;
  return (
    <CockpitFrame<EnterpriseDashboard> key={url} url={url} nameOf={(v) => v.enterprise.name} body={(v) => <EnterpriseBody view={v} />} cards={6} />
  );
}

function EnterpriseBody({ view }: { view: EnterpriseDashboard }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { totals, enterprise } = view;
  const month = view.today.slice(0, 7);
  const base = { enterpriseId: enterprise.id };
  // The ledger behind each total: the shared figure filters where there is one, else the same
  // selection the server counts (closed; found = everything but voided; due within seven days).
  const links = {
    open: ledgerHref('open', base, month),
    openMajor: ledgerHref('openMajor', base, month),
    overdue: ledgerHref('overdue', base, month),
    dueSoon: `/hazards?${new URLSearchParams({ ...base, status: OPEN_STATUSES.join(','), deadlineFrom: view.today, deadlineTo: addDays(view.today, DUE_SOON_DAYS) })}`,
    closed: `/hazards?${new URLSearchParams({ ...base, status: 'closed' })}`,
    found: `/hazards?${new URLSearchParams({ ...base, status: HAZARD_STATUSES.filter((st) => st !== 'voided').join(',') })}`,
  };
  const history = useMemo(() => historyChart({ t, lang, name: enterprise.name, month }, view.history), [t, lang, enterprise.name, month, view.history]);

  const columns: TableColumnsType<Upcoming> = [
    {
      key: 'code',
      title: t('hz.code'),
      dataIndex: 'code',
      render: (code: string, h) => (
        <Link to={`/hazards/${encodeURIComponent(h.id)}`} className="zb-hazard-code">
          {code}
        </Link>
      ),
    },
    { key: 'description', title: t('hz.description'), dataIndex: 'description', render: (d: string) => <Clip text={d} /> },
    { key: 'grade', title: t('hz.grade'), dataIndex: 'grade', render: (g: Upcoming['grade']) => <GradeTag value={g} /> },
    {
      key: 'status',
      title: t('hz.status'),
      dataIndex: 'status',
      render: (s: string, h) => (
        <span className="zb-tags">
          <StatusTag value={s as HazardStatus} />
          <OverdueTag overdue={h.overdue} />
        </span>
      ),
    },
    { key: 'deadline', title: t('hz.deadline'), dataIndex: 'deadline', render: (d: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{d ?? '—'}</span> },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary" className="zb-cockpit-sub">
        {enterprise.districtName ?? enterprise.districtCode} · <Link to={`/enterprises/${encodeURIComponent(enterprise.id)}`}>{t('ck.enterpriseRecord')}</Link>
      </Typography.Paragraph>
      <div className="zb-figures zb-figures-6" data-testid="cockpit-figures">
        <FigureCard label={t('ck.open')} value={<CountLink n={totals.open} to={links.open} testId="figure-open" />} testId="card-open" />
        <FigureCard
          label={t('ck.openMajor')}
          hint={t('ck.openMajorHint')}
          tone={totals.openMajor > 0 ? 'alert' : undefined}
          value={<CountLink n={totals.openMajor} to={links.openMajor} testId="figure-openMajor" />}
          testId="card-openMajor"
        />
        <FigureCard
          label={t('ck.overdue')}
          tone={totals.overdue > 0 ? 'alert' : undefined}
          value={<CountLink n={totals.overdue} to={links.overdue} testId="figure-overdue" />}
          testId="card-overdue"
        />
        <FigureCard label={t('ck.dueSoon')} value={<CountLink n={totals.dueSoon} to={links.dueSoon} testId="figure-dueSoon" />} testId="card-dueSoon" />
        <FigureCard label={t('ck.closedAll')} value={<CountLink n={totals.closed} to={links.closed} testId="figure-closed" />} testId="card-closed" />
        <FigureCard label={t('ck.foundAll')} hint={t('ck.foundAllHint')} value={<CountLink n={totals.found} to={links.found} testId="figure-found" />} testId="card-found" />
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <ChartCard
            title={t('ck.upcoming')}
            extra={totals.open > view.upcoming.length && <Link to={links.open}>{t('hz.enterpriseHazardsAll', { total: totals.open })}</Link>}
          >
            <Table<Upcoming>
              rowKey="id"
              columns={columns}
              dataSource={view.upcoming}
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('ck.noOpen') }}
              data-testid="upcoming"
            />
          </ChartCard>
        </Col>
        <Col xs={24}>
          <SelfCheckCockpitCard figures={view.selfChecks} base={{ enterpriseId: enterprise.id }} />
        </Col>
        <Col xs={24}>
          <ChartCard title={t('ck.history')} table={history.table} testId="chart-history">
            <Chart option={history.option} height={phone ? 260 : 320} ariaLabel={t('ck.history')} />
          </ChartCard>
        </Col>
      </Row>
    </>
  );
}
