import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Drawer, Empty, Flex, Input, Progress, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { COVERAGE_GROUPS, TARGET_STATES, VISIT_STATUS_LABELS, VISIT_STATUSES } from '../../../shared/contracts/experts';
import type { Coverage, Expert, ExpertDetail, Programme, ProgrammeInput, Target, Visit, VisitStatus } from '../../../shared/contracts/experts';
import { api, ApiError } from '../../api';
import type { ListResult } from '../../api';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { DistrictSelect } from '../../components/RegionSelects';
import { RemoteSelect } from '../../components/RemoteSelect';
import { DrawerFooter, FormError, useAction } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { TableCard } from '../../components/TableCard';
import { formatDate, formatPercent } from '../../format';
import { useAsync, useIndustries, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { managesExperts } from './access';

type View = 'visits' | 'programmes' | 'pool';
interface ViewProps {
  params: URLSearchParams;
  set: (patch: Record<string, string | null>) => void;
}

const STATUS_COLORS: Record<VisitStatus, string> = { assigned: 'blue', in_progress: 'gold', submitted: 'green', cancelled: 'default' };
export function VisitStatusTag({ status }: { status: VisitStatus }) {
  const { lang } = useLang();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="visit-status">
      {pick(lang, VISIT_STATUS_LABELS[status])}
    </Tag>
  );
}

/** 啄木鸟: an expert's visits; an office's programmes with their coverage and its expert pool; an enterprise's visits. */
export default function ExpertsPage() {
  const t = useT();
  const me = useMe();
  const { params, set, setParams } = useUrlParams();
  const views: View[] = managesExperts(me) ? ['programmes', 'visits', 'pool'] : ['visits'];
  const asked = params.get('view') as View | null;
  const view = asked && views.includes(asked) ? asked : views[0];
  const props = { params, set };
  return (
    <div className="zb-page">
      <PageHeader title={t('exp.title')} />
      {views.length > 1 && (
        <div className="zb-enf-views">
          <Segmented<View> value={view} onChange={(v) => setParams({ view: v }, { replace: true })} options={views.map((v) => ({ value: v, label: t(`exp.view.${v}`) }))} data-testid="exp-view" />
        </div>
      )}
      {view === 'programmes' ? <ProgrammesView {...props} /> : view === 'pool' ? <PoolView /> : <VisitsView {...props} />}
    </div>
  );
}

function VisitsView({ params, set }: ViewProps) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const page = Number(params.get('page') ?? 1);
  const status = params.get('status') ?? undefined;
  const list = useAsync((signal) => api.get<ListResult<Visit>>('/api/expert-visits', { status, page, pageSize: 20 }, signal), [status, page]);
  const columns: TableColumnsType<Visit> = [
    { key: 'enterprise', title: t('exp.col.enterprise'), render: (_, v) => <Link to={`/experts/visits/${v.id}`} data-testid="exp-visit-open">{v.enterpriseName}</Link> },
    { key: 'window', title: t('exp.col.window'), render: (_, v) => `${formatDate(v.from)} — ${formatDate(v.to)}` },
    { key: 'status', title: t('exp.col.status'), render: (_, v) => <VisitStatusTag status={v.status} /> },
    { key: 'experts', title: t('exp.col.experts'), render: (_, v) => v.expertNames.join('、') },
    { key: 'findings', title: t('exp.col.findings'), align: 'right', render: (_, v) => (v.majorFindings ? `${v.findings}（${t('enf.majorOf', { n: v.majorFindings })}）` : v.findings) },
    { key: 'programme', title: t('exp.col.programme'), dataIndex: 'programmeTitle' },
  ];
  return (
    <TableCard<Visit>
      title={me.role === 'expert' ? t('exp.visits.mine') : undefined}
      before={
        <Tabs
          activeKey={status ?? ''}
          onChange={(k) => set({ status: k || null, page: null })}
          items={['', ...VISIT_STATUSES].map((s) => ({ key: s, label: s ? pick(lang, VISIT_STATUS_LABELS[s as VisitStatus]) : t('enf.all') }))}
        />
      }
      list={list}
      columns={phone ? columns.filter((c) => ['enterprise', 'window', 'status'].includes(String(c.key))) : columns}
      empty={t('exp.visits.none')}
      testId="exp-visit-table"
      paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
      onRowClick={(v) => navigate(`/experts/visits/${v.id}`)}
    />
  );
}

function ProgrammesView({ params, set }: ViewProps) {
  const t = useT();
  const list = useAsync((signal) => api.get<ListResult<Programme>>('/api/expert-programmes', undefined, signal), []);
  const open = params.get('programme') ?? list.data?.items[0]?.id ?? null;
  const columns: TableColumnsType<Programme> = [
    { key: 'title', title: t('exp.prog.title'), render: (_, p) => <a data-testid="exp-prog-open">{p.title}</a> },
    { key: 'period', title: t('exp.prog.period'), render: (_, p) => `${formatDate(p.from)} — ${formatDate(p.to)}` },
    { key: 'targets', title: t('exp.prog.targets'), dataIndex: 'targets', align: 'right' },
    { key: 'covered', title: t('exp.prog.covered'), dataIndex: 'covered', align: 'right' },
    { key: 'scheduled', title: t('exp.prog.scheduled'), dataIndex: 'scheduled', align: 'right' },
    { key: 'rate', title: t('exp.prog.coverage'), align: 'right', render: (_, p) => (p.targets ? formatPercent(p.covered / p.targets) : '—') },
  ];
  const [adding, setAdding] = useState(false);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <TableCard<Programme>
        before={
          <Flex justify="flex-end" style={{ marginBottom: 8 }}>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="exp-prog-add">
              {t('exp.prog.add')}
            </Button>
          </Flex>
        }
        list={list}
        columns={columns}
        empty={t('exp.prog.none')}
        testId="exp-prog-table"
        onRowClick={(p) => set({ programme: p.id, page: null, state: null })}
      />
      {adding && <ProgrammeForm onClose={() => setAdding(false)} onDone={(id) => (list.reload(), set({ programme: id, page: null, state: null }))} />}
      {open && <ProgrammePanel key={open} id={open} params={params} set={set} onChanged={list.reload} />}
    </Space>
  );
}

function ProgrammePanel({ id, params, set, onChanged }: ViewProps & { id: string; onChanged: () => void }) {
  const t = useT();
  const groupBy = (params.get('groupBy') ?? 'district') as (typeof COVERAGE_GROUPS)[number];
  const state = params.get('state') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const coverage = useAsync((signal) => api.get<Coverage>(`/api/expert-programmes/${encodeURIComponent(id)}/coverage`, { groupBy }, signal), [id, groupBy]);
  const targets = useAsync((signal) => api.get<ListResult<Target>>(`/api/expert-programmes/${encodeURIComponent(id)}/targets`, { state, page, pageSize: 20 }, signal), [id, state, page]);
  const [assigning, setAssigning] = useState<Target | null>(null);
  const c = coverage.data;
  const reload = () => {
    coverage.reload();
    targets.reload();
    onChanged();
  };
  const columns: TableColumnsType<Target> = [
    { key: 'name', title: t('exp.col.enterprise'), dataIndex: 'enterpriseName' },
    { key: 'state', title: t('exp.col.status'), render: (_, x) => <Tag color={x.state === 'covered' ? 'green' : x.state === 'scheduled' ? 'blue' : 'default'}>{x.state === 'covered' && x.coveredOn ? `${t('exp.state.covered')} · ${formatDate(x.coveredOn)}` : t(`exp.state.${x.state}`)}</Tag> },
    {
      key: 'act',
      title: '',
      render: (_, x) =>
        x.state === 'not_yet' && (
          <Button size="small" onClick={() => setAssigning(x)} data-testid="exp-assign-open">
            {t('exp.prog.assign')}
          </Button>
        ),
    },
  ];
  return (
    <>
      <Card className="zb-card" size="small" data-testid="exp-coverage">
        {coverage.error && !coverage.loading ? (
          <ErrorState error={coverage.error} onRetry={coverage.reload} />
        ) : !c ? (
          <BlockLoading />
        ) : (
          <Flex vertical gap={12}>
            <Flex gap={24} wrap>
              <Statistic title={t('exp.prog.targets')} value={c.targets} />
              <Statistic title={t('exp.prog.covered')} value={c.covered} styles={{ content: { color: '#389e0d' } }} data-testid="exp-covered" data-value={c.covered} />
              <Statistic title={t('exp.prog.scheduled')} value={c.scheduled} />
              <Statistic title={t('exp.prog.notYet')} value={c.notYet} />
              <div style={{ minWidth: 200 }}>
                <Typography.Text type="secondary">{t('exp.prog.projected')}</Typography.Text>
                <div data-testid="exp-projection">
                  {c.projectedFullCoverage ? (
                    <>
                      <Typography.Text strong>{formatDate(c.projectedFullCoverage)}</Typography.Text> <Tag color={c.onTrack ? 'green' : 'red'}>{c.onTrack ? t('exp.prog.onTrack') : t('exp.prog.late')}</Tag>
                    </>
                  ) : (
                    <Typography.Text type="secondary">{t('exp.prog.projectedNone')}</Typography.Text>
                  )}
                </div>
                {c.pacePerMonth !== null && <Typography.Text type="secondary">{t('exp.prog.pace', { n: c.pacePerMonth })}</Typography.Text>}
              </div>
            </Flex>
            <Progress percent={c.targets ? Math.round((c.covered * 1000) / c.targets) / 10 : 0} success={{ percent: c.targets ? (c.covered * 100) / c.targets : 0 }} />
            <Segmented value={groupBy} onChange={(v) => set({ groupBy: v })} options={COVERAGE_GROUPS.map((g) => ({ value: g, label: t(`exp.prog.group.${g}`) }))} />
            <Table
              rowKey="code"
              size="small"
              pagination={c.groups.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
              dataSource={c.groups}
              scroll={{ x: 'max-content' }}
              columns={[
                { key: 'name', title: t(`exp.prog.group.${groupBy}`), dataIndex: 'name' },
                { key: 'targets', title: t('exp.prog.targets'), dataIndex: 'targets', align: 'right' },
                { key: 'covered', title: t('exp.prog.covered'), dataIndex: 'covered', align: 'right' },
                { key: 'scheduled', title: t('exp.prog.scheduled'), dataIndex: 'scheduled', align: 'right' },
                { key: 'notYet', title: t('exp.prog.notYet'), dataIndex: 'notYet', align: 'right' },
                { key: 'rate', title: t('exp.prog.coverage'), align: 'right', render: (_, g) => (g.targets ? formatPercent(g.covered / g.targets) : '—') },
              ]}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
            />
          </Flex>
        )}
      </Card>
      <TableCard<Target>
        title={t('exp.prog.targetsTitle')}
        rowKey="enterpriseId"
        before={<Tabs activeKey={state ?? ''} onChange={(k) => set({ state: k || null, page: null })} items={['', ...TARGET_STATES].map((s) => ({ key: s, label: s ? t(`exp.state.${s as (typeof TARGET_STATES)[number]}`) : t('enf.all') }))} />}
        list={targets}
        columns={columns}
        empty={t('exp.prog.none')}
        testId="exp-target-table"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
      />
      {assigning && <AssignDrawer programmeId={id} target={assigning} onClose={() => setAssigning(null)} onDone={reload} />}
    </>
  );
}

function AssignDrawer({ programmeId, target, onClose, onDone }: { programmeId: string; target: Target; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const phone = useIsPhone();
  const experts = useAsync((signal) => api.get<ListResult<Expert>>('/api/experts', { assignable: 'true', enterpriseId: target.enterpriseId, pageSize: 100 }, signal), [target.enterpriseId]);
  const [expertIds, setExpertIds] = useState<string[]>([]);
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs(), dayjs().add(14, 'day')]);
  const { busy, error, setError, run } = useAction();
  const send = async () => {
    if (!expertIds.length) return setError(t('exp.assign.expertsPh'));
    const body = { programmeId, enterpriseId: target.enterpriseId, expertIds, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
    if (await run(() => api.post('/api/expert-assignments', body), t('exp.assign.done'))) {
      onDone();
      onClose();
    }
  };
  return (
    <Drawer
      open
      title={t('exp.assign.title', { name: target.enterpriseName })}
      size={phone ? '100%' : 480}
      onClose={onClose}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => void send()} submitText={t('exp.assign.submit')} busy={busy} testId="exp-assign-submit" />}
      data-testid="exp-assign-drawer"
    >
      <Flex vertical gap={12}>
        <FormError error={error} />
        <Typography.Text>{t('exp.assign.experts')}</Typography.Text>
        <Select
          mode="multiple"
          optionFilterProp="label"
          loading={experts.loading}
          placeholder={t('exp.assign.expertsPh')}
          value={expertIds}
          onChange={setExpertIds}
          options={(experts.data?.items ?? []).map((e) => ({ value: e.userId, label: `${e.name}${e.title ? ` · ${e.title}` : ''}${e.matchesSpecialty ? ` · ${t('exp.pool.match')}` : ''}` }))}
          data-testid="exp-assign-experts"
        />
        <Typography.Text>{t('exp.assign.window')}</Typography.Text>
        <DatePicker.RangePicker value={range} inputReadOnly={phone} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
      </Flex>
    </Drawer>
  );
}

function PoolView() {
  const t = useT();
  const list = useAsync((signal) => api.get<ListResult<Expert>>('/api/experts', { pageSize: 100 }, signal), []);
  const columns: TableColumnsType<Expert> = [
    { key: 'name', title: t('exp.pool.name'), render: (_, e) => `${e.name}${e.title ? ` · ${e.title}` : ''}` },
    { key: 'by', title: t('exp.pool.appointedBy'), dataIndex: 'appointedBy' },
    { key: 'term', title: t('exp.pool.term'), render: (_, e) => `${formatDate(e.appointedFrom)} — ${formatDate(e.appointedTo)}` },
    { key: 'industries', title: t('exp.pool.specialties'), render: (_, e) => e.industries.join('、') || '—' },
    {
      key: 'status',
      title: t('exp.pool.status'),
      render: (_, e) => (e.status === 'suspended' ? <Tag color="red" title={e.suspendedReason ?? undefined}>{t('exp.pool.suspended')}</Tag> : e.lapsed ? <Tag>{t('exp.pool.lapsed')}</Tag> : <Tag color="green">{t('exp.pool.active')}</Tag>),
    },
  ];
  const [open, setOpen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  return (
    <>
      <TableCard<Expert>
        rowKey="userId"
        before={
          <Flex justify="flex-end" style={{ marginBottom: 8 }}>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="exp-pool-add">
              {t('exp.pool.add')}
            </Button>
          </Flex>
        }
        list={list}
        columns={columns}
        empty={t('exp.pool.none')}
        testId="exp-pool-table"
        onRowClick={(e) => setOpen(e.userId)}
      />
      {open && <ExpertDrawer key={open} id={open} onClose={() => setOpen(null)} onChanged={list.reload} />}
      {adding && <AddExpertDrawer onClose={() => setAdding(false)} onDone={(id) => (list.reload(), setOpen(id))} />}
    </>
  );
}

/** An expert's record of quality, and suspending or restoring them (with a reason, audited). */
function ExpertDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const phone = useIsPhone();
  const detail = useAsync((signal) => api.get<ExpertDetail>(`/api/experts/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const e = detail.data;
  const change = async (status: 'active' | 'suspended') => {
    if (!e) return;
    const body = { version: e.version, status, reason: status === 'suspended' ? reason.trim() : undefined };
    if (await run(() => api.patch(`/api/experts/${encodeURIComponent(id)}`, body), status === 'suspended' ? t('exp.pool.suspendedDone') : t('exp.pool.restoredDone'))) {
      detail.reload();
      onChanged();
    }
  };
  const q = e?.quality;
  return (
    <Drawer open title={e ? `${e.name}${e.title ? ` · ${e.title}` : ''}` : t('exp.view.pool')} size={phone ? '100%' : 520} onClose={onClose} data-testid="exp-expert-drawer">
      {detail.error && !detail.loading ? (
        <ErrorState error={detail.error} onRetry={detail.reload} />
      ) : !e || !q ? (
        <BlockLoading />
      ) : (
        <Flex vertical gap={16}>
          <Typography.Text type="secondary">{`${e.appointedBy} · ${formatDate(e.appointedFrom)} — ${formatDate(e.appointedTo)}`}</Typography.Text>
          <Flex gap={20} wrap data-testid="exp-quality">
            <Statistic title={t('exp.q.visits')} value={q.submitted} suffix={`/ ${q.visits}`} />
            <Statistic title={t('exp.q.findings')} value={q.findings} />
            <Statistic title={t('exp.q.major')} value={q.majorFindings} />
            <Statistic title={t('exp.q.confirmed')} value={q.confirmed} />
            <Statistic title={t('exp.q.voided')} value={q.voided} />
            <Statistic title={t('exp.q.feedback')} value={q.feedbackAverage ?? '—'} suffix={q.feedbackCount ? t('exp.q.feedbackN', { n: q.feedbackCount }) : undefined} />
          </Flex>
          <ConflictsCard expert={e} onChanged={detail.reload} />
          <FormError error={error} />
          {e.status === 'suspended' ? (
            <Flex vertical gap={8}>
              <Typography.Text type="danger">{`${t('exp.pool.suspended')}：${e.suspendedReason ?? ''}`}</Typography.Text>
              <Button loading={busy} onClick={() => void change('active')} data-testid="exp-restore">
                {t('exp.pool.restore')}
              </Button>
            </Flex>
          ) : (
            <Flex vertical gap={8}>
              <Input.TextArea rows={2} maxLength={500} placeholder={t('exp.pool.suspendReason')} value={reason} onChange={(x) => setReason(x.target.value)} data-testid="exp-suspend-reason" />
              <Button danger disabled={reason.trim().length < 2} loading={busy} onClick={() => void change('suspended')} data-testid="exp-suspend">
                {t('exp.pool.suspend')}
              </Button>
            </Flex>
          )}
        </Flex>
      )}
    </Drawer>
  );
}

/** Industry divisions (GB/T 4754 大类), several. */
function DivisionsSelect({ value, onChange, placeholder, testId }: { value: string[]; onChange: (v: string[]) => void; placeholder?: string; testId?: string }) {
  const industries = useIndustries();
  const options = useMemo(() => (industries.data ?? []).filter((i) => i.level === 'division').map((d) => ({ value: d.code, label: `${d.code} ${d.name}` })), [industries.data]);
  return <Select mode="multiple" optionFilterProp="label" value={value} onChange={onChange} options={options} placeholder={placeholder} loading={industries.loading} data-testid={testId} />;
}

async function searchCandidates(q: string, signal: AbortSignal) {
  const list = await api.get<ListResult<{ userId: string; name: string; username: string }>>('/api/experts/candidates', { q: q || undefined }, signal);
  return list.items.map((c) => ({ value: c.userId, label: `${c.name}（${c.username}）`, record: c }));
}

/** 添加专家: an expert account an administrator created joins the office's pool with its appointment and specialties. */
function AddExpertDrawer({ onClose, onDone }: { onClose: () => void; onDone: (id: string) => void }) {
  const t = useT();
  const phone = useIsPhone();
  const [userId, setUserId] = useState<string | undefined>();
  const [appointedBy, setAppointedBy] = useState('');
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs().startOf('year'), dayjs().startOf('year').add(3, 'year').subtract(1, 'day')]);
  const [title, setTitle] = useState('');
  const [industries, setIndustries] = useState<string[]>([]);
  const { busy, error, setError, run } = useAction();
  const send = async () => {
    if (!userId) return setError(t('exp.pool.accountPh'));
    const body = { userId, appointedBy: appointedBy.trim(), appointedFrom: range[0].format('YYYY-MM-DD'), appointedTo: range[1].format('YYYY-MM-DD'), title: title.trim() || undefined, industries };
    if (await run(() => api.post('/api/experts', body), t('exp.pool.added'))) {
      onDone(userId);
      onClose();
    }
  };
  return (
    <Drawer open title={t('exp.pool.addTitle')} size={phone ? '100%' : 520} onClose={onClose} footer={<DrawerFooter onCancel={onClose} onSubmit={() => void send()} busy={busy} testId="exp-pool-add-submit" />} data-testid="exp-pool-add-drawer">
      <Flex vertical gap={12}>
        <FormError error={error} />
        <Typography.Text>{t('exp.pool.account')}</Typography.Text>
        <RemoteSelect value={userId} onChange={(v) => setUserId(v)} search={searchCandidates} placeholder={t('exp.pool.accountPh')} data-testid="exp-pool-add-account" />
        <Typography.Text>{t('exp.pool.appointedBy')}</Typography.Text>
        <Input maxLength={100} value={appointedBy} onChange={(x) => setAppointedBy(x.target.value)} data-testid="exp-pool-add-by" />
        <Typography.Text>{t('exp.pool.term')}</Typography.Text>
        <DatePicker.RangePicker value={range} inputReadOnly={phone} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        <Typography.Text>{t('exp.pool.titleField')}</Typography.Text>
        <Input maxLength={100} value={title} onChange={(x) => setTitle(x.target.value)} />
        <Typography.Text>{t('exp.pool.specialties')}</Typography.Text>
        <DivisionsSelect value={industries} onChange={setIndustries} placeholder={t('exp.pool.industriesPh')} />
      </Flex>
    </Drawer>
  );
}

/** 利害关系回避: the enterprises an expert must not inspect; the office declares one with its reason. */
function ConflictsCard({ expert: e, onChanged }: { expert: ExpertDetail; onChanged: () => void }) {
  const t = useT();
  const [enterpriseId, setEnterpriseId] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const send = async () => {
    if (enterpriseId && (await run(() => api.post(`/api/experts/${encodeURIComponent(e.userId)}/conflicts`, { enterpriseId, reason: reason.trim() }), t('exp.conf.done')))) {
      setEnterpriseId(undefined);
      setReason('');
      onChanged();
    }
  };
  return (
    <Card size="small" className="zb-card" title={t('exp.conf.title')} data-testid="exp-conflicts">
      <Flex vertical gap={8}>
        {!e.conflicts.length && <Typography.Text type="secondary">{t('exp.conf.none')}</Typography.Text>}
        {e.conflicts.map((c) => (
          <Space key={c.id} wrap>
            <Typography.Text strong>{c.enterpriseName}</Typography.Text>
            <Typography.Text type="secondary">{`${c.reason} · ${formatDate(c.declaredAt)}`}</Typography.Text>
          </Space>
        ))}
        <FormError error={error} />
        <EnterpriseSelect value={enterpriseId} onChange={(v) => setEnterpriseId(v)} placeholder={t('exp.conf.enterprise')} data-testid="exp-conflict-enterprise" />
        <Input maxLength={200} placeholder={t('exp.conf.reason')} value={reason} onChange={(x) => setReason(x.target.value)} data-testid="exp-conflict-reason" />
        <Button disabled={!enterpriseId || reason.trim().length < 2} loading={busy} onClick={() => void send()} data-testid="exp-conflict-declare">
          {t('exp.conf.declare')}
        </Button>
      </Flex>
    </Card>
  );
}

/** Credit codes as an office pastes them: one a line (or separated by spaces, commas), upper-cased. */
export const pastedCodes = (text: string) => [...new Set(text.split(/[\s,;，；、]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))];

/** 制定计划: the targets by a pasted list of credit codes (every line it cannot take reported) or by filter; three years unless told. */
function ProgrammeForm({ onClose, onDone }: { onClose: () => void; onDone: (id: string) => void }) {
  const t = useT();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const fixedDistrict = me.role === 'district_officer' ? me.regionCode : undefined;
  const [title, setTitle] = useState('');
  const [districtCode, setDistrictCode] = useState<string | undefined>(fixedDistrict);
  const [from, setFrom] = useState(dayjs().startOf('month'));
  const [to, setTo] = useState<dayjs.Dayjs | null>(null);
  const [mode, setMode] = useState<'list' | 'filter'>('list');
  const [codesText, setCodesText] = useState('');
  const [industries, setIndustries] = useState<string[]>([]);
  const { busy, error, setError, run } = useAction();
  const [badRows, setBadRows] = useState<string[]>([]);
  const codes = pastedCodes(codesText);
  const send = async () => {
    setBadRows([]);
    if (!districtCode) return setError(t('exp.prog.district'));
    const body: ProgrammeInput = { title: title.trim(), districtCode, from: from.format('YYYY-MM-DD'), to: to?.format('YYYY-MM-DD'), ...(mode === 'list' ? { usccs: codes } : { filter: { industries: industries.length ? industries : undefined } }) };
    let made: Programme | undefined;
    const ok = await run(
      async () => (made = await api.post<Programme>('/api/expert-programmes', body)),
      undefined,
      (err) => err instanceof ApiError && err.problem?.errors && setBadRows(err.problem.errors.map((x) => x.message)),
    );
    if (ok) {
      message.success(t('exp.prog.made', { n: made!.targets }));
      onDone(made!.id);
      onClose();
    }
  };
  return (
    <Drawer open title={t('exp.prog.addTitle')} size={phone ? '100%' : 560} onClose={onClose} footer={<DrawerFooter onCancel={onClose} onSubmit={() => void send()} busy={busy} testId="exp-prog-submit" />} data-testid="exp-prog-form">
      <Flex vertical gap={12}>
        <FormError error={error} />
        {badRows.length > 1 && (
          <Card size="small" data-testid="exp-prog-bad-rows">
            <Typography.Text type="danger">{t('exp.prog.badRows', { n: badRows.length })}</Typography.Text>
            <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 160, overflow: 'auto' }}>
              {badRows.slice(0, 50).map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </Card>
        )}
        <Typography.Text>{t('exp.prog.titleField')}</Typography.Text>
        <Input maxLength={100} value={title} onChange={(x) => setTitle(x.target.value)} data-testid="exp-prog-title" />
        {!fixedDistrict && (
          <>
            <Typography.Text>{t('exp.prog.district')}</Typography.Text>
            <DistrictSelect value={districtCode} onChange={setDistrictCode} />
          </>
        )}
        <Flex gap={12} wrap>
          <Flex vertical gap={4}>
            <Typography.Text>{t('exp.prog.from')}</Typography.Text>
            <DatePicker value={from} allowClear={false} inputReadOnly={phone} onChange={(d) => d && setFrom(d)} />
          </Flex>
          <Flex vertical gap={4}>
            <Typography.Text>{t('exp.prog.to')}</Typography.Text>
            <DatePicker value={to} inputReadOnly={phone} onChange={(d) => setTo(d)} disabledDate={(d) => d.isBefore(from)} />
          </Flex>
        </Flex>
        <Typography.Text>{t('exp.prog.mode')}</Typography.Text>
        <Segmented value={mode} onChange={(v) => setMode(v as 'list' | 'filter')} options={[{ value: 'list', label: t('exp.prog.mode.list') }, { value: 'filter', label: t('exp.prog.mode.filter') }]} />
        {mode === 'list' ? (
          <>
            <Input.TextArea rows={8} placeholder={t('exp.prog.usccs')} value={codesText} onChange={(x) => setCodesText(x.target.value)} data-testid="exp-prog-usccs" />
            <Typography.Text type="secondary">{t('exp.prog.usccsCount', { n: codes.length })}</Typography.Text>
          </>
        ) : (
          <>
            <Typography.Text>{t('exp.prog.industries')}</Typography.Text>
            <DivisionsSelect value={industries} onChange={setIndustries} />
          </>
        )}
      </Flex>
    </Drawer>
  );
}
