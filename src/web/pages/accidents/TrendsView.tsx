import { Card, Col, Flex, Row, Segmented, Skeleton, Statistic, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { VERDICT_LABELS } from '../../../shared/contracts/accidents';
import { api } from '../../api';
import { Chart } from '../../components/Chart';
import { ChartCard } from '../../components/ChartCard';
import { ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { DistrictSelect } from '../../components/RegionSelects';
import { formatDate, scopeOf } from '../../format';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';
import { useMe } from '../../session';
import { monthlyTrend } from './charts';
import { recentYears, YearSelect } from './fields';
import type { Trends } from './charts';
import { VerdictTag } from './tags';
import './accidents.css';

type Line = Trends['districts'][number];
type Breakdown = 'districts' | 'sections' | 'categories';

/** The registry's list for the compared period, narrowed further by `extra`: the same total as the figure that links to it. */
export function accidentsHref(tr: Pick<Trends, 'from' | 'to'>, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ from: tr.from, to: tr.to });
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return `/accidents?${q.toString()}`;
}

/** 事故趋势: this year against the same period last year — the verdict, by month, by district, industry and category. */
export function TrendsView() {
  const t = useT();
  const me = useMe();
  const { params, set } = useUrlParams();
  const year = params.get('year') ? Number(params.get('year')) : undefined;
  const districtCode = params.get('districtCode') ?? undefined;
  const trends = useAsync((signal) => api.get<Trends>('/api/accidents/trends', { year, districtCode }, signal), [year, districtCode]);
  const tr = trends.data;
  return (
    <>
      <PageHeader
        title={t('acc.tr.title')}
        subTitle={tr ? t('acc.tr.period', { from: formatDate(tr.from), to: formatDate(tr.to), lastYearTo: formatDate(tr.lastYearTo) }) : undefined}
        extra={
          <>
            {scopeOf(me.regionCode).level === 'city' && (
              <div style={{ width: 160 }}>
                <DistrictSelect value={districtCode} onChange={(v) => set({ districtCode: v ?? null })} placeholder={t('acc.tr.wholeCity')} data-testid="acc-tr-district" />
              </div>
            )}
            <YearSelect value={tr?.year ?? year ?? recentYears()[0]} onChange={(v) => set({ year: String(v) })} testId="acc-tr-year" />
          </>
        }
      />
      {trends.error && !trends.loading ? (
        <Card className="zb-card">
          <ErrorState error={trends.error} onRetry={trends.reload} />
        </Card>
      ) : !tr ? (
        <Card className="zb-card">
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      ) : (
        <TrendsBody tr={tr} districtCode={districtCode} />
      )}
    </>
  );
}

function TrendsBody({ tr, districtCode }: { tr: Trends; districtCode?: string }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const [breakdown, setBreakdown] = useState<Breakdown>('districts');
  const chart = useMemo(() => monthlyTrend(t, lang, tr), [t, lang, tr]);
  const { total } = tr;
  const figure = (key: string, title: string, now: number, last: number | null, to?: string) => (
    <Col xs={12} md={6} key={key}>
      <Statistic
        title={title}
        valueRender={() => (to ? <Link to={to} data-testid={`acc-tr-${key}`}>{now.toLocaleString()}</Link> : <span data-testid={`acc-tr-${key}`}>{now.toLocaleString()}</span>)}
      />
      {last !== null && <Typography.Text type="secondary">{t('acc.tr.lastYear', { n: last.toLocaleString() })}</Typography.Text>}
    </Col>
  );
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card className="zb-card" size="small" data-testid="acc-tr-total">
          <Row gutter={[12, 16]} align="middle">
            <Col xs={24} md={6}>
              <Flex vertical gap={4}>
                <Typography.Text type="secondary">{t('acc.tr.verdict')}</Typography.Text>
                <span className="zb-acc-verdict">
                  <VerdictTag verdict={total.verdict} />
                </span>
              </Flex>
            </Col>
            {figure('accidents', t('acc.tr.accidents'), total.accidents, total.lastYear.accidents, accidentsHref(tr, { districtCode }))}
            {figure('deaths', t('acc.tr.deaths'), total.deaths, total.lastYear.deaths)}
            {figure('larger', t('acc.tr.largerOrAbove'), total.largerOrAbove, null)}
          </Row>
        </Card>
      </Col>
      <Col xs={24} xl={13}>
        <ChartCard title={t('acc.tr.monthly')} table={chart.table} testId="acc-tr-chart">
          <Chart option={chart.option} height={phone ? 260 : 340} ariaLabel={t('acc.tr.monthly')} />
        </ChartCard>
      </Col>
      <Col xs={24} xl={11}>
        <ChartCard
          title={
            <span>
              {t('acc.tr.breakdown')} <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>{t('acc.tr.thisLast')}</Typography.Text>
            </span>
          }
          table={breakdownTable(t, lang, tr, breakdown)}
          extra={
            <Segmented<Breakdown>
              size="small"
              value={breakdown}
              onChange={setBreakdown}
              options={(['districts', 'sections', 'categories'] as const).map((b) => ({ value: b, label: t(`acc.tr.by.${b}`) }))}
              data-testid="acc-tr-breakdown"
            />
          }
          testId="acc-tr-table-card"
        >
          <TrendTable tr={tr} rows={tr[breakdown]} breakdown={breakdown} districtCode={districtCode} />
        </ChartCard>
      </Col>
    </Row>
  );
}

/** Each line this year against last, with its verdict; a district's or a category's count opens the list behind it. */
function TrendTable({ tr, rows, breakdown, districtCode }: { tr: Trends; rows: Line[]; breakdown: Breakdown; districtCode?: string }) {
  const t = useT();
  const linkOf = (r: Line) =>
    breakdown === 'districts' ? accidentsHref(tr, { districtCode: r.key }) : breakdown === 'categories' ? accidentsHref(tr, { districtCode, category: r.key }) : null;
  const columns: TableColumnsType<Line> = [
    { key: 'name', title: t(`acc.tr.by.${breakdown}`), dataIndex: 'name', render: (v: string) => <span className="zb-nowrap">{v}</span> },
    {
      key: 'accidents',
      title: <Tooltip title={t('acc.tr.thisLast')}>{t('acc.tr.col.accidents')}</Tooltip>,
      align: 'right',
      sorter: (a, b) => a.accidents - b.accidents,
      render: (_, r) => {
        const to = linkOf(r);
        return (
          <span className="zb-nowrap">
            {to && r.accidents ? <Link to={to}>{r.accidents}</Link> : r.accidents} <Typography.Text type="secondary">/ {r.lastYear.accidents}</Typography.Text>
          </span>
        );
      },
    },
    {
      key: 'deaths',
      title: <Tooltip title={t('acc.tr.thisLast')}>{t('acc.tr.col.deaths')}</Tooltip>,
      align: 'right',
      sorter: (a, b) => a.deaths - b.deaths,
      render: (_, r) => (
        <span className="zb-nowrap">
          {r.deaths} <Typography.Text type="secondary">/ {r.lastYear.deaths}</Typography.Text>
        </span>
      ),
    },
    { key: 'verdict', title: t('acc.tr.col.verdict'), render: (_, r) => <VerdictTag verdict={r.verdict} /> },
  ];
  return <Table<Line> rowKey="key" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content', y: 420 }} locale={{ emptyText: t('acc.tr.none') }} data-testid={`acc-tr-${breakdown}`} />;
}

function breakdownTable(t: Translate, lang: Lang, tr: Trends, breakdown: Breakdown) {
  return {
    fileName: `${t('acc.tr.fileName', { year: tr.year })}-${t(`acc.tr.by.${breakdown}`)}`,
    rows: [
      [t(`acc.tr.by.${breakdown}`), t('acc.tr.seriesAccidents', { year: tr.year }), t('acc.tr.seriesAccidents', { year: tr.year - 1 }), t('acc.tr.seriesDeaths', { year: tr.year }), t('acc.tr.seriesDeaths', { year: tr.year - 1 }), t('acc.tr.col.verdict')],
      ...tr[breakdown].map((r) => [r.name, r.accidents, r.lastYear.accidents, r.deaths, r.lastYear.deaths, pick(lang, VERDICT_LABELS[r.verdict])]),
    ],
  };
}
