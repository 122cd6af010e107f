import { FileExcelOutlined, FileWordOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { DUTY_KIND_LABELS, UNIT_KINDS } from '../../../shared/contracts/tasks';
import type { Compliance, DutyList, Meeting, PlanTask, UnitKind } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { api, fileUrl } from '../../api';
import type { ListResult } from '../../api';
import { DocButton } from '../../components/DocButton';
import { BlockLoading, ErrorState, PageLoading } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { TableCard } from '../../components/TableCard';
import { formatDate } from '../../format';
import { useAsync, useDepartments, useDistricts, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { CellTag, useMeetingColumns } from './MeetingParts';
import { measureName, planYears, TaskState, TaskStatusTag, UnitLink } from './shared';
import { SubplansCard } from './Subplans';
import { UnitReportModal } from './UnitReport';
import './plan.css';

type Show = 'due' | 'late';
const thisYear = () => Number(shanghaiDate(new Date()).slice(0, 4));

/** The unit a page is about, as the lists take it and as the plan's selects name it. */
interface Unit {
  kind: UnitKind;
  key: string;
  /** `district:310115`, `department:<id>`, `city` */
  selectKey: string;
  /** the filter of the tasks it leads or shares (the city: the tasks it leads) */
  tasks: Record<string, string>;
  /** the filter of the records it keeps (meetings, lists, sub-plans): a district's or a department's */
  records: Record<string, string>;
}

function unitOfRoute(kind: UnitKind, key: string): Unit {
  if (kind === 'district') return { kind, key, selectKey: `district:${key}`, tasks: { districtCode: key }, records: { districtCode: key } };
  if (kind === 'department') return { kind, key, selectKey: `department:${key}`, tasks: { departmentId: key }, records: { departmentId: key } };
  return { kind, key, selectKey: 'city', tasks: { unitKind: 'city' }, records: {} };
}

/** 本单位: a unit's tasks (and what is due or late), its leaders' meetings this year with the quarters' compliance, its duty lists and its sub-plans. */
export default function PlanUnitPage() {
  const { kind = '', key = '' } = useParams<{ kind: string; key: string }>();
  if (!(UNIT_KINDS as readonly string[]).includes(kind)) return <UnknownUnit />;
  // Another unit is another page: nothing of the previous one shows while the next loads.
  return <UnitView key={`${kind}/${key}`} unit={unitOfRoute(kind as UnitKind, key)} />;
}

function UnknownUnit() {
  const t = useT();
  return (
    <div className="zb-page">
      <PageHeader title={t('plan.up.unknown')} backTo="/plan" />
      <Card className="zb-card">
        <Empty description={t('plan.up.unknown')} />
      </Card>
    </div>
  );
}

/** The unit's name: the district's or the department's from the reference lists, or the city's office. */
function useUnitName(unit: Unit): { name?: string; loading: boolean } {
  const t = useT();
  const districts = useDistricts();
  const departments = useDepartments();
  if (unit.kind === 'city') return { name: t('plan.unit.city'), loading: false };
  const list = unit.kind === 'district' ? districts : departments;
  const found = unit.kind === 'district' ? districts.data?.find((d) => d.code === unit.key)?.name : departments.data?.find((d) => d.id === unit.key)?.name;
  return { name: found, loading: !list.data && !list.error };
}

function UnitView({ unit }: { unit: Unit }) {
  const t = useT();
  const { name, loading } = useUnitName(unit);
  const [reporting, setReporting] = useState(false);
  if (loading) return <PageLoading />;
  if (!name) return <UnknownUnit />;
  return (
    <div className="zb-page" data-testid="plan-unit-page">
      <PageHeader
        title={name}
        subTitle={t(`plan.up.sub.${unit.kind}`)}
        backTo="/plan"
        extra={
          <Button icon={<FileWordOutlined />} onClick={() => setReporting(true)} data-testid="plan-unit-report">
            {t('plan.unitReport')}
          </Button>
        }
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <UnitTasks unit={unit} name={name} />
        {unit.kind !== 'city' && (
          <>
            <UnitMeetings unit={unit} />
            <UnitDutyLists unit={unit} />
            <SubplansCard title={t('plan.view.subplans')} query={unit.records} withUnit={false} testId="plan-unit-subplans" />
          </>
        )}
      </Space>
      {reporting && <UnitReportModal unit={unit.selectKey} unitName={name} onClose={() => setReporting(false)} />}
    </div>
  );
}

/** Whether the unit leads the task (else it is one of its co-units). */
function leads(unit: Unit, x: PlanTask): boolean {
  if (unit.kind === 'city') return x.leadUnit.kind === 'city';
  return unit.kind === 'district' ? x.leadUnit.code === unit.key : x.leadUnit.departmentId === unit.key;
}

/** The unit's tasks: all of them, those whose report is due this period, or the late ones; each count one cheap request. */
function UnitTasks({ unit, name }: { unit: Unit; name: string }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { params, set } = useUrlParams();
  const asked = params.get('tasks');
  const show: Show | undefined = asked === 'due' || asked === 'late' ? asked : undefined;
  const page = Number(params.get('page') ?? 1);
  const filter = show === 'due' ? { reportDue: 'true' } : show === 'late' ? { late: 'true' } : {};
  const list = useAsync((signal) => api.get<ListResult<PlanTask>>('/api/plan-tasks', { ...unit.tasks, ...filter, page, pageSize: 20 }, signal), [show, page]);
  const counts = useAsync(
    (signal) =>
      Promise.all([{}, { reportDue: 'true' }, { late: 'true' }].map((f) => api.get<ListResult<PlanTask>>('/api/plan-tasks', { ...unit.tasks, ...f, pageSize: 1 }, signal).then((r) => r.total))),
    [],
  );
  const [all, due, late] = counts.data ?? [];
  const count = (n: number | undefined) => (n === undefined ? '' : ` ${n}`);
  const columns: TableColumnsType<PlanTask> = [
    {
      key: 'title',
      title: t('plan.col.title'),
      render: (_, x) => (
        <span className="zb-plan-task-title">
          <Link to={`/plan/tasks/${x.id}`} data-testid="plan-unit-task-link">
            {x.title}
          </Link>
          {x.originType === 'meeting' && <Tag style={{ marginInlineStart: 6 }}>{t('plan.fromMeeting')}</Tag>}
          {!leads(unit, x) && <Tag style={{ marginInlineStart: 6 }}>{t('plan.up.coUnit')}</Tag>}
        </span>
      ),
    },
    { key: 'status', title: t('plan.col.status'), render: (_, x) => <TaskState task={x} testId="plan-unit-task-status" /> },
    { key: 'due', title: t('plan.col.due'), render: (_, x) => <Typography.Text type={x.late ? 'danger' : undefined}>{formatDate(x.dueOn)}</Typography.Text> },
    { key: 'measure', title: t('plan.col.measure'), render: (_, x) => (x.measureNo ? measureName(x.measureNo, lang) : '—') },
    { key: 'lead', title: t('plan.col.lead'), render: (_, x) => (leads(unit, x) ? <Typography.Text type="secondary">{t('plan.ownUnit')}</Typography.Text> : <UnitLink unit={x.leadUnit} />) },
    { key: 'last', title: t('plan.col.lastReport'), render: (_, x) => formatDate(x.lastReportAt) },
  ];
  return (
    <TableCard<PlanTask>
      title={t('plan.up.tasks')}
      extra={
        <DocButton size="small" icon={<FileExcelOutlined />} path="/api/plan-tasks/export.xlsx" query={{ ...unit.tasks, ...filter }} fileName={`${name}-${t('plan.exportName')}.xlsx`} data-testid="plan-unit-export">
          {t('plan.export')}
        </DocButton>
      }
      before={
        <Segmented<string>
          value={show ?? 'all'}
          onChange={(v) => set({ tasks: v === 'all' ? null : v, page: null })}
          options={[
            { value: 'all', label: <span data-testid="plan-unit-show-all">{`${t('common.all')}${count(all)}`}</span> },
            { value: 'due', label: <span data-testid="plan-unit-show-due">{`${t('plan.up.filter.due')}${count(due)}`}</span> },
            { value: 'late', label: <span data-testid="plan-unit-show-late">{`${t('plan.up.filter.late')}${count(late)}`}</span> },
          ]}
          style={{ marginBottom: 8 }}
        />
      }
      list={list}
      columns={phone ? columns.filter((c) => c.key === 'title' || c.key === 'status') : columns}
      empty={show === 'due' ? t('plan.up.noDue') : show === 'late' ? t('plan.noLate') : t('plan.noTasks')}
      testId="plan-unit-tasks"
      paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
      onRowClick={(x) => navigate(`/plan/tasks/${x.id}`)}
    />
  );
}

/** The unit's meetings of a year, under its quarters' compliance (a unit outside the reader's own has no row). */
function UnitMeetings({ unit }: { unit: Unit }) {
  const t = useT();
  const phone = useIsPhone();
  const { params, set } = useUrlParams();
  const year = Number(params.get('year') ?? thisYear());
  const [page, setPage] = useState(1);
  const columns = useMeetingColumns({ withUnit: false });
  const compliance = useAsync((signal) => api.get<Compliance>('/api/meetings/compliance', { year }, signal), [year]);
  const list = useAsync((signal) => api.get<ListResult<Meeting>>('/api/meetings', { ...unit.records, year, page, pageSize: 20 }, signal), [year, page]);
  const row = compliance.data?.units.find((r) => r.unit.kind === unit.kind && (r.unit.code ?? r.unit.departmentId) === unit.key);
  const meetingsPage = `/plan/meetings?${new URLSearchParams({ unit: unit.selectKey, ...(year === thisYear() ? {} : { year: String(year) }) }).toString()}`;
  return (
    <TableCard<Meeting>
      title={t('plan.up.meetings', { year })}
      extra={
        <Flex gap={8} align="center">
          <Select
            size="small"
            value={year}
            onChange={(v) => {
              setPage(1);
              set({ year: v === thisYear() ? null : String(v) });
            }}
            options={planYears(thisYear()).map((y) => ({ value: y, label: t('plan.year', { y }) }))}
            style={{ width: 100 }}
            aria-label={t('plan.yearLabel')}
          />
          <Link to={meetingsPage}>{t('plan.up.allMeetings')}</Link>
        </Flex>
      }
      before={
        <div className="zb-plan-unit-quarters" data-testid="plan-unit-compliance">
          {compliance.error && !compliance.loading ? (
            <ErrorState error={compliance.error} onRetry={compliance.reload} />
          ) : !compliance.data ? null : row ? (
            <Flex gap="8px 20px" wrap align="center">
              {row.cells.map((cell) => (
                <span key={cell.quarter}>
                  <Typography.Text type="secondary">{`${t('plan.mt.quarter', { q: cell.quarter })} `}</Typography.Text>
                  <CellTag cell={cell} />
                </span>
              ))}
              {row.missed > 0 ? <Typography.Text type="danger">{`${t('plan.mt.missedCol')} ${row.missed}`}</Typography.Text> : null}
            </Flex>
          ) : (
            <Typography.Text type="secondary">{t('plan.up.noRow')}</Typography.Text>
          )}
        </div>
      }
      list={list}
      columns={phone ? columns.filter((c) => c.key === 'heldOn' || c.key === 'title') : columns}
      empty={t('plan.mt.none')}
      testId="plan-unit-meetings"
      paging={{ page, onChange: setPage }}
    />
  );
}

/** The unit's duty lists, each opening on its items and the plan tasks they serve. */
function UnitDutyLists({ unit }: { unit: Unit }) {
  const t = useT();
  const { lang } = useLang();
  const lists = useAsync((signal) => api.get<ListResult<DutyList>>('/api/duty-lists', { ...unit.records, pageSize: 50 }, signal), []);
  const columns: TableColumnsType<DutyList> = [
    { key: 'kind', title: t('plan.dl.kind'), render: (_, d) => <Tag color={d.kind === 'duty' ? 'geekblue' : 'purple'}>{`${pick(lang, DUTY_KIND_LABELS[d.kind])}${d.year ? ` ${d.year}` : ''}`}</Tag> },
    {
      key: 'title',
      title: t('plan.dl.title'),
      render: (_, d) => (
        <span>
          {d.title}
          {d.fileId && (
            <a href={fileUrl(d.fileId)} target="_blank" rel="noopener noreferrer" style={{ marginInlineStart: 8 }}>
              <PaperClipOutlined /> {t('plan.dl.file')}
            </a>
          )}
          <div>
            <Typography.Text type="secondary">{d.sourceDoc}</Typography.Text>
          </div>
        </span>
      ),
    },
    { key: 'items', title: t('plan.dl.itemCount'), align: 'right', render: (_, d) => d.items.length },
  ];
  return (
    <Card className="zb-card" size="small" title={t('plan.dl.pageTitle')} extra={<Link to={`/plan/duty-lists?unit=${encodeURIComponent(unit.selectKey)}`}>{t('plan.up.openLists')}</Link>}>
      {lists.error && !lists.loading ? (
        <ErrorState error={lists.error} onRetry={lists.reload} />
      ) : !lists.data ? (
        <BlockLoading />
      ) : (
        <Table<DutyList>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={lists.data.items}
          pagination={false}
          expandable={{ expandedRowRender: (d) => <DutyItems list={d} />, rowExpandable: (d) => d.items.length > 0 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.dl.none')} /> }}
          data-testid="plan-unit-duty-lists"
        />
      )}
    </Card>
  );
}

function DutyItems({ list }: { list: DutyList }) {
  return (
    <ol className="zb-plan-duty-items">
      {[...list.items]
        .sort((a, b) => a.seq - b.seq)
        .map((i) => (
          <li key={i.id} value={i.seq}>
            <span className="zb-pre">{i.text}</span>
            {i.planTasks.map((x) => (
              <div key={x.id}>
                <Link to={`/plan/tasks/${x.id}`}>{x.title}</Link> <TaskStatusTag status={x.status} />
              </div>
            ))}
          </li>
        ))}
    </ol>
  );
}
