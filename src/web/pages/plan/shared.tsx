import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Form, Input, Select, Tag } from 'antd';
import type dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { TASK_STATUS_LABELS } from '../../../shared/contracts/tasks';
import type { Plan, PlanTask, PlanTree, PlanUnit, PlanUnitView, TaskStatus } from '../../../shared/contracts/tasks';
import type { Me } from '../../../shared/contracts/users';
import { shanghaiDate } from '../../../shared/dates';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { scopeOf } from '../../format';
import { useAsync, useDepartments, useDistricts } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang } from '../../i18n';

/** The hex the status colours stand for, where a tag cannot be used (the timeline's bars). */
export const STATUS_HEX: Record<TaskStatus, string> = { not_started: '#bfbfbf', on_track: '#52c41a', at_risk: '#fa8c16', late: '#f5222d', done: '#1677ff' };

export function TaskStatusTag({ status, testId }: { status: TaskStatus; testId?: string }) {
  const { lang } = useLang();
  const label = TASK_STATUS_LABELS[status];
  return (
    <Tag color={label.color} data-testid={testId} data-status={status}>
      {pick(lang, label)}
    </Tag>
  );
}

/** A task's status, with 待报告 when this period's report is still owed. */
export function TaskState({ task, testId }: { task: Pick<PlanTask, 'status' | 'reportDue'>; testId?: string }) {
  const t = useT();
  return (
    <span className="zb-plan-state">
      <TaskStatusTag status={task.status} testId={testId} />
      {task.reportDue && task.status !== 'done' && <Tag>{t('plan.reportDue')}</Tag>}
    </span>
  );
}

const ZH_NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 行动一 / Action 1. */
export function actionName(no: number, lang: Lang): string {
  return lang === 'zh' ? `行动${ZH_NUMERALS[no] ?? no}` : `Action ${no}`;
}

/** 措施14 / Measure 14. */
export function measureName(no: number, lang: Lang): string {
  return lang === 'zh' ? `措施${no}` : `Measure ${no}`;
}

// ─── Units ───────────────────────────────────────────────────────────────────

/** A unit as one select value: `city`, `district:310115`, `department:<id>`. */
export function unitKey(u: PlanUnit | PlanUnitView): string {
  if (u.kind === 'district') return `district:${u.code}`;
  if (u.kind === 'department') return `department:${u.departmentId}`;
  return 'city';
}

export function unitOf(key: string): PlanUnit {
  const [kind, id] = key.split(':');
  if (kind === 'district') return { kind, code: id };
  if (kind === 'department') return { kind, departmentId: id };
  return { kind: 'city' };
}

/** The unit a user speaks for: their department, their district, or the city's office. */
export function ownUnit(me: Me): PlanUnit | null {
  if (me.role === 'dept_officer' && me.departmentId) return { kind: 'department', departmentId: me.departmentId };
  const scope = scopeOf(me.regionCode);
  if (scope.level === 'city') return { kind: 'city' };
  if (scope.level === 'district' && scope.districtCode) return { kind: 'district', code: scope.districtCode };
  return null;
}

/** The unit filter a query takes (`districtCode` or `departmentId`). */
export function unitQuery(u: PlanUnit | null): Record<string, string | undefined> {
  if (!u) return {};
  return { unitKind: u.kind, districtCode: u.code, departmentId: u.departmentId };
}

/** A unit's page: `/plan/units/district/310115`, `/plan/units/department/<id>`, `/plan/units/city/310000`. */
export function unitPath(u: PlanUnitView): string {
  const key = u.kind === 'department' ? u.departmentId : u.code;
  return `/plan/units/${u.kind}/${encodeURIComponent(key ?? '')}`;
}

/** A unit's name opening its page (not the row it sits in: a task's, a quarter's). */
export function UnitLink({ unit }: { unit: PlanUnitView }) {
  return (
    <Link to={unitPath(unit)} onClick={(e) => e.stopPropagation()} data-testid="plan-unit-link">
      {unit.name}
    </Link>
  );
}

/** One choice among the city's office, the districts and the departments. */
export function UnitSelect({
  id,
  value,
  onChange,
  placeholder,
  allowClear = true,
  withCity = true,
  'data-testid': testId,
}: {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  withCity?: boolean;
  'data-testid'?: string;
}) {
  const t = useT();
  const districts = useDistricts();
  const departments = useDepartments();
  const options = useMemo(
    () => [
      ...(withCity ? [{ value: 'city', label: t('plan.unit.city') }] : []),
      { label: t('plan.unit.districts'), title: 'districts', options: (districts.data ?? []).map((d) => ({ value: `district:${d.code}`, label: d.name })) },
      { label: t('plan.unit.departments'), title: 'departments', options: (departments.data ?? []).map((d) => ({ value: `department:${d.id}`, label: d.name })) },
    ],
    [t, districts.data, departments.data, withCity],
  );
  return (
    <Select
      id={id}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      options={options}
      placeholder={placeholder}
      allowClear={allowClear}
      loading={districts.loading || departments.loading}
      showSearch={{ optionFilterProp: 'label' }}
      popupMatchSelectWidth={false}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}

export function DepartmentSelect({ value, onChange, placeholder, 'data-testid': testId }: { value?: string; onChange?: (v: string | undefined) => void; placeholder?: string; 'data-testid'?: string }) {
  const departments = useDepartments();
  return (
    <Select
      allowClear
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={placeholder}
      loading={departments.loading}
      options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
      popupMatchSelectWidth={false}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}

// ─── The plan and its measures ──────────────────────────────────────────────

const treeCache = new Map<string, Promise<PlanTree>>();

export function usePlans() {
  return useAsync((signal) => api.get<ListResult<Plan>>('/api/plans', { pageSize: 50 }, signal), []);
}

/** The newest plan's thirty measures, for the pickers (loaded once a page load). */
function fetchMeasures(): Promise<PlanTree> {
  const key = 'newest';
  let p = treeCache.get(key);
  if (!p) {
    p = api.get<ListResult<Plan>>('/api/plans', { pageSize: 1 }).then((plans) => {
      if (!plans.items[0]) throw new Error('no plan');
      return api.get<PlanTree>(`/api/plans/${encodeURIComponent(plans.items[0].id)}/tree`);
    });
    treeCache.set(key, p);
    p.catch(() => treeCache.delete(key));
  }
  return p;
}

/** The measures as select options, grouped by their action. */
export function measureOptions(tree: PlanTree | undefined, lang: Lang) {
  return (tree?.actions ?? []).map((a) => ({
    label: `${actionName(a.no, lang)} ${a.title}`,
    title: String(a.no),
    options: a.measures.map((m) => ({ value: m.no, label: `${measureName(m.no, lang)} ${m.title}` })),
  }));
}

/** One of the plan's measures: of `tree` when given, else of the newest plan. */
export function MeasureSelect({ id, value, onChange, placeholder, tree, 'data-testid': testId }: { id?: string; value?: number; onChange?: (v: number | undefined) => void; placeholder?: string; tree?: PlanTree; 'data-testid'?: string }) {
  const { lang } = useLang();
  const newest = useAsync(() => (tree ? Promise.resolve(tree) : fetchMeasures()), [tree]);
  const options = useMemo(() => measureOptions(newest.data, lang), [newest.data, lang]);
  return (
    <Select
      id={id}
      value={value}
      onChange={(v: number | undefined) => onChange?.(v)}
      options={options}
      allowClear
      placeholder={placeholder}
      loading={newest.loading}
      showSearch={{ optionFilterProp: 'label' }}
      popupMatchSelectWidth={false}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}

/** Plan tasks picked by name as the user types (a duty list's yearly task linked to them). */
export function TaskPicker({ id, value, onChange, placeholder }: { id?: string; value?: string[]; onChange?: (v: string[]) => void; placeholder?: string }) {
  const [q, setQ] = useState('');
  // The names of the tasks chosen, so that they stay readable whatever the search shows.
  const [names, setNames] = useState<Record<string, string>>({});
  const found = useAsync(
    (signal) => new Promise((r) => setTimeout(r, 300)).then(() => api.get<ListResult<PlanTask>>('/api/plan-tasks', { q: q.trim() || undefined, pageSize: 20 }, signal)),
    [q],
  );
  const options = useMemo(() => {
    const fresh = (found.data?.items ?? []).map((x) => ({ value: x.id, label: x.title }));
    const chosen = (value ?? []).filter((v) => !fresh.some((o) => o.value === v)).map((v) => ({ value: v, label: names[v] ?? v }));
    return [...chosen, ...fresh];
  }, [found.data, value, names]);
  return (
    <Select
      id={id}
      mode="multiple"
      value={value}
      onChange={(v: string[]) => {
        setNames((n) => ({ ...n, ...Object.fromEntries(options.filter((o) => v.includes(o.value)).map((o) => [o.value, o.label])) }));
        onChange?.(v);
      }}
      options={options}
      placeholder={placeholder}
      loading={found.loading}
      showSearch={{ filterOption: false, onSearch: setQ }}
      style={{ width: '100%' }}
    />
  );
}

// ─── Form pieces ────────────────────────────────────────────────────────────

/** One entry of a form's list (a meeting's decision, a sub-plan's task): a titled card with its remove button. */
export function RemovableCard({ title, onRemove, testId, children }: { title: ReactNode; onRemove: () => void; testId?: string; children: ReactNode }) {
  const t = useT();
  return (
    <Card size="small" title={title} extra={<Button type="text" size="small" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('plan.remove')} title={t('plan.remove')} />} data-testid={testId}>
      {children}
    </Card>
  );
}

/** A task's milestones in a form: each a title and a date; a kept one carries its id (its done date stays). */
export function MilestoneList({ name }: { name: string | (string | number)[] }) {
  const t = useT();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={4} style={{ marginTop: 8 }}>
          {fields.map((f) => (
            <Flex key={f.key} gap={8} align="flex-start">
              <Form.Item name={[f.name, 'id']} hidden>
                <Input />
              </Form.Item>
              <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true, min: 2, message: t('plan.ms.titleMin') }]} style={{ flex: 1, marginBottom: 8 }}>
                <Input maxLength={200} placeholder={t('plan.ms.title')} />
              </Form.Item>
              <Form.Item name={[f.name, 'dueOn']} rules={[{ required: true, message: t('common.select', { field: t('plan.ms.due') }) }]} style={{ marginBottom: 8 }}>
                <DatePicker placeholder={t('plan.ms.due')} />
              </Form.Item>
              <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('plan.remove')} title={t('plan.remove')} />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '', dueOn: undefined })} disabled={fields.length >= 40}>
            {t('plan.ms.add')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/** Every page of a short list (a year's meetings, the duty lists), for a workbook made in the browser. */
export async function fetchAll<T>(path: string, query: Record<string, string | number | undefined>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const r = await api.get<ListResult<T>>(path, { ...query, page, pageSize: 200 });
    out.push(...r.items);
    if (!r.items.length || out.length >= r.total) return out;
  }
}

/** A day after today in Shanghai, whose calendar the plan's dates follow (a meeting cannot be held tomorrow). */
export const afterToday = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD') > shanghaiDate(new Date());

/** The years a plan page offers: the plan's own (2024–2026) and this one. */
export function planYears(thisYear: number): number[] {
  return [...new Set([2024, 2025, 2026, thisYear])].sort();
}
