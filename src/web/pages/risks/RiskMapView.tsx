import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Flex, Row, Select, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { lazy, Suspense } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { RISK_LEVEL_LABELS, RISK_LEVELS } from '../../../shared/contracts/risks';
import type { Risk, RiskLevel } from '../../../shared/contracts/risks';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { DistrictSelect } from '../../components/RegionSelects';
import { scopeOf } from '../../format';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import type { AsyncState } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import type { RiskMapData } from './RiskMap';
import { FlaggedTag, LEVEL_COLORS } from './tags';

const RiskMap = lazy(() => import('./RiskMap'));

type DistrictRow = RiskMapData['byDistrict'][number];

/**
 * 风险地图: the items as points coloured by level, the count per district and level beside them, and
 * the major (red) items as a list of links — the map is a drawing, the list reads aloud and clicks.
 */
export function RiskMapView() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { params, set } = useUrlParams();
  const scope = scopeOf(me.regionCode);
  const districtCode = params.get('districtCode') ?? undefined;
  const level = (params.get('level') as RiskLevel | null) ?? undefined;
  const map = useAsync((signal) => api.get<RiskMapData>('/api/risks/map', { districtCode, level }, signal), [districtCode, level]);
  const red = useAsync((signal) => api.get<ListResult<Risk>>('/api/risks', { districtCode, level: 'red', pageSize: 100 }, signal), [districtCode]);
  const focus = districtCode ?? scope.districtCode;
  const height = phone ? 380 : 680;
  const reload = () => {
    map.reload();
    red.reload();
  };
  return (
    <>
      <PageHeader
        title={t('risk.map.title')}
        subTitle={t('risk.map.hint')}
        extra={<Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('common.reload')} title={t('common.reload')} />}
      />
      <Flex gap={12} wrap className="zb-risk-map-filters">
        {scope.level === 'city' && (
          <div className="zb-risk-map-district">
            <DistrictSelect value={districtCode} onChange={(v) => set({ districtCode: v ?? null })} placeholder={t('risk.map.allDistricts')} data-testid="risk-map-district" />
          </div>
        )}
        <Select<RiskLevel>
          allowClear
          value={level}
          onChange={(v) => set({ level: v ?? null })}
          placeholder={t('risk.map.allLevels')}
          options={RISK_LEVELS.map((l) => ({ value: l, label: pick(lang, RISK_LEVEL_LABELS[l]) }))}
          style={{ minWidth: 160 }}
          data-testid="risk-map-level"
        />
      </Flex>
      {map.error && !map.loading ? (
        <Card className="zb-card">
          <ErrorState error={map.error} onRetry={map.reload} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Card className="zb-card" size="small" data-testid="risk-map-card">
              {!map.data ? (
                <Skeleton.Node active style={{ width: '100%', height }} />
              ) : (
                <>
                  <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height }} />}>
                    <RiskMap data={map.data} focus={focus} height={height} onPoint={(id) => navigate(`/risks/${id}`)} onDistrict={(code) => navigate(`/risks?districtCode=${code}`)} />
                  </Suspense>
                  <Typography.Text type="secondary" className="zb-risk-map-note">
                    {t('risk.map.flaggedNote')}
                  </Typography.Text>
                  {map.data.withoutPlace > 0 && <Alert type="info" showIcon title={t('risk.map.withoutPlace', { n: map.data.withoutPlace })} style={{ marginTop: 8 }} />}
                </>
              )}
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Flex vertical gap={16}>
              <RedItems list={red} />
              <DistrictCounts rows={map.data?.byDistrict} loading={map.loading} onPick={(code) => navigate(`/risks?districtCode=${code}`)} />
            </Flex>
          </Col>
        </Row>
      )}
    </>
  );
}

/** 重大风险: the red items as links, those with open major hazards marked. */
function RedItems({ list }: { list: AsyncState<ListResult<Risk>> }) {
  const t = useT();
  const items = list.data?.items ?? [];
  return (
    <Card
      className="zb-card"
      size="small"
      title={
        <Flex gap={6} align="center">
          <span className="zb-risk-dot" style={{ background: LEVEL_COLORS.red }} />
          {t('risk.map.red')}
          {list.data && <Typography.Text type="secondary">{list.data.total}</Typography.Text>}
        </Flex>
      }
      data-testid="risk-red-list"
    >
      {list.error && !list.loading ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('risk.map.noRed')} />
      ) : (
        <ul className="zb-risk-red-items">
          {items.map((r) => (
            <li key={r.id}>
              <Link to={`/risks/${r.id}`} data-testid="risk-red-item" data-district={r.districtCode} data-flagged={String(r.flagged)}>
                {r.name}
              </Link>
              <Flex gap={6} wrap align="center">
                <Typography.Text type="secondary">{r.districtName ?? r.districtCode}</Typography.Text>
                {r.openHazards > 0 && <Typography.Text type="secondary">· {t('risk.hazardsN', { n: r.openHazards, major: r.openMajorHazards })}</Typography.Text>}
                <FlaggedTag flagged={r.flagged} />
              </Flex>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** The count per district and level; a row opens the district's list. */
function DistrictCounts({ rows, loading, onPick }: { rows: DistrictRow[] | undefined; loading: boolean; onPick: (code: string) => void }) {
  const t = useT();
  const { lang } = useLang();
  const columns: TableColumnsType<DistrictRow> = [
    { key: 'name', title: t('risk.col.district'), dataIndex: 'districtName', render: (v: string, d) => <Link to={`/risks?districtCode=${d.districtCode}`}>{v}</Link> },
    ...RISK_LEVELS.map((l) => ({
      key: l,
      align: 'right' as const,
      title: (
        <span title={pick(lang, RISK_LEVEL_LABELS[l])} aria-label={pick(lang, RISK_LEVEL_LABELS[l])}>
          <span className="zb-risk-dot" style={{ background: LEVEL_COLORS[l] }} />
        </span>
      ),
      render: (_: unknown, d: DistrictRow) => (d[l] ? d[l] : <span className="zb-muted">0</span>),
    })),
    { key: 'total', align: 'right', title: t('risk.map.total'), render: (_, d) => <strong>{d.red + d.orange + d.yellow + d.blue}</strong> },
  ];
  return (
    <Card className="zb-card" size="small" title={t('risk.map.byDistrict')} data-testid="risk-district-counts">
      <Table<DistrictRow>
        rowKey="districtCode"
        size="small"
        columns={columns}
        dataSource={rows ?? []}
        loading={loading && !rows}
        pagination={false}
        onRow={(d) => ({ onClick: (e) => !(e.target as HTMLElement).closest('a') && onPick(d.districtCode), className: 'zb-clickable-row' })}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('risk.empty')} /> }}
      />
    </Card>
  );
}
