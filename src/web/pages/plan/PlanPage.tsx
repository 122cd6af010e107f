import { FileExcelOutlined, FileWordOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Segmented, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import type { HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { TASK_STATUSES, TASK_STATUS_LABELS } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import type { PlanTask, PlanTree, TreeTask } from '../../../shared/contracts/tasks';
import type { Me } from '../../../shared/contracts/users';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { DocButton } from '../../components/DocButton';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { DistrictSelect } from '../../components/RegionSelects';
import { TableCard } from '../../components/TableCard';
import { formatDate, scopeOf } from '../../format';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { publishesSubplan } from './access';
import { PlanTimeline } from './PlanTimeline';
import { actionName, DepartmentSelect, measureName, ownUnit, TaskState, unitKey, UnitLink, usePlans } from './shared';
import { PublishSubplanDrawer, SubplansCard } from './Subplans';
import { UnitReportModal } from './UnitReport';
import './plan.css';

const VIEWS = ['tree', 'late', 'timeline', 'subplans'] as const;
type View = (typeof VIEWS)[number];

/** The filters the tree, the late list, the timeline and the export share, as the API takes them. */
interface Filters {
  status?: string;
  districtCode?: string;
  departmentId?: string;
  late?: string;
}

/** 治本攻坚任务: the plan's tree of actions, measures and tasks with their status, the late list, the milestones' timeline, the units' sub-plans. */
export default function PlanPage() {
  const t = useT();
  const me = useMe();
  const { params, set } = useUrlParams();
  const plans = usePlans();
  const planId = params.get('plan') ?? plans.data?.items[0]?.id;
  const plan = plans.data?.items.find((p) => p.id === planId);
  const asked = params.get('view') as View | null;
  const view: View = asked && VIEWS.includes(asked) ? asked : 'tree';
  const filters: Filters = {
    status: params.get('status') ?? undefined,
    districtCode: params.get('districtCode') ?? undefined,
    departmentId: params.get('departmentId') ?? undefined,
    late: params.get('late') === 'true' ? 'true' : undefined,
  };
  const filterKey = JSON.stringify(filters);
  const tree = useAsync(
    async (signal) => (planId ? api.get<PlanTree>(`/api/plans/${encodeURIComponent(planId)}/tree`, { ...filters }, signal) : undefined),
    [planId, filterKey],
  );
  const [reporting, setReporting] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [subplansKey, setSubplansKey] = useState(0);

  if (plans.error && !plans.loading) return <ErrorState error={plans.error} onRetry={plans.reload} />;
  if (!plans.data) return <BlockLoading />;
  if (!plan) {
    return (
      <div className="zb-page">
        <PageHeader title={t('plan.title')} />
        <Card className="zb-card">
          <Empty description={t('plan.noPlan')} />
        </Card>
      </div>
    );
  }
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="zb-page">
      <PageHeader
        title={plan.title}
        subTitle={`${plan.issuer} · ${formatDate(plan.periodFrom)} — ${formatDate(plan.periodTo)} · ${t('plan.counts', { actions: plan.actions, measures: plan.measures, tasks: plan.tasks, late: plan.late })}`}
        extra={
          <>
            {plans.data.items.length > 1 && (
              <Select value={plan.id} onChange={(v) => set({ plan: v })} options={plans.data.items.map((p) => ({ value: p.id, label: p.title }))} style={{ width: 240 }} />
            )}
            <Button icon={<FileWordOutlined />} onClick={() => setReporting(true)} data-testid="plan-report-doc">
              {t('plan.unitReport')}
            </Button>
            <DocButton icon={<FileExcelOutlined />} path="/api/plan-tasks/export.xlsx" query={{ planId: plan.id, ...filters }} fileName={`${t('plan.exportName')}.xlsx`} data-testid="plan-export">
              {t('plan.export')}
            </DocButton>
          </>
        }
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <FilterBar filters={filters} set={set} unitsOnly={view === 'subplans'} />
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Segmented<View>
            value={view}
            onChange={(v) => set({ view: v === 'tree' ? null : v, page: null })}
            options={VIEWS.map((v) => ({ value: v, label: <span data-testid={`plan-view-${v}`}>{t(`plan.view.${v}`)}</span> }))}
          />
          {tree.data && (view === 'tree' || view === 'timeline') && <TreeSummary tree={tree.data} />}
        </Flex>
        {view === 'subplans' ? (
          <SubplansCard
            title={t('plan.view.subplans')}
            query={{ planId: plan.id, districtCode: filters.districtCode, departmentId: filters.departmentId }}
            reloadKey={subplansKey}
            extra={
              publishesSubplan(me) && (
                <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setPublishing(true)} data-testid="plan-sp-add">
                  {t('plan.sp.publish')}
                </Button>
              )
            }
          />
        ) : view === 'late' ? (
          <LateList planId={plan.id} filters={filters} page={Number(params.get('page') ?? 1)} onPage={(p) => set({ page: p > 1 ? String(p) : null })} />
        ) : tree.error && !tree.loading ? (
          <ErrorState error={tree.error} onRetry={tree.reload} />
        ) : !tree.data ? (
          <Card className="zb-card">
            <BlockLoading />
          </Card>
        ) : view === 'timeline' ? (
          <PlanTimeline plan={plan} tree={tree.data} filtered={filtered} />
        ) : (
          <TreeTable tree={tree.data} filtered={filtered} loading={tree.loading} />
        )}
      </Space>
      {reporting && <UnitReportModal planId={plan.id} unit={reportUnit(filters, me)} onClose={() => setReporting(false)} />}
      {publishing && (
        <PublishSubplanDrawer
          planId={plan.id}
          onClose={() => setPublishing(false)}
          onDone={() => {
            setPublishing(false);
            setSubplansKey((k) => k + 1);
            // The tree and the plan's counts hold the new tasks.
            tree.reload();
            plans.reload();
          }}
        />
      )}
    </div>
  );
}

/** The unit, status and late filters; the sub-plans take the unit's only. */
function FilterBar({ filters, set, unitsOnly }: { filters: Filters; set: (patch: Record<string, string | null>) => void; unitsOnly: boolean }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const cityWide = scopeOf(me.regionCode).level === 'city';
  return (
    <Card className="zb-card" size="small">
      <Flex gap={12} wrap align="center" data-testid="plan-filters">
        {cityWide && (
          <div className="zb-plan-filter">
            <DistrictSelect value={filters.districtCode} onChange={(v) => set({ districtCode: v ?? null, departmentId: null, page: null })} placeholder={t('plan.filter.district')} data-testid="plan-filter-district" />
          </div>
        )}
        <div className="zb-plan-filter zb-plan-filter-wide">
          <DepartmentSelect value={filters.departmentId} onChange={(v) => set({ departmentId: v ?? null, districtCode: null, page: null })} placeholder={t('plan.filter.department')} data-testid="plan-filter-department" />
        </div>
        {!unitsOnly && (
          <>
            <div className="zb-plan-filter">
              <Select
                allowClear
                value={filters.status}
                onChange={(v: string | undefined) => set({ status: v ?? null, page: null })}
                placeholder={t('plan.filter.status')}
                options={TASK_STATUSES.map((s) => ({ value: s, label: <Tag color={TASK_STATUS_LABELS[s].color}>{pick(lang, TASK_STATUS_LABELS[s])}</Tag> }))}
                style={{ width: '100%' }}
                data-testid="plan-filter-status"
              />
            </div>
            <label className="zb-plan-switch">
              <Switch checked={filters.late === 'true'} onChange={(on) => set({ late: on ? 'true' : null, page: null })} data-testid="plan-late-only" />
              <span>{t('plan.lateOnly')}</span>
            </label>
          </>
        )}
        <Button onClick={() => set({ status: null, districtCode: null, departmentId: null, late: null, page: null })} disabled={!Object.values(filters).some(Boolean)}>
          {t('common.reset')}
        </Button>
      </Flex>
    </Card>
  );
}

/** The unit the report opens on: the one the filters name, else the reader's own, else the city's office. */
function reportUnit(filters: Filters, me: Me): string {
  if (filters.districtCode) return `district:${filters.districtCode}`;
  if (filters.departmentId) return `department:${filters.departmentId}`;
  const own = ownUnit(me);
  return own ? unitKey(own) : 'city';
}

/** Every task of a tree, a unit's tasks after the city's they belong to. */
export function flattenTasks(tree: PlanTree): TreeTask[] {
  const out: TreeTask[] = [];
  const walk = (x: TreeTask) => {
    out.push(x);
    x.children.forEach(walk);
  };
  for (const a of tree.actions) for (const m of a.measures) m.tasks.forEach(walk);
  return out;
}

function TreeSummary({ tree }: { tree: PlanTree }) {
  const t = useT();
  const all = flattenTasks(tree);
  return (
    <Typography.Text type="secondary" data-testid="plan-summary">
      {t('plan.summary', { n: all.length, late: all.filter((x) => x.late).length })}
    </Typography.Text>
  );
}

interface Row {
  key: string;
  kind: 'action' | 'measure' | 'task';
  no?: number;
  title: string;
  body?: string | null;
  task?: TreeTask;
  tasks?: TreeTask[];
  children?: Row[];
}

function taskRow(x: TreeTask): Row {
  const kids = x.children.map(taskRow);
  return { key: x.id, kind: 'task', title: x.title, task: x, children: kids.length ? kids : undefined };
}

/** Actions → measures → tasks (a unit's under the city's); with a filter on, the measures without a task in it are left out. */
function treeRows(tree: PlanTree, filtered: boolean): Row[] {
  const rows: Row[] = [];
  for (const a of tree.actions) {
    const measures: Row[] = [];
    for (const m of a.measures) {
      if (filtered && !m.tasks.length) continue;
      const tasks = flattenTasks({ ...tree, actions: [{ ...a, measures: [m] }] });
      const kids = m.tasks.map(taskRow);
      measures.push({ key: `m${m.no}`, kind: 'measure', no: m.no, title: m.title, body: m.body, tasks, children: kids.length ? kids : undefined });
    }
    if (filtered && !measures.length) continue;
    rows.push({ key: `a${a.no}`, kind: 'action', no: a.no, title: a.title, body: a.body, tasks: measures.flatMap((m) => m.tasks ?? []), children: measures.length ? measures : undefined });
  }
  return rows;
}

function expandableKeys(rows: Row[]): string[] {
  return rows.flatMap((r) => (r.children ? [r.key, ...expandableKeys(r.children)] : []));
}

function MilestoneCount({ task }: { task: PlanTask }) {
  const t = useT();
  if (!task.milestones.length) return <Typography.Text type="secondary">—</Typography.Text>;
  const done = task.milestones.filter((m) => m.doneOn).length;
  const late = task.milestones.filter((m) => m.late).length;
  return (
    <span>
      {done}/{task.milestones.length}
      {late > 0 && (
        <Tag color="red" style={{ marginInlineStart: 6 }}>
          {t('plan.msLate', { n: late })}
        </Tag>
      )}
    </span>
  );
}

function TreeTable({ tree, filtered, loading }: { tree: PlanTree; filtered: boolean; loading: boolean }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const rows = useMemo(() => treeRows(tree, filtered), [tree, filtered]);
  const allKeys = useMemo(() => expandableKeys(rows), [rows]);
  // Everything opens by default, a new answer included; what the user folds stays folded.
  const [folded, setFolded] = useState<Set<string>>(new Set());
  const expanded = allKeys.filter((k) => !folded.has(k));
  const columns: TableColumnsType<Row> = [
    {
      key: 'title',
      title: t('plan.col.title'),
      render: (_, r) => {
        if (r.kind === 'action') return <Typography.Text strong>{`${actionName(r.no!, lang)}　${r.title}`}</Typography.Text>;
        if (r.kind === 'measure') {
          const text = <span className="zb-plan-measure">{`${measureName(r.no!, lang)}　${r.title}`}</span>;
          return r.body ? <Tooltip title={<span className="zb-pre">{r.body}</span>}>{text}</Tooltip> : text;
        }
        const x = r.task!;
        return (
          <span className="zb-plan-task-title">
            <Link to={`/plan/tasks/${x.id}`} data-testid="plan-task-link">
              {x.title}
            </Link>
            {x.originType === 'meeting' && <Tag style={{ marginInlineStart: 6 }}>{t('plan.fromMeeting')}</Tag>}
          </span>
        );
      },
    },
    {
      key: 'lead',
      title: t('plan.col.lead'),
      width: 180,
      render: (_, r) =>
        r.task ? (
          <span data-testid="plan-task-lead">
            <UnitLink unit={r.task.leadUnit} />
            {r.task.coUnits.length > 0 && (
              <Tooltip title={`${t('plan.coUnits')}：${r.task.coUnits.map((u) => u.name).join('、')}`}>
                <Typography.Text type="secondary">{` +${r.task.coUnits.length}`}</Typography.Text>
              </Tooltip>
            )}
          </span>
        ) : null,
    },
    {
      key: 'due',
      title: t('plan.col.due'),
      width: 110,
      render: (_, r) => (r.task ? <Typography.Text type={r.task.late ? 'danger' : undefined}>{formatDate(r.task.dueOn)}</Typography.Text> : null),
    },
    { key: 'milestones', title: t('plan.col.milestones'), width: 130, render: (_, r) => (r.task ? <MilestoneCount task={r.task} /> : null) },
    {
      key: 'status',
      title: t('plan.col.status'),
      width: 170,
      render: (_, r) => {
        if (r.task) return <TaskState task={r.task} testId="plan-task-status" />;
        const n = r.tasks?.length ?? 0;
        const late = r.tasks?.filter((x) => x.late).length ?? 0;
        return (
          <Typography.Text type="secondary">
            {n ? t('plan.nTasks', { n }) : t('plan.noTasks')}
            {late > 0 && <Typography.Text type="danger">{` · ${t('plan.nLate', { n: late })}`}</Typography.Text>}
          </Typography.Text>
        );
      },
    },
  ];
  const shown = phone ? columns.filter((c) => c.key === 'title' || c.key === 'status') : columns;
  return (
    <Card
      className="zb-card"
      size="small"
      extra={
        <Space>
          <Button size="small" onClick={() => setFolded(new Set())}>
            {t('plan.expandAll')}
          </Button>
          <Button size="small" onClick={() => setFolded(new Set(allKeys))}>
            {t('plan.collapseAll')}
          </Button>
        </Space>
      }
      title={t('plan.view.tree')}
    >
      <Table<Row>
        rowKey="key"
        size="small"
        columns={shown}
        dataSource={rows}
        loading={loading}
        pagination={false}
        indentSize={18}
        // Long titles wrap on a desk; a phone shows two columns and scrolls.
        scroll={phone ? { x: 'max-content' } : undefined}
        expandable={{
          expandedRowKeys: expanded,
          onExpand: (open, r) =>
            setFolded((f) => {
              const next = new Set(f);
              if (open) next.delete(r.key);
              else next.add(r.key);
              return next;
            }),
        }}
        rowClassName={(r) => `zb-plan-row-${r.kind}${r.kind === 'task' ? ' zb-clickable-row' : ''}`}
        onRow={(r) =>
          ({
            'data-testid': `plan-tree-${r.kind}`,
            'data-key': r.key,
            'data-status': r.task?.status,
            'data-late': r.task ? String(r.task.late) : undefined,
            onClick: (e) => {
              if (r.kind !== 'task' || (e.target as HTMLElement).closest('a,button,.ant-table-row-expand-icon')) return;
              navigate(`/plan/tasks/${r.key}`);
            },
          }) as HTMLAttributes<HTMLElement>
        }
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('common.emptyFiltered') : t('plan.noTasks')} /> }}
        data-testid="plan-tree"
      />
    </Card>
  );
}

/** 滞后清单: the tasks late now (reported late, or past a date without a done report), with the same unit and status filters. */
function LateList({ planId, filters, page, onPage }: { planId: string; filters: Filters; page: number; onPage: (p: number) => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const query = { planId, ...filters, late: 'true', page, pageSize: 20 };
  const list = useAsync((signal) => api.get<ListResult<PlanTask>>('/api/plan-tasks', query, signal), [JSON.stringify(query)]);
  const today = shanghaiDate(new Date());
  const columns: TableColumnsType<PlanTask> = [
    {
      key: 'title',
      title: t('plan.col.title'),
      render: (_, x) => (
        <Link to={`/plan/tasks/${x.id}`} data-testid="plan-late-link">
          {x.title}
        </Link>
      ),
    },
    { key: 'status', title: t('plan.col.status'), render: (_, x) => <TaskState task={x} testId="plan-late-status" /> },
    { key: 'lead', title: t('plan.col.lead'), render: (_, x) => <UnitLink unit={x.leadUnit} /> },
    { key: 'due', title: t('plan.col.due'), render: (_, x) => formatDate(x.dueOn) },
    {
      key: 'why',
      title: t('plan.col.why'),
      render: (_, x) => {
        const late = x.milestones.filter((m) => m.late);
        if (late.length) return late.map((m) => <div key={m.id}>{`${m.title}（${formatDate(m.dueOn)}）`}</div>);
        return <Typography.Text type="secondary">{x.reportedStatus === 'late' ? t('plan.reportedLate') : x.dueOn && x.dueOn < today ? t('plan.pastDue') : '—'}</Typography.Text>;
      },
    },
    { key: 'measure', title: t('plan.col.measure'), render: (_, x) => (x.measureNo ? measureName(x.measureNo, lang) : x.originType === 'meeting' ? <Tag>{t('plan.fromMeeting')}</Tag> : '—') },
    { key: 'last', title: t('plan.col.lastReport'), render: (_, x) => formatDate(x.lastReportAt) },
  ];
  return (
    <TableCard<PlanTask>
      title={t('plan.view.late')}
      list={list}
      columns={phone ? columns.filter((c) => ['title', 'status'].includes(String(c.key))) : columns}
      empty={t('plan.noLate')}
      testId="plan-late-table"
      paging={{ page, onChange: onPage }}
      onRowClick={(x) => navigate(`/plan/tasks/${x.id}`)}
    />
  );
}
