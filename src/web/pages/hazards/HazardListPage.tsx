import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Badge, Button, Card, DatePicker, Input, Select, Switch, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { GRADE_LABELS, HAZARD_GRADES, HAZARD_SORTS, HAZARD_SOURCES, HAZARD_STATUSES, OPEN_STATUSES, SOURCE_LABELS, STATUS_LABELS, SUPERVISION_LEVELS } from '../../../shared/contracts/hazards';
import type { Hazard, HazardStatus } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { ExportButton } from '../../components/ExportButton';
import { FilterItem, ListPage } from '../../components/ListPage';
import type { FilterCodec, FilterValues, UrlParams } from '../../components/ListPage';
import { PageHeader } from '../../components/PageHeader';
import { clearStreetOnDistrict, RegionFilters } from '../../components/RegionFilters';
import { IndustrySelect } from '../../components/RegionSelects';
import { useAsync, useDepartments, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useMe } from '../../session';
import { canReport } from './access';
import { HazardCode, hazardColumns } from './columns';
import { GradeTag, OverdueTag, StatusTag, supervisionText } from './HazardTags';
import { DATE_RANGES, LedgerFilterChips } from './LedgerFilterChips';

const PLAIN_KEYS = ['q', 'enterpriseId', 'grade', 'source', 'supervisionLevel', 'districtCode', 'streetCode', 'industryCode', 'departmentId', 'sort'];
// Statuses chosen in the filters (or named by a link) are a filter like the others: `status=a,b`.
const STATUS_KEY = 'status';
// Switches: on is `=true` on the URL, off is no parameter.
const FLAGS = ['overdue', 'onSpot'];
const RANGES = Object.entries(DATE_RANGES).map(([field, r]) => [field, r.from, r.to] as const);
const FILTER_KEYS = [...PLAIN_KEYS, STATUS_KEY, ...FLAGS, ...RANGES.flatMap(([, from, to]) => [from, to])];
/** The view, unless statuses are chosen: open work (the default), what waits for me, or everything. */
type View = 'open' | 'todo' | 'all';
const DAY = 'YYYY-MM-DD';
// Shown on a desktop beside the search box; the rest behind the filters button.
const PINNED = ['grade', 'overdue', 'sort'];

const SORT_LABELS: Record<(typeof HAZARD_SORTS)[number], MessageKey> = {
  '-foundAt': 'hz.sortFoundDesc',
  foundAt: 'hz.sortFoundAsc',
  deadline: 'hz.sortDeadline',
  '-deadline': 'hz.sortDeadlineDesc',
  '-createdAt': 'hz.sortCreated',
  code: 'hz.sortCode',
};

// Dates on the URL and for the API are plain days; the range pickers hold dayjs values; the switches booleans.
const codec: FilterCodec = {
  toForm: (p) => {
    const out: FilterValues = Object.fromEntries(PLAIN_KEYS.map((k) => [k, p[k]]));
    out[STATUS_KEY] = statusesOf(p[STATUS_KEY] ?? null);
    for (const k of FLAGS) out[k] = p[k] === 'true';
    for (const [field, from, to] of RANGES) {
      out[field] = p[from] || p[to] ? [p[from] ? dayjs(p[from]) : null, p[to] ? dayjs(p[to]) : null] : undefined;
    }
    return out;
  },
  toParams: (v) => {
    const out: UrlParams = {};
    for (const k of PLAIN_KEYS) {
      const s = typeof v[k] === 'string' ? (v[k] as string).trim() : '';
      if (s) out[k] = s;
    }
    const picked = (v[STATUS_KEY] as HazardStatus[] | undefined) ?? [];
    if (picked.length) out[STATUS_KEY] = HAZARD_STATUSES.filter((st) => picked.includes(st)).join(',');
    for (const k of FLAGS) if (v[k]) out[k] = 'true';
    for (const [field, from, to] of RANGES) {
      const range = v[field] as [Dayjs | null, Dayjs | null] | undefined;
      if (range?.[0]) out[from] = range[0].format(DAY);
      if (range?.[1]) out[to] = range[1].format(DAY);
    }
    return out;
  },
};

type Counts = Record<HazardStatus, number>;

/** The statuses a `status` parameter names: one (a tab) or several (a link from a cockpit figure), in the ledger's order. */
function statusesOf(param: string | null): HazardStatus[] {
  const named = new Set(param?.split(',').map((s) => s.trim()));
  return HAZARD_STATUSES.filter((s) => named.has(s));
}

export default function HazardListPage() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [reloadKey, setReloadKey] = useState(0);
  const isEnterprise = me.role === 'enterprise';
  const departments = useDepartments();
  const statuses = statusesOf(params.get(STATUS_KEY));
  const view: View = params.get('view') === 'todo' ? 'todo' : params.get('view') === 'all' ? 'all' : 'open';
  const isOpenSet = statuses.length === OPEN_STATUSES.length && OPEN_STATUSES.every((st) => statuses.includes(st));
  // The tab: open work (the default), what waits for me, all, one status, or several (a set a link asked for).
  const activeTab = statuses.length === 0 || isOpenSet ? (statuses.length ? 'open' : view) : statuses.length === 1 ? statuses[0] : 'set';
  // What the view adds to the filters (chosen statuses are a filter of their own).
  const viewQuery = useMemo<Record<string, string>>(
    (): Record<string, string> => (view === 'todo' ? { todo: 'true' } : !statuses.length && view === 'open' ? { status: OPEN_STATUSES.join(',') } : {}),
    [view, statuses.length],
  );

  // The tabs count under the same filters as the list, whatever the tab.
  const filterQuery = useMemo(() => {
    const out: Record<string, string> = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v && k !== 'sort' && k !== STATUS_KEY) out[k] = v;
    }
    return out;
  }, [params]);
  const counts = useAsync(
    (signal) => api.get<Counts & { todo: number }>('/api/hazards/status-counts', filterQuery, signal),
    [JSON.stringify(filterQuery), reloadKey],
  );
  // The export takes exactly what the list shows (the tab's status, the filters, the sort), every page of it.
  const exportQuery = useMemo(() => {
    const out: Record<string, string> = { ...viewQuery };
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) out[k] = v;
    }
    return out;
  }, [params, viewQuery]);
  const sum = (list: readonly HazardStatus[]) => (counts.data ? list.reduce((n, s) => n + (counts.data?.[s] ?? 0), 0) : undefined);
  const total = sum(HAZARD_STATUSES);
  const open = sum(OPEN_STATUSES);
  const todo = counts.data?.todo;
  const shown = statuses.length ? sum(statuses) : view === 'todo' ? todo : view === 'all' ? total : open;
  const setTab = (key: string) => {
    const next = new URLSearchParams(params);
    next.delete('page');
    next.delete(STATUS_KEY);
    next.delete('view');
    if (key === 'todo' || key === 'all') next.set('view', key);
    else if (key !== 'open') next.set(STATUS_KEY, key);
    setParams(next);
  };

  const columns = useMemo<TableColumnsType<Hazard>>(() => {
    if (phone) {
      return [
        {
          key: 'summary',
          title: shown === undefined ? t('hz.title') : t('common.total', { total: shown }),
          render: (_: unknown, h) => (
            <div className="zb-hazard-cell">
              <div className="zb-hazard-cell-head">
                <HazardCode hazard={h} />
                <span className="zb-tags">
                  <GradeTag value={h.grade} />
                  <StatusTag value={h.status} />
                  <OverdueTag overdue={h.overdue} />
                </span>
              </div>
              <div className="zb-hazard-cell-desc">{h.description}</div>
              <Typography.Text type="secondary" className="zb-hazard-cell-meta">
                {h.enterpriseName ?? '—'}
                {h.deadline ? ` · ${t('hz.deadline')} ${h.deadline}` : ''}
              </Typography.Text>
            </div>
          ),
        },
      ];
    }
    return hazardColumns(t, ['code', 'enterprise', 'description', 'grade', 'status', 'overdue', 'deadline', 'supervision', 'found']).map((c) =>
      c.key === 'code' ? { ...c, fixed: 'left' as const } : c,
    );
  }, [t, phone, shown]);

  const tabLabel = (text: string, n: number | undefined, key: string) => (
    <span data-testid={`hazard-tab-${key}`}>
      {text}
      {n !== undefined && <Badge count={n} overflowCount={99999} showZero color={key === 'all' ? '#0b3d91' : '#8c8c8c'} size="small" style={{ marginInlineStart: 6 }} />}
    </span>
  );

  // A set of statuses from a link or the filters is a tab of its own (the open ones together are 在办).
  const setOfStatuses = activeTab === 'set' ? { key: 'set', label: tabLabel(statuses.map((st) => pick(lang, STATUS_LABELS[st])).join(' + '), shown, 'set') } : null;

  return (
    <div className="zb-page">
      <PageHeader
        title={t('hz.title')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)} aria-label={t('common.reload')} title={t('common.reload')} />
            <ExportButton kind="hazards" query={exportQuery} disabled={shown === 0} testId="hazard-export" />
            {canReport(me) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/hazards/new')} data-testid="hazard-report">
                {t('hz.report')}
              </Button>
            )}
          </>
        }
      />
      <Card className="zb-card">
        <Tabs
          activeKey={activeTab}
          onChange={setTab}
          className="zb-hazard-tabs"
          items={[
            { key: 'open', label: tabLabel(t('hz.statusOpen'), open, 'open') },
            { key: 'todo', label: tabLabel(t('hz.tabTodo'), todo, 'todo') },
            { key: 'all', label: tabLabel(t('common.all'), total, 'all') },
            ...(setOfStatuses ? [setOfStatuses] : []),
            ...HAZARD_STATUSES.map((s) => ({
              key: s,
              label: tabLabel(pick(lang, STATUS_LABELS[s]), counts.data?.[s], s),
            })),
          ]}
        />
        <ListPage<Hazard>
          title={t('hz.title')}
          embedded
          endpoint="/api/hazards"
          columns={columns}
          rowKey="id"
          filterKeys={FILTER_KEYS}
          textKeys={['q']}
          codec={codec}
          pinnedFilters={PINNED}
          fixedQuery={viewQuery}
          reloadKey={reloadKey}
          testId="hazard-table"
          onRowClick={(h) => navigate(`/hazards/${h.id}`)}
          onFiltersChange={clearStreetOnDistrict}
          beforeTable={<LedgerFilterChips />}
          filters={() => (
            <>
              <FilterItem name="q" label={t('common.search')} wide primary>
                <Input prefix={<SearchOutlined />} placeholder={t('hz.searchPlaceholder')} allowClear data-testid="hazard-search" />
              </FilterItem>
              <FilterItem name={STATUS_KEY} label={t('hz.status')} wide>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder={view === 'open' ? t('hz.statusOpen') : t('common.all')}
                  options={HAZARD_STATUSES.map((st) => ({ value: st, label: pick(lang, STATUS_LABELS[st]) }))}
                  data-testid="filter-status"
                />
              </FilterItem>
              <FilterItem name="grade" label={t('hz.grade')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={HAZARD_GRADES.map((g) => ({ value: g, label: pick(lang, GRADE_LABELS[g]) }))}
                  data-testid="filter-grade"
                />
              </FilterItem>
              <FilterItem name="overdue" label={t('hz.overdueOnly')} valuePropName="checked">
                <Switch data-testid="filter-overdue" />
              </FilterItem>
              <FilterItem name="onSpot" label={t('hz.onSpotOnly')} valuePropName="checked">
                <Switch data-testid="filter-onspot" />
              </FilterItem>
              <FilterItem name="source" label={t('hz.source')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={HAZARD_SOURCES.map((s) => ({ value: s, label: pick(lang, SOURCE_LABELS[s]) }))}
                  popupMatchSelectWidth={false}
                />
              </FilterItem>
              <FilterItem name="supervisionLevel" label={t('hz.supervision')}>
                <Select allowClear placeholder={t('common.all')} options={SUPERVISION_LEVELS.map((l) => ({ value: l, label: supervisionText(t, l) }))} />
              </FilterItem>
              {!isEnterprise && (
                <FilterItem name="enterpriseId" label={t('hz.enterprise')} wide>
                  <EnterpriseSelect placeholder={t('common.all')} data-testid="filter-enterprise" />
                </FilterItem>
              )}
              <RegionFilters />
              {!isEnterprise && (
                <FilterItem name="industryCode" label={t('hz.industry')}>
                  <IndustrySelect sectionsSelectable placeholder={t('common.all')} />
                </FilterItem>
              )}
              {!isEnterprise && (
                <FilterItem name="departmentId" label={t('hz.department')}>
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder={t('common.all')}
                    loading={departments.loading}
                    options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                    popupMatchSelectWidth={false}
                  />
                </FilterItem>
              )}
              <FilterItem name="foundRange" label={t('hz.foundRange')} wide>
                <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} inputReadOnly={phone} />
              </FilterItem>
              <FilterItem name="deadlineRange" label={t('hz.deadlineRange')} wide>
                <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} inputReadOnly={phone} />
              </FilterItem>
              <FilterItem name="closedRange" label={t('hz.closedRange')} wide>
                <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} inputReadOnly={phone} />
              </FilterItem>
              <FilterItem name="sort" label={t('hz.sort')}>
                <Select placeholder={t('hz.sortFoundDesc')} allowClear options={HAZARD_SORTS.map((s) => ({ value: s, label: t(SORT_LABELS[s]) }))} />
              </FilterItem>
            </>
          )}
        />
      </Card>
    </div>
  );
}
