import { Button, Card, Checkbox, DatePicker, Empty, Flex, Select, Table, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { INSPECTION_STATUS_LABELS, INSPECTION_STATUSES, INSPECTION_TYPE_LABELS, INSPECTION_TYPES } from '../../../shared/contracts/enforcement';
import type { Inspection, InspectionStatus } from '../../../shared/contracts/enforcement';
import { shanghaiDate } from '../../../shared/dates';
import { periodOf } from '../../../shared/periods';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { DistrictSelect } from '../../components/RegionSelects';
import { formatDate, scopeOf } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { InspectionStatusTag, InspectionTypeTags } from './tags';
import type { ViewProps } from './viewParams';

/** Filters a bulletin figure, a draw or a cockpit may carry, each sent to the API as it is. */
const FILTERS = ['status', 'type', 'typeGroup', 'unannounced', 'withFindings', 'from', 'to', 'districtCode', 'streetCode', 'enterpriseId', 'inspectorId', 'drawId'] as const;

/** 检查任务: the inspections in the caller's scope; an inspector sees their own unless they ask for all. */
export function InspectionsView({ params, set }: ViewProps) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const inspector = me.role === 'inspector';
  const scope = scopeOf(me.regionCode);
  const page = Number(params.get('page') ?? 1);
  // An inspector's list is their own by default; `mine=false` in the address shows the scope's.
  const mine = inspector && params.get('mine') !== 'false';
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? undefined]));
  const key = JSON.stringify([filters, page, mine]);
  const list = useAsync(
    (signal) => api.get<ListResult<Inspection>>('/api/inspections', { ...filters, mine: mine ? 'true' : undefined, page, pageSize: 20 }, signal),
    [key],
  );
  const today = shanghaiDate(new Date());
  const week = periodOf('weekly', today);
  const filtered = FILTERS.some((k) => k !== 'status' && params.get(k));
  const typeValue = params.get('typeGroup') ? `group:${params.get('typeGroup')}` : (params.get('type') ?? '');
  const columns = useMemo<TableColumnsType<Inspection>>(
    () => [
      { key: 'enterprise', title: t('enf.col.enterprise'), render: (_, r) => <Link to={`/enforcement/inspections/${r.id}`}>{r.enterpriseName}</Link> },
      { key: 'date', title: t('enf.col.date'), render: (_, r) => formatDate(r.date) },
      { key: 'type', title: t('enf.col.type'), render: (_, r) => <InspectionTypeTags type={r.type} unannounced={r.unannounced} /> },
      { key: 'status', title: t('enf.col.status'), render: (_, r) => <InspectionStatusTag status={r.status} /> },
      { key: 'inspectors', title: t('enf.col.inspectors'), render: (_, r) => r.inspectorNames.join('、') },
      {
        key: 'findings',
        title: t('enf.col.findings'),
        align: 'right',
        render: (_, r) => (r.findings ? <span>{r.findings}{r.majorFindings ? <Typography.Text type="danger">{t('enf.majorOf', { n: r.majorFindings })}</Typography.Text> : null}</span> : r.status === 'finished' ? '0' : '—'),
      },
      { key: 'code', title: t('enf.col.code'), dataIndex: 'code' },
    ],
    [t],
  );
  return (
    <Card className="zb-card" size="small">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 8 }}>
        {inspector && (
          <Checkbox checked={mine} onChange={(e) => set({ mine: e.target.checked ? null : 'false', page: null })} data-testid="enf-mine">
            {t('enf.mine')}
          </Checkbox>
        )}
        <Button type={params.get('from') === today && params.get('to') === today ? 'primary' : 'default'} onClick={() => set({ from: today, to: today, page: null })} data-testid="enf-today">
          {t('enf.today')}
        </Button>
        <Button type={params.get('from') === week.start && params.get('to') === week.due ? 'primary' : 'default'} onClick={() => set({ from: week.start, to: week.due, page: null })} data-testid="enf-week">
          {t('enf.thisWeek')}
        </Button>
        <Select
          value={typeValue}
          onChange={(v: string) => set({ type: v && !v.startsWith('group:') ? v : null, typeGroup: v.startsWith('group:') ? v.slice(6) : null, page: null })}
          options={[
            { value: '', label: t('enf.allTypes') },
            { value: 'group:planned', label: t('enf.group.planned') },
            { value: 'group:triggered', label: t('enf.group.triggered') },
            ...INSPECTION_TYPES.map((x) => ({ value: x, label: pick(lang, INSPECTION_TYPE_LABELS[x]) })),
          ]}
          style={{ width: phone ? '48%' : 150 }}
          aria-label={t('enf.col.type')}
          data-testid="enf-filter-type"
        />
        <Select
          value={params.get('withFindings') ?? ''}
          onChange={(v: string) => set({ withFindings: v || null, page: null })}
          options={[
            { value: '', label: t('enf.findingsAny') },
            { value: 'any', label: t('enf.withFindings') },
            { value: 'major', label: t('enf.withMajor') },
          ]}
          style={{ width: phone ? '48%' : 150 }}
          aria-label={t('enf.col.findings')}
          data-testid="enf-filter-findings"
        />
        {!scope.districtCode && (
          <div style={{ width: phone ? '48%' : 150 }}>
            <DistrictSelect value={params.get('districtCode')} onChange={(v) => set({ districtCode: v ?? null, streetCode: null, page: null })} placeholder={t('enf.allDistricts')} data-testid="enf-filter-district" />
          </div>
        )}
        <DatePicker.RangePicker
          value={[params.get('from') ? dayjs(params.get('from')) : null, params.get('to') ? dayjs(params.get('to')) : null]}
          onChange={(r) => set({ from: r?.[0]?.format('YYYY-MM-DD') ?? null, to: r?.[1]?.format('YYYY-MM-DD') ?? null, page: null })}
          allowEmpty={[true, true]}
          style={{ width: phone ? '100%' : 250 }}
          data-testid="enf-filter-dates"
        />
        <Checkbox checked={params.get('unannounced') === 'true'} onChange={(e) => set({ unannounced: e.target.checked ? 'true' : null, page: null })} data-testid="enf-filter-unannounced">
          {t('enf.unannounced')}
        </Checkbox>
        {filtered && (
          <Button type="link" onClick={() => set(Object.fromEntries([...FILTERS.filter((k) => k !== 'status'), 'page'].map((k) => [k, null])))} data-testid="enf-clear-filters">
            {t('enf.clearFilters')}
          </Button>
        )}
      </Flex>
      <Tabs
        activeKey={params.get('status') ?? ''}
        onChange={(k) => set({ status: k || null, page: null })}
        items={['', ...INSPECTION_STATUSES].map((s) => ({ key: s, label: s ? pick(lang, INSPECTION_STATUS_LABELS[s as InspectionStatus]) : t('enf.all') }))}
        data-testid="enf-status-tabs"
      />
      {list.error && !list.loading ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table<Inspection>
          rowKey="id"
          size="small"
          columns={phone ? columns.filter((c) => ['enterprise', 'date', 'status'].includes(String(c.key))) : columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ onClick: () => navigate(`/enforcement/inspections/${r.id}`), className: 'zb-clickable-row' })}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }), onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enf.noInspections')} /> }}
          data-testid="enf-inspection-table"
        />
      )}
    </Card>
  );
}
