import { Alert, App, Button, Card, Drawer, Flex, Form, Input, Progress, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import type { KeyUnitsResult, Plan, PlanItem, PlanSummary } from '../../../shared/contracts/enforcement';
import { STANDARDIZATION_LABELS } from '../../../shared/roles';
import { api, ApiError } from '../../api';
import type { ListResult } from '../../api';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { DistrictSelect } from '../../components/RegionSelects';
import { TableCard } from '../../components/TableCard';
import { RiskTag } from '../../components/Tags';
import { problemText } from '../../errors';
import { formatDateTime, scopeOf } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang } from '../../i18n';
import { useMe } from '../../session';
import { mayManageEnforcement, thisYear, yearOptions } from './access';
import { MatrixGrid } from './MatrixView';
import type { ViewProps } from './viewParams';

type Summary = z.infer<typeof PlanSummary>;
type Item = z.infer<typeof PlanItem>;
type KeyUnits = z.infer<typeof KeyUnitsResult>;
const ITEM_STATUSES = ['all', 'overdue', 'done', 'key'] as const;


function monthsText(months: number[], lang: Lang): string {
  if (!months.length) return '—';
  return lang === 'zh' ? `${months.join('、')}月` : months.join(', ');
}

/** 年度计划: the plans of a year in scope, generated from the frequency matrix; the key units the office names. */
export function PlansView({ params, set }: ViewProps) {
  const t = useT();
  const me = useMe();
  const scope = scopeOf(me.regionCode);
  const mayPlan = mayManageEnforcement(me);
  const year = Number(params.get('year') ?? thisYear());
  const districtCode = params.get('districtCode') ?? scope.districtCode;
  const list = useAsync((signal) => api.get<ListResult<Summary>>('/api/inspection-plans', { year, districtCode }, signal), [year, districtCode]);
  const [drawer, setDrawer] = useState<'generate' | 'keyUnits' | null>(null);
  const open = params.get('plan');
  const columns: TableColumnsType<Summary> = [
    { key: 'owner', title: t('enf.plan.owner'), render: (_, p) => <a data-testid="enf-plan-open">{`${p.year} · ${p.ownerName || p.districtName}`}</a> },
    { key: 'enterprises', title: t('enf.plan.enterprises'), dataIndex: 'enterprises', align: 'right' },
    { key: 'planned', title: t('enf.plan.planned'), dataIndex: 'planned', align: 'right' },
    { key: 'done', title: t('enf.plan.done'), dataIndex: 'done', align: 'right' },
    { key: 'overdue', title: t('enf.plan.overdue'), align: 'right', render: (_, p) => (p.overdue ? <Typography.Text type="danger">{p.overdue}</Typography.Text> : 0) },
    { key: 'unplanned', title: t('enf.plan.unplanned'), dataIndex: 'unplanned', align: 'right' },
    { key: 'key', title: t('enf.plan.keyUnits'), align: 'right', render: (_, p) => `${p.keyUnitsCovered} / ${p.keyUnits}` },
    { key: 'by', title: t('enf.plan.createdBy'), render: (_, p) => `${p.createdByName} · ${formatDateTime(p.createdAt)}` },
  ];
  return (
    <>
      <TableCard<Summary>
        title={
          <Flex gap={8} wrap align="center">
            <Select value={year} onChange={(v) => set({ year: v === thisYear() ? null : String(v), plan: null })} options={yearOptions()} style={{ width: 100 }} aria-label={t('enf.year')} data-testid="enf-plan-year" />
            {!scope.districtCode && (
              <div style={{ width: 150 }}>
                <DistrictSelect value={districtCode} onChange={(v) => set({ districtCode: v ?? null })} placeholder={t('enf.allDistricts')} />
              </div>
            )}
          </Flex>
        }
        extra={
          mayPlan && (
            <Space wrap size={8}>
              <Button size="small" onClick={() => setDrawer('keyUnits')} data-testid="enf-keyunits-open">
                {t('enf.key.title')}
              </Button>
              <Button type="primary" size="small" onClick={() => setDrawer('generate')} data-testid="enf-plan-generate">
                {t('enf.plan.generate')}
              </Button>
            </Space>
          )
        }
        list={list}
        columns={columns}
        empty={t('enf.plan.none')}
        testId="enf-plan-table"
        onRowClick={(p) => set({ plan: p.id })}
      />
      {drawer === 'generate' && (
        <GenerateDrawer
          year={year}
          onClose={() => setDrawer(null)}
          onDone={(p) => {
            list.reload();
            set({ plan: p.id, year: p.year === thisYear() ? null : String(p.year) });
          }}
        />
      )}
      {drawer === 'keyUnits' && <KeyUnitsDrawer year={year} onClose={() => setDrawer(null)} onDone={list.reload} />}
      {open && <PlanDrawer key={open} id={open} onClose={() => set({ plan: null, itemStatus: null, itemPage: null, q: null })} params={params} set={set} />}
    </>
  );
}

function GenerateDrawer({ year, onClose, onDone }: { year: number; onClose: () => void; onDone: (p: Pick<Plan, 'id' | 'year'>) => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const { message } = App.useApp();
  const scope = scopeOf(me.regionCode);
  const [form] = Form.useForm<{ year: number; districtCode: string }>();
  const { busy, formError, onFinish } = useFormSubmit<{ year: number; districtCode: string }>(form, async (v) => {
    try {
      const plan = await api.post<Plan>('/api/inspection-plans', { ...v, ...(me.role === 'dept_officer' && me.departmentId ? { departmentId: me.departmentId } : {}) });
      message.success(t('enf.plan.generated', { n: plan.planned, e: plan.enterprises }));
      onDone(plan);
    } catch (err) {
      // The year's plan exists already: the answer names it; open it instead.
      const existing = err instanceof ApiError && err.code === 'DUPLICATE' ? err.problem?.errors?.find((e) => e.path === 'year')?.message : undefined;
      if (!existing) throw err;
      message.info(problemText(err, lang, t));
      onDone({ id: existing, year: v.year });
    }
    onClose();
  });
  return (
    <Drawer open title={t('enf.plan.generate')} onClose={onClose} size={480} footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} submitText={t('enf.plan.generate')} testId="enf-plan-submit" />}>
      <Alert type="info" showIcon title={t('enf.plan.generateHint')} style={{ marginBottom: 16 }} />
      <FormError error={formError} />
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ year, districtCode: scope.districtCode }}>
        <Form.Item name="year" label={t('enf.year')} rules={[{ required: true }]}>
          <Select options={yearOptions()} />
        </Form.Item>
        <Form.Item name="districtCode" label={t('enf.district')} rules={[{ required: true, message: t('enf.districtRequired') }]}>
          <DistrictSelect disabled={!!scope.districtCode} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** 重点检查单位: the office pastes its list (one credit code or enterprise id a line); what is unknown comes back by line. */
function KeyUnitsDrawer({ year, onClose, onDone }: { year: number; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const me = useMe();
  const scope = scopeOf(me.regionCode);
  const [form] = Form.useForm<{ year: number; districtCode: string; list: string }>();
  const [result, setResult] = useState<KeyUnits | null>(null);
  const { busy, formError, onFinish } = useFormSubmit<{ year: number; districtCode: string; list: string }>(
    form,
    async (v) => {
      const enterprises = v.list.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
      setResult(await api.post<KeyUnits>('/api/enforcement/key-units', { year: v.year, districtCode: v.districtCode, enterprises }));
      onDone();
    },
    { pathAlias: { enterprises: 'list' } },
  );
  return (
    <Drawer open title={t('enf.key.title')} onClose={onClose} size={560} footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} submitText={t('enf.key.submit')} testId="enf-keyunits-submit" />}>
      <FormError error={formError} />
      {result && (
        <Alert
          type={result.unknown.length ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 16 }}
          title={t('enf.key.result', { added: result.added, already: result.already, total: result.total })}
          description={
            result.unknown.length > 0 && (
              <div className="zb-enf-scroll">
                {result.unknown.map((u) => (
                  <div key={u.row}>{t('enf.key.unknown', { row: u.row, value: u.value, message: u.message })}</div>
                ))}
              </div>
            )
          }
          data-testid="enf-keyunits-result"
        />
      )}
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ year, districtCode: scope.districtCode }}>
        <Flex gap={12}>
          <Form.Item name="year" label={t('enf.year')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={yearOptions()} />
          </Form.Item>
          <Form.Item name="districtCode" label={t('enf.district')} rules={[{ required: true, message: t('enf.districtRequired') }]} style={{ flex: 1 }}>
            <DistrictSelect disabled={!!scope.districtCode} />
          </Form.Item>
        </Flex>
        <Form.Item name="list" label={t('enf.key.list')} extra={t('enf.key.listHint')} rules={[{ required: true, whitespace: true, message: t('enf.key.listRequired') }]}>
          <Input.TextArea rows={10} className="zb-mono" data-testid="enf-keyunits-list" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function PlanDrawer({ id, onClose, params, set }: { id: string; onClose: () => void } & ViewProps) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const plan = useAsync((signal) => api.get<Plan>(`/api/inspection-plans/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const status = (params.get('itemStatus') as (typeof ITEM_STATUSES)[number] | null) ?? 'all';
  const page = Number(params.get('itemPage') ?? 1);
  const q = params.get('q') ?? '';
  const items = useAsync(
    (signal) => api.get<ListResult<Item>>(`/api/inspection-plans/${encodeURIComponent(id)}/items`, { status, page, pageSize: 20, q: q || undefined }, signal),
    [id, status, page, q],
  );
  const p = plan.data;
  const itemColumns: TableColumnsType<Item> = [
    { key: 'name', title: t('enf.col.enterprise'), render: (_, i) => <span>{i.enterpriseName}{i.keyUnit && <Tag color="volcano" style={{ marginLeft: 6 }}>{t('enf.plan.keyUnit')}</Tag>}</span> },
    { key: 'risk', title: t('enf.riskClass'), render: (_, i) => <RiskTag value={i.riskClass} /> },
    { key: 'std', title: t('enf.standardization'), render: (_, i) => pick(lang, STANDARDIZATION_LABELS[i.standardizationLevel]) },
    { key: 'planned', title: t('enf.plan.planned'), dataIndex: 'planned', align: 'right' },
    { key: 'months', title: t('enf.plan.months'), render: (_, i) => monthsText(i.months, lang) },
    { key: 'done', title: t('enf.plan.done'), dataIndex: 'done', align: 'right' },
    { key: 'overdue', title: t('enf.plan.overdue'), align: 'right', render: (_, i) => (i.overdue ? <Typography.Text type="danger">{i.overdue}</Typography.Text> : 0) },
  ];
  const monthColumns: TableColumnsType<{ key: string; label: string; values: number[] }> = [
    { key: 'label', title: '', dataIndex: 'label', fixed: 'left' },
    ...Array.from({ length: 12 }, (_, m) => ({ key: `m${m + 1}`, title: lang === 'zh' ? `${m + 1}月` : String(m + 1), align: 'right' as const, render: (_: unknown, r: { values: number[] }) => r.values[m] ?? 0 })),
  ];
  const byMonth = (k: 'planned' | 'done') => Array.from({ length: 12 }, (_, m) => p?.byMonth.find((x) => x.month === m + 1)?.[k] ?? 0);
  return (
    <Drawer open title={p ? `${p.year} ${p.ownerName || p.districtName} ${t('enf.plan.annual')}` : t('enf.plan.annual')} onClose={onClose} size={phone ? '100%' : 1000} data-testid="enf-plan-drawer">
      {plan.error && !plan.loading ? (
        <ErrorState error={plan.error} onRetry={plan.reload} />
      ) : !p ? (
        <BlockLoading />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <div className="zb-enf-stats" data-testid="enf-plan-figures">
            <Statistic title={t('enf.plan.enterprises')} value={p.enterprises} />
            <Statistic title={t('enf.plan.planned')} value={p.planned} />
            <span data-testid="enf-plan-done">
              <Statistic title={t('enf.plan.done')} value={p.done} />
            </span>
            <Statistic title={t('enf.plan.overdue')} value={p.overdue} styles={{ content: p.overdue ? { color: '#cf1322' } : undefined }} />
            <Statistic title={t('enf.plan.unplanned')} value={p.unplanned} />
            <Statistic title={t('enf.plan.keyUnits')} value={`${p.keyUnitsCovered} / ${p.keyUnits}`} />
          </div>
          <Progress percent={p.planned ? Math.round((p.done / p.planned) * 1000) / 10 : 0} format={(v) => t('enf.plan.progress', { v: v ?? 0 })} />
          <Card size="small" className="zb-card" title={t('enf.plan.byMonth')}>
            <Table
              rowKey="key"
              size="small"
              columns={monthColumns}
              dataSource={[
                { key: 'planned', label: t('enf.plan.planned'), values: byMonth('planned') },
                { key: 'done', label: t('enf.plan.done'), values: byMonth('done') },
              ]}
              pagination={false}
              scroll={{ x: 'max-content' }}
            />
          </Card>
          <Card size="small" className="zb-card" title={t('enf.plan.items')}>
            <Flex gap={8} wrap justify="space-between" align="center">
              <Tabs
                activeKey={status}
                onChange={(k) => set({ itemStatus: k === 'all' ? null : k, itemPage: null })}
                items={ITEM_STATUSES.map((s) => ({ key: s, label: t(`enf.plan.items.${s}`) }))}
                data-testid="enf-plan-item-tabs"
              />
              <Input.Search allowClear defaultValue={q} placeholder={t('enf.plan.searchPh')} onSearch={(v) => set({ q: v.trim() || null, itemPage: null })} style={{ width: phone ? '100%' : 240 }} />
            </Flex>
            {items.error && !items.loading ? (
              <ErrorState error={items.error} onRetry={items.reload} />
            ) : (
              <Table<Item>
                rowKey="enterpriseId"
                size="small"
                columns={phone ? itemColumns.filter((c) => ['name', 'planned', 'done'].includes(String(c.key))) : itemColumns}
                dataSource={items.data?.items ?? []}
                loading={items.loading}
                scroll={{ x: 'max-content' }}
                pagination={{ current: page, pageSize: 20, total: items.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }), onChange: (x) => set({ itemPage: x > 1 ? String(x) : null }) }}
                data-testid="enf-plan-items"
              />
            )}
          </Card>
          <Card size="small" className="zb-card" title={t('enf.plan.matrixUsed')}>
            <MatrixGrid cells={p.matrix} />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

