import { PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Segmented, Skeleton, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { STOCK_LABELS } from '../../../shared/contracts/dashboard';
import type { DashboardView, Figure } from '../../../shared/contracts/dashboard';
import { api } from '../../api';
import { Chart } from '../../components/Chart';
import { ChartCard } from '../../components/ChartCard';
import type { ChartTable } from '../../components/ChartCard';
import { ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { formatCount, formatDateTime } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Translate } from '../../i18n';
import { useMe } from '../../session';
import { cockpitPath } from './access';
import { gradeChart, SECTION_ROW_HEIGHT, sectionChart, sourceChart, stockChart, trendChart } from './charts';
import { Change, CountLink, FigureCard, ledgerHref, Missing, Rate } from './figures';
import { EnforcementCockpitCard } from '../enforcement/CockpitCard';
import { ExpertsCockpitCard } from '../experts/CockpitCard';
import { PlanCockpitCard } from '../plan/CockpitCard';
import { AccidentsCockpitCard } from '../accidents/CockpitCard';
import { TipsCockpitCard } from '../tips/CockpitCard';
import { SelfCheckCockpitCard } from '../selfchecks/CockpitCard';
import { BreakdownTable, overdueRate, WorstEnterprisesTable } from './tables';
import type { MapMetric } from './tables';

const DistrictMap = lazy(() => import('./DistrictMap'));

type CockpitKind = 'city' | 'district' | 'department';

function endpoint(kind: CockpitKind, params: { code?: string; id?: string }): string {
  if (kind === 'city') return '/api/dashboard/city';
  if (kind === 'district') return `/api/dashboard/districts/${encodeURIComponent(params.code ?? '')}`;
  return `/api/dashboard/departments/${encodeURIComponent(params.id ?? '')}`;
}

/** The header of every cockpit: name, time of the figures, reload and print; back to one's own cockpit from another. */
function CockpitHeader({ title, asOf, onReload, loading }: { title: string; asOf?: string; onReload: () => void; loading: boolean }) {
  const t = useT();
  const me = useMe();
  const home = cockpitPath(me);
  const { pathname } = useLocation();
  return (
    <PageHeader
      title={title}
      subTitle={asOf ? t('ck.asOf', { time: formatDateTime(asOf) }) : undefined}
      backTo={home && home !== pathname ? home : undefined}
      extra={
        <span className="zb-no-print zb-header-actions">
          <Button icon={<ReloadOutlined />} onClick={onReload} loading={loading} aria-label={t('common.reload')} title={t('common.reload')} />
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="cockpit-print">
            {t('ck.print')}
          </Button>
        </span>
      }
    />
  );
}

/** Grey blocks where the figures and charts will be, instead of a blank page. */
function CockpitSkeleton({ cards = 10 }: { cards?: number }) {
  return (
    <div data-testid="cockpit-loading">
      <div className="zb-figures">
        {Array.from({ length: cards }, (_, i) => (
          <Card key={i} size="small" className="zb-card zb-figure">
            <Skeleton active title={false} paragraph={{ rows: 2, width: ['60%', '40%'] }} />
          </Card>
        ))}
      </div>
      <Row gutter={[16, 16]}>
        {[0, 1].map((i) => (
          <Col xs={24} lg={12} key={i}>
            <Card className="zb-card">
              <Skeleton active paragraph={{ rows: 8 }} />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}

/** 驾驶舱 of the city, a district (or a street, for its officers) or a department. */
export default function CockpitPage({ kind }: { kind: CockpitKind }) {
  const url = endpoint(kind, useParams());
  // Another view is another page: nothing of the previous one shows while the next loads.
  return <CockpitFrame<DashboardView> key={url} url={url} nameOf={(v) => v.name} body={(v) => <ViewBody view={v} />} />;
}

/** A cockpit page: its header, then grey blocks while the figures load, the error if they fail, or the body. */
export function CockpitFrame<T extends { asOf: string }>({
  url,
  nameOf,
  body,
  cards,
}: {
  url: string;
  nameOf: (view: T) => string;
  body: (view: T) => ReactNode;
  /** how many figure cards the body shows */
  cards?: number;
}) {
  const t = useT();
  const view = useAsync((signal) => api.get<T>(url, undefined, signal), [url]);
  const v = view.data && !view.error ? view.data : undefined;
  return (
    <div className="zb-page zb-cockpit" data-testid="cockpit">
      <CockpitHeader title={v ? t('ck.titleOf', { name: nameOf(v) }) : t('nav.cockpit')} asOf={v?.asOf} onReload={view.reload} loading={view.loading && !!v} />
      {view.error ? <ErrorState error={view.error} onRetry={view.reload} /> : v ? body(v) : <CockpitSkeleton cards={cards} />}
    </div>
  );
}

function ViewBody({ view }: { view: DashboardView }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const [metric, setMetric] = useState<MapMetric>('openMajor');
  const ctx = useMemo(() => ({ t, lang, name: view.name, month: view.month }), [t, lang, view.name, view.month]);
  const charts = useMemo(
    () => ({
      stock: stockChart(ctx, view),
      trend: trendChart(ctx, view),
      grade: gradeChart(ctx, view),
      source: view.bySource && sourceChart(ctx, view, view.bySource),
      section: view.bySection && sectionChart(ctx, view.bySection),
    }),
    [ctx, view],
  );
  const chartHeight = phone ? 260 : 320;
  const openDistrict = (code: string) => navigate(`/cockpit/districts/${code}`);
  const isCity = view.level === 'city';

  const blocks: Block[] = [];
  if (view.byDistrict && isCity) {
    // The map and the ranking beside it, coloured and sorted by the same figure.
    const table = breakdownTable(t, view, view.byDistrict, 'district');
    const mapHeight = phone ? 340 : 460;
    blocks.push(
      {
        key: 'map',
        node: (
          <ChartCard
            title={t('ck.map')}
            table={table}
            testId="map-card"
            extra={
              <Segmented<MapMetric>
                size="small"
                value={metric}
                onChange={setMetric}
                options={[
                  { value: 'openMajor', label: t('ck.openMajor') },
                  { value: 'overdueRate', label: t('ck.overdueRate') },
                ]}
                aria-label={t('ck.colorBy')}
                className="zb-no-print"
                data-testid="map-metric"
              />
            }
          >
            <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: mapHeight }} />}>
              <DistrictMap districts={view.byDistrict} metric={metric} height={mapHeight} onPick={openDistrict} />
            </Suspense>
          </ChartCard>
        ),
      },
      {
        key: 'ranking',
        node: (
          <ChartCard title={t('ck.ranking')} table={table} testId="district-ranking">
            <BreakdownTable
              rows={view.byDistrict}
              view={view}
              area="district"
              metric={metric}
              cockpitOf={(code) => `/cockpit/districts/${code}`}
              onPick={openDistrict}
              testId="district-table"
            />
          </ChartCard>
        ),
      },
    );
  }
  // A department's districts, or a district's streets: the figures by area, without a map.
  const areas = [
    { area: 'district' as const, rows: isCity ? undefined : view.byDistrict, title: t('ck.districts') },
    { area: 'street' as const, rows: view.byStreet, title: t('ck.streets') },
  ];
  for (const { area, rows, title } of areas) {
    if (!rows) continue;
    blocks.push({
      key: area,
      node: (
        <ChartCard title={title} table={breakdownTable(t, view, rows, area)} testId={`${area}-breakdown`}>
          <BreakdownTable rows={rows} view={view} area={area} testId={`${area}-table`} />
        </ChartCard>
      ),
    });
  }
  blocks.push({ key: 'selfchecks', node: <SelfCheckCockpitCard figures={view.selfChecks} base={{ ...(view.base.districtCode ? { districtCode: view.base.districtCode } : {}), ...(view.base.departmentId ? { departmentId: view.base.departmentId } : {}) }} /> });
  // The bulletin has a city's and a district's figures, not a department's or a street's.
  if (!view.base.departmentId && !view.base.streetCode) blocks.push({ key: 'enforcement', node: <EnforcementCockpitCard districtCode={view.base.districtCode} /> });
  if (!view.base.departmentId && !view.base.streetCode) blocks.push({ key: 'experts', node: <ExpertsCockpitCard districtCode={view.base.districtCode} /> });
  if (!view.base.departmentId && !view.base.streetCode) blocks.push({ key: 'tips', node: <TipsCockpitCard districtCode={view.base.districtCode} /> });
  if (!view.base.departmentId && !view.base.streetCode) blocks.push({ key: 'plan', node: <PlanCockpitCard districtCode={view.base.districtCode} /> });
  if (!view.base.departmentId && !view.base.streetCode) blocks.push({ key: 'accidents', node: <AccidentsCockpitCard districtCode={view.base.districtCode} /> });
  if (view.worstEnterprises) {
    blocks.push({
      key: 'worst',
      node: (
        <ChartCard title={t('ck.worst')}>
          {view.worstEnterprises.length ? (
            <WorstEnterprisesTable view={view} rows={view.worstEnterprises} />
          ) : (
            <Typography.Text type="secondary">{t('ck.noOpen')}</Typography.Text>
          )}
        </ChartCard>
      ),
    });
  }
  blocks.push(
    {
      key: 'stock',
      node: (
        <ChartCard title={t('ck.stock')} table={charts.stock.table} testId="chart-stock">
          <Chart option={charts.stock.option} height={chartHeight} ariaLabel={t('ck.stock')} />
          <StockFigures view={view} />
        </ChartCard>
      ),
    },
    {
      key: 'trend',
      node: (
        <ChartCard title={t('ck.trend')} table={charts.trend.table} testId="chart-trend">
          <Chart option={charts.trend.option} height={chartHeight} ariaLabel={t('ck.trend')} />
        </ChartCard>
      ),
    },
    {
      key: 'grade',
      node: (
        <ChartCard title={t('ck.byGrade')} table={charts.grade.table} testId="chart-grade">
          <Chart option={charts.grade.option} height={chartHeight} ariaLabel={t('ck.byGrade')} />
        </ChartCard>
      ),
    },
  );
  if (charts.source) {
    blocks.push({
      key: 'source',
      node: (
        <ChartCard title={t('ck.bySource')} table={charts.source.table} testId="chart-source">
          <Chart option={charts.source.option} height={chartHeight} ariaLabel={t('ck.bySource')} />
        </ChartCard>
      ),
    });
  }
  if (charts.section && view.bySection) {
    blocks.push({
      key: 'section',
      full: true,
      node: (
        <ChartCard title={t('ck.bySection')} table={charts.section.table} testId="chart-section">
          <Chart option={charts.section.option} height={Math.max(160, view.bySection.length * SECTION_ROW_HEIGHT + 48)} ariaLabel={t('ck.bySection')} />
        </ChartCard>
      ),
    });
  }
  // Figures this view does not keep: said once, instead of empty charts.
  const missing = [!view.bySource && t('ck.bySourceNone'), !view.bySection && t('ck.bySectionNone')].filter((s): s is string => !!s);

  return (
    <>
      <Headline view={view} />
      <Row gutter={[16, 16]}>
        {withSpans(blocks).map((b) => (
          <Col key={b.key} xs={24} lg={b.span}>
            {b.node}
          </Col>
        ))}
      </Row>
      {missing.length > 0 && <Alert className="zb-cockpit-note" type="info" showIcon title={missing.join(' ')} data-testid="cockpit-missing" />}
    </>
  );
}

interface Block {
  key: string;
  node: ReactNode;
  /** always the whole width */
  full?: boolean;
}

/** Two blocks a row on a wide screen; one left alone in its row takes the whole width. */
function withSpans(blocks: Block[]): (Block & { span: number })[] {
  const out = blocks.map((b) => ({ ...b, span: b.full ? 24 : 12 }));
  let run = 0;
  out.forEach((b, i) => {
    if (b.span === 12) run += 1;
    const runEnds = i === out.length - 1 || out[i + 1].span === 24;
    if (b.span === 12 && runEnds && run % 2 === 1) b.span = 24;
    if (runEnds || b.span === 24) run = 0;
  });
  return out;
}

function breakdownTable(t: Translate, view: DashboardView, rows: NonNullable<DashboardView['byDistrict']>, area: 'district' | 'street'): ChartTable {
  return {
    fileName: `${view.name}-${area === 'district' ? t('ck.districts') : t('ck.streets')}-${view.month}`,
    rows: [
      [area === 'district' ? t('ent.district') : t('ent.street'), t('ck.colOpen'), t('ck.colMajor'), t('ck.colOverdue'), t('ck.overdueMajor'), t('ck.overdueRate')],
      ...rows.map((d) => [d.name, d.open, d.openMajor, d.overdue, d.overdueMajor, overdueRate(d)]),
    ],
  };
}

/** What is open now in each stock group (each a link), and the target of the oldest. */
function StockFigures({ view }: { view: DashboardView }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <div className="zb-stock-figures">
      {view.stock.groups.map((g) => {
        const label = STOCK_LABELS[g.key];
        return (
          <div key={g.key} className="zb-stock-figure">
            <span className="zb-muted">{pick(lang, label)}</span> <CountLink n={g.open} to={ledgerHref(g.key, view.base, view.month)} testId={`stock-${g.key}`} />
            {label.target && <span className={g.open > 0 ? 'zb-stock-target zb-stock-target-missed' : 'zb-stock-target'}>{t('ck.stockTarget', { date: label.target })}</span>}
          </div>
        );
      })}
    </div>
  );
}

/** The headline figures: each count opens the ledger that lists it. */
function Headline({ view }: { view: DashboardView }) {
  const t = useT();
  const { lang } = useLang();
  const { totals, rates, supervision, lastMonth } = view;
  const link = (figure: Figure, n: number) => <CountLink n={n} to={ledgerHref(figure, view.base, view.month)} testId={`figure-${figure}`} />;
  const sub = (label: string, figure: Figure, n: number): ReactNode => (
    <>
      {label} {link(figure, n)}
    </>
  );
  return (
    <div className="zb-figures" data-testid="cockpit-figures">
      <FigureCard label={t('ck.open')} value={link('open', totals.open)} foot={<Change now={totals.open} before={lastMonth.open} />} testId="card-open" />
      <FigureCard
        label={t('ck.openMajor')}
        hint={t('ck.openMajorHint')}
        tone={totals.openMajor > 0 ? 'alert' : undefined}
        value={link('openMajor', totals.openMajor)}
        foot={<Change now={totals.openMajor} before={lastMonth.openMajor} />}
        testId="card-openMajor"
      />
      <FigureCard
        label={t('ck.overdue')}
        tone={totals.overdue > 0 ? 'alert' : undefined}
        value={link('overdue', totals.overdue)}
        foot={
          <>
            {t('ck.overdueRate')} <Rate value={rates.overdueRate} why={t('ck.nullRate')} /> · {sub(t('ck.ofWhichMajor'), 'overdueMajor', totals.overdueMajor)}
          </>
        }
        testId="card-overdue"
      />
      <FigureCard label={t('ck.closedThisMonth')} value={link('closedThisMonth', totals.closedThisMonth)} foot={view.month} testId="card-closed" />
      <FigureCard label={t('ck.foundThisMonth')} value={link('foundThisMonth', totals.foundThisMonth)} foot={view.month} testId="card-found" />
      <FigureCard label={t('ck.closureRate')} hint={t('ck.closureRateHint')} value={<Rate value={rates.closureRate} why={t('ck.nullRate')} />} testId="card-closure" />
      <FigureCard
        label={t('ck.medianDays')}
        hint={t('ck.medianHint')}
        value={rates.medianDaysToClose === null ? <Missing why={t('ck.nullMedian')} /> : t('ck.days', { n: formatCount(rates.medianDaysToClose, lang) })}
        testId="card-median"
      />
      <FigureCard
        label={t('ck.onSpotShare')}
        hint={t('ck.onSpotHint')}
        value={<Rate value={rates.fixedOnSpotShare} why={t('ck.nullRate')} />}
        foot={<Link to={ledgerHref('onSpotThisYear', view.base, view.month)}>{t('ck.onSpotLedger')}</Link>}
        testId="card-onspot"
      />
      <FigureCard
        label={t('ck.supCity')}
        value={link('supervisedCity', supervision.city.open)}
        foot={sub(t('ck.ofWhichOverdue'), 'supervisedCityOverdue', supervision.city.overdue)}
        testId="card-sup-city"
      />
      <FigureCard
        label={t('ck.supDistrict')}
        value={link('supervisedDistrict', supervision.district.open)}
        foot={sub(t('ck.ofWhichOverdue'), 'supervisedDistrictOverdue', supervision.district.overdue)}
        testId="card-sup-district"
      />
    </div>
  );
}
