import { Card, DatePicker, Empty, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import type { Bulletin, BulletinFigures } from '../../../shared/contracts/enforcement';
import { api } from '../../api';
import { DocButton } from '../../components/DocButton';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { DistrictSelect } from '../../components/RegionSelects';
import { formatDate, formatPercent, scopeOf } from '../../format';
import { useAsync } from '../../hooks';
import { useLang, useT } from '../../i18n';
import type { Translate } from '../../i18n';
import { useMe } from '../../session';
import { CountLink, FigureCard, Rate } from '../cockpit/figures';
import { currentQuarter } from './access';
import { yuanText } from './tags';
import type { ViewProps } from './viewParams';
import { bulletinLinks } from './viewParams';

type Row = Bulletin['rows'][number];
/** 2026Q4 as a day of that quarter, for the quarter picker, and back. */
const quarterDay = (q: string) => dayjs(`${q.slice(0, 4)}-${String((Number(q.slice(5)) - 1) * 3 + 1).padStart(2, '0')}-01`);
const dayQuarter = (d: dayjs.Dayjs) => `${d.year()}Q${Math.floor(d.month() / 3) + 1}`;

function changeText(f: BulletinFigures, t: Translate): string {
  if (f.change === null) return t('enf.bul.noLastYear', { n: f.inspectionsLastYear });
  const pct = `${f.change > 0 ? '+' : f.change < 0 ? '−' : ''}${formatPercent(Math.abs(f.change))}`;
  return t('enf.bul.change', { pct, n: f.inspectionsLastYear });
}

/** 季度执法通报: the quarter's figures for the scope, by district, each count opening the list it totals; and as .docx. */
export function BulletinView({ params, set }: ViewProps) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const scope = scopeOf(me.regionCode);
  const quarter = params.get('quarter') ?? currentQuarter();
  const districtCode = params.get('districtCode') ?? scope.districtCode;
  const bulletin = useAsync((signal) => api.get<Bulletin>('/api/enforcement/stats', { quarter, districtCode }, signal), [quarter, districtCode]);
  const b = bulletin.data;
  const noRate = t('enf.bul.noRate');
  const share = (n: number, of: number) => (of ? formatPercent(n / of) : '—');
  const columns = (): TableColumnsType<Row> => {
    const link = (r: Row, k: keyof ReturnType<typeof bulletinLinks>, n: number, testId?: string) => <CountLink n={n} to={bulletinLinks({ from: b!.from, to: b!.to, districtCode: r.districtCode })[k]} testId={testId} />;
    return [
      { key: 'name', title: t('enf.bul.area'), dataIndex: 'name', fixed: 'left' },
      { key: 'inspections', title: t('enf.bul.inspections'), align: 'right', render: (_, r) => link(r, 'inspections', r.inspections, `enf-bul-row-${r.districtCode}`) },
      { key: 'change', title: t('enf.bul.yoy'), align: 'right', render: (_, r) => (r.change === null ? '—' : `${r.change > 0 ? '+' : r.change < 0 ? '−' : ''}${formatPercent(Math.abs(r.change))}`) },
      { key: 'planned', title: t('enf.bul.planned'), align: 'right', render: (_, r) => link(r, 'planned', r.planned) },
      { key: 'triggered', title: t('enf.bul.triggered'), align: 'right', render: (_, r) => link(r, 'triggered', r.triggered) },
      { key: 'unannounced', title: t('enf.bul.unannounced'), align: 'right', render: (_, r) => <span>{link(r, 'unannounced', r.unannounced)}（{share(r.unannounced, r.inspections)}）</span> },
      { key: 'hazards', title: t('enf.bul.hazards'), align: 'right', render: (_, r) => link(r, 'hazards', r.hazards) },
      { key: 'major', title: t('enf.bul.major'), align: 'right', render: (_, r) => link(r, 'majorHazards', r.majorHazards) },
      { key: 'per100', title: t('enf.bul.per100'), align: 'right', render: (_, r) => (r.hazardsPer100 === null ? '—' : r.hazardsPer100.toFixed(1)) },
      { key: 'rate', title: t('enf.bul.rectification'), align: 'right', render: (_, r) => <Rate value={r.rectificationRate} why={noRate} /> },
      { key: 'cases', title: t('enf.bul.cases'), align: 'right', render: (_, r) => link(r, 'cases', r.cases) },
      { key: 'fines', title: t('enf.bul.fines'), align: 'right', render: (_, r) => <span>{link(r, 'fines', r.fines)}（{yuanText(r.fineYuan, lang)}）</span> },
      { key: 'key', title: t('enf.bul.keyUnits'), align: 'right', render: (_, r) => <span>{link(r, 'keyUnitsCovered', r.keyUnitsCovered)} / {link(r, 'keyUnits', r.keyUnits)}</span> },
    ];
  };
  const f = b?.totals;
  const links = b ? bulletinLinks({ from: b.from, to: b.to, districtCode: b.districtCode }) : null;
  return (
    <Card
      className="zb-card"
      size="small"
      title={
        <Flex gap={8} wrap align="center">
          <DatePicker picker="quarter" value={quarterDay(quarter)} onChange={(d) => set({ quarter: d ? dayQuarter(d) : null })} allowClear={false} aria-label={t('enf.bul.quarter')} data-testid="enf-bul-quarter" />
          {!scope.districtCode && (
            <div style={{ width: 150 }}>
              <DistrictSelect value={districtCode} onChange={(v) => set({ districtCode: v ?? null })} placeholder={t('enf.city')} />
            </div>
          )}
        </Flex>
      }
      extra={
        <DocButton size="small" path="/api/enforcement/bulletin.docx" query={{ quarter, districtCode }} fileName={`${t('enf.view.bulletin')}-${quarter}.docx`} data-testid="enf-bul-docx">
          {t('enf.bul.docx')}
        </DocButton>
      }
      data-testid="enf-bulletin"
    >
      {bulletin.error && !bulletin.loading ? (
        <ErrorState error={bulletin.error} onRetry={bulletin.reload} />
      ) : !b || !f || !links ? (
        <BlockLoading />
      ) : (
        <>
          <Typography.Paragraph type="secondary" data-testid="enf-bul-scope">{`${b.name} · ${formatDate(b.from)} — ${formatDate(b.to)}`}</Typography.Paragraph>
          <div className="zb-figures zb-enf-figures">
            <FigureCard label={t('enf.bul.inspections')} value={<CountLink n={f.inspections} to={links.inspections} testId="enf-bul-inspections" />} foot={changeText(f, t)} />
            <FigureCard label={t('enf.bul.plannedTriggered')} value={<span><CountLink n={f.planned} to={links.planned} testId="enf-bul-planned" /> / <CountLink n={f.triggered} to={links.triggered} testId="enf-bul-triggered" /></span>} foot={t('enf.bul.plannedTriggeredFoot')} />
            <FigureCard label={t('enf.bul.unannounced')} value={<CountLink n={f.unannounced} to={links.unannounced} testId="enf-bul-unannounced" />} foot={t('enf.bul.share', { v: share(f.unannounced, f.inspections) })} />
            <FigureCard
              label={t('enf.bul.hazards')}
              value={<CountLink n={f.hazards} to={links.hazards} testId="enf-bul-hazards" />}
              foot={
                <span>
                  <Link to={links.majorHazards} data-testid="enf-bul-major">{t('enf.bul.majorN', { n: f.majorHazards })}</Link> · <Link to={links.withFindings} data-testid="enf-bul-with-findings">
                    {t('enf.bul.withFindings')}
                  </Link>
                </span>
              }
            />
            <FigureCard label={t('enf.bul.per100')} value={f.hazardsPer100 === null ? '—' : f.hazardsPer100.toFixed(1)} foot={t('enf.bul.majorPer100', { v: f.majorPer100 === null ? '—' : f.majorPer100.toFixed(1) })} />
            <FigureCard label={t('enf.bul.rectification')} value={<Rate value={f.rectificationRate} why={noRate} />} foot={<Link to={links.findingsClosed} data-testid="enf-bul-closed">{t('enf.bul.closedOf', { closed: f.findingsClosed, n: f.hazards })}</Link>} />
            <FigureCard label={t('enf.bul.cases')} value={<CountLink n={f.cases} to={links.cases} testId="enf-bul-cases" />} foot={<Link to={links.decisions} data-testid="enf-bul-decisions">{t('enf.bul.decisions', { n: f.decisions })}</Link>} />
            <FigureCard label={t('enf.bul.fines')} value={yuanText(f.fineYuan, lang)} foot={<Link to={links.fines} data-testid="enf-bul-fines">{t('enf.bul.fineCount', { n: f.fines })}</Link>} />
            <FigureCard label={t('enf.bul.keyUnits')} value={<span><CountLink n={f.keyUnitsCovered} to={links.keyUnitsCovered} testId="enf-bul-key-covered" /> / <CountLink n={f.keyUnits} to={links.keyUnits} testId="enf-bul-key" /></span>} foot={t('enf.bul.coverage', { v: share(f.keyUnitsCovered, f.keyUnits) })} />
          </div>
          <Table<Row>
            rowKey="districtCode"
            size="small"
            columns={columns()}
            dataSource={b.rows}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enf.bul.none')} /> }}
            data-testid="enf-bul-table"
          />
        </>
      )}
    </Card>
  );
}
